/** 项目支出绩效目标表 (card form): one ruled form per project, read by its printed labels.
 *
 *  The page is cut into ruled cells (cells.ts). A target starts at a 项目名称 label cell and
 *  owns every cell below it up to the next 项目名称 label, following onto the next page when
 *  the next page opens with the same table (same left/right edges, no new heading). Values
 *  are the cells right of their labels; fund labels are assigned to the 实施期 or 年度 column
 *  by the x of their column's 资金总额 label; indicator rows are read under the header row
 *  一级指标 | 二级指标 | 三级指标 | 指标值 (repeated for 年度 when the form has both halves). */
import type { PageData } from '../pdf/types.js';
import type { PerformanceTarget } from '../model.js';
import { groupLines } from '../layout/lines.js';
import { buildCells, textCells, type Cell } from './cells.js';
import { findColumns, readListPage, type ListState } from './list.js';

export type { PerformanceTarget };
export type FundBlock = NonNullable<PerformanceTarget['funds']['annual']>;
export type Indicator = PerformanceTarget['indicators']['period'][number];

/** Label text as matched: no whitespace, no trailing colon. */
function lab(s: string): string {
  return s.replace(/\s+/g, '').replace(/[:：]+$/, '');
}

const PROJECT_RE = /^(项目名称|专项名称|(专项|项目)[（(](项目|专项)[)）]名称|二级项目名称)$/;
const FIELD_LABELS: Array<[keyof Pick<PerformanceTarget, 'department' | 'implementer' | 'attribute' | 'period'>, RegExp]> = [
  ['department', /^(主管部门(及代码|及编码|名称)?|主管单位(及代码)?|预算部门(及代码)?)$/],
  ['implementer', /^(项目)?(实施|执行)单位$/],
  ['attribute', /^项目(属性|性质)$/],
  ['period', /^(项目期|项目日期|项目周期|项目期限|实施周期|实施期限)$/],
];
const TEXT_LABELS: Array<[string, RegExp]> = [
  ['项目概况', /^(项目概况|项目基本情况|项目简介|项目内容)$/],
  ['立项依据', /^(项目)?立项依据$/],
  ['项目设立必要性', /^项目设立的?必要性$/],
  ['保证项目实施的制度、措施', /^保证项目实施的?制度[、,，]?措施$/],
  ['项目实施计划', /^项目实施计划$/],
];
const GOAL_LABEL_RE = /^(总体目标|绩效目标|项目绩效目标|整体绩效目标|部门整体绩效目标)$/;
const GOAL_PERIOD_RE = /^(实施期(总体)?目标|项目总目标|中长期目标)$/;
const GOAL_ANNUAL_RE = /^((年度|本年度?|当年)(总体|整体|部门整体)?(绩效)?目标)$/;
const FOOTER_RE = /^(负责人|填报人|经办人|联系电话|填报日期|审核人|财务负责人)[:：]?/;
const FUND_TOTAL_PERIOD_RE = /^(实施期|项目)(资金)?总额|^项目总资金|^中长期资金总额|^实施期(预算)?(资金|金额)/;
const FUND_TOTAL_ANNUAL_RE = /^(年度|本年度?|当年)(预算)?(资金)?(申请)?总额|^(年度|本年度?|当年)(预算)?(资金|金额)(合计|总计)?$|^预算(支出)?总额|^年度(预算)?资金|^资金总额|^(年度|本年|当年)预算(数|金额|资金)?$/;
const FUND_PARTS: Array<[keyof FundBlock, RegExp]> = [
  ['central', /中央/],
  ['provincial', /省级|省财政|省本级/],
  ["local", /市县|(市|县|区)级(财政|资金)|市本级|县本级|本级财政|地方财政/],
  ['self_raised', /自筹/],
  ['carryover', /上年结转/],
  ['other', /其他资金|其它资金/],
  ['fiscal', /财政拨款|财政资金/],
];

/** A number as printed, without separators; '-' and '—' read as 0; null when not a number. */
function amount(s: string): string | null {
  const t = s.replace(/[\s,，]/g, '');
  if (/^[-—–]+$/.test(t)) return '0';
  const m = /^-?\d+(\.\d+)?$/.exec(t);
  return m ? t : null;
}

function vOverlap(a: { y0: number; y1: number }, b: { y0: number; y1: number }): number {
  return Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0);
}
function hOverlap(a: { x0: number; x1: number }, b: { x0: number; x1: number }): number {
  return Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0);
}

