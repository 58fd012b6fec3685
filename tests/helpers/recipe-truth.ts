/** The answers of the README recipes (scripts/recipes.mjs) read off a ground-truth file
 *  (`*.truth.json`: tables keyed by what is printed), to compare with the recipes run over
 *  budget-extract's long format. */
import { codeForName } from '../../src/catalogue/index.js';
import { csvRows, parseCsv, CSV_COLUMNS } from '../../src/output/csv.js';
import type { Document } from '../../src/model.js';

export interface TruthRow {
  key: string;
  side?: string | null;
  values?: Record<string, string>;
}
export interface TruthTable {
  id: string;
  rows: TruthRow[];
}

/** A decimal as compared: no trailing zeros (`0.00` = `0`). */
export function canon(v: string | null | undefined): string | null {
  if (v === null || v === undefined || v === '') return null;
  const [i = '', f = ''] = v.replace(/^(-?)0+(?=\d)/, '$1').split('.');
  const frac = f.replace(/0+$/, '');
  const out = frac ? `${i}.${frac}` : i;
  return out === '-0' ? '0' : out;
}

/** 公共安全支出 of the truth's 收支总表 (its first): the expenditure line whose printed name or
 *  code means 类 204; undefined when no such line, null when printed blank. */
export function truthPublicSecurity(tables: TruthTable[]): string | null | undefined {
  const t = tables.find((x) => (x.id === 'budget_summary' || x.id === 'final_summary') && x.rows.some(isPublicSecurity));
  if (!t) return undefined;
  return canon(t.rows.find(isPublicSecurity)!.values?.total);
}
function isPublicSecurity(r: TruthRow): boolean {
  return r.side === 'expenditure' && (r.key === '204' || codeForName('function', r.key) === '204');
}

export function truthThreePublic(tables: TruthTable[]): string | null | undefined {
  const t = tables.find((x) => x.id === 'three_public' || x.id === 'final_three_public');
  const r = t?.rows.find((x) => x.key === '合计');
  if (!r) return undefined;
  return canon(r.values?.three_public ?? r.values?.total);
}

export function truthBasicProject(tables: TruthTable[]): { basic: string | null; project: string | null } | undefined {
  const t = tables.find((x) => x.id === 'expenditure_summary' || x.id === 'final_expenditure');
  const r = t?.rows.find((x) => x.key === '合计' || x.key === '总计');
  if (!r) return undefined;
  return { basic: canon(r.values?.basic), project: canon(r.values?.project) };
}

/** The long-format records of a document as a CSV reader sees them (strings; empty → null). */
export function csvRecords(doc: Document): Array<Record<string, string | null>> {
  return parseCsv(csvRows(doc)).map((r) => Object.fromEntries(CSV_COLUMNS.map((c, i) => [c, r[i] === '' ? null : r[i]!])));
}
