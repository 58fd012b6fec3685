/**
 * N*: figures the narrative (情况说明) states against the tables; P1/P2: the 绩效目标表 against the
 * project tables and the narrative. Inputs have the truth files' shapes: `narrative` is a flat map
 * of headline figures plus `unit`; `performanceTargets` are per-project funds in 元.
 */
import type { CheckResult, Row, Unit } from '../model.js';
import type { Doc } from './doc.js';
import { incomeSide, expenditureSide, projectTotalRow, sourceOf, totalRow } from './doc.js';
import { type Term, type TableView, compare, looseTerm, skipped } from './engine.js';
import { Decimal } from './decimal.js';
import { THREE_PUBLIC_ROWS, UNIT_SUFFIX, baseKey, isTotalName, nameIs, normName, projectKey } from './names.js';
import { expenditureFields, incomeField } from './summary.js';
import { OFTEN_EMPTY, type RowSel } from './cross.js';

/** The narrative's figures: the flat truth-style object (`unit` + key → value) … */
export type NarrativeObject = Record<string, string | number | null | undefined> & { unit?: string | null };
/** … or the extractor's items, each with its own unit and page. */
export interface NarrativeFigure {
  key: string;
  label?: string;
  value: string;
  unit?: string | null;
  page?: number | null;
}
export type Narrative = NarrativeObject | NarrativeFigure[];

interface Fig {
  raw: string;
  unit: Unit | null;
  page: number | null;
}

/** key → figure (the first stated; family items with a label are left out). */
function figures(n: Narrative, fallback: Unit | null): Map<string, Fig> {
  const out = new Map<string, Fig>();
  if (Array.isArray(n)) {
    for (const it of n) {
      if (it.label || out.has(it.key)) continue;
      out.set(it.key, { raw: String(it.value), unit: asUnit(it.unit) ?? (it.unit ? null : fallback), page: it.page ?? null });
    }
    return out;
  }
  const unit = asUnit(n.unit) ?? fallback;
  for (const [k, v] of Object.entries(n)) {
    if (k === 'unit' || v === null || v === undefined || k.includes('.')) continue;
    out.set(k, { raw: String(v), unit, page: null });
  }
  return out;
}

export interface FundsBlock {
  total?: string | null;
  central?: string | null;
  provincial?: string | null;
  local?: string | null;
  self_raised?: string | null;
  other?: string | null;
  /** 财政拨款 where the form prints no finer split */
  fiscal?: string | null;
  /** 上年结转 */
  carryover?: string | null;
}
export interface PerformanceTarget {
  project: string;
  department?: string | null;
  implementer?: string | null;
  attribute?: string | null;
  period?: string | null;
  /** unit of the funds (元 unless the form says otherwise) */
  unit?: Unit | null;
  funds?: { period?: FundsBlock | null; annual?: FundsBlock | null } | null;
  pages?: number[] | null;
}

/** Narrative key → where the tables print the same figure (first that resolves). */
/**
 * Narrative key → where the tables print the same figure: the first table that resolves, or with
 * `alt`, every listed place (the figure holds when it matches any of them).
 */
