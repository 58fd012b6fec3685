/** Ruled cells of a page: the ruling segments cut the page into a grid of elementary
 *  rectangles; rectangles not separated by a drawn border are one (merged) cell. Text runs
 *  are assigned to the cell holding them (a run that crosses a border is split at it), and a
 *  cell's text is its lines joined top to bottom. Pure geometry: nothing here knows what a
 *  绩效目标表 is. */
import type { PageData, Segment, TextRun } from '../pdf/types.js';
import { groupLines } from '../layout/lines.js';

export interface Cell {
  page: number;
  x0: number;
  x1: number;
  y0: number;
  y1: number;
  /** The cell's lines, top to bottom, each joined left to right. */
  lines: string[];
  /** The lines joined (wrapped text rejoined). */
  text: string;
  /** A piece of text standing for a cell on a page without rulings (textCells). */
  pseudo?: boolean;
}

/** Positions closer than this (pt) are one ruling. */
const SNAP = 2.2;

interface Cluster {
  pos: number;
  /** Merged covered intervals along the ruling, sorted. */
  spans: Array<[number, number]>;
}

function cluster(segs: Array<{ pos: number; a: number; b: number }>): Cluster[] {
  const sorted = segs.slice().sort((s, t) => s.pos - t.pos);
  const groups: Array<typeof sorted> = [];
  for (const s of sorted) {
    const g = groups[groups.length - 1];
    if (g && s.pos - g[g.length - 1]!.pos <= SNAP) g.push(s);
    else groups.push([s]);
  }
  return groups.map((g) => {
    const pos = g.reduce((n, s) => n + s.pos, 0) / g.length;
    const iv = g.map((s) => [s.a, s.b] as [number, number]).sort((p, q) => p[0] - q[0]);
    const spans: Array<[number, number]> = [];
    for (const [a, b] of iv) {
      const last = spans[spans.length - 1];
      if (last && a <= last[1] + SNAP) last[1] = Math.max(last[1], b);
      else spans.push([a, b]);
    }
    return { pos, spans };
  });
}

/** How much of [a, b] the spans cover (0..1). */
function coverage(spans: Array<[number, number]>, a: number, b: number): number {
  if (b <= a) return 1;
  let n = 0;
  for (const [s, e] of spans) {
    if (e <= a) continue;
    if (s >= b) break;
    n += Math.min(e, b) - Math.max(s, a);
  }
  return n / (b - a);
}

/** Index i with xs[i] <= v < xs[i+1], or -1 outside. */
function locate(xs: number[], v: number): number {
  let lo = 0;
  let hi = xs.length - 1;
  if (!(v >= xs[0]! && v < xs[hi]!)) return -1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (xs[mid]! <= v) lo = mid;
    else hi = mid;
  }
  return lo;
}

const WIDE_RE = /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f“”‘’]/;

/** Splits a run into per-character pieces with estimated x ranges (wide glyphs count 1 em,
 *  others about half). */
function charBoxes(r: TextRun): Array<{ ch: string; x0: number; x1: number }> {
  const chars = Array.from(r.text);
  const weights = chars.map((c) => (WIDE_RE.test(c) ? 1 : c === ' ' ? 0.3 : 0.55));
  const total = weights.reduce((n, w) => n + w, 0) || 1;
  const out: Array<{ ch: string; x0: number; x1: number }> = [];
  let x = r.x;
  chars.forEach((ch, i) => {
    const w = (r.w * weights[i]!) / total;
    out.push({ ch, x0: x, x1: x + w });
    x += w;
  });
  return out;
}

interface Piece {
  text: string;
  x0: number;
  x1: number;
  y: number;
  size: number;
}

