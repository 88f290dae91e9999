// The message catalog for problems (and the CLI): English and Simplified Chinese.
// Messages say what was expected, not only what is wrong, so the user can fix the value without looking it up.

export type Locale = 'en' | 'zh-cn';

export const LOCALES: readonly Locale[] = ['en', 'zh-cn'];

/** Maps a user/editor locale string (`zh-CN`, `zh-Hans`, `en-US`, …) to a catalog locale. */
export function resolveLocale(locale: string | undefined): Locale {
  const l = (locale ?? '').toLowerCase();
  return l.startsWith('zh') ? 'zh-cn' : 'en';
}

/** The parameters of every message, by id. */
export interface MessageParams {
  syntaxError: { code: string };
  nodeNotObject: { id: string };
  classTypeMissing: { id: string };
  classTypeNotString: { id: string };
  unknownClass: { classType: string; suggestions: readonly string[] };
  inputsNotObject: { id: string };
  requiredInputMissing: { input: string; type: string };
  valueNotInList: { input: string; value: unknown; values: readonly unknown[] };
  valueSmallerThanMin: { input: string; value: unknown; min: number };
  valueBiggerThanMax: { input: string; value: unknown; max: number };
  invalidInputType: { input: string; expected: ValueExpectation; value: unknown };
  coercedValue: { input: string; expected: ValueExpectation; value: unknown; converted: unknown };
  booleanFromString: { input: string; value: string };
  socketNeedsLink: { input: string; type: string };
  badLinkArity: { input: string; arity: number };
  linkSourceNotString: { input: string; value: unknown };
  linkSlotInvalid: { input: string; value: unknown };
  linkToMissingNode: { input: string; sourceId: string };
  linkSlotOutOfRange: { input: string; sourceId: string; classType: string; slot: number; count: number };
  linkNotAccepted: { input: string };
  returnTypeMismatch: { input: string; received: string; expected: string; sourceId: string; slot: number };
  dependencyCycle: { path: readonly string[] };
  dependencyCycleRecursion: { path: readonly string[]; version: string };
  promptNoOutputs: Record<string, never>;
  unreachableNode: { id: string };
  undeclaredInput: { input: string; classType: string };
  hiddenInput: { input: string; classType: string };
  duplicateNode: { id: string };
  duplicateInput: { input: string };
  notWorkflow: Record<string, never>;
  uiWorkflow: Record<string, never>;
  blockedByUnknownClass: { message: string };
  tooLarge: { objects: number; limit: number; kind?: 'objects' | 'values' | 'depth' };
  invalidUtf8: { offset: number };
  notChecked: { reason: string };
  missingPack: { classType: string; packs: readonly PackMention[] };
  missingModel: { name: string; directory?: string | undefined; url?: string | undefined };
  missingModelDidYouMean: { name: string; directory?: string | undefined; suggestions: readonly string[] };
  dynamicSelectorUnresolved: { input: string; reason: 'missing' | 'notString' | 'wrapped' | 'unknownKey'; value: unknown; values: readonly unknown[] };
  dynamicKeyIgnored: { input: string };
  fileNotOnServer: { input: string; value: unknown };
  optionsComboUnchecked: { input: string; value: unknown; values: readonly unknown[]; version: string };
  numberUnionString: { input: string; value: unknown };
  matchTypeNotAllowed: { input: string; received: string; allowed: string };
  deprecatedNode: { classType: string; replacement: string };
  replacementCrash: { id: string; classType: string; replacement: string };
  notValidatedBehindError: { id: string };
}

/** A pack named in a message: its title, `owner/repo` or registry id, and the version (saved or latest). */
export interface PackMention {
  title: string;
  /** `owner/repo`, else the registry id when it differs from the title. */
  where?: string | undefined;
  version?: string | undefined;
  /** The workflow was saved with `version` (else it is the latest known). */
  saved?: boolean | undefined;
  /** Where the answer came from when not from the workflow itself: a node map, ComfyUI-Manager, the Comfy Registry. */
  evidence?: 'nodeMap' | 'manager' | 'registry' | undefined;
}

