/**
 * Two-sided summary tables (收支总表 Y1, 财政拨款收支总表 Y4, 收入支出决算总表 Z1, Z4): the side
 * balances (B1–B5, B10/B11, D1–D4, D9), driven by the side structures of doc.ts.
 */
import type { CheckResult, Row } from '../model.js';
import type { Doc } from './doc.js';
import { carrySourceOf, expenditureLists, type ExpenditureSide, hasValue, incomeSide, sourceOf } from './doc.js';
import { type Term, type TableView, compare, rowLabel, skipped } from './engine.js';
import {
  EXP_EXTRA, EXP_KIND, INCOME_CURRENT, SOURCE_PARTS, isEconomicClassName, isFunctionClassName, isMemo, isSubItem, isTotalName, nameIs, normName, ordinalRank,
} from './names.js';

interface TreeNode {
  row: Row;
  kids: TreeNode[];
}

/**
 * Rows nested by their printed ordinals; null when no row has one. Memo rows (其中) are left out.
 * An unnumbered row goes under the row above, except an aggregate source (财政拨款, 单位资金) printed
 * without a number directly above its numbered parts (财政拨款 / 1.一般公共预算拨款 / 2.政府性基金…):
 * that one is their parent.
 */
export function ordinalTree(rows: Row[]): TreeNode[] | null {
  if (!rows.some((r) => ordinalRank(r.name) > 0)) return null;
  const kept = rows.filter((r) => !(isMemo(r.name) || isTotalName(r.name) || nameIs(r.name, INCOME_CURRENT)));
  const roots: TreeNode[] = [];
  const stack: { n: TreeNode; lvl: number }[] = [];
  for (let i = 0; i < kept.length; i++) {
    const r = kept[i]!;
    let lvl = ordinalRank(r.name) || 9;
    const next = kept[i + 1];
    const parts = SOURCE_PARTS[sourceOf(r) ?? ''];
    if (lvl === 9 && next && parts && ordinalRank(next.name) > 0 && parts.includes(sourceOf(next) ?? '')) lvl = ordinalRank(next.name) - 0.5;
    while (stack.length && stack[stack.length - 1]!.lvl >= lvl) stack.pop();
    const n: TreeNode = { row: r, kids: [] };
    (stack.length ? stack[stack.length - 1]!.n.kids : roots).push(n);
    stack.push({ n, lvl });
  }
  return roots;
}

/** Rule ids per summary table: [balance, income total, expenditure total, current income, current expenditure]. */
const IDS: Record<string, { balance: string; incGrand: string; expGrand: string; incCurrent: string; expCurrent: string; carry: string }> = {
  budget_summary: { balance: 'B1', incGrand: 'B2', expGrand: 'B3', incCurrent: 'B4', expCurrent: 'B5', carry: 'B2' },
  fiscal_summary: { balance: 'B10', incGrand: 'B10', expGrand: 'B11', incCurrent: 'B10', expCurrent: 'B11', carry: 'B10' },
  final_summary: { balance: 'D3', incGrand: 'D1', expGrand: 'D2', incCurrent: 'D4', expCurrent: 'D4', carry: 'D1' },
  final_fiscal_summary: { balance: 'D9', incGrand: 'D9', expGrand: 'D9', incCurrent: 'D10', expCurrent: 'D9', carry: 'D9' },
};

export const SUMMARY_TABLES = Object.keys(IDS);

export function incomeField(v: TableView): string | null {
  for (const f of ['amount', 'total', 'actual']) if (v.rows.some((r) => r.side === 'income' && r.values?.[f] !== undefined)) return f;
  for (const f of ['amount', 'total', 'actual']) if (v.has(f)) return f;
  return null;
}

/** Numeric fields printed on the expenditure side, the main one first. */
export function expenditureFields(v: TableView): string[] {
  const s = new Set<string>();
  for (const r of v.rows) if (r.side === 'expenditure') for (const f of Object.keys(r.values ?? {})) s.add(f);
  const order = ['total', 'amount', 'actual'];
  return [...s].filter((f) => !/^col\d+$/.test(f)).sort((a, b) => {
    const ia = order.indexOf(a);
    const ib = order.indexOf(b);
    return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib);
  });
}

const terms = (v: TableView, rows: Row[], f: string): Term[] => rows.map((r) => v.cell(r, f)).filter((t): t is Term => !!t);

/** Function-class scheme of an expenditure row: 'function' | 'economic' | 'kind' | 'extra' | null. */
function scheme(r: Row, hasFunctionRows: boolean): 'function' | 'economic' | 'kind' | 'extra' | null {
  if (Object.values(EXP_EXTRA).some((a) => nameIs(r.name, a))) return 'extra';
  const n = normName(r.name);
  if (r.code && /^2\d\d$/.test(r.code)) return 'function';
  if (r.code && /^[35]\d\d$/.test(r.code)) return 'economic';
  if (n === '其他支出') return hasFunctionRows ? 'function' : 'economic';
  if (isFunctionClassName(r.name)) return 'function';
  if (isEconomicClassName(r.name)) return 'economic';
  if (Object.values(EXP_KIND).some((a) => nameIs(r.name, a))) return 'kind';
  return null;
}

