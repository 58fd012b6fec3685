/** Running prose of a disclosure: text lines outside ruled tables, without page numbers,
 *  joined into paragraphs (a line wraps anywhere, even inside a number: `3,` / `618.63`).
 *  Each paragraph keeps, per character offset, the page it was printed on. */
import type { PageData } from '../pdf/types.js';
import { groupLines, isNumericText, type Line } from '../layout/lines.js';

export interface ProseLine {
  text: string;
  page: number;
  x0: number;
  x1: number;
  y: number;
  size: number;
  /** Some chunk of the line is separated from the next by a wide gap (a TOC entry, a form). */
  gapped: boolean;
}

export interface Paragraph {
  /** Whitespace removed (kept only between two Latin letters or digits). */
  text: string;
  /** Page of the first character. */
  page: number;
  /** [offset, page] where the page changes inside the paragraph, ascending. */
  breaks: Array<[number, number]>;
}

const PAGE_NO_RE = /^(第\s*\d+\s*页(\s*共\s*\d+\s*页)?|[-—–]?\s*\d{1,3}\s*[-—–]?|\d+\s*\/\s*\d+|page\s*\d+)$/i;

/** Whether the y range [top, y] lies between two vertical rulings left and right of [x0, x1]. */
function insideRuled(p: PageData, x0: number, x1: number, top: number, y: number): boolean {
  let left = false;
  let right = false;
  for (const s of p.vLines) {
    if (s.y1 > top + 1 || s.y2 < y - 1) continue;
    if (s.x1 <= x0 + 3) left = true;
    if (s.x1 >= x1 - 3) right = true;
    if (left && right) return true;
  }
  return false;
}

function lineText(l: Line): string {
  return l.chunks.map((c) => c.text).join(' ');
}

/** Prose lines of the given pages, in reading order. */
export function proseLines(pages: PageData[]): ProseLine[] {
  const out: ProseLine[] = [];
  for (const p of pages) {
    const lines = groupLines(p.runs);
    for (const l of lines) {
      const text = lineText(l).trim();
      if (!text) continue;
      const x0 = l.chunks[0]?.x0 ?? 0;
      const x1 = l.chunks[l.chunks.length - 1]?.x1 ?? 0;
      const atEdge = l.y > p.height * 0.88 || l.y < p.height * 0.08;
      if (atEdge && PAGE_NO_RE.test(text)) continue;
      if (insideRuled(p, x0, x1, l.top, l.y)) continue;
      const numeric = l.chunks.filter((c) => isNumericText(c.text)).length;
      if (numeric === l.chunks.length) continue; // chart values, stray figures
      let gapped = false;
      for (let i = 1; i < l.chunks.length; i++) {
        if (l.chunks[i]!.x0 - l.chunks[i - 1]!.x1 > 2.5 * l.size) gapped = true;
      }
      if (gapped && numeric >= 2) continue; // an unruled table row
      out.push({ text, page: p.index, x0, x1, y: l.y, size: l.size, gapped });
    }
  }
  return out;
}

/** Headings and list items that start a paragraph of their own. */
export const ITEM_START_RE = /^(第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|\d+[、.．](?!\d)|[①-⑳])/;

/** Joins prose lines into paragraphs: a paragraph starts at an indented line, a heading or list
 *  item, and after a line that stops well short of the right margin. */
export function paragraphs(lines: ProseLine[]): Paragraph[] {
  // Margins per page: the most common left edge and the right edge of full lines.
  const left = new Map<number, number>();
  const right = new Map<number, number>();
  const byPage = new Map<number, ProseLine[]>();
  for (const l of lines) {
    const a = byPage.get(l.page);
    if (a) a.push(l);
    else byPage.set(l.page, [l]);
  }
  for (const [page, ls] of byPage) {
    // The left margin: the smallest left edge shared by two lines or more (wrapped lines).
    const counts = new Map<number, number>();
    for (const l of ls) counts.set(Math.round(l.x0), (counts.get(Math.round(l.x0)) ?? 0) + 1);
    let best = Infinity;
    for (const [x, c] of counts) if (c >= 2 && x < best) best = x;
    if (best === Infinity) best = Math.min(...ls.map((l) => Math.round(l.x0)));
    left.set(page, best);
    const xs = ls.map((l) => l.x1).sort((a, b) => b - a);
    right.set(page, xs[Math.min(xs.length - 1, Math.floor(xs.length * 0.1))] ?? 0);
  }
  const out: Paragraph[] = [];
  let cur: Paragraph | null = null;
  let prev: ProseLine | null = null;
  // The last character of cur.text, kept aside: reading it from the growing string (a rope)
  // would flatten it at every line and make the join quadratic in the paragraph's length.
  let last = '';
  for (const l of lines) {
    const lm = left.get(l.page)!;
    const rm = right.get(l.page)!;
    const indented = l.x0 > lm + 0.8 * l.size;
    // A line stopping short of the right margin ends its paragraph (justified prose).
    const prevShort = prev ? prev.x1 < (right.get(prev.page) ?? 0) - 2.5 * prev.size : true;
    const start = !cur || (indented && l.x0 < rm - 4 * l.size) || ITEM_START_RE.test(l.text) || prevShort || l.gapped || prev?.gapped;
    const text = squeeze(l.text);
    if (start || !cur) {
      cur = { text: '', page: l.page, breaks: [] };
      out.push(cur);
      last = '';
    } else if (prev && prev.page !== l.page) {
      cur.breaks.push([cur.text.length, l.page]);
    }
    cur.text = joinText(cur.text, text, last);
    if (text) last = text[text.length - 1]!;
    prev = l;
  }
  return out.filter((p) => p.text);
}

/** Removes whitespace except between two Latin letters or digits. */
export function squeeze(s: string): string {
  return s.replace(/\s+/g, (m, off: number, all: string) => {
    const a = all[off - 1] ?? '';
    const b = all[off + m.length] ?? '';
    return /[A-Za-z]/.test(a) && /[A-Za-z]/.test(b) ? ' ' : '';
  });
}

/** Appends b to a, with a space between two Latin letters; `aLast` is a's last character
 *  (constant time whatever a's length: the paragraph is built line by line). */
export function joinText(a: string, b: string, aLast: string): string {
  if (!a) return b;
  return /^[A-Za-z]$/.test(aLast) && /^[A-Za-z]/.test(b) ? `${a} ${b}` : a + b;
}

/** The page of the character at offset i of a paragraph. */
export function pageAt(p: Paragraph, i: number): number {
  let page = p.page;
  for (const [off, pg] of p.breaks) {
    if (off <= i) page = pg;
    else break;
  }
  return page;
}

/** Whether a line is a 目录 entry (dot leaders or a trailing page number after a gap). */
export function isTocLine(l: ProseLine): boolean {
  return /[.．。…·]{4,}\s*\d*$/.test(l.text) || (l.gapped && /\d+$/.test(l.text));
}