const EVIDENCE_EN = { nodeMap: 'from the node map', manager: 'from ComfyUI-Manager', registry: 'from the Comfy Registry' } as const;
const EVIDENCE_ZH = { nodeMap: '信息来源：节点映射', manager: '信息来源：ComfyUI-Manager', registry: '信息来源：Comfy Registry' } as const;

function packEn(p: PackMention): string {
  const parts = [p.where, p.version ? `${p.saved ? 'saved with' : 'latest'} ${p.version}` : undefined, p.evidence ? EVIDENCE_EN[p.evidence] : undefined].filter(
    Boolean,
  );
  return parts.length ? `${p.title} (${parts.join(', ')})` : p.title;
}

function packZh(p: PackMention): string {
  const parts = [
    p.where,
    p.version ? `${p.saved ? '保存时版本' : '最新版本'} ${p.version}` : undefined,
    p.evidence ? EVIDENCE_ZH[p.evidence] : undefined,
  ].filter(Boolean);
  return parts.length ? `${p.title}（${parts.join('，')}）` : p.title;
}

const modelsDir = (d: string | undefined): string => (d ? `models/${d}` : 'models/');

export type MessageId = keyof MessageParams;

/** What a widget value must be, for "must be …" messages. */
export type ValueExpectation = 'integer' | 'number' | 'string' | 'boolean' | 'combo' | 'link' | 'list';

type Catalog = { [K in MessageId]: (p: MessageParams[K]) => string };

/** A value shown as its source text: a number literal JSON cannot hold (`1e400` parses to Infinity). */
export class SourceLiteral {
  constructor(readonly text: string) {}
}

/** Renders a value the way it appears in JSON, shortened. */
export function showValue(v: unknown): string {
  let s: string;
  if (v instanceof SourceLiteral) s = v.text;
  else if (typeof v === 'number' && !Number.isFinite(v)) s = Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
  else {
    try {
      s = v === undefined ? 'nothing' : (JSON.stringify(v) ?? String(v));
    } catch {
      s = String(v); // a cycle or a nesting too deep for the native serializer
    }
  }
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
}

/** "a, b, c, … (42 values)": the first few choices and how many there are. */
export function previewList(values: readonly unknown[], shown = 6): string {
  const items = values.slice(0, shown).map((v) => (typeof v === 'string' ? v : showValue(v)));
  if (values.length <= shown) return items.join(', ');
  return `${items.join(', ')}, … (${values.length} values)`;
}

function previewListZh(values: readonly unknown[], shown = 6): string {
  const items = values.slice(0, shown).map((v) => (typeof v === 'string' ? v : showValue(v)));
  if (values.length <= shown) return items.join('、');
  return `${items.join('、')}……（共 ${values.length} 个）`;
}

const EXPECT_EN: Record<ValueExpectation, string> = {
  integer: 'an integer',
  number: 'a number',
  string: 'a string',
  boolean: 'true or false',
  combo: 'one of its choices',
  link: 'a link ["<node id>", <output index>]',
  list: 'a list',
};

const EXPECT_ZH: Record<ValueExpectation, string> = {
  integer: '整数',
  number: '数字',
  string: '字符串',
  boolean: 'true 或 false',
  combo: '可选值之一',
  link: '连接 ["<节点 id>", <输出序号>]',
  list: '列表',
};

