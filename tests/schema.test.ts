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
    expect(field.map((f: { pattern?: string }) => f.pattern).filter(Boolean)).toEqual(expect.arrayContaining(['^col\\d+$']));
  });
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
