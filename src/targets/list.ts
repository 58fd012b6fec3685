/** 项目支出绩效目标表 in list form: one table for many projects, a header row
 *  项目名称 | 项目总额/资金总额 | (财政资金 | 其他资金) | 绩效目标 | 一级指标 | 二级指标 | 三级指标 |
 *  (指标性质) | 指标值 | (度量单位), each project a cell merged down over its indicator rows.
 *  The table may run over pages, repeating its header or not. */
import type { PageData } from '../pdf/types.js';
import type { PerformanceTarget } from '../model.js';
import type { Cell } from './cells.js';

type Target = PerformanceTarget;
type FundKey = 'total' | 'fiscal' | 'other';

interface Col {
  x0: number;
  x1: number;
}
export interface ListColumns {
  project: Col;
  funds: Array<[FundKey, Col]>;
  goal: Col | null;
  l1: Col | null;
  l2: Col | null;
  l3: Col | null;
  value: Col | null;
  op: Col | null;
  unit: Col | null;
  /** Left and right edges of the table. */
  x0: number;
  x1: number;
}

export interface ListState {
  cols: ListColumns | null;
  unit: Target['unit'];
  /** The project open at the bottom of the last page read. */
  last: { target: Target; l1: string; l2: string } | null;
}

const lab = (s: string) => s.replace(/\s+/g, '').replace(/[:：]+$/, '');
const PROJECT_HEAD_RE = /^(项目名称|二级项目名称|专项名称|单位[（(]项目[)）]名称|项目[（(]单位[)）]名称|(专项|项目)[（(](项目|专项)[)）]名称)$/;
const H3 = /^(三级指标|指标内容|指标名称|三级指标名称)$/;

function vOverlap(a: { y0: number; y1: number }, b: { y0: number; y1: number }): number {
  return Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0);
}
function inCol(c: Cell, col: Col | null): boolean {
  if (!col) return false;
  const cx = (c.x0 + c.x1) / 2;
  return cx >= col.x0 - 2 && cx <= col.x1 + 2 && c.x1 - c.x0 <= (col.x1 - col.x0) * 1.6 + 4;
}

/** The list header on a page: the 项目名称 header cell with indicator headers beside it. */
export function findColumns(cells: Cell[]): { cols: ListColumns; bottom: number } | null {
  for (const p of cells) {
    if (!PROJECT_HEAD_RE.test(lab(p.text))) continue;
    const head = cells.filter((c) => c.y0 >= p.y0 - 1 && c.y1 <= p.y1 + 1);
    // Beside it: indicator headers, or at least a 绩效目标 column (lists without indicators).
    if (!head.some((c) => c.x0 > p.x0 && (H3.test(lab(c.text)) || /^(项目)?(总体)?(年度)?绩效目标$/.test(lab(c.text))))) continue;
    // Leaf header cells: no other header cell below them inside their x range.
    const leaves = head.filter((c) => !head.some((d) => d !== c && d.y0 >= c.y1 - 1 && d.x0 >= c.x0 - 1 && d.x1 <= c.x1 + 1));
    let l1: Col | null = null;
    let l2: Col | null = null;
    let l3: Col | null = null;
    let value: Col | null = null;
    let op: Col | null = null;
    let unit: Col | null = null;
    let goal: Col | null = null;
    const funds: Array<[FundKey, Col]> = [];
    for (const c of leaves.sort((a, b) => a.x0 - b.x0)) {
      const t = lab(c.text).replace(/[（(][^）)]*[)）]/g, '');
      const col = { x0: c.x0, x1: c.x1 };
      if (c === p) continue;
      if (/^一级指标/.test(t)) l1 ??= col;
      else if (/^二级指标/.test(t)) l2 ??= col;
      else if (H3.test(t)) l3 ??= col;
      else if (/性质|类型|符号|指标方向/.test(t) && /指标/.test(t)) op ??= col;
      else if (/度量单位|计量单位|^单位$/.test(t)) unit ??= col;
      else if (/指标值$|^目标值$/.test(t)) value ??= col;
      else if (/财政(资金|拨款)/.test(t)) funds.push(['fiscal', col]);
      else if (/其他资金/.test(t)) funds.push(['other', col]);
      else if (/总额|金额|合计|预算数|资金/.test(t) && !funds.some(([k]) => k === 'total')) funds.push(['total', col]);
      else if (/目标/.test(t) && !/指标/.test(t)) goal ??= col;
    }
    if (!l3 && !goal) continue;
    const xs = cells.filter((c) => vOverlap(c, p) > 0);
    return {
      cols: {
        project: { x0: p.x0, x1: p.x1 },
        funds,
        goal,
        l1,
        l2,
        l3,
        value,
        op,
        unit,
        x0: Math.min(...xs.map((c) => c.x0)),
        x1: Math.max(...xs.map((c) => c.x1)),
      },
      bottom: Math.max(...head.map((c) => c.y1)),
    };
  }
  return null;
}

