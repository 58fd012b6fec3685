/** A realistic output document: the tables of the bundled seed fixture's ground truth
 *  (fixtures/huairen-gaj-2025.truth.json) in the output model's shape, plus checks and warnings. */
import { readFileSync } from 'node:fs';
import type { Document } from '../../src/model.js';

interface TruthRow {
  key: string;
  code: string | null;
  name: string;
  side: 'income' | 'expenditure' | null;
  values: Record<string, string>;
  gov_name?: string | null;
}
interface TruthTable {
  id: string;
  number: string | null;
  title: string;
  unit: '元' | '万元';
  pages: number[];
  empty: boolean;
  rows: TruthRow[];
}
interface Truth {
  file: string;
  document: { department: string; fiscalYear: number; kind: 'budget' | 'final_accounts' };
  tables: TruthTable[];
}

export const FIXTURES = new URL('../../fixtures/', import.meta.url);

export function loadTruth(name = 'huairen-gaj-2025'): Truth {
  return JSON.parse(readFileSync(new URL(`${name}.truth.json`, FIXTURES), 'utf8')) as Truth;
}

export function sampleDocument(): Document {
  const truth = loadTruth();
  return {
    schemaVersion: 1,
    source: { file: truth.file, sha256: 'a'.repeat(64), pages: 44, producer: 'LibreOffice 7.4' },
    document: { title: '2025年度部门预算公开', department: truth.document.department, fiscalYear: truth.document.fiscalYear, kind: truth.document.kind },
    tables: truth.tables.map((t) => {
      const fields = [...new Set(t.rows.flatMap((r) => Object.keys(r.values)))];
      return {
        id: t.id,
        number: t.number,
        title: t.title,
        department: truth.document.department,
        unit: t.unit,
        pages: t.pages,
        empty: t.empty,
        columns: fields.map((f) => ({ field: f, header: f === 'total' ? '合计' : f })),
        rows: t.rows.map((r) => ({
          key: r.key,
          code: r.code,
          name: r.name,
          level: r.code && /^\d+$/.test(r.code) ? (r.code.length <= 3 ? 1 : r.code.length <= 5 ? 2 : 3) : null,
          side: r.side,
          ...(r.gov_name !== undefined ? { gov_name: r.gov_name } : {}),
          page: t.pages[0] ?? 1,
          values: r.values,
        })),
      };
    }),
    checks: [
      {
        id: 'B7:general_budget',
        rule: 'B7',
        status: 'rounding',
        message: '一般公共预算支出表 合计 = 支出总表 一般公共预算 (0.01 rounding gap)',
        left: '9115.55',
        right: '9115.56',
        difference: '-0.01',
        tolerance: '0.015',
        unit: '万元',
        refs: {
          left: [{ table: 'general_budget_expenditure', row: '合计', field: 'total', page: 11 }],
          right: [{ table: 'expenditure_summary', row: null, field: null, page: null }],
        },
      },
    ],
    summary: { pass: 0, rounding: 1, fail: 0, warning: 0, skipped: 0 },
    warnings: [{ code: 'pdf', message: 'page 3: font without ToUnicode', page: 3 }],
  };
}
