/**
 * XML serialisation of the output document, and its inverse.
 *
 * The mapping is driven by the zod model, so fields added to src/model.ts are carried without
 * changes here, and `parseXml(toXml(doc))` deep-equals `doc`:
 *
 * - an object is an element; its scalar properties (strings, numbers, booleans, enums) that
 *   can't be null are attributes, e.g. `<row key="204" name="公共安全支出" page="7">`;
 * - a scalar property that can be null is always a child element, `<code>204</code>` or, null,
 *   `<code xsi:nil="true"/>` (so null and not-null sit in the same place; XSD `nillable`); an
 *   absent optional property is absent;
 * - an array is a container element holding one element per item, named by the singular:
 *   `<tables><table>…</table></tables>`, `<pages><page>7</page></pages>` (`<item>` when no
 *   singular is known); an empty array is an empty container `<rows/>`;
 * - a record (string → value) is a container of `<value field="total">123.45</value>` (for
 *   `values`) or `<entry key="…">…</entry>`;
 * - a string that cannot be an attribute as is (longer than 200 characters) is a child element
 *   with the string as text; one that XML 1.0 cannot carry verbatim (control characters,
 *   leading/trailing white space, U+FFFE/U+FFFF) is a child element `enc="json"` holding the
 *   string as a JSON literal; anything the mapping does not know is JSON in the same way.
 *
 * Types (number vs string) come from the schema on the way back, never from the text.
 */
import { XMLBuilder, XMLParser } from 'fast-xml-parser';
import { Document } from '../model.js';
import type { SerializeOptions } from './json.js';

export const XML_ROOT = 'budgetExtract';
const XSI = 'http://www.w3.org/2001/XMLSchema-instance';
const A = '@_';
const NIL = `${A}xsi:nil`;
const ENC = `${A}enc`;
const MAX_ATTR = 200;

const SINGULAR: Record<string, string> = {
  tables: 'table',
  rows: 'row',
  columns: 'column',
  pages: 'page',
  warnings: 'warning',
  checks: 'check',
  left: 'ref',
  right: 'ref',
  indicators: 'indicator',
  performanceTargets: 'performanceTarget',
  problems: 'problem',
};
export function itemName(container: string): string {
  return SINGULAR[container] ?? 'item';
}
/** Records: child element name and the attribute carrying the key. */
export function recordNames(container: string): { child: string; keyAttr: string } {
  return container === 'values' ? { child: 'value', keyAttr: 'field' } : { child: 'entry', keyAttr: 'key' };
}

// ---------------------------------------------------------------------------------------------
// Schema introspection (zod 4 definitions).

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Def = any;
export interface ZodLike {
  _zod: { def: Def };
}
export type Kind = 'string' | 'number' | 'boolean' | 'literal' | 'object' | 'array' | 'record' | 'other';
export interface Shape {
  kind: Kind;
  def: Def;
}

export function resolve(schema: ZodLike): Shape {
  let s = schema;
  for (let guard = 0; guard < 50; guard++) {
    const def = s._zod.def;
    switch (def.type) {
      case 'optional':
      case 'nullable':
      case 'default':
      case 'prefault':
      case 'readonly':
      case 'catch':
      case 'nonoptional':
        s = def.innerType;
        continue;
      case 'pipe':
        s = def.out;
        continue;
      case 'lazy':
        s = def.getter();
        continue;
      case 'string':
      case 'enum':
      case 'template_literal':
        return { kind: 'string', def };
      case 'number':
        return { kind: 'number', def };
      case 'boolean':
        return { kind: 'boolean', def };
      case 'literal': {
        const vals = def.values as unknown[];
        return vals.every((v) => ['string', 'number', 'boolean'].includes(typeof v)) ? { kind: 'literal', def } : { kind: 'other', def };
      }
      case 'union': {
        // A union of strings (a field id: an enum or a pattern) is a string.
        const kinds = (def.options as ZodLike[]).map((o) => resolve(o).kind);
        return kinds.every((k) => k === 'string') ? { kind: 'string', def } : { kind: 'other', def };
      }
      case 'object':
        return { kind: 'object', def };
      case 'array':
        return { kind: 'array', def };
      case 'record':
        return { kind: 'record', def };
      default:
        return { kind: 'other', def };
    }
  }
  return { kind: 'other', def: s._zod.def };
}