const N_MAP: { key: string; at: { t: string; row: RowSel | 'three'; f: string | string[]; three?: keyof typeof THREE_PUBLIC_ROWS | 'total' }[]; sev?: 'E' | 'W'; alt?: boolean }[] = [
  { key: 'incomeTotal', at: [{ t: 'budget_summary', row: 'incGrand', f: 'INC' }] },
  { key: 'currentYearIncome', at: [{ t: 'budget_summary', row: 'incCurrent', f: 'INC' }] },
  { key: 'carryover', at: [{ t: 'budget_summary', row: 'incCarryover', f: 'INC' }] },
  { key: 'expenditureTotal', at: [{ t: 'budget_summary', row: 'expGrand', f: 'EXP' }] },
  { key: 'generalBudgetIncome', at: [{ t: 'budget_summary', row: { src: 'general_budget' }, f: 'INC' }] },
  { key: 'govFundIncome', at: [{ t: 'budget_summary', row: { src: 'gov_fund' }, f: 'INC' }] },
  { key: 'specialAccountIncome', at: [{ t: 'budget_summary', row: { src: 'special_account' }, f: 'INC' }] },
  { key: 'unitFundsIncome', at: [{ t: 'budget_summary', row: { src: 'unit_funds' }, f: 'INC' }] },
  // a narrative's 基本支出 / 项目支出 may be the department's (Y3) or the general budget's (Y5)
  { key: 'basicExpenditure', at: [{ t: 'expenditure_summary', row: 'total', f: 'basic' }, { t: 'general_budget_expenditure', row: 'total', f: 'basic' }], alt: true },
  { key: 'projectExpenditure', at: [{ t: 'expenditure_summary', row: 'total', f: 'project' }, { t: 'general_budget_expenditure', row: 'total', f: 'project' }], alt: true },
  { key: 'fiscalTotal', at: [{ t: 'fiscal_summary', row: 'incGrand', f: 'INC' }, { t: 'budget_summary', row: { src: 'fiscal_total' }, f: 'INC' }], alt: true },
  {
    key: 'generalBudgetCurrent',
    at: [{ t: 'fiscal_summary', row: { src: 'general_budget' }, f: 'INC' }, { t: 'budget_summary', row: { src: 'general_budget' }, f: 'INC' }],
  },
  {
    key: 'generalBudgetBasic',
    at: [{ t: 'general_budget_expenditure', row: 'total', f: 'basic' }, { t: 'general_budget_basic', row: 'total', f: 'total' }],
  },
  { key: 'personnelFunds', at: [{ t: 'general_budget_basic', row: 'total', f: 'personnel' }] },
  { key: 'publicFunds', at: [{ t: 'general_budget_basic', row: 'total', f: 'public_funds' }] },
  { key: 'threePublicTotal', at: [{ t: 'three_public', row: 'three', three: 'total', f: ['total', 'three_public'] }] },
  { key: 'threePublicAbroad', at: [{ t: 'three_public', row: 'three', three: 'abroad', f: ['total', 'abroad'] }] },
  { key: 'threePublicReception', at: [{ t: 'three_public', row: 'three', three: 'reception', f: ['total', 'reception'] }] },
  { key: 'threePublicVehicle', at: [{ t: 'three_public', row: 'three', three: 'vehicle', f: ['total', 'vehicle'] }] },
  { key: 'vehiclePurchase', at: [{ t: 'three_public', row: 'three', three: 'vehicle_purchase', f: ['total', 'vehicle_purchase'] }] },
  { key: 'vehicleOperation', at: [{ t: 'three_public', row: 'three', three: 'vehicle_operation', f: ['total', 'vehicle_operation'] }] },
  { key: 'agencyOperating', at: [{ t: 'agency_operating', row: 'total', f: 'total' }] },
  { key: 'procurementTotal', at: [{ t: 'government_procurement', row: 'total', f: 'total' }] },
  { key: 'procurementGoods', at: [{ t: 'government_procurement', row: 'total', f: 'goods' }] },
  { key: 'procurementWorks', at: [{ t: 'government_procurement', row: 'total', f: 'works' }] },
  { key: 'procurementServices', at: [{ t: 'government_procurement', row: 'total', f: 'services' }] },
];

/** Identities among the narrative's own figures. */
const N_INTERNAL: { id: string; left: string[]; right: string[]; sev: 'E' | 'W' }[] = [
  { id: 'incomeTotal=expenditureTotal', left: ['incomeTotal'], right: ['expenditureTotal'], sev: 'W' },
  { id: 'incomeTotal=current+carryover', left: ['incomeTotal'], right: ['currentYearIncome', 'carryover'], sev: 'W' },
  { id: 'expenditureTotal=basic+project', left: ['expenditureTotal'], right: ['basicExpenditure', 'projectExpenditure'], sev: 'W' },
  { id: 'generalBudgetBasic=personnel+public', left: ['generalBudgetBasic'], right: ['personnelFunds', 'publicFunds'], sev: 'W' },
  { id: 'threePublic=abroad+reception+vehicle', left: ['threePublicTotal'], right: ['threePublicAbroad', 'threePublicReception', 'threePublicVehicle'], sev: 'W' },
  { id: 'vehicle=purchase+operation', left: ['threePublicVehicle'], right: ['vehiclePurchase', 'vehicleOperation'], sev: 'W' },
  { id: 'procurement=goods+works+services', left: ['procurementTotal'], right: ['procurementGoods', 'procurementWorks', 'procurementServices'], sev: 'W' },
  { id: 'agencyOperating=publicFunds', left: ['agencyOperating'], right: ['publicFunds'], sev: 'W' },
];