const en: Catalog = {
  syntaxError: ({ code }) => `JSON syntax error: ${code}.`,
  nodeNotObject: ({ id }) => `Node ${id} must be an object with "class_type" and "inputs".`,
  classTypeMissing: ({ id }) => `Node ${id} has no "class_type"; the server refuses the whole prompt.`,
  classTypeNotString: ({ id }) => `The "class_type" of node ${id} must be a string naming a node type.`,
  unknownClass: ({ classType, suggestions }) =>
    `Node type "${classType}" does not exist on this server (the custom node may not be installed).` +
    (suggestions.length ? ` Did you mean ${suggestions.map((s) => `"${s}"`).join(' or ')}?` : ''),
  inputsNotObject: ({ id }) => `Node ${id} must have an "inputs" object.`,
  requiredInputMissing: ({ input, type }) => `Required input "${input}" (${type}) is missing.`,
  valueNotInList: ({ input, value, values }) =>
    values.length === 0
      ? `${input}: ${showValue(value)} is not an available choice (the server lists none).`
      : `${input} must be one of ${previewList(values)}; got ${showValue(value)}.`,
  valueSmallerThanMin: ({ input, value, min }) => `${input} must be at least ${min}; got ${showValue(value)}.`,
  valueBiggerThanMax: ({ input, value, max }) => `${input} must be at most ${max}; got ${showValue(value)}.`,
  invalidInputType: ({ input, expected, value }) => `${input} must be ${EXPECT_EN[expected]}; got ${showValue(value)}.`,
  coercedValue: ({ input, expected, value, converted }) =>
    `${input} should be ${EXPECT_EN[expected]}; the server converts ${showValue(value)} to ${showValue(converted)}.`,
  booleanFromString: ({ input, value }) =>
    `${input} should be true or false; the server reads the string ${showValue(value)} as ${value === '' ? 'false' : 'true'}.`,
  socketNeedsLink: ({ input, type }) => `${input} expects a link from a ${type} output; the server passes this value on unchecked.`,
  badLinkArity: ({ input, arity }) =>
    `${input}: a list is read as a link ["<node id>", <output index>] and needs 2 elements, not ${arity}. Wrap a list value as {"__value__": [...]}.`,
  linkSourceNotString: ({ input, value }) => `${input}: the node id in a link must be a string (write "${plainText(value)}"), because prompt keys are strings.`,
  linkSlotInvalid: ({ input, value }) => `${input}: the output index of a link must be a non-negative integer; got ${showValue(value)}.`,
  linkToMissingNode: ({ input, sourceId }) => `${input} links to node "${sourceId}", which is not in the prompt.`,
  linkSlotOutOfRange: ({ input, sourceId, classType, slot, count }) =>
    `${input} links to output ${slot} of node ${sourceId} (${classType}), which has ${count === 0 ? 'no outputs' : `outputs 0–${count - 1}`}.`,
  linkNotAccepted: ({ input }) => `${input} is a widget without a socket; the editor cannot link it.`,
  returnTypeMismatch: ({ input, received, expected, sourceId, slot }) => `${input} expects ${expected}, but output ${slot} of node ${sourceId} is ${received}.`,
  dependencyCycle: ({ path }) => `The links form a cycle: ${path.join(' -> ')}.`,
  dependencyCycleRecursion: ({ path, version }) =>
    `The links form a cycle: ${path.join(' -> ')}. ComfyUI ${version} has no cycle check: its validation recurses until Python's recursion limit and refuses the prompt with a RecursionError.`,
  promptNoOutputs: () => `The prompt has no output node (such as SaveImage or PreviewImage); the server refuses it.`,
  unreachableNode: ({ id }) => `No output node depends on node ${id}; the server skips it.`,
  undeclaredInput: ({ input, classType }) => `${classType} has no input "${input}"; the server ignores it.`,
  hiddenInput: ({ input, classType }) => `"${input}" is a hidden input of ${classType}; the server fills it in and ignores this value.`,
  duplicateNode: ({ id }) => `Node id "${id}" appears again later; only the last one counts.`,
  duplicateInput: ({ input }) => `Input "${input}" appears again later; only the last one counts.`,
  notWorkflow: () => `This is not a ComfyUI API workflow (expected {"<id>": {"class_type": ..., "inputs": {...}}} or a /prompt body).`,
  uiWorkflow: () => `This is a UI workflow (nodes and links); convert it to the API format to validate it.`,
  blockedByUnknownClass: ({ message }) => `${message} (The server stops at the unknown node type and does not check this yet.)`,
  tooLarge: ({ limit, kind }) =>
    kind === 'depth'
      ? `This file nests JSON more than ${limit.toLocaleString('en-US')} levels deep; it is too deep to validate.`
      : `This file has more than ${limit.toLocaleString('en-US')} JSON ${kind === 'values' ? 'values' : 'objects'}; it is too large to validate.`,
  invalidUtf8: ({ offset }) => `This file is not valid UTF-8 (the first invalid byte is at offset ${offset}); it is not checked.`,
  notChecked: ({ reason }) => `This file could not be checked: ${reason}`,
  missingPack: ({ classType, packs }) =>
    `"${classType}" is not installed on this server. ` +
    (packs.length === 1 ? `It comes from ${packEn(packs[0]!)}.` : `It comes from one of: ${packs.map(packEn).join('; ')}.`),
  missingModel: ({ name, directory, url }) => `"${name}" is not in ${modelsDir(directory)} on this server.${url ? ` Download: ${url}` : ''}`,
  missingModelDidYouMean: ({ name, directory, suggestions }) =>
    `"${name}" is not in ${modelsDir(directory)} on this server. Did you mean ${suggestions.map((s) => `"${s}"`).join(' or ')}?`,
  dynamicSelectorUnresolved: ({ input, reason, value, values }) =>
    (reason === 'missing'
      ? `${input} is not set`
      : reason === 'wrapped'
        ? `${input} is wrapped in {"__value__": …}`
        : reason === 'notString'
          ? `${input} must be the option's name as a string; got ${showValue(value)}`
          : `${input}: ${showValue(value)} is not one of its options (${previewList(values)})`) +
    `. The server accepts the prompt without checking the option's inputs, but the node fails when it runs.`,
  dynamicKeyIgnored: ({ input }) => `"${input}" is not an input of the chosen option (or is past the allowed count); the server ignores it.`,
  fileNotOnServer: ({ input, value }) => `${input}: the server has no file ${showValue(value)}; its own check of the file fails.`,
  optionsComboUnchecked: ({ input, value, values, version }) =>
    `${input} should be one of ${previewList(values)}; got ${showValue(value)}. ComfyUI ${version} does not check this value, but newer servers refuse it.`,
  numberUnionString: ({ input, value }) => `${input} must be a number; the server fails comparing the string ${showValue(value)} with the minimum or maximum.`,
  matchTypeNotAllowed: ({ input, received, allowed }) =>
    `${input} accepts ${allowed}, but the link brings ${received}; the server does not check this, the editor refuses it.`,
  deprecatedNode: ({ classType, replacement }) => `${classType} is deprecated on this server; replace it with ${replacement}.`,
  replacementCrash: ({ id, classType, replacement }) =>
    `Node ${id} uses ${classType}, which this server does not have but lists as replaced by ${replacement}; that makes the server fail ("Server got itself in trouble"). Replace the node.`,
  notValidatedBehindError: ({ id }) =>
    `The server does not check node ${id} yet: the node that uses it has a broken or mismatched link, and validation stops there.`,
};

