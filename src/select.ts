/** `--table`: keep one table of a document (every table with that id or printed number), and
 *  the checks that take part of it. Pure: no I/O. */
import type { CheckResult, Document, Table } from './model.js';
import { summarize } from './checks/index.js';
import { compact } from './pdf/normalize.js';
import { checkTable, tableLabels } from './quality.js';

/** Whether a table is the one a `--table` names: its id, or its printed number, as printed or
 *  by its figures (表3 and 3 match 预算公开表3 and 公开03表; 3-1 matches 表3-1, 3 does not). */
export function tableMatches(t: Pick<Table, 'id' | 'number'>, selector: string): boolean {
  if (t.id === selector) return true;
  if (!t.number) return false;
  const n = compact(t.number);
  if (n === compact(selector)) return true;
  const figures = numberFigures(selector);
  return figures !== '' && /^[表第号\d\-－一二三四五六七八九十]+$/.test(compact(selector)) && figures === numberFigures(n);
}

/** The figures of a table number, without leading zeros, Chinese numerals read as figures:
 *  公开03表 → 3, 表十一 → 11, 表3-1 → 3-1. */
function numberFigures(s: string): string {
  return (s.match(/\d+|[一二三四五六七八九十]+/g) ?? []).map((p) => (/\d/.test(p) ? Number(p) : chineseNumeral(p))).join('-');
}

const CN_DIGITS = '一二三四五六七八九';

/** 一 … 九十九. */
function chineseNumeral(s: string): number {
  const [tens, units] = s.includes('十') ? s.split('十') : ['', s];
  const digit = (c: string | undefined) => CN_DIGITS.indexOf(c ?? '') + 1;
  return (s.includes('十') ? Math.max(1, digit(tens)) * 10 : 0) + digit(units);
}

/** The document with only the selected tables, their checks and their warnings (a table
 *  absent is said in a warning, `table_absent`). */
export function selectTable(doc: Document, selector: string): Document {
  const labels = tableLabels(doc.tables);
  const keep = doc.tables.map((t) => tableMatches(t, selector));
  const kept = new Set(labels.filter((_, i) => keep[i]));
  const tables = doc.tables.filter((_, i) => keep[i]);
  const warnings = doc.warnings.filter((w) => w.table === undefined || kept.has(w.table));
  if (!tables.length) {
    const found = doc.tables.map((t) => t.number ? `${t.id} (${t.number})` : t.id);
    warnings.push({ code: 'table_absent', message: `no table ${selector} was found${found.length ? `; found: ${found.join(', ')}` : ''}`, page: null });
  }
  const out: Document = { ...doc, tables, warnings };
  if (doc.checks) {
    const checks = doc.checks.filter((c) => takesPart(c, kept));
    out.checks = checks;
    out.summary = summarize(checks);
  }
  return out;
}

/** A check takes part of a table when it is that table's or one of its terms comes from it. */
function takesPart(c: CheckResult, labels: Set<string>): boolean {
  const own = checkTable(c);
  return (own !== null && labels.has(own)) || [...c.refs.left, ...c.refs.right].some((r) => labels.has(r.table));
}