/** Whether a property's schema admits null (its scalar is then an element, nil or not). */
export function isNullable(schema: ZodLike): boolean {
  let s = schema;
  for (let guard = 0; guard < 50; guard++) {
    const def = s._zod.def;
    if (def.type === 'nullable') return true;
    if (!['optional', 'default', 'prefault', 'readonly', 'catch'].includes(def.type)) return false;
    s = def.innerType;
  }
  return false;
}

const isScalarKind = (k: Kind) => k === 'string' || k === 'number' || k === 'boolean' || k === 'literal';

// ---------------------------------------------------------------------------------------------
// Encoding.

type XNode = Record<string, unknown>;

/** XML 1.0 can carry the string verbatim, and no parser will trim or normalise it. */
function isPlain(s: string): boolean {
  // eslint-disable-next-line no-control-regex
  return !/[\u0000-\u001f\ufffe\uffff]|\p{Cs}/u.test(s) && s === s.trim();
}
function jsonText(v: unknown): string {
  return JSON.stringify(v).replace(/[\ufffe\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
}
function jsonElement(v: unknown): XNode {
  return { [ENC]: 'json', '#text': jsonText(v) };
}
function scalarText(v: unknown): string {
  return typeof v === 'string' ? v : String(v);
}

function encodeObject(def: Def, value: Record<string, unknown>): XNode | string {
  const node: XNode = {};
  const shape = def.shape as Record<string, ZodLike>;
  for (const [key, prop] of Object.entries(shape)) {
    const v = value[key];
    if (v === undefined) continue;
    if (v === null) {
      node[key] = { [NIL]: 'true' };
      continue;
    }
    const sh = resolve(prop);
    if (isScalarKind(sh.kind) && ['string', 'number', 'boolean'].includes(typeof v)) {
      const text = scalarText(v);
      if (isPlain(text) && text.length <= MAX_ATTR && !isNullable(prop)) node[A + key] = text;
      else node[key] = isPlain(text) ? text : jsonElement(v);
      continue;
    }
    node[key] = encodeElement(sh, v, key);
  }
  return Object.keys(node).length ? node : '';
}

/** The content of an element holding `v` (an array item, a record entry or an object property). */
function encodeElement(sh: Shape, v: unknown, name: string): XNode | string {
  if (v === null) return { [NIL]: 'true' };
  if (isScalarKind(sh.kind) && ['string', 'number', 'boolean'].includes(typeof v)) {
    const text = scalarText(v);
    return isPlain(text) ? text : jsonElement(v);
  }
  if (sh.kind === 'object' && typeof v === 'object' && !Array.isArray(v)) {
    return encodeObject(sh.def, v as Record<string, unknown>);
  }
  if (sh.kind === 'array' && Array.isArray(v)) {
    if (v.length === 0) return '';
    const child = itemName(name);
    const elem = resolve(sh.def.element);
    return { [child]: v.map((item) => encodeElement(elem, item, child)) };
  }
  if (sh.kind === 'record' && typeof v === 'object' && !Array.isArray(v)) {
    const entries = Object.entries(v as Record<string, unknown>);
    if (entries.length === 0) return '';
    const { child, keyAttr } = recordNames(name);
    const valShape = resolve(sh.def.valueType);
    return {
      [child]: entries.map(([k, item]) => {
        const content = encodeElement(valShape, item, child);
        const keyPart = isPlain(k) ? { [A + keyAttr]: k } : { [`${A}${keyAttr}-json`]: jsonText(k) };
        return typeof content === 'string' ? { ...keyPart, '#text': content } : { ...keyPart, ...content };
      }),
    };
  }
  return jsonElement(v);
}

/** Serialise a document as XML (UTF-8, with declaration). */
export function toXml(doc: Document, opts: SerializeOptions = {}): string {
  const pretty = opts.pretty !== false;
  const body = encodeObject((Document as unknown as ZodLike)._zod.def, doc as unknown as Record<string, unknown>);
  const root = { [`${A}xmlns:xsi`]: XSI, ...(typeof body === 'string' ? {} : body) };
  const builder = new XMLBuilder({
    ignoreAttributes: false,
    attributeNamePrefix: A,
    textNodeName: '#text',
    format: pretty,
    indentBy: '  ',
    suppressEmptyNode: true,
    suppressBooleanAttributes: false,
    processEntities: true,
  });
  const xml = builder.build({ '?xml': { [`${A}version`]: '1.0', [`${A}encoding`]: 'UTF-8' }, [XML_ROOT]: root }) as string;
  const out = xml.trim();
  return pretty ? out + '\n' : out.replace(/\?>\s*</, '?><') + '\n';
}

// ---------------------------------------------------------------------------------------------
// Decoding.

function isNil(el: unknown): boolean {
  return typeof el === 'object' && el !== null && (el as XNode)[NIL] === 'true';
}
function textOf(el: unknown): string {
  if (typeof el === 'string') return el;
  if (typeof el === 'object' && el !== null) {
    const t = (el as XNode)['#text'];
    return t === undefined ? '' : String(t);
  }
  return String(el ?? '');
}

function decodeScalar(sh: Shape, text: string): unknown {
  switch (sh.kind) {
    case 'number': {
      const n = Number(text);
      return text.trim() === '' || Number.isNaN(n) ? text : n;
    }
    case 'boolean':
      return text === 'true' ? true : text === 'false' ? false : text;
    case 'literal': {
      const hit = (sh.def.values as unknown[]).find((v) => String(v) === text);
      return hit === undefined ? text : hit;
    }
    default:
      return text;
  }
}

function decodeObject(def: Def, node: unknown): Record<string, unknown> {
  const n: XNode = typeof node === 'object' && node !== null ? (node as XNode) : {};
  const out: Record<string, unknown> = {};
  const shape = def.shape as Record<string, ZodLike>;
  for (const [key, prop] of Object.entries(shape)) {
    const sh = resolve(prop);
    const attr = n[A + key];
    if (attr !== undefined) {
      out[key] = decodeScalar(sh, String(attr));
      continue;
    }
    let el = n[key];
    if (el === undefined) continue;
    if (Array.isArray(el)) {
      if (el.length !== 1) throw new XmlFormatError(`<${key}> appears ${el.length} times`);
      el = el[0];
    }
    out[key] = decodeElement(sh, el, key);
  }
  return out;
}

function decodeElement(sh: Shape, el: unknown, name: string): unknown {
  if (isNil(el)) return null;
  if (typeof el === 'object' && el !== null && (el as XNode)[ENC] === 'json') {
    try {
      return JSON.parse(textOf(el));
    } catch {
      throw new XmlFormatError(`<${name} enc="json"> does not hold JSON`);
    }
  }
  if (isScalarKind(sh.kind)) return decodeScalar(sh, textOf(el));
  if (sh.kind === 'object') return decodeObject(sh.def, el);
  const n: XNode = typeof el === 'object' && el !== null ? (el as XNode) : {};
  if (sh.kind === 'array') {
    const child = itemName(name);
    const elem = resolve(sh.def.element);
    const items = n[child];
    if (items === undefined) return [];
    return (Array.isArray(items) ? items : [items]).map((item) => decodeElement(elem, item, child));
  }
  if (sh.kind === 'record') {
    const { child, keyAttr } = recordNames(name);
    const valShape = resolve(sh.def.valueType);
    const items = n[child];
    const out: Record<string, unknown> = {};
    if (items === undefined) return out;
    for (const item of Array.isArray(items) ? items : [items]) {
      const it: XNode = typeof item === 'object' && item !== null ? (item as XNode) : { '#text': item };
      const rawKey = it[A + keyAttr];
      const jsonKey = it[`${A}${keyAttr}-json`];
      const key = rawKey !== undefined ? String(rawKey) : jsonKey !== undefined ? (JSON.parse(String(jsonKey)) as string) : null;
      if (key === null) throw new XmlFormatError(`<${child}> without ${keyAttr}=`);
      const { [A + keyAttr]: _a, [`${A}${keyAttr}-json`]: _b, ...rest } = it;
      out[key] = decodeElement(valShape, rest, child);
    }
    return out;
  }
  throw new XmlFormatError(`<${name}> must hold JSON (enc="json")`);
}

export class XmlFormatError extends Error {
  override name = 'XmlFormatError';
}

/** Parse budget-extract XML back into the document (validated by the zod model). */
export function parseXml(xml: string): Document {
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: A,
    textNodeName: '#text',
    parseTagValue: false,
    parseAttributeValue: false,
    processEntities: true,
    htmlEntities: false,
    trimValues: true,
    allowBooleanAttributes: false,
    ignoreDeclaration: true,
    ignorePiTags: true,
  });
  const parsed = parser.parse(xml) as XNode;
  const root = parsed[XML_ROOT];
  if (root === undefined) throw new XmlFormatError(`not budget-extract XML: no <${XML_ROOT}> root element`);
  if (Array.isArray(root)) throw new XmlFormatError(`more than one <${XML_ROOT}> element`);
  const data = decodeObject((Document as unknown as ZodLike)._zod.def, root);
  return Document.parse(data);
}
