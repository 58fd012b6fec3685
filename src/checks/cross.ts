/**
 * Cross-table identities (B7, B9, B12, B13, B15, B16, B21–B24, D6, D8, D10, D11, D13, D17),
 * written as data: which table, which row (by role or alias), which field, and how the terms
 * combine; a small interpreter resolves them and reports `skipped` when a table is absent.
 */
import type { CheckResult, Row } from '../model.js';
import type { Doc } from './doc.js';
import { carrySourceOf, expenditureSide, incomeSide, projectTotalRow, sourceOf, totalRow } from './doc.js';
import { type Severity, type Term, type TableView, compare, skipped } from './engine.js';
import { carryoverMode, roundingWidth } from './generic.js';
import { baseKey, isFunctionClassName, nameIs, normName } from './names.js';
import { expenditureFields, incomeField } from './summary.js';

/** Which row a selector reads. */
export type RowSel =
  | 'total' // the table's 合计 row (project tables: their department row)
  | 'incGrand' | 'incCurrent' | 'incCarryover' | 'expGrand' | 'expCurrent'
  | { src: string } // an income-source row of a two-sided table, by canonical fund id
  | { carry: string } // a fund row of the carryover breakdown (上年财政拨款结转 → 一般公共预算 …)
  | { names: string[] };

/** A figure: table, row, field ('INC'/'EXP' = the side's value column; a list = the first printed). */
export interface Sel {
  t: string;
  row: RowSel;
  f: string | string[];
  sign?: -1;
  /** dropped (counted as zero) when the table, row or field is absent */
  optional?: boolean;
}

export interface CrossRule {
  rule: string;
  where: string;
  sev: Severity;
  op?: 'eq' | 'ge';
  left: Sel[];
  /** right-hand sides; the first that holds is reported (else the preferred one) */
  right: Sel[][];
  /** premise: false → the rule does not apply here (no result) */
  when?: (doc: Doc) => boolean;
  /** index into `right` to prefer when none holds (default 0) */
  prefer?: (doc: Doc) => number;
}

const FUNDS = ['general_budget', 'gov_fund', 'state_capital', 'special_account', 'unit_funds', 'business_income', 'operating_income', 'superior_subsidy', 'affiliated_remit', 'other_income'];
const NON_FISCAL = ['special_account', 'unit_funds', 'business_income', 'operating_income', 'superior_subsidy', 'affiliated_remit', 'other_income'];
const T = ['total', 'actual', 'amount'];

/** Tables published empty when the department has no such money: their figures are zeros. */
export const OFTEN_EMPTY = [
  'gov_fund_income', 'gov_fund_expenditure', 'state_capital', 'project_expenditure_carryover', 'three_public',
  'final_gov_fund', 'final_state_capital', 'final_three_public', 'government_procurement', 'agency_operating',
];

const sel = (t: string, row: RowSel, f: string | string[], extra: Partial<Sel> = {}): Sel => ({ t, row, f, ...extra });

/** Y5 excludes 上年结转 (by its title, or when no general-budget carryover exists). */
function gbExcludesCarryover(doc: Doc): number {
  const y5 = doc.one('general_budget_expenditure');
  if (y5 && y5 !== 'ambiguous' && /不含上年结转|不含结转/.test(y5.t.title)) return 1;
  if (y5 && y5 !== 'ambiguous' && /含上年结转/.test(y5.t.title)) return 0;
  return 0;
}

/** Sum of a two-sided table's income rows for these funds is zero (or the rows are blank). */
function noIncome(doc: Doc, table: string, funds: string[]): boolean {
  const v = doc.one(table);
  if (!v || v === 'ambiguous') return false;
  const f = incomeField(v);
  if (!f) return false;
  const inc = incomeSide(v);
  return inc.sources.every((r) => {
    const s = sourceOf(r);
    if (!s || !funds.includes(s)) return true;
    const c = v.cell(r, f);
    return !c || c.value.isZero();
  });
}

function budgetCarryoverZero(doc: Doc): boolean {
  const v = doc.one('budget_summary');
  if (!v || v === 'ambiguous') return false;
  const inc = incomeSide(v);
  const f = incomeField(v);
  if (!f) return false;
  if (!inc.carryover) return !inc.grand || !inc.current ? false : (v.cell(inc.grand, f)?.value.eq(v.cell(inc.current, f)?.value ?? -1) ?? false);
  const c = v.cell(inc.carryover, f);
  return !c || c.value.isZero();
}