function amount(s: string): string | null {
  const t = s.replace(/[\s,，]/g, '');
  if (/^[-—–]+$/.test(t)) return '0';
  return /^-?\d+(\.\d+)?$/.test(t) ? t : null;
}

function pageUnit(page: PageData, cols: ListColumns, cells: Cell[], top: number): Target['unit'] | null {
  for (const c of cells) {
    const m = /(?:资金|金额|总额)[（(](万元|千元|元)[)）]/.exec(c.text.replace(/\s+/g, ''));
    if (m && c.x0 >= cols.x0 - 2 && c.x1 <= cols.x1 + 2) return m[1] as Target['unit'];
  }
  let s = '';
  for (const r of page.runs) {
    s += r.text;
    // A bare unit printed above the table (… 万元 at the top right).
    const t = r.text.replace(/\s+/g, '');
    if (/^(金额)?(单位[:：])?(万元|千元|元)$/.test(t) && r.y < top) return t.replace(/^.*?(万元|千元|元)$/, '$1') as Target['unit'];
  }
  const m = /单位[:：]\s*(万元|千元|元)/.exec(s.replace(/\s+/g, ''));
  return m ? (m[1] as Target['unit']) : null;
}

const COMPARE_RE = /^(≥|≤|>|<|=|＝|>=|<=|≧|≦|大于等于|小于等于|大于|小于|等于)$/;

/** Reads the list-form targets of one page; continues the state's open project at the top of
 *  the page. Returns the targets that start on this page. */
export function readListPage(page: PageData, cells: Cell[], state: ListState): Target[] {
  const found = findColumns(cells);
  let top: number;
  if (found) {
    state.cols = found.cols;
    state.unit = pageUnit(page, found.cols, cells, found.bottom) ?? state.unit;
    top = found.bottom - 1;
  } else {
    const cols = state.cols;
    if (!cols || !state.last) {
      state.cols = null;
      return [];
    }
    // A continuation without a repeated header: same edges, starting near the top.
    const xs = cells.filter((c) => c.x0 >= cols.x0 - 6 && c.x1 <= cols.x1 + 6);
    const x0 = Math.min(...xs.map((c) => c.x0));
    const x1 = Math.max(...xs.map((c) => c.x1));
    const first = Math.min(...xs.map((c) => c.y0));
    // Another table's header (一级指标…) or a heading (…表) above it ends the list.
    const otherHeader = cells.some((c) => H3.test(lab(c.text)) || /^一级指标$/.test(lab(c.text)));
    const heading = page.runs.some((r) => r.y < first && /表$/.test(r.text.trim()));
    if (!xs.length || otherHeader || heading || Math.abs(x0 - cols.x0) > 6 || Math.abs(x1 - cols.x1) > 6 || first > page.height * 0.3) {
      state.cols = null;
      state.last = null;
      return [];
    }
    top = first - 1;
  }
  const cols = state.cols!;
  const body = cells.filter((c) => c.y0 >= top && c.x0 >= cols.x0 - 6 && c.x1 <= cols.x1 + 6);
  // Projects: the named cells of the project column; an empty cell continues the one above.
  const projCells = body.filter((c) => inCol(c, cols.project)).sort((a, b) => a.y0 - b.y0);
  interface Span {
    y0: number;
    y1: number;
    cell: Cell | null;
    open: ListState['last'];
  }
  const spans: Span[] = [];
  for (const c of projCells) {
    const name = c.text.trim();
    const cur = spans[spans.length - 1];
    if (!name) {
      if (cur) cur.y1 = Math.max(cur.y1, c.y1);
      else spans.push({ y0: c.y0, y1: c.y1, cell: null, open: state.last });
      continue;
    }
    spans.push({ y0: c.y0, y1: c.y1, cell: c, open: null });
  }
  const out: Target[] = [];
  for (const [k, sp] of spans.entries()) {
    let entry = sp.open;
    if (sp.cell) {
      const name = sp.cell.text.trim();
      if (/^(合计|总计|小计)$/.test(name.replace(/\s+/g, '')) || !/[\u4e00-\u9fffA-Za-z]/.test(name)) continue;
      // The open project repeated at the top of a continuation page.
      if (k === 0 && state.last && state.last.target.project === projectName(sp.cell.lines)) sp.cell = null;
    }
    if (!sp.cell) entry = state.last;
    else {
      const target: Target = {
        project: projectName(sp.cell.lines),
        department: null,
        implementer: null,
        attribute: null,
        period: null,
        unit: state.unit,
        funds: { period: null, annual: null },
        texts: {},
        goals: { period: null, annual: null },
        indicators: { period: [], annual: [] },
        pages: [page.index],
      };
      const fb: NonNullable<Target['funds']['annual']> = {};
      for (const [k, col] of cols.funds) {
        const c = body.find((d) => inCol(d, col) && vOverlap(d, sp) > 0.5 * (d.y1 - d.y0));
        const v = c ? amount(c.text) : null;
        if (v !== null) fb[k] = v;
      }
      if (Object.keys(fb).length) target.funds.annual = fb;
      const g = body.find((d) => inCol(d, cols.goal) && vOverlap(d, sp) > 0.5 * (d.y1 - d.y0));
      if (g?.text.trim()) target.goals.annual = g.text.trim();
      entry = { target, l1: '', l2: '' };
      out.push(target);
    }
    if (!entry) continue;
    if (!entry.target.pages.includes(page.index)) entry.target.pages.push(page.index);
    readRows(body, cols, sp, entry);
    state.last = entry;
  }
  return out;
}

