/**
 * Budget ↔ outturn across two documents: a department's 部门预算 and its 部门决算 of the same
 * year. Pure: two extracted documents in, one comparison out.
 *
 *  - D18 (background.md §4.5): every 预算数 the 决算 prints (the “三公” table's, and any other
 *    table's `budget` column) = the budget disclosure's figure for the same row; each mismatch is
 *    a `fail` naming both documents' tables, rows and pages (the catalogue marks D18 W because it
 *    needs a second document; here that document was given, so a mismatch is an error).
 *  - A side-by-side of every table/row/field both print: the budget's figure, the 决算's own
 *    预算数 where printed, the 决算数, 决算数 − 预算数 and the execution rate 决算数 / 预算数.
 *
 * Tables are paired as data (PAIRS); rows by 功能/经济分类 code, income source, summary role or
 * 三公 category, never by position.
 */
import type { CheckResult, Comparison, Document, Row, SideBySide, Table } from '../model.js';
import { ExtractError } from '../errors.js';
import { Doc, expenditureSide, incomeSide, sourceOf, totalRow } from '../checks/doc.js';
import { type Term, type TableView, compare } from '../checks/engine.js';
import { type Decimal, convert, fmt } from '../checks/decimal.js';
import { summarize, type Summary } from '../checks/index.js';
import { THREE_PUBLIC_ROWS, baseKey, isTotalName, nameIs, normName } from '../checks/names.js';
import { expenditureFields, incomeField } from '../checks/summary.js';

/** Two documents that are not a budget and a 决算 of one department and year (exit code not_a_pair). */
const notAPair = (message: string) => new ExtractError('not_a_pair', message);

export type { Comparison, SideBySide };
export type DocumentId = Comparison['budget'];

type RowsBy = 'code' | 'summary' | 'three';

interface Pair {
  final: string;
  budget: string;
  rows: RowsBy;
  /** [决算 field, budget field]; 'AMOUNT' = the first of total/personnel/public_funds the row prints */
  fields: [string, string][];
}

const SPLIT: [string, string][] = [
  ['total', 'total'],
  ['basic', 'basic'],
  ['project', 'project'],
];

/** Which 决算 table reports on which budget table (tables.md "Final accounts"). */
const PAIRS: Pair[] = [
  { final: 'final_summary', budget: 'budget_summary', rows: 'summary', fields: [['SIDE', 'SIDE']] },
  { final: 'final_fiscal_summary', budget: 'fiscal_summary', rows: 'summary', fields: [['SIDE', 'SIDE']] },
  { final: 'final_expenditure', budget: 'expenditure_summary', rows: 'code', fields: SPLIT },
  { final: 'final_general_budget_expenditure', budget: 'general_budget_expenditure', rows: 'code', fields: SPLIT },
  { final: 'final_general_budget_basic', budget: 'general_budget_basic', rows: 'code', fields: [['AMOUNT', 'AMOUNT']] },
  { final: 'final_gov_fund', budget: 'gov_fund_expenditure', rows: 'code', fields: [['total', 'total']] },
  { final: 'final_three_public', budget: 'three_public', rows: 'three', fields: [['total', 'total']] },
];

const AMOUNT = ['total', 'amount', 'personnel', 'public_funds'];
const THREE_COLUMNS: Record<string, string> = {
  total: 'three_public', abroad: 'abroad', vehicle: 'vehicle', vehicle_purchase: 'vehicle_purchase', vehicle_operation: 'vehicle_operation', reception: 'reception',
};

function identity(d: Document): DocumentId {
  return { file: d.source.file, department: d.document.department ?? null, fiscalYear: d.document.fiscalYear ?? null };
}

const sameDepartment = (a: string | null, b: string | null) => !!a && !!b && normName(a) === normName(b);

/** Refuses anything but a budget and a 决算 of one department and year (in either order). */
export function orderPair(a: Document, b: Document): [Document, Document] {
  const [budget, final] = a.document.kind === 'final_accounts' && b.document.kind === 'budget' ? [b, a] : [a, b];
  const name = (d: Document) => `${d.source.file} (${d.document.department ?? '?'} ${d.document.fiscalYear ?? '?'} ${d.document.kind ?? 'unknown kind'})`;
  if (budget.document.kind !== 'budget' || final.document.kind !== 'final_accounts') {
    throw notAPair(`needs one 部门预算 and one 部门决算: ${name(a)} and ${name(b)}`);
  }
  if (!sameDepartment(budget.document.department, final.document.department)) {
    throw notAPair(`not the same department: ${name(budget)} and ${name(final)}`);
  }
  if (budget.document.fiscalYear === null || budget.document.fiscalYear !== final.document.fiscalYear) {
    throw notAPair(`not the same year: ${name(budget)} and ${name(final)}`);
  }
  return [budget, final];
}

export function compareDocuments(a: Document, b: Document): Comparison {
  const [budget, final] = orderPair(a, b);
  const bd = new Doc(budget.tables as Table[]);
  const fd = new Doc(final.tables as Table[]);
  const checks: CheckResult[] = [];
  const rows: SideBySide[] = [];
  for (const pair of PAIRS) {
    const fv = fd.one(pair.final);
    const bv = bd.one(pair.budget);
    if (!fv || !bv || fv === 'ambiguous' || bv === 'ambiguous') continue;
    for (const [key, fr, br] of matchRows(fv, bv, pair.rows)) {
      for (const [ff, bf] of pair.fields) {
        const line = sideBySide(pair, key, fv, fr, bv, br, ff, bf);
        if (!line) continue;
        rows.push(line.row);
        if (line.check) checks.push(line.check);
      }
    }
  }
  return { budget: identity(budget), final: identity(final), checks, summary: summarize(checks), rows };
}

