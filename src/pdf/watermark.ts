/** Watermarks (仅供内部审核, 样稿…) are real text in the text layer but not content: the same
 *  text, drawn much larger than the body, on many pages. Rotated ones are already dropped by
 *  the loader (only horizontal text is kept). */
import type { PageData } from './types.js';

export function dropWatermarks(pages: PageData[]): PageData[] {
  const sizes = pages.flatMap((p) => p.runs.map((r) => r.size)).sort((a, b) => a - b);
  const body = sizes[Math.floor(sizes.length / 2)] ?? 10;
  const pagesWith = new Map<string, Set<number>>();
  for (const p of pages) {
    for (const r of p.runs) {
      if (r.size < 1.6 * body || r.text.trim().length < 2) continue;
      // Same text at the same place: a title that repeats (2025年…) moves, a watermark does not.
      const k = `${r.text.trim()}@${Math.round(r.x / 4)},${Math.round(r.y / 4)}`;
      if (!pagesWith.has(k)) pagesWith.set(k, new Set());
      pagesWith.get(k)!.add(p.index);
    }
  }
  const minPages = Math.max(3, Math.ceil(pages.length * 0.25));
  const marks = new Set([...pagesWith].filter(([, s]) => s.size >= minPages).map(([k]) => k));
  if (!marks.size) return pages;
  const isMark = (r: { text: string; x: number; y: number }) => marks.has(`${r.text.trim()}@${Math.round(r.x / 4)},${Math.round(r.y / 4)}`);
  return pages.map((p) => ({ ...p, runs: p.runs.filter((r) => !(r.size >= 1.6 * body && isMark(r))) }));
}