/** Cells of one page; [] when the page has no closed ruled cells. */
export function buildCells(page: PageData): Cell[] {
  const v = cluster(page.vLines.map((s: Segment) => ({ pos: s.x1, a: s.y1, b: s.y2 })));
  const h = cluster(page.hLines.map((s: Segment) => ({ pos: s.y1, a: s.x1, b: s.x2 })));
  if (v.length < 2 || h.length < 2) return [];
  const xs = v.map((c) => c.pos);
  const ys = h.map((c) => c.pos);
  const nx = xs.length - 1;
  const ny = ys.length - 1;
  const n = nx * ny;
  const parent = new Int32Array(n);
  for (let i = 0; i < n; i++) parent[i] = i;
  const find = (a: number): number => {
    while (parent[a] !== a) {
      parent[a] = parent[parent[a]!]!;
      a = parent[a]!;
    }
    return a;
  };
  const union = (a: number, b: number) => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  };
  const id = (i: number, j: number) => j * nx + i;
  const MIN_COVER = 0.6;
  for (let j = 0; j < ny; j++) {
    const a = ys[j]!;
    const b = ys[j + 1]!;
    for (let i = 0; i <= nx; i++) {
      const has = coverage(v[i]!.spans, a + 0.5, b - 0.5) >= MIN_COVER;
      if (has) continue;
      // The grid's own edge closes a cell whose outer border is not drawn (tables without
      // an outer frame); inside, a missing border merges the two sides.
      if (i > 0 && i < nx) union(id(i - 1, j), id(i, j));
    }
  }
  for (let i = 0; i < nx; i++) {
    const a = xs[i]!;
    const b = xs[i + 1]!;
    for (let j = 0; j <= ny; j++) {
      const has = coverage(h[j]!.spans, a + 0.5, b - 0.5) >= MIN_COVER;
      if (has) continue;
      if (j > 0 && j < ny) union(id(i, j - 1), id(i, j));
    }
  }
  // Components → boxes.
  const boxes = new Map<number, { x0: number; x1: number; y0: number; y1: number; pieces: Piece[] }>();
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      const r = find(id(i, j));
      const b = boxes.get(r);
      if (!b) boxes.set(r, { x0: xs[i]!, x1: xs[i + 1]!, y0: ys[j]!, y1: ys[j + 1]!, pieces: [] });
      else {
        b.x0 = Math.min(b.x0, xs[i]!);
        b.x1 = Math.max(b.x1, xs[i + 1]!);
        b.y0 = Math.min(b.y0, ys[j]!);
        b.y1 = Math.max(b.y1, ys[j + 1]!);
      }
    }
  }
  if (!boxes.size) return [];
  const compAt = (x: number, y: number): number => {
    const i = locate(xs, x);
    const j = locate(ys, y);
    if (i < 0 || j < 0) return -1;
    return find(id(i, j));
  };
  for (const run of page.runs) {
    const cy = run.y - 0.35 * run.size;
    const a = compAt(run.x + Math.min(run.w, run.size) / 2, cy);
    const b = compAt(run.x + run.w - Math.min(run.w, run.size) / 2, cy);
    if (a === b) {
      if (a >= 0) boxes.get(a)!.pieces.push({ text: run.text, x0: run.x, x1: run.x + run.w, y: run.y, size: run.size });
      continue;
    }
    // The run crosses a border: split it character by character.
    let cur: Piece | null = null;
    let curComp = -2;
    for (const c of charBoxes(run)) {
      const comp = compAt((c.x0 + c.x1) / 2, cy);
      if (comp !== curComp) {
        if (cur && curComp >= 0) boxes.get(curComp)!.pieces.push(cur);
        cur = { text: '', x0: c.x0, x1: c.x1, y: run.y, size: run.size };
        curComp = comp;
      }
      cur!.text += c.ch;
      cur!.x1 = c.x1;
    }
    if (cur && curComp >= 0) boxes.get(curComp)!.pieces.push(cur);
  }
  const cells: Cell[] = [];
  for (const b of boxes.values()) {
    const lines = joinLines(b.pieces);
    cells.push({ page: page.index, x0: b.x0, x1: b.x1, y0: b.y0, y1: b.y1, lines, text: lines.join('') });
  }
  cells.sort((p, q) => p.y0 - q.y0 || p.x0 - q.x0);
  return cells;
}

const ASCII_WORD = /[A-Za-z0-9]$/;
const ASCII_START = /^[A-Za-z0-9]/;

/** Pieces → lines (shared baseline), each joined left to right. */
export function joinLines(pieces: Piece[]): string[] {
  const sorted = pieces.filter((p) => p.text.trim()).sort((p, q) => p.y - q.y || p.x0 - q.x0);
  const lines: Piece[][] = [];
  let baseY = Number.NaN;
  for (const p of sorted) {
    const cur = lines[lines.length - 1];
    if (cur && Math.abs(p.y - baseY) <= Math.max(1.5, 0.4 * p.size)) cur.push(p);
    else {
      lines.push([p]);
      baseY = p.y;
    }
  }
  return lines.map((l) => {
    l.sort((p, q) => p.x0 - q.x0);
    let s = '';
    let prev: Piece | null = null;
    for (const p of l) {
      const t = p.text.trim();
      if (prev && p.x0 - prev.x1 > 0.5 * p.size && ASCII_WORD.test(s) && ASCII_START.test(t)) s += ' ';
      s += t;
      prev = p;
    }
    return s;
  });
}

/** Cells of a page printed without rulings: every separated piece of text of a line stands for
 *  a cell (its own text extent, one line high). Wrapped cell text is not rejoined here. */
export function textCells(page: PageData): Cell[] {
  const out: Cell[] = [];
  for (const l of groupLines(page.runs)) {
    for (const c of l.chunks) {
      out.push({ page: page.index, x0: c.x0, x1: c.x1, y0: l.y - 0.9 * l.size, y1: l.y + 0.2 * l.size, lines: [c.text], text: c.text, pseudo: true });
    }
  }
  return out;
}