/** Cells right of c on its row band, left to right. */
function rightOf(cells: Cell[], c: Cell): Cell[] {
  const h = c.y1 - c.y0;
  return cells
    .filter((d) => d !== c && d.page === c.page && d.x0 >= c.x1 - 2 && vOverlap(c, d) >= 0.5 * Math.min(h, d.y1 - d.y0))
    .sort((p, q) => p.x0 - q.x0);
}

/** The value of a label cell: the rest of its own text when it holds more than the label,
 *  else the next cell to the right. */
function valueOf(cells: Cell[], c: Cell): { text: string; cell: Cell | null } {
  const r = rightOf(cells, c)[0];
  return { text: r ? r.text.trim() : '', cell: r ?? null };
}

interface Group {
  cells: Cell[];
  pages: Set<number>;
  /** Left and right edges of the form (for recognising its continuation). */
  x0: number;
  x1: number;
  closed: boolean;
  /** The indicator header has been seen (rows below it are read by readIndicators). */
  inIndicators: boolean;
  headingPage: number | null;
  /** The project named by the heading (…项目绩效目标表) when the form has no 项目名称 row. */
  headingName: string | null;
  department: boolean;
  /** 单位：万元 printed above the form, for forms whose funds label states no unit. */
  statedUnit: PerformanceTarget['unit'] | null;
}

function pageText(p: PageData): string {
  let s = '';
  for (const r of p.runs) s += r.text;
  return s.replace(/\s+/g, '');
}

