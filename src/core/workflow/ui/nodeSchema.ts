// What the frontend builds for a node class from /object_info: which inputs get widgets, in which order, and
// which extra (never-sent) widgets follow them. This is what turns a positional `widgets_values` array back into
// input names. Rules from ComfyUI_frontend (useIntWidget/useComboWidget/addValueControlWidgets, widgetStore,
// migrateWidgetsValues) and ../shared/reference/comfyui-api.md §5.3.
import type { NodeInfo, ObjectInfo } from '../../comfy/types';
import { isRecord } from '../../util/guards';

export type WidgetKind = 'INT' | 'FLOAT' | 'STRING' | 'BOOLEAN' | 'COMBO' | 'CUSTOM' | 'DYNAMIC_COMBO';

export interface WidgetSpec {
  name: string;
  kind: WidgetKind;
  /**
   * The value slot may be absent: `forceInput` inputs have no widget today, but old frontends saved a value for
   * them (the frontend's own migrateWidgetsValues drops it again).
   */
  optionalValue: boolean;
  /** Extra saved-but-not-sent widgets after the value: a control mode, plus a filter list for combos. */
  control: 'none' | 'value' | 'combo';
  /**
   * A combo with an upload button. Frontends saved the button's value ("image") right after it, or (older ones,
   * which added the button as an extra input) after the last required widget.
   */
  upload: boolean;
  /** Declared under `required` (else `optional`, or a dynamic combo's sub-input). */
  required: boolean;
  /** The value a fresh widget starts with (what today's frontend sends for a widget the file has no value for). */
  default?: unknown;
  /** STRING widget whose text the frontend resolves at queue time (./dynamicPrompts.ts). */
  dynamicPrompts: boolean;
  /** V3 dynamic combo: per option key, the sub-inputs (already in widget order). */
  dynamicOptions?: Map<unknown, WidgetSpec[]>;
}

export interface ClassLayout {
  widgets: WidgetSpec[];
  /** Every declared (non-hidden) input: name → type ('COMBO' for list combos). */
  inputTypes: Map<string, string>;
  outputTypes: string[];
  displayName: string;
}

/** Uppercase widget types the core frontend registers widgets for (everything else uppercase is a socket). */
const CUSTOM_WIDGET_TYPES = new Set([
  'MARKDOWN',
  'IMAGEUPLOAD',
  'WEBCAM',
  'LOAD_3D',
  'LOAD_3D_ANIMATION',
  'PREVIEW_3D',
  'PREVIEW_3D_ANIMATION',
  'AUDIO_RECORD',
  'COLOR',
  'COLORS',
  'BOUNDING_BOX',
  'BOUNDING_BOXES',
  'CURVE',
  'RANGE',
  'RESOLUTION_PREVIEW',
  'COMPOSITOR',
  'CAMERA_INFO_STATE',
  'VIDEO_EDIT',
]);
const BASIC_TYPES = new Set(['INT', 'FLOAT', 'STRING', 'BOOLEAN', 'COMBO']);
/** INT inputs with these names get a seed widget with a control mode even without control_after_generate. */
const SEED_NAMES = new Set(['seed', 'noise_seed']);
const UPLOAD_KEYS = ['image_upload', 'audio_upload', 'video_upload', 'file_upload', 'animated_image_upload'];

const cache = new WeakMap<object, Map<string, ClassLayout | null>>();

/** The layout of `classType`, or undefined when the class is not in the node definitions. Cached per ObjectInfo. */
export function classLayout(objectInfo: ObjectInfo, classType: string): ClassLayout | undefined {
  if (!isRecord(objectInfo)) return undefined;
  let perInfo = cache.get(objectInfo);
  if (!perInfo) {
    perInfo = new Map();
    cache.set(objectInfo, perInfo);
  }
  let layout = perInfo.get(classType);
  if (layout === undefined) {
    const info = Object.prototype.hasOwnProperty.call(objectInfo, classType) ? objectInfo[classType] : undefined;
    layout = isRecord(info) ? buildLayout(classType, info) : null;
    perInfo.set(classType, layout);
  }
  return layout ?? undefined;
}

function typeName(t: unknown): string {
  if (Array.isArray(t)) return 'COMBO';
  return typeof t === 'string' ? t : '*';
}

/** Inputs of one section in the frontend's order: `input_order` first, then any other key in dict order. */
function orderedSection(section: unknown, order: unknown): [string, unknown][] {
  if (!isRecord(section)) return [];
  const keys = Object.keys(section);
  const listed = Array.isArray(order) ? order.filter((k): k is string => typeof k === 'string' && k in section) : [];
  const names = [...listed, ...keys.filter((k) => !listed.includes(k))];
  return names.map((n) => [n, section[n]]);
}