export function summaryChecks(doc: Doc): CheckResult[] {
  const out: CheckResult[] = [];
  const push = (r: CheckResult | null) => r && out.push(r);
  for (const id of SUMMARY_TABLES) {
    const views = doc.all(id);
    for (const v of views) {
      if (v.empty) continue;
      const ids = IDS[id]!;
      const inc = incomeSide(v);
      const fi = incomeField(v);
      const efs = expenditureFields(v);
      const fe = efs[0] ?? null;
      const incTotal = inc.grand ?? sideTotal(inc.rows, inc.current, [inc.carryover, ...inc.carryoverParts, ...inc.extras]);
      const baseSpec = (rule: string, where: string, severity: 'E' | 'W' = 'E') => ({ rule, id: `${rule}:${v.label}:${where}`, severity, defaultUnit: doc.defaultUnit });
      if (fi) incomeChecks(v, inc, fi, ids, baseSpec, push, out);
      // each list of the expenditure side (one per classification when several are printed)
      expenditureLists(v).forEach((exp, k) => {
        const tag = k ? `#${k + 1}` : '';
        const spec: SpecFn = (rule, where, severity = 'E') => baseSpec(rule, `${where}${tag}`, severity);
        // balance: 收入总计 = 支出总计 (a side without 结转 rows may print only 收入合计 / 合计)
        const expTotal = exp.grand ?? sideTotal(exp.rows, exp.current, exp.after);
        if (incTotal && expTotal && fi && fe) {
          const l = v.cell(incTotal, fi);
          const r = v.cell(expTotal, fe);
          if (l && r) push(compare([l], [r], spec(ids.balance, '收入总计=支出总计')));
        } else if (inc.rows.length && exp.rows.length) {
          out.push(skipped(ids.balance, `${ids.balance}:${v.label}:收入总计=支出总计${tag}`, `${v.label}: 收入总计 or 支出总计 row not found`));
        }
        if (efs.length) expenditureChecks(v, exp, efs, ids, spec, push, out, tag);
      });
    }
  }
  return out;
}

/** The total of a side that prints no 总计: its 本年合计 when nothing is carried beside it, or
 *  its one row named 合计. */
function sideTotal(rows: Row[], current: Row | null, beside: (Row | null)[]): Row | null {
  if (current && !beside.some((r) => r && hasValue(r))) return current;
  const bare = rows.filter((r) => normName(r.name) === '合计' || (!r.name.trim() && r.key === '合计'));
  return bare.length === 1 && !beside.some((r) => r && hasValue(r)) ? bare[0]! : null;
}

type SpecFn = (rule: string, where: string, severity?: 'E' | 'W') => { rule: string; id: string; severity: 'E' | 'W'; defaultUnit: Doc['defaultUnit'] };

function incomeChecks(
  v: TableView, inc: ReturnType<typeof incomeSide>, f: string, ids: (typeof IDS)[string], spec: SpecFn,
  push: (r: CheckResult | null) => void, out: CheckResult[],
) {
  // current-year sources: an ordinal tree (一、 > （一） > 1. > （1） > ①; unnumbered rows under the row above)
  const src = inc.sources.filter((r) => !/^(收入|项目|收\s*入|本年收入)$/.test(normName(r.name)));
  let top: Row[] = [];
  let topTerms: Term[] = [];
  const tree = ordinalTree(src);
  if (tree) {
    /** a node's figure: its own when printed, else its children's */
    const nodeTerms = (n: TreeNode): Term[] => {
      const own = v.cell(n.row, f);
      if (own?.printed || !n.kids.length) return own ? [own] : [];
      return n.kids.flatMap(nodeTerms);
    };
    const walk = (n: TreeNode) => {
      const own = v.cell(n.row, f);
      const kidTerms = n.kids.flatMap(nodeTerms);
      if (own?.printed && kidTerms.some((t) => t.printed)) push(compare([own], kidTerms, spec(ids.incCurrent, `${rowLabel(n.row)}=Σparts`)));
      n.kids.forEach(walk);
    };
    tree.forEach(walk);
    top = tree.map((n) => n.row);
    topTerms = tree.flatMap(nodeTerms);
  } else {
    const ids2 = src.map((r) => sourceOf(r));
    const present = new Set(ids2.filter(Boolean));
    top = src.filter((r, i) => {
      if (isSubItem(r.name)) return false;
      const s = ids2[i];
      for (const [agg, parts] of Object.entries(SOURCE_PARTS)) if (s && parts.includes(s) && present.has(agg)) return false;
      return true;
    });
    for (const [agg, parts] of Object.entries(SOURCE_PARTS)) {
      const ar = src.find((_, i) => ids2[i] === agg);
      const pr = src.filter((_, i) => parts.includes(ids2[i] ?? ''));
      if (ar && pr.length) push(compare(terms(v, [ar], f), terms(v, pr, f), spec(ids.incCurrent, `${rowLabel(ar)}=Σparts`)));
    }
    topTerms = terms(v, top, f);
  }
  if (inc.current) {
    if (topTerms.length) push(compare(terms(v, [inc.current], f), topTerms, spec(ids.incCurrent, '本年收入合计=Σsources')));
  }
  // carryover = Σ its breakdown by fund
  if (inc.carryover && inc.carryoverParts.length) {
    const parts = inc.carryoverParts.filter((r) => carrySourceOf(r) && !isMemo(r.name));
    if (parts.length && v.cell(inc.carryover, f)?.printed) push(compare(terms(v, [inc.carryover], f), terms(v, parts, f), spec(ids.carry, '上年结转=Σfunds')));
  }
  // grand total = current + carryover + extras
  if (inc.grand) {
    if (inc.unknownAfter.length) {
      out.push(skipped(ids.incGrand, `${ids.incGrand}:${v.label}:收入总计`, `${v.label}: unrecognised income rows ${inc.unknownAfter.map((r) => normName(r.name)).join(', ')}`));
      return;
    }
    const right: Row[] = [];
    if (inc.current) right.push(inc.current);
    // a blank 年初结转和结余 header over its printed breakdown by fund stands for their sum
    const carryBlank = inc.carryover && !v.cell(inc.carryover, f)?.printed;
    if (inc.carryover && !carryBlank) right.push(inc.carryover);
    else right.push(...inc.carryoverParts.filter((r) => carrySourceOf(r) && !isMemo(r.name)));
    right.push(...inc.extras);
    const rt = [...(inc.current ? [] : topTerms), ...terms(v, right, f)];
    if (rt.length) push(compare(terms(v, [inc.grand], f), rt, spec(ids.incGrand, '收入总计=本年收入+结转')));
  }
}