function asUnit(u: unknown): Unit | null {
  return u === '元' || u === '万元' || u === '千元' ? u : null;
}

function narrTerm(figs: Map<string, Fig>, key: string, count = false): Term | null {
  const f = figs.get(key);
  if (!f) return null;
  return looseTerm(f.raw, count ? null : f.unit, { table: 'narrative', row: key, field: null, page: f.page }, `narrative ${key}`);
}

function findThree(v: TableView, which: keyof typeof THREE_PUBLIC_ROWS | 'total'): Row | null {
  if (which === 'total') return totalRow(v);
  return v.rows.find((r) => nameIs(r.name, THREE_PUBLIC_ROWS[which]!) || nameIs(baseKey(r.key), THREE_PUBLIC_ROWS[which]!)) ?? null;
}

function tableTerm(doc: Doc, at: (typeof N_MAP)[number]['at'][number]): Term | null | 'absent' {
  const v = doc.one(at.t);
  if (!v) return 'absent';
  if (v === 'ambiguous') return null;
  let fields: string[];
  if (at.f === 'INC') fields = [incomeField(v) ?? 'amount'];
  else if (at.f === 'EXP') fields = [expenditureFields(v)[0] ?? 'total'];
  else fields = Array.isArray(at.f) ? at.f : [at.f];
  if (v.empty) return OFTEN_EMPTY.includes(v.id) ? v.emptyTerm(fields[0]!) : null;
  let row: Row | null = null;
  const unitKeyed = at.row === 'three' && (v.has('three_public') || v.has('abroad'));
  if (at.row === 'three') row = unitKeyed ? totalRow(v) : findThree(v, at.three!);
  else if (at.row === 'total') row = totalRow(v);
  else if (at.row === 'incGrand') row = incomeSide(v).grand;
  else if (at.row === 'incCurrent') row = incomeSide(v).current;
  else if (at.row === 'incCarryover') row = incomeSide(v).carryover;
  else if (at.row === 'expGrand') row = expenditureSide(v).grand;
  else if (at.row === 'expCurrent') row = expenditureSide(v).current;
  else if (typeof at.row === 'object' && 'src' in at.row) {
    const src = at.row.src;
    row = incomeSide(v).sources.find((r) => sourceOf(r) === src) ?? null;
  }
  if (!row) return null;
  if (unitKeyed) fields = fields.slice(1);
  const f = fields.find((x) => v.has(x));
  if (!f) return null;
  return v.cell(row, f);
}

export function narrativeChecks(doc: Doc, n: Narrative | null | undefined): CheckResult[] {
  const out: CheckResult[] = [];
  if (!n) return out;
  const figs = figures(n, doc.defaultUnit);
  for (const m of N_MAP) {
    const nt = narrTerm(figs, m.key);
    if (!nt) continue;
    let done = false;
    let absent = true;
    const tried: (CheckResult | null)[] = [];
    for (const at of m.at) {
      const tt = tableTerm(doc, at);
      if (tt === 'absent' || !tt) {
        tried.push(null);
        if (tt === 'absent' && !m.alt) continue;
        if (tt === 'absent') continue;
        absent = false;
        continue;
      }
      absent = false;
      // in the unit the sentence states: `1682.76 元 ≠ 16827600 元 (1682.76 万元)` shows a document's own slip
      const c = compare([nt], [tt], { rule: 'N', id: `N:${m.key}`, severity: m.sev ?? 'E', defaultUnit: doc.defaultUnit, unit: nt.unit });
      tried.push(c);
      done = true;
      if (!m.alt || (c && c.status !== 'fail' && c.status !== 'warning')) break;
    }
    // with alternatives, a place other than the first only ever confirms the figure
    const ok = tried.find((c) => c && (c.status === 'pass' || c.status === 'rounding'));
    const chosen = ok ?? (m.alt ? tried[0] : tried.find((c) => c));
    if (chosen) out.push(chosen);
    else if (done && m.alt) out.push(skipped('N', `N:${m.key}`, `narrative ${m.key}: ${m.at[0]!.t} absent; other tables do not confirm it`));
    if (!done && absent) out.push(skipped('N', `N:${m.key}`, `narrative ${m.key}: ${m.at.map((a) => a.t).join('/')} absent`));
  }
  for (const r of N_INTERNAL) {
    const l = r.left.map((k) => narrTerm(figs, k));
    const rt = r.right.map((k) => narrTerm(figs, k));
    if (l.some((x) => !x) || rt.some((x) => !x)) continue;
    const c = compare(l as Term[], rt.filter((x): x is Term => !!x), { rule: 'N', id: `N:${r.id}`, severity: r.sev, defaultUnit: doc.defaultUnit });
    if (c) out.push(c);
  }
  return out;
}