function pageHasHint(p: PageData): boolean {
  let s = '';
  for (const r of p.runs) s += r.text;
  s = s.replace(/\s+/g, '');
  return s.includes('指标') || s.includes('绩效') || /(项目|专项)[（(]?.{0,3}名称/.test(s);
}

interface Start {
  y0: number;
  name: string | null;
  /** A 部门整体支出绩效目标表 (the department's own targets), not a project's. */
  department?: boolean;
}

const DEPT_LABEL_RE = /^(部门|单位|部门[（(]单位[)）]|预算单位|预算部门)名称$/;
const DEPT_HEADING_RE = /整体(支出)?绩效目标(申报|填报)?表/;

export function extractPerformanceTargets(pages: PageData[]): PerformanceTarget[] {
  const groups: Group[] = [];
  let open: Group | null = null;
  let prevPage: PageData | null = null;
  const list: ListState = { cols: null, unit: '元', last: null };
  const listTargets: PerformanceTarget[] = [];
  for (const page of pages) {
    if (!open && !list.cols && !pageHasHint(page)) {
      prevPage = page;
      continue;
    }
    let cells = buildCells(page);
    // A form printed without rulings: pieces of text stand for its cells.
    if (!cells.some(isFormLabel)) {
      const loose = textCells(page);
      if (loose.some(isFormLabel)) cells = loose;
    }
    if (!cells.length) {
      open = null;
      list.cols = null;
      list.last = null;
      prevPage = page;
      continue;
    }
    listTargets.push(...readListPage(page, cells, list));
    let starts: Start[] = cells.filter((c) => PROJECT_RE.test(lab(c.text)) && isCardLabel(cells, c)).map((c) => ({ y0: c.y0, name: null }));
    if (!starts.length && !findColumns(cells)) starts = headingStarts(page, cells);
    if (!starts.length && pageText(page).includes('整体') && DEPT_HEADING_RE.test(pageText(page))) {
      // 部门整体支出绩效目标表: a form like a project's, named by the department.
      const d = cells.find((c) => DEPT_LABEL_RE.test(lab(c.text)) && isCardLabel(cells, c));
      if (d) starts = [{ y0: d.y0, name: null, department: true }];
    }
    const firstStartY = starts.length ? starts[0]!.y0 : Infinity;
    // Continuation of the open form at the top of this page.
    if (open && !open.closed) {
      const before = cells.filter((c) => c.y0 < firstStartY - 1);
      if (before.length) {
        const x0 = Math.min(...before.map((c) => c.x0));
        const x1 = Math.max(...before.map((c) => c.x1));
        const top = Math.min(...before.map((c) => c.y0));
        const aligned = Math.abs(x0 - open.x0) <= 6 && Math.abs(x1 - open.x1) <= 6;
        const noHeading = !headingBetween(page, 0, top);
        if (aligned && noHeading && top < page.height * 0.3) {
          if (!open.inIndicators) mergeSplitRow(open, before);
          addCells(open, before);
        }
      }
    }
    open = null;
    for (let k = 0; k < starts.length; k++) {
      const s = starts[k]!;
      const endY = starts[k + 1]?.y0 ?? Infinity;
      const own = cells.filter((c) => c.y0 >= s.y0 - 1 && c.y0 < endY - 1);
      if (!own.length) continue;
      const g: Group = { cells: [], pages: new Set(), x0: 0, x1: 0, closed: false, inIndicators: false, headingPage: null, headingName: s.name, department: !!s.department, statedUnit: unitAbove(page, s.y0, starts[k - 1]?.y0 ?? 0) };
      addCells(g, own);
      g.pages.add(page.index);
      g.x0 = Math.min(...own.map((c) => c.x0));
      g.x1 = Math.max(...own.map((c) => c.x1));
      // A heading left alone at the bottom of the previous page.
      if (!s.name && !headingBetween(page, 0, s.y0) && prevPage && s.y0 < page.height * 0.3 && headingBetween(prevPage, prevPage.height * 0.6, prevPage.height)) {
        g.headingPage = prevPage.index;
      }
      groups.push(g);
      open = g;
    }
    prevPage = page;
  }
  const out: PerformanceTarget[] = [];
  for (const g of groups) {
    const t = readTarget(g);
    if (t) out.push(t);
  }
  // List rows without indicators are unit subtotals, not projects.
  for (const t of listTargets) if (t.indicators.annual.length || t.goals.annual) out.push(t);
  return out.sort((a, b) => (a.pages[0] ?? 0) - (b.pages[0] ?? 0));
}

function addCells(g: Group, cells: Cell[]) {
  for (const c of cells) {
    g.cells.push(c);
    if (c.text.trim()) g.pages.add(c.page);
    if (FOOTER_RE.test(c.text.trim())) g.closed = true;
    if (H3.test(lab(c.text))) g.inIndicators = true;
  }
}

/** A labelled row cut by the page break: the top row of the continuation has an empty label
 *  cell and the rest of the values; they are appended to the row above the break. */
function mergeSplitRow(g: Group, cont: Cell[]) {
  const top = Math.min(...cont.map((c) => c.y0));
  const band = cont.filter((c) => c.y0 <= top + 1).sort((a, b) => a.x0 - b.x0);
  const first = band[0];
  if (!first || first.text.trim() || !band.some((c) => c.text.trim())) return;
  const prevPage = Math.max(...g.cells.map((c) => c.page));
  const prev = g.cells.filter((c) => c.page === prevPage);
  const bottom = Math.max(...prev.map((c) => c.y1));
  const last = prev.filter((c) => c.y1 >= bottom - 1);
  for (const c of band) {
    const above = last.find((d) => Math.abs(d.x0 - c.x0) <= 3 && Math.abs(d.x1 - c.x1) <= 3);
    if (!above || !c.text.trim()) continue;
    above.text += c.text;
    above.lines = [...above.lines, ...c.lines];
    c.text = '';
    c.lines = [];
  }
}

/** A unit line (单位：万元, 金额单位：元) printed between the previous form and this one. */
function unitAbove(page: PageData, y: number, from: number): PerformanceTarget['unit'] | null {
  for (const l of groupLines(page.runs.filter((r) => r.y < y && r.y > from))) {
    const m = /(?:^|单位[:：])(万元|千元|元)$/.exec(l.text.replace(/\s+/g, ''));
    if (m && /单位|^(万元|千元|元)$/.test(l.text.replace(/\s+/g, ''))) return m[1] as PerformanceTarget['unit'];
  }
  return null;
}

/** Forms without a 项目名称 row, named by their heading (…项目绩效目标表): one start per heading
 *  that has a funds or indicator block below it. */
function headingStarts(page: PageData, cells: Cell[]): Start[] {
  const out: Start[] = [];
  for (const l of groupLines(page.runs)) {
    const t = l.text.replace(/\s+/g, '');
    const m = /^(.{2,60}?)(项目)?(支出)?绩效目标(申报|填报)?表$/.exec(t);
    if (!m) continue;
    const name = m[1]!.replace(/^(\d{4}年度?|附件\d*[:：]?)/, '');
    if (!name || /表|^预算\d|(部门|单位)[)）]?$|部门[（(]单位[)）]|预算部门|项目支出$|^(本|单位|部门|整体|重点)|专项业务经费重点|整体支出/.test(name)) continue;
    const below = cells.filter((c) => c.y0 >= l.top - 2);
    const hasForm = below.some((c) => {
      const x = lab(c.text).replace(/[（(][^）)]*[)）]/g, '');
      return FUND_TOTAL_PERIOD_RE.test(x) || FUND_TOTAL_ANNUAL_RE.test(x) || H3.test(x);
    });
    if (hasForm) out.push({ y0: l.top - 2, name });
  }
  return out;
}