/**
 * Y1 prints no 上年结转 row while Y4 carries money over by fund: Y1's fund rows (一般公共预算资金 …)
 * are then each fund's total with its carryover (Chongqing's 部门收支总体情况表).
 */
function y1FundsIncludeCarryover(doc: Doc): boolean {
  const a = doc.one('budget_summary');
  const b = doc.one('fiscal_summary');
  if (!a || !b || a === 'ambiguous' || b === 'ambiguous' || a.empty || b.empty) return false;
  if (incomeSide(a).carryover) return false;
  const f = incomeField(b);
  const inc = incomeSide(b);
  if (!f || !inc.carryover || !inc.carryoverParts.length) return false;
  const c = b.cell(inc.carryover, f);
  return !!c && !c.value.isZero();
}

/** Y3 laid out by funding source, with a 上年结转 (or 上年实户资金余额) column. */
function y3ByFundWithCarryover(doc: Doc): boolean {
  const v = doc.one('expenditure_summary');
  if (!v || v === 'ambiguous') return false;
  return v.has('carryover') || v.has('prior_account_balance');
}

export const CROSS_RULES: CrossRule[] = [
  // ---- 部门预算 ----
  ...FUNDS.map((fund): CrossRule => ({
    rule: 'B7', where: fund, sev: 'E',
    left: [sel('income_summary', 'total', fund)],
    right: [[sel('budget_summary', { src: fund }, 'INC')]],
  })),
  {
    rule: 'B7', where: 'carryover', sev: 'E',
    left: [sel('income_summary', 'total', 'carryover')],
    right: [[sel('budget_summary', 'incCarryover', 'INC')]],
  },
  {
    rule: 'B7', where: 'total', sev: 'E',
    left: [sel('income_summary', 'total', 'total')],
    right: [[sel('budget_summary', 'incGrand', 'INC')], [sel('budget_summary', 'incCurrent', 'INC')]],
    prefer: (doc) => {
      const v = doc.one('income_summary');
      return v && v !== 'ambiguous' && (carryoverMode(v) === 'excl' || !v.has('carryover')) ? 1 : 0;
    },
  },
  {
    rule: 'B9', where: 'total', sev: 'E',
    left: [sel('expenditure_summary', 'total', 'total')],
    right: [[sel('budget_summary', 'expCurrent', 'EXP')]],
    when: (doc) => !y3ByFundWithCarryover(doc),
  },
  {
    // a 支出总表 by funding source with 上年结转 (上年实户资金余额) columns spends 收入总计
    rule: 'B9', where: 'total', sev: 'E',
    left: [sel('expenditure_summary', 'total', 'total')],
    right: [[sel('budget_summary', 'expCurrent', 'EXP')], [sel('budget_summary', 'incGrand', 'INC')]],
    when: y3ByFundWithCarryover,
  },
  ...['general_budget', 'gov_fund', 'state_capital'].flatMap((fund): CrossRule[] => [
    {
      rule: 'B12', where: fund, sev: 'E',
      left: [sel('fiscal_summary', { src: fund }, 'INC')],
      right: [[sel('budget_summary', { src: fund }, 'INC')]],
      when: (doc) => !y1FundsIncludeCarryover(doc),
    },
    {
      rule: 'B12', where: fund, sev: 'E',
      left: [sel('fiscal_summary', { src: fund }, 'INC'), sel('fiscal_summary', { carry: fund }, 'INC', { optional: true })],
      right: [[sel('budget_summary', { src: fund }, 'INC')]],
      when: y1FundsIncludeCarryover,
    },
  ]),
  {
    rule: 'B12', where: 'current', sev: 'E',
    left: [sel('fiscal_summary', 'incCurrent', 'INC')],
    right: [[sel('budget_summary', 'incCurrent', 'INC')]],
    when: (doc) => noIncome(doc, 'budget_summary', NON_FISCAL),
  },
  {
    rule: 'B13', where: 'general_budget', sev: 'E',
    left: [sel('fiscal_summary', 'expCurrent', 'general_budget')],
    right: [
      [sel('general_budget_expenditure', 'total', 'total')],
      [sel('general_budget_expenditure', 'total', 'total'), sel('fiscal_summary', { carry: 'general_budget' }, 'INC')],
    ],
    prefer: gbExcludesCarryover,
  },
  {
    rule: 'B13', where: 'gov_fund', sev: 'E',
    left: [sel('fiscal_summary', 'expCurrent', 'gov_fund')],
    right: [
      [sel('gov_fund_expenditure', 'total', 'total')],
      [sel('gov_fund_expenditure', 'total', 'total'), sel('fiscal_summary', { carry: 'gov_fund' }, 'INC')],
    ],
  },
  {
    rule: 'B13', where: 'state_capital', sev: 'E',
    left: [sel('fiscal_summary', 'expCurrent', 'state_capital')],
    right: [
      [sel('state_capital', 'total', 'total')],
      [sel('state_capital', 'total', 'total'), sel('fiscal_summary', { carry: 'state_capital' }, 'INC')],
    ],
  },
  {
    rule: 'B15', where: 'basic', sev: 'E',
    left: [sel('general_budget_expenditure', 'total', 'basic')],
    right: [
      [sel('general_budget_basic', 'total', 'total')],
      [sel('general_budget_basic', 'total', 'personnel'), sel('general_budget_basic', 'total', 'public_funds')],
    ],
  },
  {
    rule: 'B16', where: 'general_budget', sev: 'E',
    left: [sel('general_budget_expenditure', 'total', 'project')],
    right: [
      [sel('project_expenditure', 'total', 'general_budget')],
      [sel('project_expenditure', 'total', 'general_budget'), sel('project_expenditure_carryover', 'total', 'general_budget', { optional: true })],
    ],
    prefer: (doc) => 1 - gbExcludesCarryover(doc),
  },
  {
    rule: 'B16', where: 'total', sev: 'E',
    left: [sel('expenditure_summary', 'total', 'project')],
    right: [
      [sel('project_expenditure', 'total', 'total'), sel('project_expenditure_carryover', 'total', 'total', { optional: true })],
      // a 项目支出表 that also lists the 事业单位经营支出 the 支出总表 prints in its own column
      [
        sel('project_expenditure', 'total', 'total'), sel('project_expenditure_carryover', 'total', 'total', { optional: true }),
        sel('expenditure_summary', 'total', 'operating_expense', { sign: -1 }),
      ],
    ],
    when: (doc) => doc.has('project_expenditure_carryover') || budgetCarryoverZero(doc),
  },
  {
    rule: 'B20', where: 'gov_fund_income', sev: 'E',
    left: [sel('gov_fund_income', 'total', ['amount', 'total'])],
    right: [[sel('budget_summary', { src: 'gov_fund' }, 'INC')]],
  },
  ...['basic', 'project'].map((f): CrossRule => ({
    rule: 'B21', where: f, sev: 'W', op: 'ge',
    left: [sel('expenditure_summary', 'total', f)],
    right: [[sel('general_budget_expenditure', 'total', f)]],
  })),
  {
    rule: 'B22', where: 'general_budget', sev: 'W',
    left: [sel('general_budget_expenditure', 'total', 'total')],
    right: [
      [sel('budget_summary', { src: 'general_budget' }, 'INC')],
      [sel('budget_summary', { src: 'general_budget' }, 'INC'), sel('fiscal_summary', { carry: 'general_budget' }, 'INC')],
    ],
    prefer: (doc) => 1 - gbExcludesCarryover(doc),
  },
  {
    rule: 'B24', where: 'agency_operating', sev: 'W',
    left: [sel('agency_operating', 'total', 'total')],
    right: [[sel('general_budget_basic', 'total', 'public_funds')]],
  },
  // ---- 部门决算 ----
  {
    rule: 'D6', where: 'total', sev: 'E',
    left: [sel('final_income', 'total', T)],
    right: [[sel('final_summary', 'incCurrent', 'INC')]],
  },
  {
    rule: 'D6', where: 'fiscal_appropriation', sev: 'E',
    left: [sel('final_income', 'total', ['fiscal_appropriation', 'fiscal_total'])],
    right: [
      [
        sel('final_summary', { src: 'general_budget' }, 'INC'),
        sel('final_summary', { src: 'gov_fund' }, 'INC', { optional: true }),
        sel('final_summary', { src: 'state_capital' }, 'INC', { optional: true }),
      ],
      [sel('final_summary', { src: 'fiscal_total' }, 'INC')],
    ],
  },
  ...['superior_subsidy', 'business_income', 'operating_income', 'affiliated_remit', 'other_income'].map((f): CrossRule => ({
    rule: 'D6', where: f, sev: 'E',
    left: [sel('final_income', 'total', f)],
    right: [[sel('final_summary', { src: f }, 'INC')]],
  })),
  {
    rule: 'D8', where: 'total', sev: 'E',
    left: [sel('final_expenditure', 'total', T)],
    right: [[sel('final_summary', 'expCurrent', 'EXP')]],
  },
  ...['general_budget', 'gov_fund', 'state_capital'].map((fund): CrossRule => ({
    rule: 'D10', where: fund, sev: 'E',
    left: [sel('final_fiscal_summary', { src: fund }, 'INC')],
    right: [[sel('final_summary', { src: fund }, 'INC')]],
  })),
  {
    rule: 'D10', where: 'current', sev: 'E',
    left: [sel('final_fiscal_summary', 'incCurrent', 'INC')],
    right: [[sel('final_income', 'total', ['fiscal_appropriation', 'fiscal_total'])]],
  },
  {
    rule: 'D11', where: 'general_budget', sev: 'E',
    left: [sel('final_fiscal_summary', 'expCurrent', 'general_budget')],
    right: [[sel('final_general_budget_expenditure', 'total', T)]],
  },
  ...(['gov_fund', 'state_capital'] as const).map((fund): CrossRule => ({
    rule: 'D11', where: fund, sev: 'E',
    left: [sel('final_fiscal_summary', 'expCurrent', fund)],
    right: [[sel(fund === 'gov_fund' ? 'final_gov_fund' : 'final_state_capital', 'total', T)]],
  })),
  {
    rule: 'D13', where: 'basic', sev: 'E',
    left: [sel('final_general_budget_expenditure', 'total', 'basic')],
    right: [
      [sel('final_general_budget_basic', 'total', T)],
      [sel('final_general_budget_basic', 'total', 'personnel'), sel('final_general_budget_basic', 'total', 'public_funds')],
      // printed in blocks side by side: the closing lines of the 人员经费 and 公用经费 blocks
      [
        sel('final_general_budget_basic', { names: ['人员经费合计', '人员经费'] }, ['personnel', ...T]),
        sel('final_general_budget_basic', { names: ['公用经费合计', '公用经费'] }, ['public_funds', ...T]),
      ],
    ],
  },
  ...['basic', 'project'].map((f): CrossRule => ({
    rule: 'D17', where: f, sev: 'W', op: 'ge',
    left: [sel('final_expenditure', 'total', f)],
    right: [[sel('final_general_budget_expenditure', 'total', f)]],
  })),
];

