/** Columns of a table region: from ruling lines where the page has them (lattice), from text
 *  alignment where it does not (stream), chosen by the evidence on the page as Tabula does. */
import type { Segment } from '../pdf/types.js';
import { isNumericText, type Chunk, type Line } from './lines.js';

export interface Column {
  x0: number;
  x1: number;
}

/** Amount-like cell text: a number (separators, sign, parentheses) or a printed zero mark. */
export function isAmountText(s: string): boolean {
  const t = s.trim();
  return isNumericText(t) || /^[-－—–―]+$/.test(t);
}

/** x positions of vertical rules that run through most of the band [top, bottom]. */
export function ruledBoundaries(vLines: readonly Segment[], top: number, bottom: number, minCover = 0.5, minGap = 10): number[] {
  const span = bottom - top;
  if (span <= 0) return [];
  const byX = new Map<number, Segment[]>();
  const keys: number[] = [];
  for (const s of vLines.slice().sort((a, b) => a.x1 - b.x1)) {
    if (s.y2 < top - 2 || s.y1 > bottom + 2) continue;
    const k = keys.find((x) => Math.abs(x - s.x1) <= 2);
    if (k === undefined) {
      keys.push(s.x1);
      byX.set(s.x1, [s]);
    } else byX.get(k)!.push(s);
  }
  const xs: number[] = [];
  for (const k of keys) {
    const covered = coverage(byX.get(k)!, top, bottom);
    if (covered >= minCover * span) xs.push(k);
  }
  xs.sort((a, b) => a - b);
  // Double borders (Word draws each cell's own frame) are one boundary, not a sliver column.
  const out: number[] = [];
  for (const x of xs) {
    const last = out[out.length - 1];
    if (last !== undefined && x - last < minGap) out[out.length - 1] = (last + x) / 2;
    else out.push(x);
  }
  return out;
}

function coverage(segs: Segment[], top: number, bottom: number): number {
  const iv = segs.map((s) => [Math.max(top, s.y1), Math.min(bottom, s.y2)] as const).filter(([a, b]) => b > a);
  iv.sort((a, b) => a[0] - b[0]);
  let total = 0;
  let end = -Infinity;
  for (const [a, b] of iv) {
    if (a > end) {
      total += b - a;
      end = b;
    } else if (b > end) {
      total += b - end;
      end = b;
    }
  }
  return total;
}

/** y positions of horizontal rules covering at least half of [x0, x1]. Segments at one y
 *  are taken together: spreadsheet exports draw a row's rule cell by cell. */
export function ruledRows(hLines: readonly Segment[], x0: number, x1: number): number[] {
  const byY: Array<{ y: number; segs: Segment[] }> = [];
  for (const s of hLines.slice().sort((a, b) => a.y1 - b.y1)) {
    const last = byY[byY.length - 1];
    if (last && s.y1 - last.y <= 1.5) last.segs.push(s);
    else byY.push({ y: s.y1, segs: [s] });
  }
  const width = x1 - x0;
  const out: number[] = [];
  for (const { y, segs } of byY) {
    const covered = coverage(segs.map((s) => ({ x1: 0, x2: 0, y1: s.x1, y2: s.x2 })), x0, x1);
    if (covered >= 0.5 * width && (!out.length || y - out[out.length - 1]! > 2)) out.push(y);
  }
  return out;
}

/** Stream mode: columns from the data lines' text. Amounts are right-aligned, so they
 *  cluster by right edge; labels cluster by left edge. */
export function textColumns(dataLines: readonly Line[]): Column[] {
  const amounts: Chunk[] = [];
  const labels: Chunk[] = [];
  for (const l of dataLines) for (const c of l.chunks) (isAmountText(c.text) ? amounts : labels).push(c);
  const cols: Column[] = [];
  for (const g of cluster(amounts, (c) => c.x1, 6)) cols.push(extent(g));
  for (const g of cluster(labels, (c) => c.x0, 8)) {
    const e = extent(g);
    // A label cluster inside an amount column is a stray (e.g. a note); skip it.
    if (!cols.some((c) => e.x0 >= c.x0 - 1 && e.x0 <= c.x1)) cols.push(e);
  }
  cols.sort((a, b) => a.x0 - b.x0);
  return mergeOverlapping(cols);
}

function cluster<T>(items: T[], key: (t: T) => number, tol: number): T[][] {
  const s = items.slice().sort((a, b) => key(a) - key(b));
  const out: T[][] = [];
  for (const it of s) {
    const last = out[out.length - 1];
    if (last && key(it) - key(last[last.length - 1]!) <= tol) last.push(it);
    else out.push([it]);
  }
  return out;
}

function extent(g: Chunk[]): Column {
  return { x0: Math.min(...g.map((c) => c.x0)), x1: Math.max(...g.map((c) => c.x1)) };
}

function mergeOverlapping(cols: Column[]): Column[] {
  const out: Column[] = [];
  for (const c of cols) {
    const last = out[out.length - 1];
    if (last && c.x0 < last.x1 - 2) {
      last.x0 = Math.min(last.x0, c.x0);
      last.x1 = Math.max(last.x1, c.x1);
    } else out.push({ ...c });
  }
  return out;
}

/** Turn column extents into touching intervals (boundaries halfway between neighbours). */
export function toIntervals(cols: Column[], left: number, right: number): Column[] {
  return cols.map((c, i) => ({
    x0: i === 0 ? Math.min(left, c.x0) : (cols[i - 1]!.x1 + c.x0) / 2,
    x1: i === cols.length - 1 ? Math.max(right, c.x1) : (c.x1 + cols[i + 1]!.x0) / 2,
  }));
}

export function columnOf(cols: readonly Column[], x: number): number {
  for (let i = 0; i < cols.length; i++) if (x >= cols[i]!.x0 - 0.5 && x <= cols[i]!.x1 + 0.5) return i;
  return -1;
}
