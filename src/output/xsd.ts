/** The XML Schema (XSD 1.0) of the XML output (schemas/budget-extract.xsd), generated from the
 *  zod model by the same mapping as src/output/xml.ts: an object is an element with its
 *  non-nullable scalars as attributes and everything else as child elements (a nullable scalar
 *  is a `nillable` element); an array is a container of its items; a record a container of
 *  `<value field>` / `<entry key>`. Table ids and field ids are enumerations (field ids also
 *  as qualified ids and col<N> patterns), from src/tables/definitions.ts like the JSON Schema.
 *  A string XML can't hold verbatim may stand as an element marked `enc="json"` (xml.ts), so
 *  every scalar property is also allowed as an element. */
import { Document } from '../model.js';
import { FIELD_IDS, FIELD_PATTERNS } from '../tables/definitions.js';
import { isNullable, itemName, recordNames, resolve, XML_ROOT, type Shape, type ZodLike } from './xml.js';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');

function enumeration(values: string[]): string {
  return `<xs:restriction base="xs:string">${values.map((v) => `<xs:enumeration value="${esc(v)}"/>`).join('')}</xs:restriction>`;
}

/** Named simple types (enumerations), emitted at the top of the schema. */
const named = new Map<string, string>();
function namedType(body: string): string {
  for (const [n, b] of named) if (b === body) return n;
  const n = `enum${named.size + 1}`;
  named.set(n, body);
  return n;
}

/** The simple type of a scalar: a built-in or a named enumeration. */
function simpleType(sh: Shape): string {
  const def = sh.def;
  if (sh.kind === 'number') return 'xs:decimal';
  if (sh.kind === 'boolean') return 'xs:boolean';
  if (sh.kind === 'literal') return namedType(enumeration((def.values as unknown[]).map(String)));
  if (def.type === 'enum') return namedType(enumeration(Object.values(def.entries as Record<string, string>)));
  if (def.type === 'union') return fieldIdType();
  return 'xs:string';
}

/** A field id: one of tables.md's, qualified, or col<N>. */
function fieldIdType(): string {
  const ids = namedType(enumeration(FIELD_IDS));
  if (!named.has('fieldPattern')) named.set('fieldPattern', `<xs:restriction base="xs:string">${FIELD_PATTERNS.map((p) => `<xs:pattern value="${p}"/>`).join('')}</xs:restriction>`);
  if (!named.has('fieldId')) named.set('fieldId', `<xs:union memberTypes="${ids} fieldPattern"/>`);
  return 'fieldId';
}

function attribute(name: string, sh: Shape): string {
  return `<xs:attribute name="${name}" type="${simpleType(sh)}"/>`;
}

/** A scalar as an element: its text (`enc="json"`: a JSON literal, for a string XML can't hold verbatim). */
function scalarElement(name: string, nillable: boolean, sh: Shape, occurs = ' minOccurs="0"'): string {
  // A JSON literal is only ever a plain string's form (xml.ts): typed content otherwise.
  const base = simpleType(sh);
  return (
    `<xs:element name="${name}"${occurs}${nillable ? ' nillable="true"' : ''}><xs:complexType><xs:simpleContent>` +
    `<xs:extension base="${base}"><xs:attribute name="enc" type="xs:string"/></xs:extension></xs:simpleContent></xs:complexType></xs:element>`
  );
}

/** The element for a property or item of shape `sh`. */
function element(name: string, sh: Shape, nillable: boolean, occurs = ' minOccurs="0"'): string {
  const nil = nillable ? ' nillable="true"' : '';
  if (sh.kind === 'object') return `<xs:element name="${name}"${occurs}${nil}>${objectType(sh)}</xs:element>`;
  if (sh.kind === 'array') {
    const child = itemName(name);
    const item = resolve(sh.def.element);
    const inner = isScalar(sh.def.element) ? scalarElement(child, false, item, ' minOccurs="0" maxOccurs="unbounded"') : element(child, item, false, ' minOccurs="0" maxOccurs="unbounded"');
    return `<xs:element name="${name}"${occurs}${nil}><xs:complexType><xs:sequence>${inner}</xs:sequence></xs:complexType></xs:element>`;
  }
  if (sh.kind === 'record') {
    const { child, keyAttr } = recordNames(name);
    const value = resolve(sh.def.valueType);
    const key = `<xs:attribute name="${keyAttr}" type="${keyAttr === 'field' ? fieldIdType() : 'xs:string'}"/>`;
    const entry =
      `<xs:element name="${child}" minOccurs="0" maxOccurs="unbounded"><xs:complexType><xs:simpleContent><xs:extension base="${simpleType(value)}">` +
      `${key}<xs:attribute name="${keyAttr}-json" type="xs:string"/><xs:attribute name="enc" type="xs:string"/></xs:extension></xs:simpleContent></xs:complexType></xs:element>`;
    return `<xs:element name="${name}"${occurs}${nil}><xs:complexType><xs:sequence>${entry}</xs:sequence></xs:complexType></xs:element>`;
  }
  if (sh.kind === 'other') return `<xs:element name="${name}"${occurs} type="xs:anyType"/>`;
  return scalarElement(name, nillable, sh, occurs);
}

function isScalar(schema: ZodLike): boolean {
  return ['string', 'number', 'boolean', 'literal'].includes(resolve(schema).kind);
}

function objectType(sh: Shape): string {
  const shape = sh.def.shape as Record<string, ZodLike>;
  const children: string[] = [];
  const attrs: string[] = [];
  for (const [key, prop] of Object.entries(shape)) {
    const p = resolve(prop);
    const nullable = isNullable(prop);
    if (isScalar(prop) && !nullable) attrs.push(attribute(key, p));
    children.push(element(key, p, nullable));
  }
  return `<xs:complexType><xs:all>${children.join('')}</xs:all>${attrs.join('')}</xs:complexType>`;
}

/** The XSD text, indented one element per line. */
export function renderXsd(): string {
  named.clear();
  const root = element(XML_ROOT, resolve(Document as unknown as ZodLike), false, '');
  const types = [...named].map(([n, b]) => `<xs:simpleType name="${n}">${b}</xs:simpleType>`).join('');
  const body =
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    '<!-- The XML output of budget-extract. Generated from src/model.ts by `npm run schema` (src/output/xsd.ts); do not edit. -->\n' +
    `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">${types}${root}</xs:schema>`;
  return indent(body) + '\n';
}

/** One tag per line, two spaces per level. */
function indent(xml: string): string {
  const parts = xml.split(/(?=<)/).filter((p) => p.trim());
  let depth = 0;
  return parts
    .map((p) => {
      if (p.startsWith('</')) depth--;
      const line = '  '.repeat(Math.max(depth, 0)) + p.trim();
      if (p.startsWith('<xs:') && !p.trimEnd().endsWith('/>')) depth++;
      return line;
    })
    .join('\n');
}