// ---- interpreter ---------------------------------------------------------------------------------

type Resolved = { term: Term } | { drop: true } | { skip: string; absent?: boolean };

export function findRow(doc: Doc, v: TableView, row: RowSel): Row | null {
  if (row === 'total') {
    if (v.id === 'project_expenditure' || v.id === 'project_expenditure_carryover') return projectTotalRow(v, doc.unitNames());
    return totalRow(v);
  }
  if (row === 'incGrand') return incomeSide(v).grand;
  if (row === 'incCurrent') return incomeSide(v).current;
  if (row === 'incCarryover') return incomeSide(v).carryover;
  if (row === 'expGrand') return expenditureSide(v).grand;
  if (row === 'expCurrent') return expenditureSide(v).current;
  if ('src' in row) {
    const inc = incomeSide(v);
    return inc.sources.find((r) => sourceOf(r) === row.src) ?? null;
  }
  if ('carry' in row) {
    const inc = incomeSide(v);
    return inc.carryoverParts.find((r) => carrySourceOf(r) === row.carry) ?? null;
  }
  return v.rows.find((r) => nameIs(r.name, row.names) || nameIs(baseKey(r.key), row.names)) ?? null;
}

function resolve(doc: Doc, s: Sel): Resolved {
  const v = doc.one(s.t);
  if (!v) return s.optional ? { drop: true } : { skip: `${s.t} absent`, absent: true };
  if (v === 'ambiguous') return { skip: `several ${s.t} tables` };
  let fields: string[];
  if (s.f === 'INC') fields = [incomeField(v) ?? 'amount'];
  else if (s.f === 'EXP') fields = [expenditureFields(v)[0] ?? 'total'];
  else fields = Array.isArray(s.f) ? s.f : [s.f];
  const sign = s.sign ?? 1;
  if (v.empty) {
    // tables often published empty (注：本表无数据) stand for zeros; an empty core table is a misread
    if (OFTEN_EMPTY.includes(v.id)) return { term: v.emptyTerm(fields[0]!, sign) };
    return s.optional ? { drop: true } : { skip: `${s.t} has no rows` };
  }
  const r = findRow(doc, v, s.row);
  if (!r) return s.optional ? { drop: true } : { skip: `${s.t}: row ${rowSelLabel(s.row)} not found` };
  const f = fields.find((x) => v.has(x));
  if (!f) return s.optional ? { drop: true } : { skip: `${s.t}: no ${fields.join('/')} column` };
  const t = v.cell(r, f, sign);
  if (t) t.width = roundingWidth(v, r, f);
  return t ? { term: t } : { skip: `${s.t}: no ${f}` };
}

