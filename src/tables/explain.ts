/** Why each heading candidate was or was not taken as a table, and why a core table is absent
 *  (`budget-extract tables --explain`). Replays the heading rules of ./headings.ts and
 *  ./index.ts on every line that reads like a table title. Pure: no I/O. */
import type { PageData } from '../pdf/types.js';
import type { Table } from '../model.js';
import { compact } from '../pdf/normalize.js';
import { chunkBox, type Line } from '../layout/lines.js';
import { unionRect, type Rect } from '../pdf/boxes.js';
import { findDef } from './definitions.js';
import { headingOf, isTocLine, isTocPage, splitNumber, TITLE_END, TRAILING_META, type Heading } from './headings.js';
import { extractTables, insideGrid, pageLines, type TablesResult } from './index.js';
import { CORE_TABLES } from '../quality.js';

export interface HeadingCandidate {
  page: number;
  /** 1-based line on the page (as read, top to bottom). */
  line: number;
  text: string;
  /** The table id its title matches (tables.md), null for none. */
  matches: string | null;
  taken: boolean;
  /** The table it became (taken), or why not. */
  reason: string;
  /** Where the line is printed. */
  box: Rect;
}

export interface AbsentTable {
  id: string;
  reason: string;
}

/** A line that reads like a table title: short, ending in 表 (or matching a table's title). */
function looksLikeTitle(l: Line): string | null {
  const t = compact(l.text).replace(TRAILING_META, '');
  if (!t || t.length > 70) return null;
  const rest = splitNumber(t.replace(/[.…·_\-\d\s]+$/, '')).rest;
  return TITLE_END.test(rest) || (findDef(rest) && /表/.test(rest)) ? t : null;
}

export function headingCandidates(pages: readonly PageData[], lines: Line[][], headings: Heading[], tables: Table[]): HeadingCandidate[] {
  const out: HeadingCandidate[] = [];
  pages.forEach((p, pi) => {
    const ls = lines[pi]!;
    const toc = isTocPage(ls);
    for (let i = 0; i < ls.length; i++) {
      const text = looksLikeTitle(ls[i]!);
      if (!text) continue;
      const h = headings.find((x) => x.page === p.index && x.line <= i && i <= x.lineEnd);
      if (h && i > h.line) continue; // the wrapped second line of a title
      const matches = findDef(splitNumber(text.replace(/[.…·_\-\d\s]+$/, '')).rest)?.id ?? null;
      const box = unionRect(ls[i]!.chunks.map(chunkBox))!;
      out.push({ page: p.index, line: i + 1, text, matches, ...verdict(p, ls, i, toc, h, tables), box });
    }
  });
  return out;
}

function verdict(p: PageData, ls: Line[], i: number, toc: boolean, h: Heading | undefined, tables: Table[]): { taken: boolean; reason: string } {
  const no = (reason: string) => ({ taken: false, reason });
  if (toc) return no('on a 目录 page');
  if (isTocLine(ls[i]!, p.width)) return no('a 目录 line (leaders or a page number at the right)');
  const own = headingOf(ls, i, p.width, false);
  if (!own) return no('not a title (a sentence, too long, or no table shape without a number)');
  if (own.isBreak) return no('a section heading: it ends the tables before it');
  if (!h) return insideGrid(p, ls[i]!) ? no('a cell of a ruled grid (a rule between its pieces)') : no('one of a list of table names (three or more titles in a row)');
  const table = tables.find((t) => t.pages[0] === p.index && t.title === h.title);
  if (table) return { taken: true, reason: table.id === 'unknown' ? 'taken, but matched no table id (unknown)' : `taken: ${table.id}${table.empty ? ' (empty)' : ''}` };
  const same = tables.find((t) => h.def && t.id === h.def.id && t.pages.includes(p.index));
  return no(same ? `continues ${same.id} (a repeated title, 续表)` : 'no body under it: a reference to a table printed elsewhere');
}

/** For each core table of the document's kind that was not found: why. */
export function absentCoreTables(core: readonly string[], tables: Table[], candidates: HeadingCandidate[]): AbsentTable[] {
  return core
    .filter((id) => !tables.some((t) => t.id === id))
    .map((id) => {
      const seen = candidates.filter((c) => c.matches === id);
      if (!seen.length) return { id, reason: 'no line matched its title (tables.md)' };
      return { id, reason: seen.map((c) => `p${c.page} "${c.text}": ${c.reason}`).join('; ') };
    });
}

export interface Explanation {
  candidates: HeadingCandidate[];
  absent: AbsentTable[];
  /** Per table read (by id and title): how each page's columns were mapped. */
  layouts: TablesResult['layouts'];
}

/** Everything `tables --explain` says about a document whose tables are `tables`. */
export function explainTables(pages: readonly PageData[], tables: Table[], kind: 'budget' | 'final_accounts' | null): Explanation {
  const lines = pageLines(pages);
  const read = extractTables(pages, lines);
  const candidates = headingCandidates(pages, lines, read.headings, tables);
  return { candidates, absent: kind ? absentCoreTables(CORE_TABLES[kind], tables, candidates) : [], layouts: read.layouts };
}