/** Whether the 项目名称 cell is a card label (its value to its right), not a list header. */
function isCardLabel(cells: Cell[], c: Cell): boolean {
  const r = rightOf(cells, c);
  if (!r.length) return false;
  if (r.some((d) => H3.test(lab(d.text)) || H1.test(lab(d.text)))) return false;
  const rt = lab(r[0]!.text);
  // A list header names its next column (项目总额, 资金总额(万元)…); a card names the project.
  return !/^(项目(总额|金额|资金|编码|代码|单位|类别|类型|性质|属性)|资金总额|年度资金(总额)?|(年度)?绩效目标|年度目标|一级指标|预算(金额|数)|金额|合计|单位名称|序号)([（(][^）)]*[)）])?$/.test(rt);
}

/** Whether the page has a 绩效目标表 heading line outside the ruled cells between y0 and y1. */
function headingBetween(p: PageData, y0: number, y1: number): boolean {
  const lines = groupLines(p.runs.filter((r) => r.y > y0 && r.y < y1));
  return lines.some((l) => HEADING_RE.test(l.text.replace(/\s+/g, '')));
}
const HEADING_RE = /^[^（(【\[].{0,50}绩效目标(申报|填报)?表[)）]?$/;

function readTarget(g: Group): PerformanceTarget | null {
  const cells = g.cells;
  const labelCell = cells.find((c) => (g.department ? DEPT_LABEL_RE : PROJECT_RE).test(lab(c.text)) && isCardLabel(cells, c));
  const project = labelCell ? valueOf(cells, labelCell).text : g.headingName;
  if (!project) return null;
  const t: PerformanceTarget = {
    project,
    ...(g.department ? { scope: 'department' as const } : {}),
    department: null,
    implementer: null,
    attribute: null,
    period: null,
    unit: g.statedUnit ?? '元',
    funds: { period: null, annual: null },
    texts: {},
    goals: { period: null, annual: null },
    indicators: { period: [], annual: [] },
    pages: [],
  };
  for (const c of cells) {
    const l = lab(c.text);
    if (!l) continue;
    for (const [k, re] of FIELD_LABELS) if (t[k] === null && re.test(l)) t[k] = valueOf(cells, c).text || null;
    for (const [k, re] of TEXT_LABELS) if (t.texts[k] === undefined && re.test(l)) t.texts[k] = valueOf(cells, c).text;
    // The unit label of the funds block: 项目资金（元）, 资金情况（万元）…
    const u = /^[^，。,；]{0,12}(资金|金额)[^，。,；]{0,6}[（(](万元|千元|元)[)）]$/.exec(l);
    if (u) t.unit = u[2] as PerformanceTarget['unit'];
  }
  readFunds(cells, t);
  readGoals(cells, t);
  readIndicators(cells, t);
  // A 项目名称 row of some other table (项目名称 | 经济科目 | …): no form content at all.
  const hasContent =
    t.funds.period || t.funds.annual || t.indicators.period.length || t.indicators.annual.length || t.goals.period || t.goals.annual || Object.keys(t.texts).length;
  if (!hasContent) return null;
  const pages = new Set(g.pages);
  if (g.headingPage !== null) pages.add(g.headingPage);
  t.pages = [...pages].sort((a, b) => a - b);
  return t;
}

function readFunds(cells: Cell[], t: PerformanceTarget) {
  const totals: Array<{ cell: Cell; side: 'period' | 'annual' }> = [];
  for (const c of cells) {
    const l = lab(c.text).replace(/[（(][^）)]*[)）]/g, '');
    if (FUND_TOTAL_PERIOD_RE.test(l)) totals.push({ cell: c, side: 'period' });
    else if (FUND_TOTAL_ANNUAL_RE.test(l)) totals.push({ cell: c, side: 'annual' });
  }
  if (!totals.length) return;
  const blocks: { period: FundBlock | null; annual: FundBlock | null } = { period: null, annual: null };
  for (const tot of totals) {
    const v = amount(valueOf(cells, tot.cell).text) ?? inlineAmount(tot.cell.text);
    const b = (blocks[tot.side] ??= {});
    if (b.total === undefined && v !== null) b.total = v;
  }
  const firstY = Math.min(...totals.map((x) => x.cell.y0));
  for (const c of cells) {
    if (c.y0 < firstY - 1 || totals.some((x) => x.cell === c)) continue;
    const l = lab(c.text);
    if (!l || l.length > 24) continue;
    const part = FUND_PARTS.find(([, re]) => re.test(l));
    if (!part) continue;
    const val = valueOf(cells, c);
    if (!val.cell) continue;
    const v = amount(val.text) ?? inlineAmount(c.text);
    if (v === null && val.text !== '') continue;
    // The 资金总额 label of this column: nearest in x above.
    let best: (typeof totals)[number] | null = null;
    for (const x of totals) {
      if (x.cell.page !== c.page || x.cell.y0 > c.y0 + 1) continue;
      if (!best || Math.abs(x.cell.x0 - c.x0) < Math.abs(best.cell.x0 - c.x0)) best = x;
    }
    if (!best) continue;
    const b = (blocks[best.side] ??= {});
    if (b[part[0]] === undefined && v !== null) b[part[0]] = v;
  }
  t.funds = blocks;
}

