import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Document } from '../src/model.js';
import { renderCompareJsonSchema, renderJsonSchema } from '../src/output/schema.js';
import { renderXsd } from '../src/output/xsd.js';
import { toXml } from '../src/output/xml.js';
import { xsdValidator } from './helpers/xsd.js';
import { sampleDocument } from './helpers/sample.js';

describe('schemas/budget-extract.schema.json', () => {
  it('is up to date with src/model.ts (run `npm run schema` when this fails)', () => {
    const committed = readFileSync(new URL('../schemas/budget-extract.schema.json', import.meta.url), 'utf8');
    expect(committed).toBe(renderJsonSchema());
  });

  it('schemas/compare.schema.json is up to date with src/model.ts too', () => {
    const committed = readFileSync(new URL('../schemas/compare.schema.json', import.meta.url), 'utf8');
    expect(committed).toBe(renderCompareJsonSchema());
  });

  it('describes the output document', () => {
    const schema = JSON.parse(renderJsonSchema()) as { required: string[]; properties: Record<string, unknown> };
    expect(schema.required).toEqual(expect.arrayContaining(['schemaVersion', 'source', 'document', 'tables', 'warnings']));
    expect(Object.keys(schema.properties)).toEqual(Object.keys(Document.shape));
  });
});

describe('schemas/budget-extract.xsd', () => {
  it('is up to date with src/model.ts (run `npm run schema` when this fails)', () => {
    const committed = readFileSync(new URL('../schemas/budget-extract.xsd', import.meta.url), 'utf8');
    expect(committed).toBe(renderXsd());
  });

  it('validates the XML output, and rejects a table id or a field id outside the contract', async () => {
    const validate = await xsdValidator();
    if (!validate) {
      console.warn('XSD validation skipped: xmllint-wasm is not installed (npm install)');
      return;
    }
    const xml = toXml(sampleDocument());
    expect(await validate(xml)).toEqual([]);
    const badId = xml.replace('id="income_summary"', 'id="income_summery"');
    expect((await validate(badId)).join('\n')).toMatch(/income_summery/);
    const badField = xml.replace('<value field="general_budget">', '<value field="一般公共预算">');
    expect((await validate(badField)).join('\n')).toMatch(/fieldId/);
    // A null code is an element; as an attribute it is not the schema's.
    const attr = xml.replace(/<row key="204" name=/, '<row key="204" code="204" name=');
    expect((await validate(attr)).join('\n')).toMatch(/attribute 'code'/);
  }, 60_000);
});

describe('JSON Schema enums', () => {
  it('lists the table ids and field ids of the contract (and the col<N> and qualified patterns)', () => {
    const text = renderJsonSchema();
    const schema = JSON.parse(text);
    const table = schema.properties.tables.items.properties;
    expect(table.id.enum).toEqual(expect.arrayContaining(['budget_summary', 'three_public', 'final_summary', 'unknown']));
    const field = table.columns.items.properties.field.anyOf;
    expect(field[0].enum).toEqual(expect.arrayContaining(['total', 'amount', 'general_budget', 'carryover_general_budget', 'three_public']));
    const patterns = field.map((f: { pattern?: string }) => f.pattern).filter(Boolean).map((p: string) => new RegExp(p));
    for (const id of ['col12', 'prior_total', 'budget_general_budget', 'abroad_budget', 'three_public_prior_total']) expect(patterns.some((p: RegExp) => p.test(id)), id).toBe(true);
    for (const id of ['col', 'prior_', 'abroad_bogus']) expect(patterns.some((p: RegExp) => p.test(id)), id).toBe(false);
  });
});

describe('one field vocabulary for the mapper and the schemas', () => {
  // fields.ts names a 三公 category column by its fund or period after the category
  // (abroad_budget); the schemas once knew only prefix qualifiers, and a fuzzed 决算
  // (fixtures/fuzz/three-public-qualifier-after-category.pdf) ended in [internal].
  const reviewed = JSON.parse(readFileSync(new URL('../fixtures/header-paths.json', import.meta.url), 'utf8')) as Array<{ fields: Array<string | null> }>;
  const ids = [...new Set(reviewed.flatMap((l) => l.fields).filter((f): f is string => !!f))].sort();

  it('every field id of the reviewed header layouts is valid in the zod model', () => {
    expect(ids).toEqual(expect.arrayContaining(['abroad_budget', 'three_public_current_year', 'carryover_basic', 'col4']));
    const doc = sampleDocument();
    doc.tables[0]!.columns = ids.map((field) => ({ field, header: field }));
    doc.tables[0]!.rows[0]!.values = Object.fromEntries(ids.map((f) => [f, '1.00']));
    expect(Document.safeParse(doc).error?.issues ?? []).toEqual([]);
    for (const bad of ['budget', 'abroad_', 'abroad_bogus', 'bogus_abroad', 'total_abroad', 'col']) {
      const d = sampleDocument();
      d.tables[0]!.columns[0]!.field = bad === 'budget' ? 'budget_' : bad;
      expect(Document.safeParse(d).success, bad).toBe(false);
    }
  });

  it('… and in the XSD', async () => {
    const validate = await xsdValidator();
    if (!validate) {
      console.warn('XSD validation skipped: xmllint-wasm is not installed (npm install)');
      return;
    }
    const doc = sampleDocument();
    doc.tables[0]!.rows[0]!.values = Object.fromEntries(ids.map((f) => [f, '1.00']));
    expect(await validate(toXml(doc))).toEqual([]);
    doc.tables[0]!.rows[0]!.values = { abroad_bogus: '1.00' };
    expect((await validate(toXml(doc))).join('\n')).toMatch(/abroad_bogus/);
  }, 60_000);
});

describe('zod Document model', () => {
  it('accepts a realistic document', () => {
    const r = Document.safeParse(sampleDocument());
    expect(r.error?.issues ?? []).toEqual([]);
  });

  it('rejects floats and separators in amounts, unknown units, a missing field', () => {
    const bad = (mutate: (d: ReturnType<typeof sampleDocument>) => void) => {
      const d = sampleDocument();
      mutate(d);
      return Document.safeParse(d).success;
    };
    expect(bad((d) => void (d.tables[0]!.rows[0]!.values.amount = '1,234.00'))).toBe(false);
    expect(bad((d) => void ((d.tables[0]!.rows[0]!.values as Record<string, unknown>).amount = 9115.55))).toBe(false);
    expect(bad((d) => void ((d.tables[0] as Record<string, unknown>).unit = '亿元'))).toBe(false);
    expect(bad((d) => void delete (d as Partial<typeof d>).warnings)).toBe(false);
  });
});
