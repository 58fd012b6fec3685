import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Document } from '../src/model.js';
import { renderCompareJsonSchema, renderJsonSchema } from '../src/output/schema.js';
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