function inlineAmount(s: string): string | null {
  const m = /[:：]\s*(-?[\d,，]+(\.\d+)?)\s*$/.exec(s);
  return m ? amount(m[1]!) : null;
}

function readGoals(cells: Cell[], t: PerformanceTarget) {
  const label = cells.find((c) => GOAL_LABEL_RE.test(lab(c.text)));
  const periodHead = cells.find((c) => GOAL_PERIOD_RE.test(lab(c.text)));
  const annualHead = cells.find((c) => GOAL_ANNUAL_RE.test(lab(c.text)));
  if (label) {
    const vals = rightOf(cells, label).filter((v) => v !== periodHead && v !== annualHead && !GOAL_PERIOD_RE.test(lab(v.text)) && !GOAL_ANNUAL_RE.test(lab(v.text)));
    if (periodHead || annualHead) {
      for (const v of vals) {
        const op = periodHead && periodHead.page === v.page ? hOverlap(periodHead, v) : -Infinity;
        const oa = annualHead && annualHead.page === v.page ? hOverlap(annualHead, v) : -Infinity;
        if (op > 0 && op >= oa) t.goals.period ??= v.text.trim();
        else if (oa > 0) t.goals.annual ??= v.text.trim();
      }
      if (t.goals.period !== null || t.goals.annual !== null) return;
    }
    if (vals.length >= 2) {
      t.goals.period = vals[0]!.text.trim();
      t.goals.annual = vals[1]!.text.trim();
    } else if (vals.length === 1) t.goals.annual = vals[0]!.text.trim();
    else t.goals.annual = below(cells, label);
    return;
  }
  // No 总体目标 row: 实施期目标 / 年度目标 used as row labels.
  if (periodHead) {
    const v = valueOf(cells, periodHead);
    if (v.cell) t.goals.period = v.text;
  }
  if (annualHead) {
    const v = valueOf(cells, annualHead);
    if (v.cell) t.goals.annual = v.text;
    else if (!periodHead) t.goals.annual = below(cells, annualHead);
  }
}

/** The text of the cell right under a full-width label (当年整体绩效目标 over its text). */
function below(cells: Cell[], c: Cell): string | null {
  const d = cells
    .filter((x) => x.page === c.page && x.y0 >= c.y1 - 1 && Math.abs(x.x0 - c.x0) <= 3 && Math.abs(x.x1 - c.x1) <= 3)
    .sort((a, b) => a.y0 - b.y0)[0];
  return d && d.y0 - c.y1 < 2 && d.text.trim() ? d.text.trim() : null;
}

interface Column {
  x0: number;
  x1: number;
  /** From pseudo cells: bounds midway between header centres; a cell belongs by its centre. */
  loose?: boolean;
}
interface Side {
  l1: Column | null;
  l2: Column | null;
  l3: Column;
  val: Column | null;
  /** 指标性质 (≥, ≤, =…) and 计量单位 columns printed apart from the value. */
  op?: Column | null;
  unit?: Column | null;
}