const zhCn: Catalog = {
  syntaxError: ({ code }) => `JSON 语法错误：${code}。`,
  nodeNotObject: ({ id }) => `节点 ${id} 必须是包含 "class_type" 和 "inputs" 的对象。`,
  classTypeMissing: ({ id }) => `节点 ${id} 缺少 "class_type"，服务器会拒绝整个提示词。`,
  classTypeNotString: ({ id }) => `节点 ${id} 的 "class_type" 必须是表示节点类型的字符串。`,
  unknownClass: ({ classType, suggestions }) =>
    `服务器上不存在节点类型 "${classType}"（可能未安装该自定义节点）。` +
    (suggestions.length ? `您是否想输入 ${suggestions.map((s) => `"${s}"`).join(' 或 ')}？` : ''),
  inputsNotObject: ({ id }) => `节点 ${id} 必须有 "inputs" 对象。`,
  requiredInputMissing: ({ input, type }) => `缺少必需输入 "${input}"（${type}）。`,
  valueNotInList: ({ input, value, values }) =>
    values.length === 0
      ? `${input}：${showValue(value)} 不是可用选项（服务器未列出任何选项）。`
      : `${input} 必须是 ${previewListZh(values)} 之一；实际为 ${showValue(value)}。`,
  valueSmallerThanMin: ({ input, value, min }) => `${input} 不能小于 ${min}；实际为 ${showValue(value)}。`,
  valueBiggerThanMax: ({ input, value, max }) => `${input} 不能大于 ${max}；实际为 ${showValue(value)}。`,
  invalidInputType: ({ input, expected, value }) => `${input} 必须是${EXPECT_ZH[expected]}；实际为 ${showValue(value)}。`,
  coercedValue: ({ input, expected, value, converted }) =>
    `${input} 应为${EXPECT_ZH[expected]}；服务器会把 ${showValue(value)} 转换为 ${showValue(converted)}。`,
  booleanFromString: ({ input, value }) => `${input} 应为 true 或 false；服务器会把字符串 ${showValue(value)} 读作 ${value === '' ? 'false' : 'true'}。`,
  socketNeedsLink: ({ input, type }) => `${input} 需要连接一个 ${type} 输出；服务器不会检查此值而直接传递。`,
  badLinkArity: ({ input, arity }) =>
    `${input}：列表会被视为连接 ["<节点 id>", <输出序号>]，需要 2 个元素，而不是 ${arity} 个。列表值请写成 {"__value__": [...]}。`,
  linkSourceNotString: ({ input, value }) => `${input}：连接中的节点 id 必须是字符串（写作 "${plainText(value)}"），因为提示词的键是字符串。`,
  linkSlotInvalid: ({ input, value }) => `${input}：连接的输出序号必须是非负整数；实际为 ${showValue(value)}。`,
  linkToMissingNode: ({ input, sourceId }) => `${input} 连接到节点 "${sourceId}"，但提示词中没有该节点。`,
  linkSlotOutOfRange: ({ input, sourceId, classType, slot, count }) =>
    `${input} 连接到节点 ${sourceId}（${classType}）的输出 ${slot}，但该节点${count === 0 ? '没有输出' : `只有输出 0–${count - 1}`}。`,
  linkNotAccepted: ({ input }) => `${input} 是没有接口的控件；编辑器无法连接它。`,
  returnTypeMismatch: ({ input, received, expected, sourceId, slot }) => `${input} 需要 ${expected}，但节点 ${sourceId} 的输出 ${slot} 是 ${received}。`,
  dependencyCycle: ({ path }) => `连接形成了循环：${path.join(' -> ')}。`,
  dependencyCycleRecursion: ({ path, version }) =>
    `连接形成了循环：${path.join(' -> ')}。ComfyUI ${version} 没有循环检查：它的校验会一直递归到 Python 的递归上限，并以 RecursionError 拒绝该提示词。`,
  promptNoOutputs: () => `提示词中没有输出节点（例如 SaveImage 或 PreviewImage），服务器会拒绝它。`,
  unreachableNode: ({ id }) => `没有任何输出节点依赖节点 ${id}，服务器会跳过它。`,
  undeclaredInput: ({ input, classType }) => `${classType} 没有输入 "${input}"，服务器会忽略它。`,
  hiddenInput: ({ input, classType }) => `"${input}" 是 ${classType} 的隐藏输入，由服务器填写，此值会被忽略。`,
  duplicateNode: ({ id }) => `节点 id "${id}" 在后面再次出现，只有最后一个有效。`,
  duplicateInput: ({ input }) => `输入 "${input}" 在后面再次出现，只有最后一个有效。`,
  notWorkflow: () => `这不是 ComfyUI API 工作流（应为 {"<id>": {"class_type": ..., "inputs": {...}}} 或 /prompt 请求体）。`,
  uiWorkflow: () => `这是 UI 工作流（nodes 与 links），请先转换为 API 格式再校验。`,
  blockedByUnknownClass: ({ message }) => `${message}（服务器在未知节点类型处停止，暂不会检查此项。）`,
  tooLarge: ({ limit, kind }) =>
    kind === 'depth'
      ? `此文件的 JSON 嵌套超过 ${limit} 层，过深，无法校验。`
      : `此文件包含超过 ${limit} 个 JSON ${kind === 'values' ? '值' : '对象'}，过大，无法校验。`,
  invalidUtf8: ({ offset }) => `此文件不是有效的 UTF-8（第一个无效字节位于偏移 ${offset}），未校验。`,
  notChecked: ({ reason }) => `无法校验此文件：${reason}`,
  missingPack: ({ classType, packs }) =>
    `此服务器未安装 "${classType}"。` + (packs.length === 1 ? `它来自 ${packZh(packs[0]!)}。` : `它来自以下之一：${packs.map(packZh).join('；')}。`),
  missingModel: ({ name, directory, url }) => `此服务器的 ${modelsDir(directory)} 中没有 "${name}"。${url ? `下载：${url}` : ''}`,
  missingModelDidYouMean: ({ name, directory, suggestions }) =>
    `此服务器的 ${modelsDir(directory)} 中没有 "${name}"。您是否想用 ${suggestions.map((s) => `"${s}"`).join(' 或 ')}？`,
  dynamicSelectorUnresolved: ({ input, reason, value, values }) =>
    (reason === 'missing'
      ? `未设置 ${input}`
      : reason === 'wrapped'
        ? `${input} 被包在 {"__value__": …} 中`
        : reason === 'notString'
          ? `${input} 必须是选项名称字符串；实际为 ${showValue(value)}`
          : `${input}：${showValue(value)} 不是其选项之一（${previewListZh(values)}）`) + `。服务器会接受提示词而不检查该选项的输入，但节点运行时会失败。`,
  dynamicKeyIgnored: ({ input }) => `"${input}" 不是所选选项的输入（或超出允许的数量），服务器会忽略它。`,
  fileNotOnServer: ({ input, value }) => `${input}：服务器上没有文件 ${showValue(value)}，节点自身的文件检查会失败。`,
  optionsComboUnchecked: ({ input, value, values, version }) =>
    `${input} 应为 ${previewListZh(values)} 之一；实际为 ${showValue(value)}。ComfyUI ${version} 不检查此值，但较新的服务器会拒绝它。`,
  numberUnionString: ({ input, value }) => `${input} 必须是数字；服务器将字符串 ${showValue(value)} 与最小值或最大值比较时会出错。`,
  matchTypeNotAllowed: ({ input, received, allowed }) => `${input} 接受 ${allowed}，但连接传入的是 ${received}；服务器不检查此项，编辑器会拒绝。`,
  deprecatedNode: ({ classType, replacement }) => `${classType} 在此服务器上已弃用；请替换为 ${replacement}。`,
  replacementCrash: ({ id, classType, replacement }) =>
    `节点 ${id} 使用了 ${classType}，此服务器没有该节点，但登记了替代节点 ${replacement}；这会导致服务器出错（"Server got itself in trouble"）。请替换该节点。`,
  notValidatedBehindError: ({ id }) => `服务器暂不会检查节点 ${id}：使用它的节点有断开或类型不符的连接，校验在那里停止。`,
};

const CATALOGS: Record<Locale, Catalog> = { en, 'zh-cn': zhCn };

export function formatMessage<K extends MessageId>(locale: Locale, id: K, params: MessageParams[K]): string {
  const catalog = CATALOGS[locale] ?? en;
  return (catalog[id] as (p: MessageParams[K]) => string)(params);
}

/** Every message id (for tests that check both catalogs are complete). @internal */
export function messageIds(): MessageId[] {
  return Object.keys(en) as MessageId[];
}

/** String() for any parsed JSON value: objects from the fast parser have no prototype, and String() throws on them. */
export function plainText(v: unknown): string {
  return typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v);
}
