/**
 * How sure each table's reading is: `tables[i].quality = {status, problems}`, computed from the
 * table as output and the checks run on it. Pure: no I/O.
 *
 * Problems (spec: issue 10, "No silent garbling"):
 * - `unmapped_column`: a column read but mapped to no field (`col<N>`), with its header text;
 * - `row_without_key`: a row keyed `""` or only `#N` (a row whose name was not read);
 * - `column_numbers`: a 栏次/行次 column (or a row of column numbers) read as figures;
 * - `field_outside_contract`: a field id tables.md does not define, or `current_year` as the
 *   only whole amount (tables.md: 本年收入合计 is `total`);
 * - `field_repeated`: side-by-side blocks of a one-sided list all read as one field;
 * - `no_values`: a table that is not empty but where no figure could be read;
 * - `figures_lost`: figures printed in the table's body that no cell took (outside every
 *   column, in an amount column but not an amount, on a line dropped as a note), by kind;
 * - `check_skipped`: a check of this table that could not run (its reason in short).
 *
 * Status: `unreadable` when no figure could be read, `degraded` when a problem may hide a wrong
 * or missing figure (every problem above: a skipped check leaves the table's figures unverified),
 * else `ok`. Every problem is also a document warning naming its table.
 */
import type { CheckResult, Document, QualityProblem, Table, TableQuality, Warning } from './model.js';
import type { LostFigure } from './tables/read.js';

/** The core tables of each kind of document (tables.md; the ones `check` expects). */
export const CORE_TABLES: Record<'budget' | 'final_accounts', string[]> = {
  budget: ['budget_summary', 'income_summary', 'expenditure_summary', 'fiscal_summary', 'general_budget_expenditure', 'general_budget_basic', 'three_public'],
  final_accounts: ['final_summary', 'final_income', 'final_expenditure', 'final_fiscal_summary', 'final_general_budget_expenditure', 'final_general_budget_basic', 'final_three_public'],
};

/** Labels of the tables as the checks name them: the id, with #N from the second of an id on. */
export function tableLabels(tables: Pick<Table, 'id'>[]): string[] {
  const count = new Map<string, number>();
  return tables.map((t) => {
    const n = (count.get(t.id) ?? 0) + 1;
    count.set(t.id, n);
    return n === 1 ? t.id : `${t.id}#${n}`;
  });
}

/** The table a check belongs to: `RULE:<label>:…` (the checks of one table name it second). */
export function checkTable(c: Pick<CheckResult, 'id'>): string | null {
  const parts = c.id.split(':');
  return parts.length >= 3 ? parts[1]! : null;
}

