/** Find table headings: a title line (with its number, on the line or the line above),
 *  never a 目录 line and never a sentence of the narrative. */
import type { Line } from '../layout/lines.js';
import { compact } from '../pdf/normalize.js';
import { findDef, SECTION_BREAK, type TableDef } from './definitions.js';

export interface Heading {
  page: number;
  /** Index of the title line in the page's lines. */
  line: number;
  /** Index of the last line of the title (a long title wraps onto a second line). */
  lineEnd: number;
  y: number;
  number: string | null;
  title: string;
  def: TableDef | null;
  /** A section heading that ends table regions (第三部分, 绩效目标表…), not a table. */
  isBreak: boolean;
}

const CN_NUM = '[一二三四五六七八九十]+';
/** Table numbers as printed: 表一, 表1, 表1-2, 预算公开表1, 公开01表, 预算01表, 附表1-1, 部门预算表3. */
const NUMBER_RE = new RegExp(
  `^((?:[\\u4e00-\\u9fa5]{0,6}?)(?:附)?表\\s*(?:${CN_NUM}|\\d+)(?:[-－—.]\\d+)?|(?:公开|预算|决算|部门|单位)\\s*\\d+\\s*表|附件\\s*\\d+(?:[-－—]\\d+)?)`,
);
export const TRAILING_META = /(单位[:：].*|金额单位.*|编制(单位|部门)[:：].*)$/;
const TOC_LEADER = /(\.{4,}|…{2,}|·{4,}|-{6,}|_{6,})/;

export function splitNumber(t: string): { number: string | null; rest: string } {
  const m = NUMBER_RE.exec(t);
  if (!m) return { number: null, rest: t };
  let number = m[1]!;
  // "表" alone at the start of a title word (表格…) is not a number.
  if (!/\d|[一二三四五六七八九十]/.test(number)) return { number: null, rest: t };
  // With spaces squeezed out, `表3 2025年…` reads 表32025年: the year is the title's.
  const glued = /(\d+)$/.exec(number);
  if (glued && glued[1]!.length > 4 && t.slice(number.length).startsWith('年')) number = number.slice(0, -4);
  return { number, rest: t.slice(number.length).replace(/^[:：.、\s]+/, '') };
}

export function isTocLine(line: Line, pageWidth: number): boolean {
  if (TOC_LEADER.test(line.text)) return true;
  const last = line.chunks[line.chunks.length - 1];
  const prev = line.chunks[line.chunks.length - 2];
  // Title … page number, the number alone far to the right (leaders drawn as lines).
  return !!(last && prev && /^\d{1,3}$/.test(last.text) && last.x0 - prev.x1 > 0.08 * pageWidth);
}

const SECTION_TITLE_RE = /(部门|单位)?(综合)?(预算|决算)(公开)?(报)?表格?$/;
export const TITLE_END = /表(（[^）]*）|\([^)]*\)|续)*$/;

/** Classify one line: a table heading, a section break, or nothing. */
export function headingOf(lines: Line[], i: number, pageWidth: number, tocPage: boolean): Omit<Heading, 'page'> | null {
  const line = lines[i]!;
  let t = compact(line.text).replace(TRAILING_META, '');
  if (!t || t.length > 70 || /[。；]/.test(t) || (/[，,]/.test(t) && t.length > 30)) return null;
  if (isTocLine(line, pageWidth) || tocPage) return null;
  if (SECTION_BREAK.test(t) && !/^表|公开表/.test(t)) {
    return { line: i, lineEnd: i, y: line.y, number: null, title: t, def: null, isBreak: true };
  }
  const { number, rest } = splitNumber(t);
  t = rest;
  let lineEnd = i;
  // A long title wraps: `…分经济科目表（不含上年结` / `转）`.
  const next = lines[i + 1];
  if (!TITLE_END.test(t) && next && next.y - line.y < 2.5 * line.size) {
    const joined = t + compact(next.text);
    if (compact(next.text).length <= 20 && TITLE_END.test(joined)) {
      t = joined;
      lineEnd = i + 1;
    }
  }
  if (!TITLE_END.test(t) || t.length < 4) return null;
  const def = findDef(t);
  // The title page of the table part (2026年度部门预算表, 部门综合预算公开报表) opens a section.
  if (!def && SECTION_TITLE_RE.test(t) && !/收|支|经费|采购|三公|资产|绩效|政府/.test(t.replace(/^.*?(\d{4}年度?)/, ''))) {
    return { line: i, lineEnd, y: line.y, number: null, title: t, def: null, isBreak: true };
  }
  if (!def) {
    // An unknown table still needs a number or a 表-title shape that reads like a heading.
    if (!number && !/(预算|决算|收支|收入|支出|经费|采购).*表/.test(t)) return null;
  }
  let num = number;
  if (!num && i > 0) {
    // The number on the line above (预算公开表1 / 表一), alone on its line.
    const above = compact(lines[i - 1]!.text);
    const s = splitNumber(above);
    if (s.number && !s.rest && line.y - lines[i - 1]!.y < 4 * line.size) num = s.number;
  }
  return { line: i, lineEnd, y: line.y, number: num, title: t, def, isBreak: false };
}

/** A 目录 page: its heading says so, or most of its lines end in page numbers. */
export function isTocPage(lines: Line[]): boolean {
  const head = lines.slice(0, 3).map((l) => compact(l.text));
  if (head.some((t) => /^目\s*录$|^.{0,20}目录$/.test(t))) return true;
  const leaders = lines.filter((l) => TOC_LEADER.test(l.text)).length;
  return lines.length > 5 && leaders > lines.length / 2;
}