function rowSelLabel(r: RowSel): string {
  if (typeof r === 'string') return r;
  if ('src' in r) return r.src;
  if ('carry' in r) return `carryover ${r.carry}`;
  return r.names[0] ?? '?';
}

function resolveAll(doc: Doc, sels: Sel[]): { terms: Term[] } | { skip: string; absent?: boolean } {
  const terms: Term[] = [];
  for (const s of sels) {
    const r = resolve(doc, s);
    if ('skip' in r) return r;
    if ('term' in r) terms.push(r.term);
  }
  return { terms };
}

export function runCrossRules(doc: Doc, rules: CrossRule[] = CROSS_RULES): CheckResult[] {
  const out: CheckResult[] = [];
  const budgetRule = (r: string) => r.startsWith('B');
  for (const rule of rules) {
    if (doc.kind === 'final_accounts' && budgetRule(rule.rule)) continue;
    if (doc.kind === 'budget' && rule.rule.startsWith('D')) continue;
    if (doc.kind === null) continue;
    const id = `${rule.rule}:${rule.where}`;
    if (rule.when && !rule.when(doc)) continue;
    const left = resolveAll(doc, rule.left);
    if ('skip' in left) {
      if (left.absent) out.push(skipped(rule.rule, id, left.skip));
      continue;
    }
    const results: CheckResult[] = [];
    let skipReason: { skip: string; absent?: boolean } | null = null;
    for (const right of rule.right) {
      const r = resolveAll(doc, right);
      if ('skip' in r) {
        skipReason ??= r;
        results.push(null as unknown as CheckResult);
        continue;
      }
      const c = compare(left.terms, r.terms, { rule: rule.rule, id, severity: rule.sev, op: rule.op, defaultUnit: doc.defaultUnit });
      results.push(c as CheckResult);
    }
    const ok = results.find((r) => r && r.status !== 'fail' && r.status !== 'warning');
    if (ok) {
      out.push(ok);
      continue;
    }
    const pref = rule.prefer ? rule.prefer(doc) : 0;
    const chosen = results[pref] ?? results.find((r) => r);
    if (chosen) out.push(chosen);
    else if (skipReason?.absent) out.push(skipped(rule.rule, id, skipReason.skip));
  }
  out.push(...classRowRules(doc));
  return out;
}

