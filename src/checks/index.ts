/**
 * The cross-check engine: every identity of spec/tables.md §Identities and background.md §4.5
 * that applies to the tables present.
 *
 *   runChecks(tables, { narrative, performanceTargets }) → CheckResult[]
 *   summarize(checks) → { pass, rounding, fail, warning, skipped }
 *
 * Rule families: two-sided summaries (summary.ts: B1–B5, B10, B11, D1–D4, D9), row rules and
 * hierarchies (generic.ts: B6, B8, B11, B14, B17, B19, B20, D5, D7, D12, D14–D16, H, R),
 * cross-table identities (cross.ts: B7, B9, B12, B13, B15, B16, B20–B24, D6, D8, D10, D11, D13,
 * D17), the narrative and performance targets (narrative.ts: N, P1, P2), plus B18/D14 (W).
 */
import type { CheckResult, Row, Table } from '../model.js';
import { runCrossRules } from './cross.js';
import { Doc, totalRow } from './doc.js';
import { type Term, type TableView, compare, skipped } from './engine.js';
import { TABLE_RULE, intraTable } from './generic.js';
import { isEconomicClassName, isTotalName, normName } from './names.js';
import { type Narrative, type PerformanceTarget, narrativeChecks, performanceChecks } from './narrative.js';
import { summaryChecks } from './summary.js';

export type { Narrative, PerformanceTarget } from './narrative.js';

export interface CheckContext {
  narrative?: Narrative | null;
  performanceTargets?: PerformanceTarget[] | null;
}

export type Summary = { pass: number; rounding: number; fail: number; warning: number; skipped: number };

/** Tables whose own identities a budget / final-accounts document is expected to let us check. */
const EXPECTED: Record<'budget' | 'final_accounts', string[]> = {
  budget: ['budget_summary', 'income_summary', 'expenditure_summary', 'fiscal_summary', 'general_budget_expenditure', 'general_budget_basic', 'three_public'],
  final_accounts: ['final_summary', 'final_income', 'final_expenditure', 'final_fiscal_summary', 'final_general_budget_expenditure', 'final_general_budget_basic', 'final_three_public'],
};
const SUMMARY_RULE: Record<string, string> = { budget_summary: 'B1', fiscal_summary: 'B10', final_summary: 'D1', final_fiscal_summary: 'D9' };

export function runChecks(tables: Table[], ctx: CheckContext = {}): CheckResult[] {
  const doc = new Doc(tables);
  const out: CheckResult[] = [];
  const push = (r: CheckResult | null) => {
    if (r) out.push(r);
  };
  if (doc.kind) {
    for (const id of EXPECTED[doc.kind]) {
      if (!doc.has(id)) {
        const rule = TABLE_RULE[id] ?? SUMMARY_RULE[id] ?? 'H';
        out.push(skipped(rule, `${rule}:${id}`, `${id} absent`));
      }
    }
  }
  out.push(...summaryChecks(doc));
  for (const v of doc.views) intraTable(doc, v, push, out);
  out.push(...runCrossRules(doc));
  out.push(...economicSplit(doc));
  out.push(...narrativeChecks(doc, ctx.narrative));
  if (ctx.performanceTargets?.length || ctx.narrative) out.push(...performanceChecks(doc, ctx.performanceTargets, ctx.narrative));
  return dedupeIds(out);
}

