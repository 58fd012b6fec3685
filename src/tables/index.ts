/** Pages → headings → regions → tables. */
import type { PageData } from '../pdf/types.js';
import type { Table, Unit, Warning } from '../model.js';
import { compact } from '../pdf/normalize.js';
import { groupLines, type Line } from '../layout/lines.js';
import { isAmountText } from '../layout/grid.js';
import { headingOf, isTocPage, type Heading } from './headings.js';
import { readTable, type LayoutTrace, type LostFigure, type Region } from './read.js';

export interface TablesResult {
  tables: Table[];
  warnings: Warning[];
  headings: Heading[];
  /** Per table read (in `tables` order before empty references are dropped): its layouts. */
  layouts: Array<{ id: string; title: string; layouts: LayoutTrace[] }>;
  /** Per table of `tables`: the figures its body printed that no cell took. */
  lost: LostFigure[][];
}

export function pageLines(pages: readonly PageData[]): Line[][] {
  return pages.map((p) => groupLines(p.runs));
}

export function findHeadings(pages: readonly PageData[], lines: Line[][]): Heading[] {
  const out: Heading[] = [];
  pages.forEach((p, pi) => {
    const ls = lines[pi]!;
    const toc = isTocPage(ls);
    for (let i = 0; i < ls.length; i++) {
      const h = headingOf(ls, i, p.width, toc);
      if (h && !h.isBreak && insideGrid(p, ls[i]!)) continue;
      if (h) {
        out.push({ ...h, page: p.index });
        i = h.lineEnd;
      }
    }
  });
  return dropListEntries(out);
}

/** Headings on consecutive lines with nothing between them are a list of tables (a 目录
 *  without leaders), not tables; two adjacent lines naming the same table (`一、收支预算总表`
 *  over `2026年度收支预算总表`) are one heading. */
function dropListEntries(hs: Heading[]): Heading[] {
  const adjacent = (a: Heading, b: Heading) => !a.isBreak && !b.isBreak && a.page === b.page && b.line - a.lineEnd <= 1;
  const out: Heading[] = [];
  let i = 0;
  while (i < hs.length) {
    let j = i;
    while (j + 1 < hs.length && adjacent(hs[j]!, hs[j + 1]!)) j++;
    const run = hs.slice(i, j + 1);
    if (run.length === 1) out.push(run[0]!);
    else if (run.length === 2 && run[0]!.def?.id === run[1]!.def?.id) out.push({ ...run[1]!, number: run[1]!.number ?? run[0]!.number });
    else if (run.length === 2) out.push(run[1]!);
    // Three or more in a row: a list of tables.
    i = j + 1;
  }
  return out;
}

/** A line cut by a vertical rule (a label cell and a value cell of a 绩效目标表, the value
 *  ending in 表) is no title: a title is one piece of text, whether or not it is boxed. */
export function insideGrid(p: PageData, l: Line): boolean {
  if (l.chunks.length < 2) return false;
  const y = l.y - l.size * 0.4;
  const crossing = p.vLines.filter((s) => s.y1 < y && s.y2 > y);
  // A rule between the line's pieces: a label cell and a value cell, not a title.
  return l.chunks.some((c, i) => i > 0 && crossing.some((s) => s.x1 > l.chunks[i - 1]!.x1 - 1 && s.x1 < c.x0 + 1));
}

/** Cut the document into table regions: from each table heading to the next heading. */
export function cutRegions(pages: readonly PageData[], lines: Line[][], headings: Heading[]): Region[] {
  const regions: Region[] = [];
  const pageIdx = new Map(pages.map((p, i) => [p.index, i]));
  for (let h = 0; h < headings.length; h++) {
    const head = headings[h]!;
    if (head.isBreak) continue;
    const next = headings[h + 1];
    const headLines = lines[pageIdx.get(head.page)!]!.slice(head.line, head.lineEnd + 1);
    const region: Region = {
      def: head.def,
      number: head.number,
      title: head.title,
      headingText: headLines.map((l) => l.text).join(''),
      segments: [],
    };
    const startIdx = pageIdx.get(head.page)!;
    for (let pi = startIdx; pi < pages.length; pi++) {
      const page = pages[pi]!;
      const ls = lines[pi]!;
      const from = pi === startIdx ? head.lineEnd + 1 : 0;
      const to = next && next.page === page.index ? next.line : ls.length;
      // The number printed above the next heading belongs to it.
      let end = to;
      if (next && next.page === page.index && next.number && end > from) {
        const above = compact(ls[end - 1]!.text);
        if (above === next.number) end--;
      }
      const segLines = ls.slice(from, end);
      if (pi > startIdx && !continues(segLines)) break;
      region.segments.push({ page, lines: segLines, first: pi === startIdx });
      if (next && next.page === page.index) break;
      if (next && pages[pi + 1] && next.page < pages[pi + 1]!.index) break;
    }
    regions.push(region);
  }
  return mergeContinuedHeadings(regions);
}

/** A following page continues the table when it starts with table-like lines, not prose,
 *  and carries figures. */
function continues(lines: Line[]): boolean {
  const first = lines.slice(0, 6);
  if (!first.length) return false;
  // A 注： under the table's last rows is no prose.
  const prose = first.filter((l) => l.chunks.length === 1 && compact(l.text).length > 25 && /[，。；]/.test(l.text) && !/^(注|说明)[:：]/.test(compact(l.text))).length;
  if (prose > 0) return false;
  return lines.some((l) => l.chunks.some((c) => isAmountText(c.text) && !/^\d{1,3}$/.test(c.text)));
}

/** A title repeated on the next page (续表) continues the same table. */
function mergeContinuedHeadings(regions: Region[]): Region[] {
  const out: Region[] = [];
  for (const r of regions) {
    const prev = out[out.length - 1];
    const prevLast = prev?.segments[prev.segments.length - 1];
    const first = r.segments[0];
    const sameTitle = prev && (prev.title === r.title || r.title === `${prev.title}续` || /续表?$/.test(r.number ?? '') || /^续/.test(r.title));
    if (prev && prevLast && first && sameTitle && first.page.index === prevLast.page.index + 1 && prev.def?.id === r.def?.id) {
      for (const s of r.segments) prev.segments.push({ ...s, first: false, repeated: true });
      continue;
    }
    out.push(r);
  }
  return out;
}

export function extractTables(pages: readonly PageData[], lines: Line[][] = pageLines(pages)): TablesResult {
  const headings = findHeadings(pages, lines);
  const regions = cutRegions(pages, lines, headings);
  const warnings: Warning[] = [];
  const tables: Table[] = [];
  let docUnit: Unit | null = null;
  const layouts: TablesResult['layouts'] = [];
  const lostBy = new Map<Table, LostFigure[]>();
  for (const region of regions) {
    const { table, warnings: w, layouts: l, lost } = readTable(region, docUnit);
    docUnit ??= table.unit;
    tables.push(table);
    lostBy.set(table, lost);
    warnings.push(...w);
    layouts.push({ id: table.id, title: table.title, layouts: l });
  }
  // A heading with nothing under it (no rows, no 本表无数据 note) that names a table printed
  // elsewhere is a reference to it (a list, a caption), not a second table.
  const withRows = new Set(tables.filter((t) => t.rows.length).map((t) => t.id));
  const kept = tables.filter((t) => t.rows.length || !withRows.has(t.id) || t.empty);
  return { tables: kept, warnings, headings, layouts, lost: kept.map((t) => lostBy.get(t) ?? []) };
}