function buildLayout(classType: string, info: NodeInfo): ClassLayout {
  const input = isRecord(info.input) ? info.input : {};
  const order = isRecord(info.input_order) ? info.input_order : {};
  const required = orderedSection(input.required, order.required);
  const entries = [...required, ...orderedSection(input.optional, order.optional)];
  const inputTypes = new Map<string, string>();
  for (const [name, spec] of entries) inputTypes.set(name, typeName(Array.isArray(spec) ? spec[0] : undefined));
  const outputTypes = Array.isArray(info.output) ? info.output.map(typeName) : [];
  const displayName = typeof info.display_name === 'string' && info.display_name !== '' ? info.display_name : classType;
  const widgets = widgetsOf(entries, '');
  for (const w of widgets) w.required = required.some(([name]) => name === w.name);
  return { widgets, inputTypes, outputTypes, displayName };
}

function widgetsOf(entries: [string, unknown][], prefix: string): WidgetSpec[] {
  const out: WidgetSpec[] = [];
  for (const [name, spec] of entries) {
    const w = widgetOf(prefix + name, spec, prefix);
    if (w) out.push(w);
  }
  return out;
}

function widgetOf(name: string, spec: unknown, prefix: string): WidgetSpec | undefined {
  if (!Array.isArray(spec) || spec.length === 0) return undefined;
  const [type, rawOpts] = spec;
  const opts = isRecord(rawOpts) ? rawOpts : {};
  let kind: WidgetKind | undefined;
  const widgetType = typeof opts.widgetType === 'string' && opts.widgetType !== '' ? opts.widgetType : undefined;
  const t = widgetType ?? type;
  if (Array.isArray(t)) kind = 'COMBO';
  else if (typeof t === 'string') {
    if (BASIC_TYPES.has(t)) kind = t as WidgetKind;
    else if (t.startsWith('COMFY_') && t.includes('COMBO')) kind = 'DYNAMIC_COMBO';
    else if (CUSTOM_WIDGET_TYPES.has(t) || (t !== t.toUpperCase() && t === t.toLowerCase())) kind = 'CUSTOM';
  }
  if (!kind) return undefined;
  const forced = opts.forceInput === true && opts.socketless !== true;
  let control: WidgetSpec['control'] = 'none';
  // Dotted sub-inputs of a dynamic combo never match the implicit seed rule (their name is `parent.seed`).
  const implicitSeed = kind === 'INT' && prefix === '' && SEED_NAMES.has(name);
  if (!forced && (opts.control_after_generate || implicitSeed)) {
    if (kind === 'INT') control = 'value';
    else if (kind === 'COMBO') control = 'combo';
  }
  const w: WidgetSpec = {
    name,
    kind,
    optionalValue: forced,
    control,
    upload: kind === 'COMBO' && UPLOAD_KEYS.some((k) => opts[k] === true),
    dynamicPrompts: kind === 'STRING' && opts.dynamicPrompts === true,
    required: false,
  };
  const initial = initialValue(kind, type, opts);
  if (initial !== undefined) w.default = initial;
  if (kind === 'DYNAMIC_COMBO' && Array.isArray(opts.options)) {
    w.dynamicOptions = new Map();
    for (const o of opts.options) {
      if (!isRecord(o)) continue;
      const sub = isRecord(o.inputs) ? o.inputs : {};
      const subEntries = [...orderedSection(sub.required, undefined), ...orderedSection(sub.optional, undefined)];
      w.dynamicOptions.set(o.key, widgetsOf(subEntries, `${name}.`));
    }
  }
  return w;
}

/** A new widget's value: the spec's default, else the first combo option, else the type's zero. */
function initialValue(kind: WidgetKind, type: unknown, opts: Record<string, unknown>): unknown {
  if ('default' in opts) return opts.default;
  const options = Array.isArray(type) ? type : Array.isArray(opts.options) ? opts.options : undefined;
  switch (kind) {
    case 'COMBO':
    case 'DYNAMIC_COMBO': {
      const first = options?.[0];
      return isRecord(first) && 'key' in first ? first.key : first;
    }
    case 'INT':
    case 'FLOAT':
      return typeof opts.min === 'number' && opts.min > 0 ? opts.min : 0;
    case 'STRING':
      return '';
    case 'BOOLEAN':
      return false;
    default:
      return undefined;
  }
}