type Place = { row: Row; col?: string };

/** The rows both tables print: [identity, 决算 row, budget row]. A coded row matches by code,
 *  else by a name printed once in each table (a budget 基本支出表 by name, its 决算 by code). */
function matchRows(fv: TableView, bv: TableView, by: RowsBy): [string, Place, Place][] {
  const b = keyedRows(bv, by);
  const out: [string, Place, Place][] = [];
  const named = by === 'code' ? uniqueNames(bv) : new Map<string, Row>();
  const fNamed = by === 'code' ? uniqueNames(fv) : new Map<string, Row>();
  for (const [key, fr] of keyedRows(fv, by)) {
    const br = b.get(key) ?? (fNamed.get(normName(fr.row.name)) === fr.row ? named.get(normName(fr.row.name)) : undefined);
    if (br) out.push([key, fr, 'row' in br ? br : { row: br }]);
  }
  return out;
}

function uniqueNames(v: TableView): Map<string, Row> {
  const count = new Map<string, number>();
  for (const r of v.rows) count.set(normName(r.name), (count.get(normName(r.name)) ?? 0) + 1);
  return new Map(v.rows.filter((r) => count.get(normName(r.name)) === 1).map((r) => [normName(r.name), r]));
}

/** A row's place in a table: its identity → row (the first wins). */
function keyedRows(v: TableView, by: RowsBy): Map<string, Place> {
  const out = new Map<string, Place>();
  const put = (k: string | null, row: Row | null, col?: string) => {
    if (k && row && !out.has(k)) out.set(k, col ? { row, col } : { row });
  };
  if (by === 'three') {
    // a 三公 table keyed by unit prints the categories as columns of its 合计 row
    const t = totalRow(v);
    if (t && (v.has('three_public') || v.has('abroad'))) {
      for (const [k, col] of Object.entries(THREE_COLUMNS)) if (v.has(col)) put(k, t, col);
      return out;
    }
    put('total', t);
    for (const [k, names] of Object.entries(THREE_PUBLIC_ROWS)) put(k, v.rows.find((r) => nameIs(r.name, names) || nameIs(baseKey(r.key), names)) ?? null);
    return out;
  }
  if (by === 'summary') {
    const inc = incomeSide(v);
    const exp = expenditureSide(v);
    put('income:grand', inc.grand);
    put('income:current', inc.current);
    put('income:carryover', inc.carryover);
    for (const r of inc.sources) put(`income:${sourceOf(r) ?? normName(r.name)}`, r);
    put('expenditure:grand', exp.grand);
    put('expenditure:current', exp.current);
    for (const r of exp.items) put(`expenditure:${r.code ?? normName(r.name)}`, r);
    return out;
  }
  for (const r of v.rows) put(r.code ?? (isTotalName(r.name) ? 'total' : normName(r.name)), r);
  return out;
}

function fieldOf(v: TableView, r: Row, f: string, key: string): string | null {
  if (f === 'SIDE') return key.startsWith('income:') ? incomeField(v) : (expenditureFields(v)[0] ?? null);
  if (f === 'AMOUNT') return AMOUNT.find((x) => r.values?.[x] !== undefined) ?? null;
  return v.has(f) ? f : null;
}

function sideBySide(
  pair: Pair, key: string, fv: TableView, fr: { row: Row; col?: string }, bv: TableView, br: { row: Row; col?: string }, ff0: string, bf0: string,
): { row: SideBySide; check: CheckResult | null } | null {
  const ff = fr.col ?? fieldOf(fv, fr.row, ff0, key);
  const bf = br.col ?? fieldOf(bv, br.row, bf0, key);
  if (!ff || !bf) return null;
  const b = bv.cell(br.row, bf);
  const f = fv.cell(fr.row, ff);
  const fb = fv.has('budget') && !fr.col ? fv.cell(fr.row, 'budget') : null;
  if (!b || (!f && !fb) || (!b.printed && !f?.printed && !fb?.printed)) return null;
  label(b, '预算', bv);
  if (f) label(f, '决算', fv);
  if (fb) label(fb, '决算', fv);
  const unit = fv.t.unit ?? b.unit;
  const inUnit = (t: Term | null) => (t ? (unit && t.unit && t.unit !== unit ? convert(t.value, t.unit, unit) : t.value) : null);
  const plan = inUnit(fb) ?? inUnit(b);
  const actual = inUnit(f);
  const row: SideBySide = {
    table: pair.final,
    budgetTable: pair.budget,
    row: key,
    name: fr.row.name,
    field: ff,
    unit: unit ?? null,
    budget: text(inUnit(b)),
    finalBudget: text(inUnit(fb)),
    final: text(actual),
    difference: actual && plan ? text(actual.minus(plan)) : null,
    rate: actual && plan && !plan.isZero() ? actual.div(plan).times(100).toFixed(2) : null,
    budgetPage: b.ref.page ?? null,
    finalPage: (f ?? fb)!.ref.page ?? null,
  };
  const check = fb ? compare([fb], [b], { rule: 'D18', id: `D18:${pair.final}:${key}.${ff}`, severity: 'E' }) : null;
  return { row, check };
}

/** Messages and refs say which document a figure is from. */
function label(t: Term, doc: '预算' | '决算', v: TableView): void {
  t.label = `${doc} ${t.label.startsWith(v.id) ? t.label : `${v.id} ${t.label}`}`;
}

function text(d: Decimal | null): string | null {
  return d ? fmt(d) : null;
}