/** B18 / D14 (W): 人员经费 = 301 + 303, 公用经费 = 302 + 310 (+ 307/309/399); not for 50x tables. */
function economicSplit(doc: Doc): CheckResult[] {
  const out: CheckResult[] = [];
  for (const id of ['general_budget_basic', 'final_general_budget_basic']) {
    const rule = id === 'general_budget_basic' ? 'B18' : 'D14';
    for (const v of doc.all(id)) {
      if (v.empty || !v.has('personnel') || !v.has('public_funds')) continue;
      const t = totalRow(v);
      if (!t) {
        out.push(...blockTotals(doc, v, rule));
        continue;
      }
      const cls = (code: string, names: string[]) =>
        v.rows.find((r) => r.code === code || (!r.code && names.includes(normName(r.name))));
      if (v.rows.some((r) => r.code && /^5\d\d/.test(r.code))) continue;
      if (v.rows.some((r) => /^机关/.test(normName(r.name)) && isEconomicClassName(r.name))) continue;
      const c301 = cls('301', ['工资福利支出']);
      const c303 = cls('303', ['对个人和家庭的补助', '对个人和家庭补助']);
      const pub = ['302', '307', '309', '310', '399'].map((c) =>
        cls(c, c === '302' ? ['商品和服务支出'] : c === '310' ? ['资本性支出'] : c === '307' ? ['债务利息及费用支出'] : c === '309' ? ['资本性支出(基本建设)'] : []),
      );
      const T = (r: typeof t | undefined, f: string) => (r ? v.cell(r, f) : null);
      // a 303 row that prints its own 人员/公用 split counts on both sides
      const split303 = !!c303 && !!T(c303, 'personnel')?.printed && !!T(c303, 'public_funds')?.printed && !T(c303, 'public_funds')!.value.isZero();
      const pers = [T(c301, 'total'), split303 ? T(c303, 'personnel') : T(c303, 'total')].filter((x): x is Term => !!x);
      const pubs = [...pub.map((r) => T(r, 'total')), split303 ? T(c303, 'public_funds') : null].filter((x): x is Term => !!x);
      const l1 = T(t, 'personnel');
      const l2 = T(t, 'public_funds');
      if (l1 && pers.length && c301) {
        const c = compare([l1], pers, { rule, id: `${rule}:${v.label}:personnel=301+303`, severity: 'W', defaultUnit: doc.defaultUnit });
        if (c) out.push(c);
      }
      if (l2 && pubs.length && pub[0]) {
        const c = compare([l2], pubs, { rule, id: `${rule}:${v.label}:public_funds=302+310`, severity: 'W', defaultUnit: doc.defaultUnit });
        if (c) out.push(c);
      }
    }
  }
  return out;
}

/** The blocks of a basic table printed side by side (人员经费 | 公用经费), each closed by its
 *  合计 line: that line = Σ the block's 类 rows (3-digit codes, else 类 names), in its field. */
const BLOCKS: { names: string[]; field: string }[] = [
  { names: ['人员经费合计', '人员经费'], field: 'personnel' },
  { names: ['公用经费合计', '公用经费'], field: 'public_funds' },
];

function blockTotals(doc: Doc, v: TableView, rule: string): CheckResult[] {
  const out: CheckResult[] = [];
  for (const b of BLOCKS) {
    const id = `${rule}:${v.label}:${b.names[0]}=Σ类`;
    const t = v.rows.find((r) => b.names.includes(normName(r.name)));
    const l = t ? v.cell(t, b.field) : null;
    if (!t || !l) {
      out.push(skipped(rule, id, `${v.label}: no ${b.names[0]} line (neither a 合计 row nor blocks closed by their 合计 lines)`));
      continue;
    }
    const isClass = (r: Row) => r !== t && (r.code ? /^\d{3}$/.test(r.code) : isEconomicClassName(r.name) && !isTotalName(r.name));
    const parts = v.rows.filter((r) => isClass(r) && r.values?.[b.field] !== undefined).map((r) => v.cell(r, b.field)!);
    const c = parts.length ? compare([l], parts, { rule, id, severity: 'E', defaultUnit: doc.defaultUnit }) : null;
    if (c) out.push(c);
  }
  return out;
}

/** Make ids unique (a rule applied twice at the same place gets #2, #3…). */
function dedupeIds(list: CheckResult[]): CheckResult[] {
  const seen = new Map<string, number>();
  for (const c of list) {
    const n = (seen.get(c.id) ?? 0) + 1;
    seen.set(c.id, n);
    if (n > 1) c.id = `${c.id}#${n}`;
  }
  return list;
}

export function summarize(checks: CheckResult[]): Summary {
  const s: Summary = { pass: 0, rounding: 0, fail: 0, warning: 0, skipped: 0 };
  for (const c of checks) s[c.status]++;
  return s;
}
