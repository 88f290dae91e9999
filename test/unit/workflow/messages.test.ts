import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatMessage, messageIds, previewList, resolveLocale, showValue, type MessageParams } from '../../../src/core/workflow/messages';

const SAMPLE: { [K in keyof MessageParams]: MessageParams[K] } = {
  syntaxError: { code: 'CommaExpected' },
  nodeNotObject: { id: '1' },
  classTypeMissing: { id: '1' },
  classTypeNotString: { id: '1' },
  unknownClass: { classType: 'X', suggestions: ['Y'] },
  inputsNotObject: { id: '1' },
  requiredInputMissing: { input: 'a', type: 'INT' },
  valueNotInList: { input: 'a', value: 'z', values: ['x', 'y'] },
  valueSmallerThanMin: { input: 'a', value: 0, min: 1 },
  valueBiggerThanMax: { input: 'a', value: 9, max: 1 },
  invalidInputType: { input: 'a', expected: 'integer', value: 'q' },
  coercedValue: { input: 'a', expected: 'integer', value: '2', converted: 2 },
  booleanFromString: { input: 'a', value: 'false' },
  socketNeedsLink: { input: 'a', type: 'MODEL' },
  badLinkArity: { input: 'a', arity: 3 },
  linkSourceNotString: { input: 'a', value: 4 },
  linkSlotInvalid: { input: 'a', value: -1 },
  linkToMissingNode: { input: 'a', sourceId: '9' },
  linkSlotOutOfRange: { input: 'a', sourceId: '4', classType: 'C', slot: 5, count: 3 },
  linkNotAccepted: { input: 'a' },
  returnTypeMismatch: { input: 'a', received: 'CLIP', expected: 'MODEL', sourceId: '4', slot: 1 },
  dependencyCycle: { path: ['1', '2', '1'] },
  dependencyCycleRecursion: { path: ['1', '2', '1'], version: '0.3.64' },
  invalidUtf8: { offset: 12 },
  notChecked: { reason: 'too deep' },
  promptNoOutputs: {},
  unreachableNode: { id: '1' },
  undeclaredInput: { input: 'a', classType: 'C' },
  hiddenInput: { input: 'a', classType: 'C' },
  duplicateNode: { id: '1' },
  duplicateInput: { input: 'a' },
  notWorkflow: {},
  uiWorkflow: {},
  blockedByUnknownClass: { message: 'M.' },
  tooLarge: { objects: 70000, limit: 60000 },
  missingPack: { classType: 'SAMLoader', packs: [{ title: 'ComfyUI Impact Pack', where: 'ltdrdata/ComfyUI-Impact-Pack', version: '8.8.1', saved: true }] },
  missingModel: { name: 'm.safetensors', directory: 'checkpoints', url: 'https://example.com/m.safetensors' },
  missingModelDidYouMean: { name: 'm.safetensors', directory: 'checkpoints', suggestions: ['SD1.5/m.safetensors'] },
  dynamicSelectorUnresolved: { input: 'mode', reason: 'unknownKey', value: 'fly', values: ['orbit'] },
  dynamicKeyIgnored: { input: 'mode.quat_x' },
  fileNotOnServer: { input: 'image', value: 'x.png' },
  optionsComboUnchecked: { input: 'a', value: 'z', values: ['x'], version: '0.3.64' },
  numberUnionString: { input: 'a', value: 'x' },
  matchTypeNotAllowed: { input: 'a', received: 'IMAGE', allowed: 'MASK' },
  deprecatedNode: { classType: 'ImageBatch', replacement: 'BatchImagesNode' },
  replacementCrash: { id: '3', classType: 'T2IAdapterLoader', replacement: 'ControlNetLoader' },
  notValidatedBehindError: { id: '1' },
};

test('both catalogs have every message, non-empty and different from each other', () => {
  assert.deepEqual(messageIds().sort(), Object.keys(SAMPLE).sort());
  for (const id of messageIds()) {
    const en = formatMessage('en', id, SAMPLE[id] as never);
    const zh = formatMessage('zh-cn', id, SAMPLE[id] as never);
    assert.ok(en.length > 5 && zh.length > 3, id);
    assert.notEqual(en, zh, id);
    assert.ok(!en.includes('undefined') && !zh.includes('undefined'), id);
    assert.match(zh, /[\u4e00-\u9fff]/, `${id} is not translated`);
  }
});

test('messages say what was expected', () => {
  assert.equal(
    formatMessage('en', 'valueNotInList', { input: 'sampler_name', value: 'x', values: Array.from({ length: 42 }, (_, i) => `s${i}`) }),
    'sampler_name must be one of s0, s1, s2, s3, s4, s5, … (42 values); got "x".',
  );
  assert.equal(
    formatMessage('en', 'unknownClass', { classType: 'KSamplr', suggestions: ['KSampler', 'KSamplerAdvanced'] }),
    'Node type "KSamplr" does not exist on this server (the custom node may not be installed). Did you mean "KSampler" or "KSamplerAdvanced"?',
  );
  assert.equal(formatMessage('zh-cn', 'valueBiggerThanMax', { input: 'cfg', value: 101, max: 100 }), 'cfg 不能大于 100；实际为 101。');
});

test('locale resolution and value rendering', () => {
  assert.equal(resolveLocale('zh-CN'), 'zh-cn');
  assert.equal(resolveLocale('zh-Hans'), 'zh-cn');
  assert.equal(resolveLocale('en-US'), 'en');
  assert.equal(resolveLocale(undefined), 'en');
  assert.equal(resolveLocale('fr'), 'en');
  assert.equal(showValue('x'.repeat(100)).length, 58);
  assert.equal(showValue(undefined), 'nothing');
  assert.equal(previewList([1, 'a']), '1, a');
});