const H1 = /^一级指标$/;
const H2 = /^二级指标$/;
const H3 = /^(三级指标|指标内容|指标名称|三级指标名称)$/;
const HV = /指标值$|^指标值|^目标值$/;

function isFormLabel(c: Cell): boolean {
  const l = lab(c.text);
  return PROJECT_RE.test(l) || H3.test(l);
}

/** The indicator header row on one page: its bottom and its sides. */
function findHeader(cells: Cell[], page: number): { y1: number; sides: Side[] } | null {
  const h3 = cells.find((c) => c.page === page && H3.test(lab(c.text)));
  if (!h3) return null;
  const row = cells
    .filter((c) => c.page === page && vOverlap(c, h3) >= 0.5 * Math.min(c.y1 - c.y0, h3.y1 - h3.y0))
    .sort((a, b) => a.x0 - b.x0);
  // Without rulings a header's text is narrower than its column: a column runs from midway
  // to the previous header to midway to the next one.
  const colOf = (c: Cell, i: number): Column => {
    if (!c.pseudo) return { x0: c.x0, x1: c.x1 };
    const prev = row[i - 1];
    const next = row[i + 1];
    const mid = (d: Cell) => (d.x0 + d.x1) / 2;
    return { x0: prev ? (mid(prev) + mid(c)) / 2 : c.x0 - 0.5 * (c.y1 - c.y0), x1: next ? (mid(c) + mid(next)) / 2 : c.x1 + 6 * (c.y1 - c.y0), loose: true };
  };
  const sides: Side[] = [];
  let l1: Column | null = null;
  let cur: Partial<Side> | null = null;
  const flush = () => {
    if (cur?.l3) sides.push({ l1: cur.l1 ?? l1, l2: cur.l2 ?? null, l3: cur.l3, val: cur.val ?? null, op: cur.op ?? null, unit: cur.unit ?? null });
    cur = null;
  };
  for (const [i, c] of row.entries()) {
    const l = lab(c.text);
    const col = colOf(c, i);
    if (H1.test(l)) {
      if (cur) flush();
      if (!sides.length) l1 = col;
      cur = { l1: col };
    } else if (H2.test(l)) {
      if (cur && (cur.l2 || cur.l3)) flush();
      cur ??= {};
      cur.l2 = col;
    } else if (H3.test(l)) {
      if (cur?.l3) flush();
      cur ??= {};
      cur.l3 = col;
    } else if (HV.test(l) && cur?.l3 && !cur.val) {
      cur.val = col;
    } else if (/性质|指标方向|符号/.test(l) && cur?.l3 && !cur.op) {
      cur.op = col;
    } else if (/^(计量|度量)?单位$/.test(l) && cur?.l3 && !cur.unit) {
      cur.unit = col;
    }
  }
  flush();
  if (!sides.length) return null;
  const heads = row.filter((c) => [H1, H2, H3, HV].some((re) => re.test(lab(c.text))));
  return { y1: Math.max(...heads.map((c) => c.y1)), sides };
}

interface Band {
  y0: number;
  y1: number;
  page: number;
  l3: Cell[];
  val: Cell[];
  l1: Cell | null;
  l2: Cell | null;
  op?: Cell | null;
  unit?: Cell | null;
}

function inCol(c: Cell, col: Column | null): boolean {
  if (!col) return false;
  if (col.loose) return (c.x0 + c.x1) / 2 >= col.x0 && (c.x0 + c.x1) / 2 < col.x1;
  const cx = (c.x0 + c.x1) / 2;
  return cx >= col.x0 - 2 && cx <= col.x1 + 2 && c.x1 - c.x0 <= (col.x1 - col.x0) * 1.6 + 4;
}

