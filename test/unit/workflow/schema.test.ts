import { test } from 'node:test';
import assert from 'node:assert/strict';
import Ajv from 'ajv';
import { classSchema, inputSchema, promptSchema, SchemaCache, schemaCacheFor } from '../../../src/core/workflow/schema';
import { prepareNodeDefs } from '../../../src/core/workflow/nodeDefs';
import { NEEDS_SHARED, readSharedJson } from '../../helpers/shared';
import { defs, objectInfo, txt2img } from '../../fixtures/workflow/fixtures';
import { parseWorkflowDocument } from '../../../src/core/workflow/document';
import { validateWorkflow } from '../../../src/core/workflow/validate';

test('class schema: required inputs, integer vs number with min/max, enum for combos, link tuple', () => {
  const s = classSchema(defs().get('KSampler')!) as { properties: { inputs: { required: string[]; properties: Record<string, Record<string, unknown>> } } };
  const inputs = s.properties.inputs;
  assert.equal(inputs.required.length, 10);
  assert.deepEqual(inputs.properties.steps, {
    if: { type: 'array' },
    then: { type: 'array', minItems: 2, maxItems: 2, items: [{ type: 'string' }, { type: 'integer', minimum: 0 }] },
    else: { type: 'integer', minimum: 1, maximum: 10000, default: 20 },
  });
  assert.equal((inputs.properties.cfg!.else as { type: string }).type, 'number');
  assert.equal((inputs.properties.sampler_name!.else as { enum: string[] }).enum.length, 8);
  assert.deepEqual(inputs.properties.model, { if: { type: 'array' }, then: inputs.properties.steps!.then });
});

test('the full class schema accepts a correct node and rejects bad ones (checked by a separate ajv)', () => {
  const ajv = new Ajv({ strict: false });
  const validate = ajv.compile(classSchema(defs().get('KSampler')!));
  const good = txt2img()['3']!;
  assert.equal(validate(good), true);
  assert.equal(validate({ ...good, inputs: { ...good.inputs, steps: 0 } }), false);
  assert.equal(validate({ ...good, inputs: { ...good.inputs, model: ['4'] } }), false);
  assert.equal(validate({ ...good, inputs: { ...good.inputs, sampler_name: 'nope' } }), false);
  assert.equal(validate({ ...good, inputs: { ...good.inputs, scheduler: undefined } }), false);
});

test('multiselect combos take the {"__value__": [...]} wrapper', () => {
  const info = objectInfo();
  const multi = prepareNodeDefs({ ...info, Tags: { input: { required: { tags: ['COMBO', { options: ['a', 'b'], multiselect: true }] } }, output: [] } });
  const ajv = new Ajv({ strict: false });
  const v = ajv.compile(inputSchema(multi.get('Tags')!.inputByName.get('tags')!));
  assert.equal(v('a'), true);
  assert.equal(v({ __value__: ['a', 'b'] }), true);
  assert.equal(v({ __value__: ['c'] }), false);
});

test('compilation is lazy: only the classes a document uses, once', () => {
  const d = prepareNodeDefs(objectInfo());
  const cache = schemaCacheFor(d);
  assert.equal(cache.compiledCount, 0);
  validateWorkflow(parseWorkflowDocument(JSON.stringify(txt2img())), d);
  assert.equal(cache.compiledCount, 6);
  validateWorkflow(parseWorkflowDocument(JSON.stringify(txt2img())), d);
  assert.equal(cache.compiledCount, 6);
  assert.equal(new SchemaCache(d).validator('NoSuchClass'), undefined);
});

test('prompt schema of all classes: if/then per class_type, usable by a generic validator', () => {
  const schema = promptSchema(defs());
  const ajv = new Ajv({ strict: false });
  const validate = ajv.compile(schema);
  assert.equal(validate(txt2img()), true);
  const bad = txt2img();
  bad['3']!.inputs!.steps = 0;
  assert.equal(validate(bad), false);
  const one = promptSchema(defs(), ['SaveImage']) as { additionalProperties: { allOf: unknown[] } };
  assert.equal(one.additionalProperties.allOf.length, 1);
});

test('a combo that lists a value twice (as custom nodes do) still compiles and accepts its values', () => {
  const d = prepareNodeDefs({
    Dup: {
      input: { required: { method: [['nearest', 'bilinear', 'nearest']] } },
      input_order: { required: ['method'] },
      output: [],
      output_name: [],
      name: 'Dup',
      display_name: 'Dup',
      category: 'x',
      output_node: true,
    },
  });
  const validate = new Ajv({ strict: false }).compile(classSchema(d.get('Dup')!));
  assert.equal(validate({ class_type: 'Dup', inputs: { method: 'bilinear' } }), true);
  assert.equal(validate({ class_type: 'Dup', inputs: { method: 'bicubic' } }), false);
});

test('every class of the biggest dump: its schema compiles, accepts a link in each required input, rejects a gap', { skip: NEEDS_SHARED }, () => {
  const d = prepareNodeDefs(readSharedJson('fixtures/object_info', 'offflinerpsy__orchestrator-v3__object_info.json'));
  const ajv = new Ajv({ strict: false });
  let compiled = 0;
  let withRequired = 0;
  for (const name of d.names()) {
    const schema = classSchema(d.get(name)!) as { properties: { inputs: { required: string[] } } };
    const validate = ajv.compile(schema);
    // Links satisfy any input: a node with a link in each required input is accepted.
    const required = schema.properties.inputs.required;
    const inputs = Object.fromEntries(required.map((input, i) => [input, [String(i + 1), 0]]));
    const node = { class_type: name, inputs };
    assert.equal(validate(node), true, `${name}: ${JSON.stringify(validate.errors)}`);
    // Rejected: another class's name, and (when it has one) a required input left out.
    assert.equal(validate({ ...node, class_type: `${name}_other` }), false, name);
    if (required.length > 0) {
      const { [required[0]!]: _dropped, ...rest } = inputs;
      assert.equal(validate({ class_type: name, inputs: rest }), false, `${name} without ${required[0]}`);
      withRequired++;
    }
    compiled++;
  }
  assert.equal(compiled, d.size);
  assert.ok(compiled > 120, `${compiled} classes`);
  assert.ok(withRequired > 100, `${withRequired} classes with a required input`);
});

test('value schemas shared by classes are compiled once, in one batch, and results are remembered', () => {
  const d = prepareNodeDefs(objectInfo());
  const cache = new SchemaCache(d);
  cache.prepare(['EmptyLatentImage', 'KSampler', 'VAEDecode']);
  assert.equal(cache.compiledCount, 3);
  assert.equal(cache.compiledSchemas, 2 + 6); // width and height share one; VAEDecode has no widget at all
  const ok = cache.check('EmptyLatentImage', { width: 512, height: 512, batch_size: 1 });
  assert.deepEqual(ok, []);
  const bad = cache.check('EmptyLatentImage', { width: 8, height: 99999, batch_size: 1 });
  assert.deepEqual(
    bad.map((e) => [e.instancePath, e.keyword]),
    [
      ['/width', 'minimum'],
      ['/height', 'maximum'],
    ],
  );
  assert.equal(cache.check('EmptyLatentImage', { width: 8, height: 99999, batch_size: 1 }), bad);
  assert.deepEqual(
    cache
      .check('KSampler', { sampler_name: 'nope', steps: 'x' })
      .map((e) => [e.instancePath, e.keyword])
      .sort(),
    [
      ['/sampler_name', 'enum'],
      ['/steps', 'type'],
    ],
  );
  assert.deepEqual(cache.check('NoSuchClass', { a: 1 }), []);
});
