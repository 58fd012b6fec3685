/** The document as the checks see it: tables by id, row finders, the default unit. */
import type { Row, Table, Unit } from '../model.js';
import { TableView } from './engine.js';
import {
  EXP_AFTER, EXP_CURRENT, EXP_GRAND, INCOME_CARRYOVER, INCOME_CURRENT, INCOME_EXTRA, INCOME_GRAND, INCOME_SOURCES,
  UNIT_SUFFIX, baseKey, isMemo, isTotalName, nameIs, normName,
} from './names.js';

export type Kind = 'budget' | 'final_accounts' | null;

export class Doc {
  readonly views: TableView[];
  readonly defaultUnit: Unit | null;
  readonly kind: Kind;
  private readonly byIdMap = new Map<string, TableView[]>();

  constructor(input: Table[]) {
    const tables = input.map(cleanTable);
    const count = new Map<string, number>();
    this.views = tables.map((t, i) => {
      const n = (count.get(t.id) ?? 0) + 1;
      count.set(t.id, n);
      return new TableView(t, i, n === 1 ? t.id : `${t.id}#${n}`);
    });
    for (const v of this.views) {
      const l = this.byIdMap.get(v.id) ?? [];
      l.push(v);
      this.byIdMap.set(v.id, l);
    }
    const units = new Map<Unit, number>();
    for (const t of tables) if (t.unit) units.set(t.unit, (units.get(t.unit) ?? 0) + 1);
    let best: Unit | null = null;
    let bestN = 0;
    for (const [u, n] of units) if (n > bestN) [best, bestN] = [u, n];
    this.defaultUnit = best;
    const ids = new Set(tables.map((t) => t.id));
    this.kind = [...ids].some((id) => id.startsWith('final_'))
      ? 'final_accounts'
      : [...ids].some((id) => id !== 'unknown' && id !== 'performance_target')
        ? 'budget'
        : null;
  }

  all(id: string): TableView[] {
    return this.byIdMap.get(id) ?? [];
  }

  /** The one table with this id; 'ambiguous' when several non-empty ones exist; null when absent. */
  one(id: string): TableView | 'ambiguous' | null {
    const l = this.all(id);
    if (!l.length) return null;
    if (l.length === 1) return l[0]!;
    const nonEmpty = l.filter((v) => !v.empty);
    if (nonEmpty.length === 1) return nonEmpty[0]!;
    if (!nonEmpty.length) return l[0]!;
    return 'ambiguous';
  }

  has(id: string): boolean {
    return this.all(id).length > 0;
  }

  private units: Set<string> | null = null;