function readIndicators(cells: Cell[], t: PerformanceTarget) {
  const pages = [...new Set(cells.map((c) => c.page))].sort((a, b) => a - b);
  let header: { y1: number; sides: Side[] } | null = null;
  let started = false;
  // Per side: its bands in order, and cell text aliases (a cell split by a page break).
  const bandsBySide: Band[][] = [];
  const alias = new Map<Cell, Cell>();
  const extra = new Map<Cell, string>();
  const resolve = (c: Cell | null): Cell | null => {
    while (c && alias.has(c)) c = alias.get(c)!;
    return c;
  };
  for (const p of pages) {
    const pageCells = cells.filter((c) => c.page === p);
    const h = findHeader(pageCells, p);
    let top = -Infinity;
    if (h) {
      header = h;
      top = h.y1 - 1;
      started = true;
    } else if (!started || !header) continue;
    const footer = pageCells.filter((c) => FOOTER_RE.test(c.text.trim()) && c.y0 >= top).sort((a, b) => a.y0 - b.y0)[0];
    const bottom = footer ? footer.y0 + 1 : Infinity;
    const body = pageCells.filter((c) => c.y0 >= top && c.y0 < bottom - 1);
    const continuation = !h;
    const firstBands: Array<Band | undefined> = [];
    header.sides.forEach((side, si) => {
      const list = (bandsBySide[si] ??= []);
      const leaf = body.filter((c) => inCol(c, side.l3) || inCol(c, side.val)).sort((a, b) => a.y0 - b.y0);
      const bands: Band[] = [];
      for (const c of leaf) {
        const b = bands.find((x) => vOverlap(x, c) >= 0.5 * Math.min(c.y1 - c.y0, x.y1 - x.y0));
        const target = b ?? { y0: c.y0, y1: c.y1, page: p, l3: [], val: [], l1: null, l2: null };
        if (!b) bands.push(target);
        target.y0 = Math.min(target.y0, c.y0);
        target.y1 = Math.max(target.y1, c.y1);
        if (inCol(c, side.l3)) target.l3.push(c);
        else target.val.push(c);
      }
      bands.sort((a, b) => a.y0 - b.y0);
      if (side.l3.loose) mergeLooseBands(bands);
      for (const b of bands) {
        const mid = { y0: b.y0 + 0.5, y1: b.y1 - 0.5 };
        const pick = (col: Column | null) =>
          col?.loose
            ? nearestLabel(body, col, b)
            : (body.filter((c) => inCol(c, col) && vOverlap(c, mid) > 0).sort((x, y) => vOverlap(y, mid) - vOverlap(x, mid))[0] ?? null);
        b.l1 = pick(side.l1);
        b.l2 = pick(side.l2);
        b.op = pick(side.op ?? null);
        b.unit = pick(side.unit ?? null);
      }
      firstBands[si] = continuation ? bands[0] : undefined;
      list.push(...bands);
    });
    // A row split by the page break: the top band of the continuation page carries no value
    // on any side; its pieces belong to the last row of the previous page.
    if (continuation && firstBands.length && firstBands.every((b) => b && !b.val.some((c) => c.text.trim()))) {
      header.sides.forEach((_, si) => {
        const list = bandsBySide[si]!;
        const first = firstBands[si]!;
        const idx = list.indexOf(first);
        const prev = idx > 0 ? list[idx - 1] : undefined;
        if (!prev) return;
        for (const key of ['l1', 'l2'] as const) {
          const a = resolve(prev[key]);
          const b = resolve(first[key]);
          if (a && b && a !== b) {
            extra.set(a, (extra.get(a) ?? '') + textOf(b, extra));
            alias.set(b, a);
          } else if (!a && b) prev[key] = b;
        }
        prev.l3.push(...first.l3);
        prev.val.push(...first.val);
        list.splice(idx, 1);
      });
    } else if (continuation) {
      // Labels cut by the page break inside a merged cell: 满意度指 | 标.
      header.sides.forEach((_, si) => {
        const list = bandsBySide[si]!;
        const first = firstBands[si];
        const idx = first ? list.indexOf(first) : -1;
        const prev = idx > 0 ? list[idx - 1] : undefined;
        if (!first || !prev) return;
        for (const key of ['l1', 'l2'] as const) {
          const a = resolve(prev[key]);
          const b = resolve(first[key]);
          if (!a || !b || a === b) continue;
          const ta = textOf(a, extra);
          const tb = textOf(b, extra);
          if (tb && !looksComplete(ta) && looksComplete(ta + tb)) {
            extra.set(a, (extra.get(a) ?? '') + tb);
            alias.set(b, a);
          }
        }
      });
    }
  }
  const names: Array<'period' | 'annual'> = bandsBySide.length >= 2 ? ['period', 'annual'] : ['annual'];
  bandsBySide.slice(0, 2).forEach((bands, si) => {
    const rows: Indicator[] = [];
    let l1 = '';
    let l2 = '';
    for (const b of bands) {
      const t1 = textOf(resolve(b.l1), extra);
      const t2 = textOf(resolve(b.l2), extra);
      if (t1) {
        if (t1 !== l1) l2 = '';
        l1 = t1;
      }
      if (t2) l2 = t2;
      const l3 = b.l3.map((c) => c.text.trim()).join('');
      let value = b.val.map((c) => c.text.trim()).join('');
      const op = b.op?.text.trim() ?? '';
      const unit = b.unit?.text.trim() ?? '';
      if (value && COMPARE_RE.test(op)) value = op + value;
      if (value && unit && !value.endsWith(unit)) value += unit;
      if (!l3 && !value) continue;
      rows.push({ level1: l1, level2: l2, level3: l3, value });
    }
    t.indicators[names[si]!] = rows;
  });
}

