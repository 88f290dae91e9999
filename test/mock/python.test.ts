// The mock's Python emulation, against outputs of CPython 3.11 (repr, int(), float(), json.dumps) written down here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PyError } from '../mock-comfyui/python';
import { pyFloat, pyJsonDumps, pyRepr, pyReprString, pyStr, pyToFloat, pyToInt } from '../mock-comfyui/python';

const pyError = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return `${(e as PyError).pyType}: ${(e as Error).message}`;
  }
  return 'no error';
};

test('repr of floats and strings', () => {
  const floats = [8, 0.1, 1e-7, 1e16, 1.5e300, -0.5, 123456789.125, 1e22, 5e-324, 0.0001, 0.00001, 1234567890123456.7, 0, -0];
  assert.deepEqual(floats.map(pyFloat), [
    '8.0',
    '0.1',
    '1e-07',
    '1e+16',
    '1.5e+300',
    '-0.5',
    '123456789.125',
    '1e+22',
    '5e-324',
    '0.0001',
    '1e-05',
    '1234567890123456.8',
    '0.0',
    '-0.0',
  ]);
  assert.deepEqual(["it's", 'a"b', `both'"`, 'tab\there', 'nl\n', 'back\\slash', 'é ü', '\x01'].map(pyReprString), [
    `"it's"`,
    `'a"b'`,
    `'both\\'"'`,
    "'tab\\there'",
    "'nl\\n'",
    "'back\\\\slash'",
    "'é ü'",
    "'\\x01'",
  ]);
  assert.equal(pyRepr([1, 'a', null, true, { k: 2.5 }]), "[1, 'a', None, True, {'k': 2.5}]");
  assert.equal(pyStr(20, { float: true }), '20.0');
});

test('int() and float() conversions and their error messages', () => {
  assert.deepEqual([' 42 ', '1_000', '+7', 3.9, true].map(pyToInt), [42, 1000, 7, 3, 1]);
  assert.equal(
    pyError(() => pyToInt('3.5')),
    "ValueError: invalid literal for int() with base 10: '3.5'",
  );
  assert.equal(
    pyError(() => pyToInt('--1')),
    "ValueError: invalid literal for int() with base 10: '--1'",
  );
  assert.equal(
    pyError(() => pyToInt(null)),
    "TypeError: int() argument must be a string, a bytes-like object or a real number, not 'NoneType'",
  );
  assert.equal(
    pyError(() => pyToInt({})),
    "TypeError: int() argument must be a string, a bytes-like object or a real number, not 'dict'",
  );
  assert.deepEqual(['1e3', ' 2.5 ', '.5', '5.', 'inf', '-Infinity', '1_0.5'].map(pyToFloat), [1000, 2.5, 0.5, 5, Infinity, -Infinity, 10.5]);
  assert.ok(Number.isNaN(pyToFloat('nan')));
  assert.equal(
    pyError(() => pyToFloat('abc')),
    "ValueError: could not convert string to float: 'abc'",
  );
  assert.equal(
    pyError(() => pyToFloat('1__0')),
    "ValueError: could not convert string to float: '1__0'",
  );
  assert.equal(
    pyError(() => pyToFloat([])),
    "TypeError: float() argument must be a string or a real number, not 'list'",
  );
});

test('json.dumps layout, ASCII escapes, and Map order for integer-like keys', () => {
  assert.equal(pyJsonDumps({ a: [1, 'é', { b: null }], ü: true }), '{"a": [1, "\\u00e9", {"b": null}], "\\u00fc": true}');
  assert.equal(
    pyJsonDumps(
      new Map([
        ['4', 1],
        ['10', 2],
        ['3', 3],
      ]),
    ),
    '{"4": 1, "10": 2, "3": 3}',
  );
});
