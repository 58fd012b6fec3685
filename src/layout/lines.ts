/** Text runs → lines → chunks. A chunk is a horizontal stretch of runs close enough to be one
 *  piece of text (one cell's content on one line); a line is the chunks sharing a baseline. */
import type { TextRun } from '../pdf/types.js';
import { glyphBox, type Rect } from '../pdf/boxes.js';

export interface Chunk {
  text: string;
  x0: number;
  x1: number;
  y: number;
  size: number;
  /** Top and bottom of its runs' glyphs (pdf/boxes.ts), where it was grouped from runs. */
  top?: number;
  bottom?: number;
}

export interface Line {
  y: number;
  /** Top of the tallest glyph box, for vertical spacing decisions. */
  top: number;
  size: number;
  chunks: Chunk[];
  /** All chunk texts joined without separators. */
  text: string;
}

/** The box of a chunk's glyphs. */
export function chunkBox(c: Chunk): Rect {
  // (Chunks grouped from runs know their glyphs' top and bottom.)
  if (c.top != null && c.bottom != null) return { x0: c.x0, y0: c.top, x1: c.x1, y1: c.bottom };
  const g = glyphBox({ x: c.x0, y: c.y, w: c.x1 - c.x0, size: c.size });
  return { x0: c.x0, y0: c.top ?? g.y0, x1: c.x1, y1: c.bottom ?? g.y1 };
}

const NUMERIC_RE = /^[-−–(（]?[\d,，.]+[)）]?$/;
export function isNumericText(s: string): boolean {
  return NUMERIC_RE.test(s.trim()) && /\d/.test(s);
}

const cache = new WeakMap<readonly TextRun[], Line[]>();

/** Runs whose baselines differ by less than ~40% of the font size share a line. Pages are
 *  read by several stages (tables, targets, narrative): each page's runs are grouped once. */
export function groupLines(runs: readonly TextRun[]): Line[] {
  let lines = cache.get(runs);
  if (!lines) {
    lines = group(runs);
    cache.set(runs, lines);
  }
  return lines;
}

function group(runs: readonly TextRun[]): Line[] {
  const sorted = runs.slice().sort((a, b) => a.y - b.y || a.x - b.x);
  const groups: TextRun[][] = [];
  let cur: TextRun[] = [];
  let curY = Number.NaN;
  for (const r of sorted) {
    const tol = Math.max(1.5, 0.4 * Math.min(r.size, cur[0]?.size ?? r.size));
    if (cur.length && Math.abs(r.y - curY) > tol) {
      groups.push(cur);
      cur = [];
    }
    if (!cur.length) curY = r.y;
    cur.push(r);
  }
  if (cur.length) groups.push(cur);
  return groups.map(toLine);
}

/** Some generators place every glyph on its own (one run per character) with a font width
 *  wider than the advance they use, so runs overlap. A run then ends where the next begins,
 *  and the last of such a sequence keeps the advance of the ones before it. Returns each run's
 *  width (the runs themselves are the page's: never changed). */
function clampWidths(byX: readonly TextRun[]): number[] {
  const w = byX.map((r) => r.w);
  let advance = 0;
  for (let i = 0; i < byX.length; i++) {
    const r = byX[i]!;
    const next = byX[i + 1];
    if (next && next.x > r.x && next.x < r.x + w[i]! - 0.2 * r.size) {
      advance = next.x - r.x;
      w[i] = advance;
    } else if (advance && i > 0 && w[i - 1] === advance && r.text.length === 1 && w[i]! > 1.5 * advance) {
      w[i] = advance;
      advance = 0;
    } else advance = 0;
  }
  return w;
}

function toLine(runs: TextRun[]): Line {
  const byX = runs.slice().sort((a, b) => a.x - b.x);
  const widths = clampWidths(byX);
  const chunks: Chunk[] = [];
  let size = -Infinity;
  for (let i = 0; i < byX.length; i++) {
    const r = byX[i]!;
    const x1 = r.x + widths[i]!;
    // (The glyph box's top and bottom do not depend on the run's width.)
    const g = glyphBox(r);
    const last = chunks[chunks.length - 1];
    if (last && joins(last, r)) {
      last.text += r.text;
      last.x1 = Math.max(last.x1, x1);
      last.size = Math.max(last.size, r.size);
      last.top = Math.min(last.top!, g.y0);
      last.bottom = Math.max(last.bottom!, g.y1);
    } else {
      chunks.push({ text: r.text, x0: r.x, x1, y: r.y, size: r.size, top: g.y0, bottom: g.y1 });
    }
  }
  for (const r of runs) size = Math.max(size, r.size);
  for (const c of chunks) c.text = c.text.trim();
  const y = median(runs.map((r) => r.y));
  return { y, top: y - size, size, chunks: chunks.filter((c) => c.text), text: chunks.map((c) => c.text).join('') };
}

/** Whether run r continues chunk c: the gap is a fraction of the font size. Two numbers are
 *  joined only when they touch (a number split into runs), never across a column gap; an
 *  amount never joins text (a right-aligned figure often sits right next to the next
 *  column's left-aligned name), but a short integer does (`2025` + `年`, `表` + `1`). */
function joins(c: Chunk, r: TextRun): boolean {
  const gap = r.x - c.x1;
  const size = Math.min(c.size, r.size);
  if (gap < -0.5 * size) return false;
  const left = c.text.trim();
  const right = r.text.trim();
  const numL = /[\d.,]$/.test(left);
  const numR = /^[-\d.,]/.test(right);
  if (numL && numR) return gap < 0.15 * size;
  const amountL = isNumericText(left) && !/^\d{1,4}$/.test(left);
  const amountR = isNumericText(right) && !/^\d{1,4}$/.test(right);
  if (amountL || amountR) return gap < 0.05 * size;
  return gap < 0.25 * size;
}

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}