  /** Names of budget units seen in unit-keyed tables (agency_operating, project tables' first row). */
  unitNames(): Set<string> {
    if (this.units) return this.units;
    const s = new Set<string>();
    this.units = s;
    for (const v of this.all('agency_operating')) for (const r of v.rows) if (!isTotalName(r.name)) s.add(normName(r.name));
    for (const id of ['project_expenditure', 'project_expenditure_carryover']) {
      for (const v of this.all(id)) {
        const r0 = v.rows[0];
        if (r0 && !isTotalName(r0.name)) s.add(normName(r0.name));
        for (const r of v.rows) if (/#\d+$/.test(r.key)) s.add(normName(baseKey(r.key)));
      }
    }
    return s;
  }
}

/** 栏次/行次 lines ("** | 1 | 2 | 3…") are column numbers, not data: leave them out. */
function isColumnNumberRow(r: Row): boolean {
  const n = normName(r.name);
  if (r.code) return false;
  if (!/^[*＊·.\-—_]*$/.test(n) && !/^(栏次|行次|栏号|序号)$/.test(n)) return false;
  const vals = Object.values(r.values ?? {});
  return vals.length > 0 && vals.every((x) => /^\d{1,2}$/.test(x));
}

function cleanTable(t: Table): Table {
  const rows = t.rows.filter((r) => !isColumnNumberRow(r));
  return rows.length === t.rows.length ? t : { ...t, rows };
}

// ---- row finders --------------------------------------------------------------------------------

/** The summary row of a one-sided table: a 合计/总计 row; null if none. */
export function totalRow(v: TableView): Row | null {
  const rows = v.rows.filter((r) => !r.side || r.side === 'expenditure');
  const named = rows.filter((r) => isTotalName(r.name) || isTotalName(baseKey(r.key)));
  if (named.length === 1) return named[0]!;
  if (named.length > 1) {
    // 合计 and 总计 both present, or a 合计 repeated per block: take a 总计/合计 without code, first.
    const exact = named.filter((r) => nameIs(r.name, ['合计', '总计', '部门合计']));
    if (exact.length === 1) return exact[0]!;
    return null;
  }
  return null;
}

/** The total row of a project-style table: its 合计/总计 row, else its first row when that is the department. */
export function projectTotalRow(v: TableView, units: Set<string>): Row | null {
  const t = totalRow(v);
  if (t) return t;
  const r0 = v.rows[0];
  if (!r0) return null;
  const n = normName(r0.name);
  const repeated = v.rows.some((r) => r !== r0 && normName(r.name) === n);
  if (repeated || units.has(n) || UNIT_SUFFIX.test(n)) return r0;
  return null;
}

export function sideRows(v: TableView, side: 'income' | 'expenditure'): Row[] {
  return v.rows.filter((r) => r.side === side);
}

/** Which income source a row names (canonical id), or null. */
export function sourceOf(r: Row): string | null {
  for (const [id, aliases] of Object.entries(INCOME_SOURCES)) if (nameIs(r.name, aliases) || nameIs(baseKey(r.key), aliases)) return id;
  for (const [id, aliases] of Object.entries(INCOME_EXTRA)) if (nameIs(r.name, aliases)) return id;
  return null;
}

/**
 * The fund of a row in a carryover breakdown: its source, also when the name carries the 结转 suffix
 * (一般公共预算拨款结余、结转 → general_budget); 'non_fiscal' for 非财政拨款结余、结转.
 */
export function carrySourceOf(r: Row): string | null {
  const s = sourceOf(r);
  if (s) return s;
  const full = normName(r.name);
  const n = full.replace(/(?:结余)?[、，,和]?结转(?:结余)?$|结余$/, '');
  if (!n || n === full) return null;
  if (nameIs(n, ['非财政拨款', '非财政拨款资金'])) return 'non_fiscal';
  return sourceOf({ ...r, name: n, key: n });
}

export interface IncomeSide {
  rows: Row[];
  /** rows before 本年收入合计 (the current-year sources) */
  sources: Row[];
  current: Row | null;
  carryover: Row | null;
  /** fund rows after the carryover row (its breakdown by fund) */
  carryoverParts: Row[];
  extras: Row[];
  /** value rows between current and grand that nothing explains */
  unknownAfter: Row[];
  grand: Row | null;
}

const hasValue = (r: Row) => Object.values(r.values ?? {}).some((x) => /[1-9]/.test(x));

const incCache = new WeakMap<TableView, IncomeSide>();
const expCache = new WeakMap<TableView, ExpenditureSide>();

/** Structure of the income side of a two-sided summary table. */
export function incomeSide(v: TableView): IncomeSide {
  let hit = incCache.get(v);
  if (!hit) {
    hit = incomeSideUncached(v);
    incCache.set(v, hit);
  }
  return hit;
}

function incomeSideUncached(v: TableView): IncomeSide {
  const rows = sideRows(v, 'income');
  const out: IncomeSide = { rows, sources: [], current: null, carryover: null, carryoverParts: [], extras: [], unknownAfter: [], grand: null };
  let grandIdx = -1;
  for (let i = rows.length - 1; i >= 0; i--) if (nameIs(rows[i]!.name, INCOME_GRAND)) { grandIdx = i; break; }
  if (grandIdx < 0) grandIdx = closingTotal(rows, INCOME_CURRENT, INCOME_CARRYOVER);
  out.grand = grandIdx >= 0 ? rows[grandIdx]! : null;
  const end = grandIdx >= 0 ? grandIdx : rows.length;
  let curIdx = -1;
  for (let i = 0; i < end; i++) if (nameIs(rows[i]!.name, INCOME_CURRENT)) { curIdx = i; break; }
  out.current = curIdx >= 0 ? rows[curIdx]! : null;
  let carryIdx = -1;
  for (let i = Math.max(0, curIdx + 1); i < end; i++) if (nameIs(rows[i]!.name, INCOME_CARRYOVER)) { carryIdx = i; break; }
  out.carryover = carryIdx >= 0 ? rows[carryIdx]! : null;
  const srcEnd = curIdx >= 0 ? curIdx : carryIdx >= 0 ? carryIdx : end;
  out.sources = rows.slice(0, srcEnd);
  let afterStart = curIdx >= 0 ? curIdx + 1 : carryIdx >= 0 ? carryIdx : end;
  // "一、本年收入" printed above its sources (the 本年收入 header carries their sum)
  if (curIdx >= 0 && !out.sources.some(hasValue)) {
    const stop = carryIdx >= 0 ? carryIdx : end;
    let j = curIdx + 1;
    const isSource = (r: Row) => {
      const s = sourceOf(r);
      return !!s && s !== 'non_fiscal_surplus' && s !== 'prior_account_balance';
    };
    while (j < stop && (isSource(rows[j]!) || isMemo(rows[j]!.name))) j++;
    if (j > curIdx + 1 && (j === stop || !hasValue(rows[j]!))) {
      out.sources = rows.slice(curIdx + 1, j);
      afterStart = j;
    }
  }
  for (let i = afterStart; i < end; i++) {
    const r = rows[i]!;
    if (r === out.carryover || isMemo(r.name)) continue;
    const s = carryIdx >= 0 && i > carryIdx ? carrySourceOf(r) : sourceOf(r);
    if (s === 'non_fiscal_surplus' || s === 'business_fund_offset' || s === 'prior_account_balance') out.extras.push(r);
    else if (s && (carryIdx >= 0 ? i > carryIdx : true)) out.carryoverParts.push(r);
    else if (hasValue(r)) out.unknownAfter.push(r);
  }
  return out;
}

/** A side that prints no 总计 but closes, below its 结转 rows, on a 收入合计 / 支出合计 / 合计:
 *  that closing row is the side's grand total (its index, else -1). */
function closingTotal(rows: Row[], totalNames: string[], carryNames: string[]): number {
  let last = rows.length - 1;
  while (last >= 0 && !hasValue(rows[last]!)) last--;
  if (last < 1) return -1;
  const r = rows[last]!;
  if (!nameIs(r.name, totalNames) && normName(r.name) !== '合计') return -1;
  return rows.slice(0, last).some((x) => nameIs(x.name, carryNames)) ? last : -1;
}

export interface ExpenditureSide {
  rows: Row[];
  items: Row[];
  current: Row | null;
  after: Row[];
  unknownAfter: Row[];
  grand: Row | null;
}

export function expenditureSide(v: TableView): ExpenditureSide {
  let hit = expCache.get(v);
  if (!hit) {
    hit = expenditureSideUncached(v);
    expCache.set(v, hit);
  }
  return hit;
}

function expenditureSideUncached(v: TableView): ExpenditureSide {
  return expenditureSideOf(sideRows(v, 'expenditure'));
}

/** A side that prints its list several times, one per classification (功能 / 部门经济 / 政府经济
 *  分类 one under the other), each closing on its own 支出总计: one ExpenditureSide per list. */
export function expenditureLists(v: TableView): ExpenditureSide[] {
  const rows = sideRows(v, 'expenditure');
  const lists: Row[][] = [];
  let start = 0;
  rows.forEach((r, i) => {
    if (nameIs(r.name, EXP_GRAND) && rows.slice(i + 1).some(hasValue)) {
      lists.push(rows.slice(start, i + 1));
      start = i + 1;
    }
  });
  if (!lists.length) return [expenditureSide(v)];
  lists.push(rows.slice(start));
  return lists.map(expenditureSideOf);
}

function expenditureSideOf(rows: Row[]): ExpenditureSide {
  const out: ExpenditureSide = { rows, items: [], current: null, after: [], unknownAfter: [], grand: null };
  let grandIdx = -1;
  for (let i = rows.length - 1; i >= 0; i--) if (nameIs(rows[i]!.name, EXP_GRAND)) { grandIdx = i; break; }
  if (grandIdx < 0) grandIdx = closingTotal(rows, EXP_CURRENT, Object.values(EXP_AFTER).flat());
  out.grand = grandIdx >= 0 ? rows[grandIdx]! : null;
  const end = grandIdx >= 0 ? grandIdx : rows.length;
  let curIdx = -1;
  for (let i = 0; i < end; i++) if (nameIs(rows[i]!.name, EXP_CURRENT)) { curIdx = i; break; }
  out.current = curIdx >= 0 ? rows[curIdx]! : null;
  const afterNames = Object.values(EXP_AFTER).flat();
  let firstAfter = end;
  for (let i = Math.max(0, curIdx + 1); i < end; i++) if (nameIs(rows[i]!.name, afterNames)) { firstAfter = Math.min(firstAfter, i); }
  out.items = rows.slice(0, curIdx >= 0 ? curIdx : firstAfter);
  let afterStart = curIdx >= 0 ? curIdx + 1 : firstAfter;
  // "一、本年支出" printed above its 类 rows (the header carries their sum), as on the income side
  if (curIdx >= 0 && !out.items.some(hasValue) && firstAfter > curIdx + 1) {
    out.items = rows.slice(curIdx + 1, firstAfter);
    afterStart = firstAfter;
  }
  for (let i = afterStart; i < end; i++) {
    const r = rows[i]!;
    if (nameIs(r.name, afterNames)) out.after.push(r);
    else if (/结转|结余/.test(normName(r.name))) continue; // a breakdown of the carry-forward
    else if (hasValue(r)) out.unknownAfter.push(r);
  }
  return out;
}

export { hasValue };