function textOf(c: Cell | null, extra: Map<Cell, string>): string {
  if (!c) return '';
  return (c.text + (extra.get(c) ?? '')).trim();
}

const COMPARE_RE = /^(≥|≤|>|<|=|＝|>=|<=|≧|≦|大于等于|小于等于|大于|小于|等于)$/;

function looksComplete(s: string): boolean {
  return /(指标|效益|影响|满意度|成本|数量|质量|时效)$/.test(s);
}

/** Without rulings, a label printed once for several rows (a merged cell) sits among them:
 *  each row takes the nearest label of the column, above or below. */
function nearestLabel(body: Cell[], col: Column, b: { y0: number; y1: number }): Cell | null {
  const mid = (b.y0 + b.y1) / 2;
  let best: Cell | null = null;
  for (const c of body) {
    if (!inCol(c, col) || !c.text.trim()) continue;
    if (!best || Math.abs((c.y0 + c.y1) / 2 - mid) < Math.abs((best.y0 + best.y1) / 2 - mid)) best = c;
  }
  return best;
}

/** Without rulings, a wrapped 三级指标 gives lines without a value around the line with it:
 *  each such line joins the nearest line with a value (within two line heights). */
function mergeLooseBands(bands: Band[]) {
  // A value wrapped onto the next line (≤363042.5 / 8元): no 三级指标 beside it.
  const hasVal = (b: Band) => b.val.some((c) => c.text.trim());
  for (let i = bands.length - 1; i > 0; i--) {
    const b = bands[i]!;
    if (b.l3.some((c) => c.text.trim()) || !hasVal(b)) continue;
    const h = b.y1 - b.y0;
    // Its indicator name wrapped around it (lines above and below without a value): its own row.
    const near = (x: Band) => x !== b && !hasVal(x) && Math.abs((x.y0 + x.y1) / 2 - (b.y0 + b.y1) / 2) <= 1.3 * h;
    if (bands.filter(near).length >= 2 || (bands[i + 1] && near(bands[i + 1]!))) continue;
    let k = i - 1;
    while (k >= 0 && !hasVal(bands[k]!) && b.y0 - bands[k]!.y1 <= 1.6 * h) k--;
    const a = bands[k];
    if (!a || b.y0 - a.y1 > 1.6 * h) continue;
    a.val.push(...b.val);
    a.y1 = Math.max(a.y1, b.y1);
    bands.splice(i, 1);
  }
  const withVal = bands.filter((b) => b.val.some((c) => c.text.trim()));
  if (!withVal.length) return;
  for (const b of bands.slice()) {
    if (withVal.includes(b)) continue;
    const h = b.y1 - b.y0;
    const mid = (b.y0 + b.y1) / 2;
    let best: Band | null = null;
    for (const w of withVal) {
      const d = Math.abs((w.y0 + w.y1) / 2 - mid);
      if (d <= 2 * h && (!best || d < Math.abs((best.y0 + best.y1) / 2 - mid))) best = w;
    }
    if (!best) {
      // A value with no indicator name near it (a date stamp of the footer) is no row.
      if (!b.l3.some((c) => c.text.trim())) bands.splice(bands.indexOf(b), 1);
      continue;
    }
    best.l3.push(...b.l3);
    best.l3.sort((x, y) => x.y0 - y.y0);
    best.y0 = Math.min(best.y0, b.y0);
    best.y1 = Math.max(best.y1, b.y1);
    bands.splice(bands.indexOf(b), 1);
  }
}