// ---- 类 rows across tables -------------------------------------------------------------------------

/** Function-class rows of a table: 3-digit 2xx codes, or class names on a two-sided expenditure side. */
function classRows(v: TableView): Row[] {
  const twoSided = v.rows.some((r) => r.side);
  const rows = twoSided ? v.rows.filter((r) => r.side === 'expenditure') : v.rows;
  const coded = rows.filter((r) => r.code && /^2\d\d$/.test(r.code));
  if (coded.length) return coded;
  const seen = new Set<string>();
  return rows.filter((r) => {
    if (r.code || !isFunctionClassName(r.name) || seen.has(normName(r.name))) return false;
    seen.add(normName(r.name));
    return true;
  });
}

function matchClass(a: Row, rows: Row[]): Row | null {
  if (a.code) {
    const byCode = rows.filter((r) => r.code === a.code);
    if (byCode.length === 1) return byCode[0]!;
  }
  const n = normName(a.name);
  const byName = rows.filter((r) => normName(r.name) === n);
  return byName.length === 1 ? byName[0]! : null;
}

interface ClassRule {
  rule: string;
  sev: Severity;
  left: string;
  lf: string | 'EXP';
  right: string;
  rf: string | 'EXP';
  when?: (doc: Doc) => boolean;
}

const CLASS_RULES: ClassRule[] = [
  { rule: 'B9', sev: 'E', left: 'expenditure_summary', lf: 'total', right: 'budget_summary', rf: 'EXP' },
  {
    rule: 'B12', sev: 'E', left: 'fiscal_summary', lf: 'total', right: 'budget_summary', rf: 'EXP',
    when: (doc) => noIncome(doc, 'budget_summary', NON_FISCAL) && carryoverAllFiscal(doc),
  },
  {
    rule: 'B13', sev: 'E', left: 'general_budget_expenditure', lf: 'total', right: 'fiscal_summary', rf: 'general_budget',
    when: (doc) => noIncome(doc, 'fiscal_summary', []) && fiscalCarryZero(doc, 'general_budget'),
  },
  {
    rule: 'B23', sev: 'W', left: 'income_summary', lf: 'total', right: 'expenditure_summary', rf: 'total',
    when: (doc) => {
      const v = doc.one('income_summary');
      if (!v || v === 'ambiguous') return false;
      return carryoverMode(v) === 'incl' || ((!v.has('carryover') || v.rows.every((r) => !v.cell(r, 'carryover') || v.cell(r, 'carryover')!.value.isZero())) && budgetCarryoverZero(doc));
    },
  },
  { rule: 'D8', sev: 'E', left: 'final_expenditure', lf: 'total', right: 'final_summary', rf: 'EXP' },
];