/** The name in a project cell; a leading project code on its own line (11000025T00000335)
 *  is not part of it. */
function projectName(lines: string[]): string {
  const ls = lines.length > 1 && /^[0-9A-Z]{8,}$/.test(lines[0]!) ? lines.slice(1) : lines;
  return ls.join('');
}

function readRows(body: Cell[], cols: ListColumns, sp: { y0: number; y1: number }, entry: NonNullable<ListState['last']>) {
  const within = body.filter((c) => c.y0 >= sp.y0 - 1 && c.y1 <= sp.y1 + 1);
  const leaf = within.filter((c) => inCol(c, cols.l3) || inCol(c, cols.value)).sort((a, b) => a.y0 - b.y0);
  const bands: Array<{ y0: number; y1: number; cells: Cell[] }> = [];
  for (const c of leaf) {
    const b = bands.find((x) => vOverlap(x, c) >= 0.5 * Math.min(c.y1 - c.y0, x.y1 - x.y0));
    if (b) {
      b.y0 = Math.min(b.y0, c.y0);
      b.y1 = Math.max(b.y1, c.y1);
      b.cells.push(c);
    } else bands.push({ y0: c.y0, y1: c.y1, cells: [c] });
  }
  bands.sort((a, b) => a.y0 - b.y0);
  const pick = (col: Col | null, b: { y0: number; y1: number }) => {
    const mid = { y0: b.y0 + 0.5, y1: b.y1 - 0.5 };
    return within.filter((c) => inCol(c, col) && vOverlap(c, mid) > 0).sort((x, y) => vOverlap(y, mid) - vOverlap(x, mid))[0]?.text.trim() ?? '';
  };
  for (const b of bands) {
    const l3 = b.cells.filter((c) => inCol(c, cols.l3)).map((c) => c.text.trim()).join('');
    let value = b.cells.filter((c) => inCol(c, cols.value)).map((c) => c.text.trim()).join('');
    const op = pick(cols.op, b);
    const unit = pick(cols.unit, b);
    if (value && COMPARE_RE.test(op)) value = op + value;
    if (value && unit && !value.endsWith(unit)) value += unit;
    const t1 = pick(cols.l1, b);
    const t2 = pick(cols.l2, b);
    if (t1) {
      if (t1 !== entry.l1) entry.l2 = '';
      entry.l1 = t1;
    }
    if (t2) entry.l2 = t2;
    if (!l3 && !value) continue;
    entry.target.indicators.annual.push({ level1: entry.l1, level2: entry.l2, level3: l3, value });
  }
}