function expenditureChecks(
  v: TableView, exp: ExpenditureSide, fields: string[], ids: (typeof IDS)[string], spec: SpecFn,
  push: (r: CheckResult | null) => void, out: CheckResult[], tag = '',
) {
  const items = exp.items.filter((r) => !isSubItem(r.name) && !(r.code && r.code.length > 3));
  const hasFn = items.some((r) => scheme(r, false) === 'function');
  const bySchema = new Map<string, Row[]>();
  const unknown: Row[] = [];
  const seen = new Set<string>();
  let inClass = false;
  for (const r of items) {
    const s = scheme(r, hasFn);
    const n = normName(r.name);
    // rows under a 类 (its 款/项 printed by name only), and a repeated 类 name, are not 类 rows
    if (!s || (!r.code && seen.has(n))) {
      if (!inClass && hasValue(r)) unknown.push(r);
      continue;
    }
    seen.add(n);
    inClass = s === 'function' || s === 'economic';
    const l = bySchema.get(s) ?? [];
    l.push(r);
    bySchema.set(s, l);
  }
  // 上缴上级 / 对附属单位补助 / 经营支出 rows add to whichever classification is printed
  const extra = bySchema.get('extra') ?? [];
  bySchema.delete('extra');
  for (const s of [...bySchema.keys()]) bySchema.set(s, [...bySchema.get(s)!, ...extra]);
  if (!bySchema.size && extra.length) bySchema.set('kind', extra);
  for (const f of fields) {
    // 本年支出合计 = Σ 类 rows, per classification printed
    if (exp.current) {
      if (unknown.length) {
        if (f === fields[0]) out.push(skipped(ids.expCurrent, `${ids.expCurrent}:${v.label}:本年支出合计${tag}`, `${v.label}: unrecognised expenditure rows ${unknown.map((r) => normName(r.name)).slice(0, 5).join(', ')}`));
      } else {
        for (const [s, rows] of bySchema) {
          push(compare(terms(v, [exp.current], f), terms(v, rows, f), spec(ids.expCurrent, `本年支出合计=Σ${s === 'function' ? '类' : s}.${f}`)));
        }
      }
    }
    // 支出总计 = 本年支出合计 + 结转下年 (+ 结余分配)
    if (exp.grand) {
      if (exp.unknownAfter.length) {
        if (f === fields[0]) out.push(skipped(ids.expGrand, `${ids.expGrand}:${v.label}:支出总计${tag}`, `${v.label}: unrecognised rows ${exp.unknownAfter.map((r) => normName(r.name)).join(', ')}`));
      } else if (exp.current) {
        push(compare(terms(v, [exp.grand], f), terms(v, [exp.current, ...exp.after], f), spec(ids.expGrand, `支出总计=本年支出+结转.${f}`)));
      } else if (bySchema.size === 1 && !unknown.length) {
        const rows = [...bySchema.values()][0]!;
        push(compare(terms(v, [exp.grand], f), terms(v, [...rows, ...exp.after], f), spec(ids.expGrand, `支出总计=Σ类+结转.${f}`)));
      }
    }
  }
}