function fiscalCarryZero(doc: Doc, fund: string): boolean {
  const v = doc.one('fiscal_summary');
  if (!v || v === 'ambiguous') return false;
  const f = incomeField(v);
  if (!f) return false;
  const inc = incomeSide(v);
  const rows = inc.carryoverParts.filter((r) => carrySourceOf(r) === fund);
  if (inc.carryover && !rows.length) {
    const c = v.cell(inc.carryover, f);
    return !c || c.value.isZero();
  }
  return rows.every((r) => {
    const c = v.cell(r, f);
    return !c || c.value.isZero();
  });
}

/** Y1 上年结转 = Y4 上年财政拨款结转 (all carried-over money is fiscal). */
function carryoverAllFiscal(doc: Doc): boolean {
  const a = doc.one('budget_summary');
  const b = doc.one('fiscal_summary');
  if (!a || !b || a === 'ambiguous' || b === 'ambiguous') return false;
  const fa = incomeField(a);
  const fb = incomeField(b);
  if (!fa || !fb) return false;
  const ca = incomeSide(a).carryover;
  const cb = incomeSide(b).carryover;
  const va = ca ? a.cell(ca, fa)?.value : null;
  const vb = cb ? b.cell(cb, fb)?.value : null;
  if (!va && !vb) return budgetCarryoverZero(doc);
  return !!va && !!vb && va.eq(vb);
}

function classRowRules(doc: Doc): CheckResult[] {
  const out: CheckResult[] = [];
  for (const cr of CLASS_RULES) {
    if (doc.kind === 'final_accounts' && cr.rule.startsWith('B')) continue;
    if (doc.kind === 'budget' && cr.rule.startsWith('D')) continue;
    const a = doc.one(cr.left);
    const b = doc.one(cr.right);
    if (!a || !b || a === 'ambiguous' || b === 'ambiguous' || a.empty || b.empty) continue;
    if (cr.when && !cr.when(doc)) continue;
    const lf = cr.lf === 'EXP' ? expenditureFields(a)[0] : cr.lf;
    const rf = cr.rf === 'EXP' ? expenditureFields(b)[0] : cr.rf;
    if (!lf || !rf || !a.has(lf) || !b.has(rf)) continue;
    const rrows = classRows(b);
    for (const ra of classRows(a)) {
      const rb = matchClass(ra, rrows);
      if (!rb) continue;
      const l = a.cell(ra, lf);
      const r = b.cell(rb, rf);
      if (!l || !r) continue;
      l.width = roundingWidth(a, ra, lf);
      r.width = roundingWidth(b, rb, rf);
      const c = compare([l], [r], { rule: cr.rule, id: `${cr.rule}:${cr.left}:${ra.code ?? normName(ra.name)}`, severity: cr.sev, defaultUnit: doc.defaultUnit });
      if (c) out.push(c);
    }
  }
  return out;
}
