/** Row bands of a table block: the lines that make one row. Between horizontal rules where
 *  the page rules its rows; else one band per text line, with wrapped names and wrapped
 *  figures joined to their row. */
import type { PageData } from '../pdf/types.js';
import { compact } from '../pdf/normalize.js';
import { chunkBox, type Chunk, type Line } from './lines.js';
import { growRect, type Rect } from '../pdf/boxes.js';
import { columnOf, isAmountText, ruledRows, type Column } from './grid.js';

export interface Band {
  lines: Line[];
  top: number;
  bottom: number;
}

/** A cell's text: its pieces line by line (the line's baseline, not each glyph's: a
 *  parenthesis set a little higher stays in place), left to right. */
export function cellText(band: Band, col: Column): string {
  const parts: Array<{ y: number; x: number; text: string }> = [];
  for (const l of band.lines) for (const c of l.chunks) if (inColumn(col, c)) parts.push({ y: l.y, x: c.x0, text: c.text });
  if (parts.length <= 1) return parts[0]?.text ?? '';
  parts.sort((a, b) => a.y - b.y || a.x - b.x);
  return parts.map((c) => c.text).join('');
}

/** Whether a chunk's middle falls in the column (columnOf for that one column). */
function inColumn(col: Column, c: Chunk): boolean {
  const x = (c.x0 + c.x1) / 2;
  return x >= col.x0 - 0.5 && x <= col.x1 + 0.5;
}

/** The box of a cell's text (the chunks cellText reads), null for an empty cell. */
export function cellBox(band: Band, col: Column): Rect | null {
  return chunksBox(band, (c) => inColumn(col, c));
}

/** A row band's box across a block [x0, x1]: from the top of its highest glyph to the bottom
 *  of its lowest. */
export function bandBox(band: Band, x0: number, x1: number): Rect | null {
  const text = chunksBox(band, () => true);
  return text && { x0: Math.min(x0, text.x0), y0: text.y0, x1: Math.max(x1, text.x1), y1: text.y1 };
}

/** unionRect of the boxes of the band's chunks that `take` accepts, without the arrays
 *  (every row and every value asks for one). */
function chunksBox(band: Band, take: (c: Chunk) => boolean): Rect | null {
  let out: Rect | null = null;
  for (const l of band.lines) {
    for (const c of l.chunks) {
      if (!take(c)) continue;
      out = growRect(out, chunkBox(c));
    }
  }
  return out;
}

/** Row bands of one block: between horizontal rules where the page rules its rows, else one
 *  band per text line, a wrapped name line joined to the row above it. */
export function makeBands(page: PageData, body: Line[], cols: Column[], ruled: boolean, bx0: number, bx1: number, left: number, right: number): Band[] {
  const inBlock = body
    .map((l) => ({ ...l, chunks: l.chunks.filter((c) => (c.x0 + c.x1) / 2 >= bx0 && (c.x0 + c.x1) / 2 <= bx1 && c.x0 >= left - 4 && c.x1 <= right + 4) }))
    .filter((l) => l.chunks.length);
  if (!inBlock.length) return [];
  const ys = ruled ? ruledRows(page.hLines, bx0, bx1) : [];
  const inner = ys.filter((y) => y > inBlock[0]!.top - 2 && y < inBlock[inBlock.length - 1]!.y + 2);
  const withFigures = inBlock.filter((l) => l.chunks.some((c) => isAmountText(c.text))).length;
  if (ruled && inner.length >= 1 && inner.length >= withFigures * 0.5) {
    const edges = [-Infinity, ...ys, Infinity];
    const bands: Band[] = [];
    for (let i = 0; i + 1 < edges.length; i++) {
      const top = edges[i]!;
      const bottom = edges[i + 1]!;
      const ls = inBlock.filter((l) => l.y - l.size * 0.35 > top && l.y - l.size * 0.35 < bottom);
      if (!ls.length) continue;
      // Two whole figures in one column of one band: a rule was missed, so these are two rows
      // (a wrapped figure's tail, `8` under `18,536.8`, is no whole figure).
      const whole = ls.flatMap((l) => l.chunks.filter((c) => isAmountText(c.text) && /[.,]/.test(c.text)).map((c) => columnOf(cols, (c.x0 + c.x1) / 2)));
      if (new Set(whole).size < whole.length) {
        for (const l of ls) bands.push({ lines: [l], top: l.top, bottom: l.y });
      } else bands.push({ lines: ls, top, bottom });
    }
    return bands;
  }
  const bands: Band[] = [];
  const pitch = medianGap(inBlock);
  for (const l of inBlock) {
    const prev = bands[bands.length - 1];
    const hasAmount = l.chunks.some((c) => isAmountText(c.text));
    const t = compact(l.text);
    const startsRow = /^[一二三四五六七八九十]+、|^[（(][一二三四五六七八九十\d]+[)）]|^\d{3}|^其中|^合计|^总计|^小计/.test(t);
    const close = prev && l.y - prev.lines[prev.lines.length - 1]!.y < Math.max(0.75 * pitch, 1.35 * l.size);
    const hasLabel = l.chunks.some((c) => !isAmountText(c.text));
    const prevHasAmount = prev?.lines.some((x) => x.chunks.some((c) => isAmountText(c.text)));
    // A wrapped name: its tail on the next line, or the figures on the line between its halves.
    if (prev && close && ((!hasAmount && !startsRow) || (hasAmount && !hasLabel && !prevHasAmount))) {
      prev.lines.push(l);
      continue;
    }
    bands.push({ lines: [l], top: l.top, bottom: l.y });
  }
  return joinWrappedFigures(bands, cols);
}

/** A figure too wide for its cell wraps (`18,536.8` over the row, `8` under it): a line of
 *  figures alone, right against a row that has nothing (or the figure's head) in those
 *  columns, belongs to that row. */
function joinWrappedFigures(bands: Band[], cols: Column[]): Band[] {
  const figuresOnly = (b: Band) => b.lines.length === 1 && b.lines[0]!.chunks.every((c) => isAmountText(c.text));
  const fits = (piece: Band, row: Band, below: boolean) =>
    piece.lines[0]!.chunks.every((c) => {
      const col = columnOf(cols, (c.x0 + c.x1) / 2);
      if (col < 0) return false;
      const there = cellText(row, cols[col]!);
      if (!there) return true;
      // The tail of a wrapped figure: one or two digits under a head ending in its point.
      return below && /^\d{1,2}$/.test(c.text) && /\.\d?$/.test(there);
    });
  const out: Band[] = [];
  for (let i = 0; i < bands.length; i++) {
    const b = bands[i]!;
    const line = b.lines[0]!;
    if (!figuresOnly(b)) {
      out.push(b);
      continue;
    }
    const prev = out[out.length - 1];
    const next = bands[i + 1];
    const near = (o: Band | undefined, dir: number) => o && Math.abs(o.lines[dir < 0 ? o.lines.length - 1 : 0]!.y - line.y) < 1.2 * line.size;
    if (near(next, 1) && !figuresOnly(next!) && fits(b, next!, false)) {
      next!.lines.unshift(line);
      continue;
    }
    if (near(prev, -1) && !figuresOnly(prev!) && fits(b, prev!, true)) {
      prev!.lines.push(line);
      continue;
    }
    out.push(b);
  }
  return out;
}

function medianGap(lines: Line[]): number {
  const gaps: number[] = [];
  for (let i = 1; i < lines.length; i++) gaps.push(lines[i]!.y - lines[i - 1]!.y);
  gaps.sort((a, b) => a - b);
  return gaps[Math.floor(gaps.length / 2)] ?? 20;
}