/** A skipped check's reason, without the table label and the particulars (names, fields). */
export function skipReason(message: string): string {
  const m = message.replace(/^[a-z_]+(#\d+)?: /, '');
  if (/unmapped numeric columns/.test(m)) return 'unmapped numeric columns';
  if (/need not add up to the total/.test(m)) return 'a note says the list is partial';
  if (/rows without names or with numbered levels/.test(m)) return 'rows without names or with numbered levels';
  if (/unrecognised (income |expenditure )?rows/.test(m)) return m.replace(/ rows .*/, ' rows').replace(/^unrecognised/, 'unrecognised');
  if (/row not found/.test(m)) return m.replace(/^.*?(\S+ or \S+ row not found|row \S+ not found).*$/, '$1');
  if (/ absent$/.test(m)) return 'a table it needs is absent';
  return m;
}

/** Skip reasons that say nothing about the table itself (another table is missing). Every
 *  other skipped check leaves figures of the table unverified: the table is degraded. */
const BENIGN_SKIP = new Set(['a table it needs is absent']);

const COL_RE = /^col\d+$/;
const COLUMN_NO_NAME_RE = /^(栏次|行次|栏号|行号)$/;
const COLUMN_NO_HEADER_RE = /栏次|行次|行号/;

const firstPage = (t: Table): number | null => t.pages[0] ?? null;
const hasValues = (t: Table) => t.rows.some((r) => Object.keys(r.values).length > 0);
const what = (t: Table, label: string) => `${t.number ? `${t.number} ` : ''}${t.title} (${label})`;

/** A field whose figures are the line numbers 1, 2, 3 … of the rows: a 行次 column. */
function isLineNumberField(t: Table, field: string): boolean {
  const vals = t.rows.map((r) => r.values[field]).filter((x): x is string => x !== undefined);
  if (vals.length < 3 || !vals.every((x) => /^\d{1,3}$/.test(x))) return false;
  return vals.every((x, i) => Number(x) === Number(vals[0]) + i) && Number(vals[0]) <= 1;
}

/** A row of column numbers (`栏次 | 1 | 2 | 3`, or `** | 1 | 2 | 3`). */
function isColumnNumberRow(r: Table['rows'][number]): boolean {
  const name = r.name.replace(/\s+/g, '');
  const vals = Object.values(r.values);
  if (COLUMN_NO_NAME_RE.test(name)) return true;
  if (r.code || !/^[*＊·.\-—_]*$/.test(name) || vals.length < 2) return false;
  return vals.every((x) => /^\d{1,2}$/.test(x));
}

/** The field ids of the domain contract (tables.md: table fields and "More field ids"); a
 *  prior_/change_/carryover_/budget_ prefix makes another of them. */
const CONTRACT_FIELDS = new Set(
  ('abroad affiliated_remit affiliated_subsidy amount basic budget business_fund_offset business_income carryover carryover_next ' +
    'closing_balance current_year excl_capital_construction fiscal_total general_budget general_budget_special goods gov_fund meeting non_fiscal_surplus ' +
    'non_fiscal_surplus_used opening_balance surplus_distribution ' +
    'operating_expense operating_income other_income personnel prior_account_balance procurement procurement_small_micro procurement_sme ' +
    'project public_funds reception remit_superior services special_account special_account_other special_account_tuition state_capital ' +
    'superior_subsidy three_public total training unit_funds vehicle vehicle_operation vehicle_purchase works').split(' '),
);
export function isContractField(f: string): boolean {
  return CONTRACT_FIELDS.has(f) || CONTRACT_FIELDS.has(f.replace(/^(prior_|change_|carryover_|budget_)/, ''));
}

/** Fields read against the contract: ids it does not define, `current_year` standing for the
 *  whole amount (no total, no 结转 beside it: 本年收入合计 is `total`), and one field shared by
 *  the side-by-side blocks of a one-sided list (人员经费 | 公用经费 blocks not told apart). */
function fieldProblems(t: Table, w: string, page: number | null): QualityProblem[] {
  const out: QualityProblem[] = [];
  if (t.id === 'unknown') return out;
  const used = new Set(t.rows.flatMap((r) => Object.keys(r.values)));
  for (const f of used) {
    if (COL_RE.test(f) || isContractField(f)) continue;
    const header = t.columns.find((c) => c.field === f)?.header ?? '';
    out.push({ code: 'field_outside_contract', message: `${w}: field ${f}${header ? ` ("${header}")` : ''} is not a field of the contract`, page, field: f, header });
  }
  if (used.has('current_year') && !used.has('total') && !used.has('amount') && ![...used].some((f) => f.startsWith('carryover'))) {
    const header = t.columns.find((c) => c.field === 'current_year')?.header ?? '';
    out.push({ code: 'field_outside_contract', message: `${w}: current_year${header ? ` ("${header}")` : ''} is the only whole amount; the contract makes it total`, page, field: 'current_year', header });
  }
  const oneSided = t.rows.every((r) => !r.side);
  if (oneSided && t.rows.some((r) => (r.group ?? 0) > 0)) {
    const n = new Map<string, number>();
    for (const c of t.columns) n.set(c.field, (n.get(c.field) ?? 0) + 1);
    // 人员经费 | 公用经费 | 公用经费 (the central 决算 template) tells its blocks apart: only one
    // field for every block says nothing of what each holds
    const fields = [...n.keys()].filter((f) => !COL_RE.test(f));
    for (const [f, k] of n) {
      if (k > 1 && !COL_RE.test(f) && fields.length === 1) out.push({ code: 'field_repeated', message: `${w}: ${k} side-by-side blocks all read as ${f}; what each block holds is not told`, page, field: f });
    }
  }
  return out;
}

/** The problems of one table as read (checks apart). */
export function tableProblems(t: Table, label: string): QualityProblem[] {
  const out: QualityProblem[] = [];
  const page = firstPage(t);
  const w = what(t, label);
  if (!t.empty && !hasValues(t)) {
    out.push({ code: 'no_values', message: `${w}: no figure could be read`, page });
    return out;
  }
  if (t.empty) return out;
  const seen = new Set<string>();
  const columns = [...t.columns];
  for (const r of t.rows) for (const f of Object.keys(r.values)) if (!columns.some((c) => c.field === f)) columns.push({ field: f, header: '' });
  for (const c of columns) {
    if (seen.has(c.field)) continue;
    seen.add(c.field);
    const withValue = t.rows.find((r) => r.values[c.field] !== undefined);
    const p = withValue?.page ?? page;
    if (COLUMN_NO_HEADER_RE.test(c.header) || (COL_RE.test(c.field) && isLineNumberField(t, c.field))) {
      if (withValue) out.push({ code: 'column_numbers', message: `${w}: a 栏次/行次 column (${c.field}${c.header ? ` "${c.header}"` : ''}) read as figures`, page: p, field: c.field, header: c.header });
      continue;
    }
    if (COL_RE.test(c.field)) {
      out.push({
        code: 'unmapped_column',
        message: `${w}: column ${c.field}${c.header ? ` "${c.header}"` : ' (no header)'} is mapped to no field${withValue ? '' : ' (no figure in it)'}`,
        page: p, field: c.field, header: c.header,
      });
    }
  }
  out.push(...fieldProblems(t, w, page));
  for (const r of t.rows) {
    if (isColumnNumberRow(r)) {
      out.push({ code: 'column_numbers', message: `${w}: a row of column numbers (${r.name || r.key || 'no name'}) read as figures`, page: r.page, row: r.key });
    } else if (r.key === '' || /^#\d+$/.test(r.key)) {
      const n = Object.keys(r.values).length;
      out.push({ code: 'row_without_key', message: `${w}: a row without a name or code${r.key ? ` (keyed ${r.key})` : ''}, ${n} figure${n === 1 ? '' : 's'}`, page: r.page, row: r.key });
    }
  }
  return out;
}

function statusOf(t: Table, problems: QualityProblem[]): TableQuality['status'] {
  if (problems.some((p) => p.code === 'no_values')) return 'unreadable';
  const degrading = problems.some((p) => p.code !== 'check_skipped' || !BENIGN_SKIP.has(p.reason ?? ''));
  return degrading ? 'degraded' : 'ok';
}

/**
 * Each table with its quality, and the problems as document warnings (code `quality_<code>`,
 * with the table's label and the problem's page). `checks` undefined: none were run.
 */
const LOST_WHY: Record<LostFigure['reason'], string> = {
  outside_columns: 'outside every column',
  unreadable: 'in an amount column but not readable as an amount',
  row_dropped: 'on a line dropped as a note',
};

/** Figures the table's body printed that no cell took, one problem per kind (a few examples). */
function lostProblems(t: Table, label: string, lost: LostFigure[]): QualityProblem[] {
  const out: QualityProblem[] = [];
  for (const reason of Object.keys(LOST_WHY) as LostFigure['reason'][]) {
    const ls = lost.filter((l) => l.reason === reason);
    if (!ls.length) continue;
    const eg = ls.slice(0, 3).map((l) => `"${l.text}" (p${l.page})`).join(', ');
    out.push({ code: 'figures_lost', message: `${what(t, label)}: ${ls.length} figure${ls.length === 1 ? '' : 's'} ${LOST_WHY[reason]}: ${eg}${ls.length > 3 ? ', …' : ''}`, page: ls[0]!.page, reason: reason });
  }
  return out;
}

/** `lost`: per table, the figures its reading left out (src/tables, aligned with `tables`). */
export function assessTables(tables: Table[], checks: CheckResult[] | undefined, lost: LostFigure[][] = []): { tables: Table[]; warnings: Warning[] } {
  const labels = tableLabels(tables);
  const skippedBy = new Map<string, CheckResult[]>();
  for (const c of checks ?? []) {
    if (c.status !== 'skipped') continue;
    const label = checkTable(c);
    if (!label || !labels.includes(label)) continue;
    skippedBy.set(label, [...(skippedBy.get(label) ?? []), c]);
  }
  const warnings: Warning[] = [];
  const out = tables.map((t, i) => {
    const label = labels[i]!;
    const problems = [...tableProblems(t, label), ...lostProblems(t, label, lost[i] ?? [])];
    for (const c of skippedBy.get(label) ?? []) {
      const reason = skipReason(c.message);
      problems.push({ code: 'check_skipped', message: `${what(t, label)}: check ${c.id} skipped: ${c.message.replace(/^[a-z_]+(#\d+)?: /, '')}`, page: firstPage(t), check: c.id, reason });
    }
    for (const p of problems) warnings.push({ code: `quality_${p.code}`, message: p.message, page: p.page, table: label });
    return { ...t, quality: { status: statusOf(t, problems), problems } };
  });
  return { tables: out, warnings };
}

/** The codes of completenessWarnings: a document output without its tables (batch: ok_with_warnings). */
export const INCOMPLETE_CODES: readonly string[] = ['no_tables', 'no_core_tables'];

/** A document without any recognised table, or without the core tables of its kind, says so. */
export function completenessWarnings(tables: Table[], kind: Document['document']['kind']): Warning[] {
  const known = tables.filter((t) => t.id !== 'unknown');
  if (!known.length) {
    return [{ code: 'no_tables', message: tables.length ? `no table was recognised (${tables.length} unknown)` : 'no table was recognised', page: null }];
  }
  if (kind) {
    const core = CORE_TABLES[kind];
    if (!core.some((id) => known.some((t) => t.id === id))) {
      return [{ code: 'no_core_tables', message: `none of the core tables of a ${kind === 'budget' ? 'budget' : 'final-accounts'} disclosure was recognised (${core.join(', ')})`, page: null }];
    }
  }
  return [];
}
