/** Boxes in PDF points with the origin top-left of the page as displayed (as pdfplumber's
 *  x0/top/x1/bottom): the same space as the text runs (./types.ts). Plain data. */

/** A rectangle on one page: x0 < x1, y0 (top) < y1 (bottom). */
export interface Rect {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** How far glyphs reach below the baseline, as a share of the font size (g, 的 and commas go
 *  lower than the digits; a box must hold them all). */
const DESCENT = 0.25;

/** The box a run's glyphs take: from a font size above the baseline to the descent below it. */
export function glyphBox(r: { x: number; y: number; w: number; size: number }): Rect {
  return { x0: r.x, y0: r.y - r.size, x1: r.x + r.w, y1: r.y + DESCENT * r.size };
}

/** The smallest rectangle holding all of them; null for none. */
export function unionRect(rects: readonly (Rect | null | undefined)[]): Rect | null {
  let out: Rect | null = null;
  for (const r of rects) {
    if (!r) continue;
    out = out ? { x0: Math.min(out.x0, r.x0), y0: Math.min(out.y0, r.y0), x1: Math.max(out.x1, r.x1), y1: Math.max(out.y1, r.y1) } : { ...r };
  }
  return out;
}

/** unionRect one rectangle at a time, without a list of them: `out` grown to hold `r` (or `r`
 *  itself when `out` is null; the caller gives up both). */
export function growRect(out: Rect | null, r: Rect): Rect {
  if (!out) return r;
  out.x0 = Math.min(out.x0, r.x0);
  out.y0 = Math.min(out.y0, r.y0);
  out.x1 = Math.max(out.x1, r.x1);
  out.y1 = Math.max(out.y1, r.y1);
  return out;
}

/** Points to two decimals (a hundredth of a point is far below a glyph's width): the JSON stays short. */
export function roundRect(r: Rect): Rect {
  const q = (v: number) => Math.round(v * 100) / 100;
  return { x0: q(r.x0), y0: q(r.y0), x1: q(r.x1), y1: q(r.y1) };
}

/** A rectangle placed on its 1-based page, rounded (the output's Box). */
export function pageBox(page: number, r: Rect): { page: number } & Rect {
  return { page, ...roundRect(r) };
}