// ---- performance targets -------------------------------------------------------------------------

const SOURCES = ['central', 'provincial', 'local', 'self_raised', 'other', 'fiscal', 'carryover'] as const;

interface ProjectRow {
  v: TableView;
  row: Row;
}

/** Project rows (not department/unit/total rows) of the project tables. */
export function projectRows(doc: Doc, ids = ['project_expenditure', 'project_expenditure_carryover']): ProjectRow[] {
  const units = doc.unitNames();
  const out: ProjectRow[] = [];
  for (const id of ids) {
    for (const v of doc.all(id)) {
      if (v.empty) continue;
      const t = projectTotalRow(v, units);
      const tn = t ? normName(t.name) : null;
      for (const r of v.rows) {
        if (r === t || isTotalName(r.name)) continue;
        const n = normName(r.name);
        if (units.has(n) || n === tn || /#\d+$/.test(r.key) || (UNIT_SUFFIX.test(n) && n.length <= 20 && units.size === 0)) continue;
        out.push({ v, row: r });
      }
    }
  }
  return out;
}

function isOneYear(p: PerformanceTarget): boolean {
  return /^1年$|^一年$/.test(String(p.period ?? '').replace(/\s+/g, '')) || /一次性|1年结束/.test(String(p.attribute ?? ''));
}

export function performanceChecks(doc: Doc, targets: PerformanceTarget[] | null | undefined, n: Narrative | null | undefined): CheckResult[] {
  const out: CheckResult[] = [];
  const pe = doc.one('project_expenditure');
  const rows = projectRows(doc);
  const byKey = new Map<string, ProjectRow[]>();
  for (const pr of rows) {
    const k = projectKey(pr.row.name);
    byKey.set(k, [...(byKey.get(k) ?? []), pr]);
  }
  for (const p of targets ?? []) {
    const name = normName(p.project);
    const ref = (field: string) => ({ table: 'performance_target', row: p.project, field, page: p.pages?.[0] ?? null });
    const annual = p.funds?.annual ?? null;
    const period = p.funds?.period ?? null;
    const unit: Unit = asUnit(p.unit) ?? '元';
    const at = (b: FundsBlock | null, k: keyof FundsBlock, which: string) => (b ? looseTerm(b[k], unit, ref(`${which}.${k}`), `绩效目标表 ${name} ${which === 'annual' ? '年度' : '实施期'}.${k}`) : null);
    // totals = Σ sources
    for (const [which, b] of [['annual', annual], ['period', period]] as const) {
      const tot = at(b, 'total', which);
      const parts = SOURCES.map((s) => at(b, s, which)).filter((x): x is Term => !!x);
      if (tot && parts.length) {
        const c = compare([tot], parts, { rule: 'P1', id: `P1:${name}:${which}=Σsources`, severity: 'W' });
        if (c) out.push(c);
      }
    }
    // one-year project: 实施期 funds = 年度 funds, source by source
    if (annual && period && isOneYear(p)) {
      for (const k of ['total', ...SOURCES] as const) {
        const a = at(period, k, 'period');
        const b = at(annual, k, 'annual');
        if (!a && !b) continue;
        const c = compare(a ? [a] : [], b ? [b] : [], { rule: 'P1', id: `P1:${name}:period.${k}=annual.${k}`, severity: 'W', what: '1-year project' });
        if (c) out.push(c);
      }
    } else if (annual && period) {
      const a = at(period, 'total', 'period');
      const b = at(annual, 'total', 'annual');
      if (a && b) {
        const c = compare([a], [b], { rule: 'P1', id: `P1:${name}:period≥annual`, severity: 'W', op: 'ge' });
        if (c) out.push(c);
      }
    }
    // 年度资金总额 = the project's row in the project tables
    const tot = at(annual, 'total', 'annual');
    if (!tot) continue;
    if (!pe) {
      out.push(skipped('P1', `P1:${name}`, 'project_expenditure absent'));
      continue;
    }
    const key = projectKey(p.project);
    let cands = byKey.get(key) ?? [];
    let fuzzy = false;
    if (!cands.length && key.length >= 6) {
      const near = rows.filter((r) => {
        const k = projectKey(r.row.name);
        return k.length >= 6 && (k.startsWith(key) || key.startsWith(k));
      });
      if (near.length === 1) {
        cands = near;
        fuzzy = true;
      }
    }
    if (!cands.length) {
      out.push(skipped('P1', `P1:${name}`, `no project row named ${p.project}`));
      continue;
    }
    const results = cands
      .map((c) => {
        const t = c.v.cell(c.row, 'total');
        return t ? compare([tot], [t], { rule: 'P1', id: `P1:${name}`, severity: fuzzy || cands.length > 1 ? 'W' : 'E', what: fuzzy ? 'name matched approximately' : undefined }) : null;
      })
      .filter((x): x is CheckResult => !!x);
    const ok = results.find((r) => r.status === 'pass' || r.status === 'rounding');
    if (ok) out.push(ok);
    else if (results[0]) out.push(results[0]);
  }

  // P2: the narrative's counts and amounts of projects
  if (n) {
    const figs = figures(n, doc.defaultUnit);
    const peRows = projectRows(doc, ['project_expenditure']);
    const cnt = narrTerm(figs, 'perfProjectCount', true);
    if (cnt && pe && pe !== 'ambiguous') {
      const c = compare([cnt], [countTerm(peRows.length, 'project_expenditure project rows')], { rule: 'P2', id: 'P2:perfProjectCount', severity: 'W' });
      if (c) out.push(c);
    }
    const amt = narrTerm(figs, 'perfProjectAmount');
    if (amt && pe && pe !== 'ambiguous' && !pe.empty) {
      const t = projectTotalRow(pe, doc.unitNames());
      const alts = t ? (['total', 'general_budget'] as const).map((f) => pe.cell(t, f)).filter((x): x is Term => !!x) : [];
      const rs = alts.map((a) => compare([amt], [a], { rule: 'P2', id: 'P2:perfProjectAmount', severity: 'W' })).filter((x): x is CheckResult => !!x);
      const ok = rs.find((r) => r.status === 'pass' || r.status === 'rounding') ?? rs[0];
      if (ok) out.push(ok);
    }
    if (targets && targets.length) {
      const pc = narrTerm(figs, 'perfPublishedCount', true);
      if (pc) {
        const c = compare([pc], [countTerm(targets.length, '绩效目标表 count')], { rule: 'P2', id: 'P2:perfPublishedCount', severity: 'W' });
        if (c) out.push(c);
      }
      const pa = narrTerm(figs, 'perfPublishedAmount');
      const annuals = targets.map((p) => looseTerm(p.funds?.annual?.total, asUnit(p.unit) ?? '元', { table: 'performance_target', row: p.project, field: 'annual.total', page: p.pages?.[0] ?? null }, `绩效目标表 ${normName(p.project)} 年度.total`));
      if (pa && annuals.every((x) => x)) {
        const c = compare([pa], annuals as Term[], { rule: 'P2', id: 'P2:perfPublishedAmount', severity: 'W' });
        if (c) {
          c.refs.right = c.refs.right.slice(0, 1);
          c.message = c.message.length > 400 ? c.message.slice(0, 400) + '…' : c.message;
          out.push(c);
        }
      }
    }
  }
  return out;
}

function countTerm(nr: number, label: string): Term {
  return { value: new Decimal(nr), places: 0, unit: null, printed: true, sign: 1, ref: { table: 'project_expenditure', row: null, field: null, page: null }, label };
}

