// Aligning saved widgets_values with a node's widgets across frontend eras and node versions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ObjectInfo } from '../../../src/core/comfy/types';
import { classLayout } from '../../../src/core/workflow/ui/nodeSchema';
import { mapWidgetArray } from '../../../src/core/workflow/ui/widgets';

const INFO = {
  Detailer: {
    input: {
      required: {
        image: ['IMAGE'],
        guide: ['BOOLEAN', { default: true }],
        seed: ['INT', { default: 0 }],
        mode: [['fixed', 'auto'], {}],
        steps: ['INT', { default: 20 }],
      },
      optional: { tiled: ['BOOLEAN', { default: false }], extra: ['BOOLEAN', { default: false }] },
    },
    output: ['IMAGE'],
  },
} as unknown as ObjectInfo;

const map = (values: unknown[]) => {
  const layout = classLayout(INFO, 'Detailer')!;
  const m = mapWidgetArray(layout.widgets, values, (k) => ['w', k]);
  return { values: Object.fromEntries([...m.values].map(([k, v]) => [k, v.value])), extra: m.extra, missing: m.missing };
};

test('implicit seed control, and a node that gained optional widgets since the file was saved', () => {
  assert.deepEqual(map([true, 7, 'randomize', 'auto', 30]), {
    values: { guide: true, seed: 7, mode: 'auto', steps: 30 },
    extra: 0,
    missing: ['tiled', 'extra'],
  });
});

test('no control value saved, and the next combo value is itself a control keyword', () => {
  assert.deepEqual(map([true, 7, 'fixed', 30, false, true]), {
    values: { guide: true, seed: 7, mode: 'fixed', steps: 30, tiled: false, extra: true },
    extra: 0,
    missing: [],
  });
  assert.deepEqual(map([true, 7, 'fixed', 'fixed', 30, false, true]), {
    values: { guide: true, seed: 7, mode: 'fixed', steps: 30, tiled: false, extra: true },
    extra: 0,
    missing: [],
  });
});

test('values of the wrong kind are not shifted into place; surplus values are counted', () => {
  assert.deepEqual(map([true, 7, 'fixed', 'auto', 30, false, true, 'more', 1]).extra, 2);
  assert.deepEqual(map([]), { values: {}, extra: 0, missing: ['guide', 'seed', 'mode', 'steps', 'tiled', 'extra'] });
});

test('layouts: widget order follows input_order, sockets and forceInput get no widget', () => {
  const info = {
    N: {
      input: {
        required: { b: ['INT'], a: ['STRING', { forceInput: true }], s: ['MODEL'], c: [['x']], d: ['FLOAT,INT'], e: ['FLOAT,INT', { widgetType: 'FLOAT' }] },
      },
      input_order: { required: ['c', 'b', 'a', 's', 'd', 'e'] },
    },
  } as unknown as ObjectInfo;
  const layout = classLayout(info, 'N')!;
  assert.deepEqual(
    layout.widgets.map((w) => [w.name, w.kind, w.optionalValue]),
    [
      ['c', 'COMBO', false],
      ['b', 'INT', false],
      ['a', 'STRING', true],
      ['e', 'FLOAT', false],
    ],
  );
  assert.equal(classLayout(info, 'Missing'), undefined);
  assert.equal(classLayout(info, 'toString'), undefined, 'no prototype keys');
});
