/** Read one table region (a heading and the page segments under it) into a Table. */
import type { PageData } from '../pdf/types.js';
import type { Row, Table, Unit, Warning } from '../model.js';
import { compact } from '../pdf/normalize.js';
import { groupLines, type Chunk, type Line } from '../layout/lines.js';
import { columnOf, isAmountText, ruledBoundaries, ruledRows, textColumns, toIntervals, type Column } from '../layout/grid.js';
import { SHARED_FIELDS, THREE_PUBLIC_CATEGORIES, type TableDef } from './definitions.js';
import { CodeJoiner, KeyCounter, codeLevel, isSummaryName, nameKey, splitLeadingCode } from './rows.js';
import { cellAmount } from './cell.js';
import { splitNumber } from './headings.js';

/** The lines of one page that belong to a table region. */
export interface Segment {
  page: PageData;
  lines: Line[];
  /** Whether this segment starts the table (holds its heading). */
  first: boolean;
  /** A continuation page that repeats the title (续表): its meta lines repeat too. */
  repeated?: boolean;
}

export interface Region {
  def: TableDef | null;
  number: string | null;
  title: string;
  /** The heading line(s) as printed: 单位：元 can stand at the right of the title. */
  headingText?: string;
  segments: Segment[];
}

/** `seq`: a 序号/行次 column, numbering the rows; read as nothing. */
type ColKind = 'label' | 'code' | 'amount' | 'seq';

interface Layout {
  cols: Column[];
  kinds: ColKind[];
  /** Field id per column (amount columns only). */
  fields: (string | null)[];
  headers: string[];
  blocks: Block[];
  ruled: boolean;
}

interface Block {
  side: 'income' | 'expenditure' | null;
  group: number;
  labelCols: number[];
  codeCols: number[];
  amountCols: number[];
}

const META_RE = /(部门名称|单位名称|编制单位|编制部门|预算单位|填报单位)[:：]\s*([^\s:：]*?)(?=单位[:：]|金额单位|$)/;
const UNIT_RE = /(?:金额)?单位[:：]\s*(万元|千元|元)/;
const NOTE_EMPTY_RE = /本表无数据|无数据|本表为空|故本表为空|空表|没有.{0,12}(收支|收入|支出|数据|经费)|无.{0,10}(收支|收入|支出)(安排|预算)?[，。]?/;
const NOTE_RE = /^(注|说明|备注)[:：]/;
const COLUMN_NO_RE = /栏次|行次/;
const FOOTER_RE = /^[-—–─\s第]*\d+[-—–─\s页]*$|^第\d+页[，,]?(共\d+页)?$/;
/** The 政府预算支出经济分类 columns printed beside the 部门预算 ones. */
const GOV_ECON_RE = /政府预算.*(经济|科目)|政府经济分类/;
const HEADER_WORD_RE = /^(项目|科目|功能分类|经济分类|科目编码|科目名称|单位名称|项目名称|预算数|合计|金额|类|款|项)$/;

export interface ReadResult {
  table: Table;
  warnings: Warning[];
  /** Unit/department read under the heading (null when not printed). */
}

export function readTable(region: Region, docUnit: Unit | null): ReadResult {
  const warnings: Warning[] = [];
  const def = region.def;
  const firstPage = region.segments[0]!.page.index;
  // The table number printed under the title (公开02表) or beside the meta line.
  let number = region.number;
  const firstLines = region.segments[0]!.lines;
  while (firstLines.length && isTableNumber(firstLines[0]!)) {
    number ??= compact(firstLines[0]!.text);
    firstLines.shift();
  }
  let { unit, department, metaEnd } = readMeta(region.segments[0]!.lines);
  const onTitle = UNIT_RE.exec(compact(region.headingText ?? ''));
  if (!unit && onTitle) unit = onTitle[1] as Unit;
  region.segments[0]!.lines = region.segments[0]!.lines.slice(metaEnd);

  let layout: Layout | null = null;
  const rows: Row[] = [];
  const keys = new KeyCounter();
  const codes = new Map<number, CodeJoiner>();
  let lastPage = firstPage;
  let emptyNote = false;
  let knownHeader: Set<string> | null = null;
  for (const seg of region.segments) {
    let lines = seg.lines.filter((l) => !isFooter(l, seg.page));
    if (seg.repeated || (!seg.first && !layout)) {
      // A repeated title's meta lines, or those of a heading left alone at the bottom of the
      // previous page.
      const m = readMeta(lines);
      unit ??= m.unit;
      department ??= m.department;
      lines = lines.slice(m.metaEnd);
    }
    if (lines.some((l) => NOTE_EMPTY_RE.test(compact(l.text)) && compact(l.text).length < 60)) {
      emptyNote = true;
      lastPage = seg.page.index;
    }
    let dataIdx = lines.findIndex(isDataLine);
    if (!seg.first && !seg.repeated && layout && startsAnotherTable(lines, dataIdx, knownHeader)) break;
    if (dataIdx < 0) continue;
    // Rows without figures can stand above the first row with figures: they are body.
    const figures = lines[dataIdx]!.chunks.filter((c) => isAmountText(c.text));
    const amountX = Math.min(...(figures.filter((c) => !/^\d{2,7}$/.test(c.text)).length ? figures.filter((c) => !/^\d{2,7}$/.test(c.text)) : figures).map((c) => c.x0));
    if (knownHeader) {
      // Continuation page: only a leading run of lines that repeat the header is header.
      let h = 0;
      while (h < dataIdx && !looksLikeBodyRow(lines[h]!, knownHeader, amountX)) h++;
      dataIdx = h;
    } else {
      while (dataIdx > 0 && looksLikeBodyRow(lines[dataIdx - 1]!, knownHeader, amountX)) dataIdx--;
    }
    const headerLines = lines.slice(0, dataIdx).filter((l) => !NOTE_RE.test(compact(l.text)));
    if (process.env.BE_DEBUG) console.error(`[seg] p${seg.page.index} first=${seg.first} dataIdx=${dataIdx} known=${knownHeader ? [...knownHeader].join(",") : null}`);
    if (!knownHeader) knownHeader = new Set(headerLines.flatMap((l) => l.chunks.map((c) => compact(c.text))));
    // A note under the table (注：本表反映…) ends its body on this page.
    const noteIdx = lines.findIndex((l, i) => i > dataIdx && NOTE_RE.test(compact(l.text)));
    const { body: bodyLines, header: strayHeader } = liftHeaderWords(lines.slice(dataIdx, noteIdx > 0 ? noteIdx : undefined));
    if (strayHeader) headerLines.push(strayHeader);
    const segLayout = buildLayout(seg.page, headerLines, bodyLines, def, layout);
    if (!segLayout) continue;
    layout = segLayout;
    const before = rows.length;
    readRows(seg, bodyLines, segLayout, def, rows, keys, codes);
    if (rows.length > before) lastPage = seg.page.index;
  }

  let finalRows = rows.filter((r) => Object.keys(r.values).length || r.name);
  let transposed = false;
  if (def?.transposeCategories && layout) {
    const t = transposeThreePublic(finalRows, layout, def);
    transposed = t !== finalRows;
    finalRows = t;
  }
  const hasValues = finalRows.some((r) => Object.keys(r.values).length > 0);
  const onlyBlankSummary = finalRows.every((r) => isSummaryName(r.name) && !Object.keys(r.values).length);
  const empty = !hasValues && (emptyNote || onlyBlankSummary || finalRows.length === 0);
  if (!hasValues && !empty) {
    warnings.push({ code: 'table_without_values', message: `${region.title}: no amounts could be read`, page: firstPage });
  }
  const pages: number[] = [];
  for (let p = firstPage; p <= lastPage; p++) pages.push(p);
  const tUnit = unit ?? docUnit;
  if (!unit) {
    warnings.push({ code: 'unit_assumed', message: `${region.title}: no 单位 printed; assumed ${tUnit ?? 'unknown'}`, page: firstPage });
  }
  let columns = layout
    ? layout.fields.flatMap((f, i) => (f ? [{ field: f, header: layout!.headers[i] ?? '' }] : []))
    : [];
  if (transposed) {
    // The printed columns became rows; the fields are their qualifiers.
    const fields = [...new Set(finalRows.flatMap((r) => Object.keys(r.values)))];
    columns = fields.map((f) => ({ field: f, header: f }));
  }
  return {
    table: {
      id: def?.id ?? 'unknown',
      number,
      title: region.title,
      department,
      unit: tUnit,
      pages,
      empty,
      columns,
      rows: empty ? [] : finalRows,
    },
    warnings,
  };
}

function readMeta(lines: Line[]): { unit: Unit | null; department: string | null; metaEnd: number } {
  let unit: Unit | null = null;
  let department: string | null = null;
  let metaEnd = 0;
  for (let i = 0; i < Math.min(lines.length, 6); i++) {
    const t = compact(lines[i]!.text);
    if (isDataLine(lines[i]!)) break;
    const u = UNIT_RE.exec(t);
    const m = META_RE.exec(t);
    if (u) unit = u[1] as Unit;
    if (m && m[2]) department = m[2];
    if (u || m) metaEnd = i + 1;
  }
  return { unit, department, metaEnd };
}

/** A following page that opens with a 部门名称/单位 line, or with a header that shares nothing
 *  with this table's header, is another (untitled) table. */
function startsAnotherTable(lines: Line[], dataIdx: number, knownHeader: Set<string> | null): boolean {
  const first = compact(lines[0]?.text ?? '');
  if (META_RE.test(first) || /^(金额)?单位[:：]/.test(first)) return true;
  if (!knownHeader || dataIdx < 0) return false;
  const head = lines.slice(0, dataIdx).filter((l) => l.chunks.length >= 3);
  return head.length >= 1 && head.every((l) => !l.chunks.some((c) => knownHeader.has(compact(c.text))));
}

const SUMMARY_WORD_RE = /^(合计|总计|小计|本年收入合计|本年支出合计|收入总计|支出总计|部门合计)$/;

const ROW_START_RE = /^([一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d{3,7}(?!\d)|其中[:：]|合计|总计|小计)/;

/** A line above the first figures that is a row without figures (or, on a continuation
 *  page, any line that is not the repeated header). */
function looksLikeBodyRow(l: Line, knownHeader: Set<string> | null, amountX: number): boolean {
  const t = compact(l.text);
  if (COLUMN_NO_RE.test(t) || NOTE_RE.test(t)) return false;
  if (knownHeader) return !l.chunks.some((c) => knownHeader.has(compact(c.text)));
  const first = compact(l.chunks[0]?.text ?? '');
  // A header line can start with 合计 (合计 | 人员经费 | 公用经费): a row's 合计 stands alone.
  if (l.chunks.length > 1 && /^(合计|小计|总计)$/.test(first) && l.chunks.slice(1).every((c) => !isAmountText(c.text))) return false;
  void amountX;
  return ROW_START_RE.test(first);
}

/** The 类 | 款 | 项 heads can sit on the baseline of the first row's figures (ONLYOFFICE):
 *  they belong to the header, not to the 合计 row. */
function liftHeaderWords(body: Line[]): { body: Line[]; header: Line | null } {
  const first = body[0];
  if (!first) return { body, header: null };
  const heads = first.chunks.filter((c) => /^(类|款|项)$/.test(compact(c.text)));
  if (heads.length < 2) return { body, header: null };
  const rest = first.chunks.filter((c) => !heads.includes(c));
  const header: Line = { ...first, chunks: heads, text: heads.map((c) => c.text).join('') };
  const lifted: Line = { ...first, chunks: rest, text: rest.map((c) => c.text).join('') };
  return { body: [lifted, ...body.slice(1)], header };
}

function isTableNumber(l: Line): boolean {
  const s = splitNumber(compact(l.text));
  return !!s.number && !s.rest;
}

function isFooter(l: Line, page: PageData): boolean {
  return l.chunks.length <= 6 && FOOTER_RE.test(compact(l.text)) && (l.y > page.height * 0.85 || l.y < page.height * 0.08);
}

/** A line that carries table data: an amount beside a label, or a code row. */
function isDataLine(l: Line): boolean {
  const t = compact(l.text);
  if (isTableNumber(l)) return false;
  if (COLUMN_NO_RE.test(t)) return false;
  const amounts = l.chunks.filter((c) => isAmountText(c.text));
  if (!amounts.length) return false;
  // A header line of column numbers (1 2 3 …, beside ** or 栏次 placeholders) is not data.
  if (isColumnNumbers(l)) return false;
  if (amounts.every((c) => /^(19|20)\d{2}$/.test(c.text))) return false;
  return true;
}

function isColumnNumbers(l: Line): boolean {
  const nums = l.chunks.filter((c) => /^\d{1,2}$/.test(c.text)).map((c) => Number(c.text));
  const others = l.chunks.filter((c) => !/^\d{1,2}$/.test(c.text));
  if (nums.length < 3 || !others.every((c) => /^[*＊\-—\s]*$|栏次|行次|^[A-Za-z]$/.test(c.text))) return false;
  return nums.every((n, i) => i === 0 || n === nums[i - 1]! + 1);
}

function buildLayout(page: PageData, header: Line[], body: Line[], def: TableDef | null, prev: Layout | null): Layout | null {
  const top = body[0]!.top;
  const bottom = body[body.length - 1]!.y + 2;
  const xs = ruledBoundaries(page.vLines, top, bottom);
  let cols: Column[];
  let ruled = false;
  if (xs.length >= 3) {
    cols = [];
    for (let i = 0; i + 1 < xs.length; i++) cols.push({ x0: xs[i]!, x1: xs[i + 1]! });
    ruled = true;
  } else {
    const figures = textColumns(body);
    if (!figures.length) return null;
    const tc = [...figures, ...headerOnlyColumns(header, figures)].sort((a, b) => a.x0 - b.x0);
    const left = Math.min(...tc.map((c) => c.x0)) - 2;
    const right = Math.max(...tc.map((c) => c.x1)) + 2;
    cols = toIntervals(tc, left, right);
  }
  const kinds = classifyColumns(cols, body, header);
  const headers = headerTexts(cols, header, page, ruled);
  // Continuation page without its own header: reuse the first page's mapping by position.
  const ownHeader = headers.some((h) => h);
  const fields = ownHeader || !prev ? mapFields(cols, kinds, headers, def) : inherit(cols, prev);
  if (!ownHeader && prev) headers.splice(0, headers.length, ...cols.map((c) => prev.headers[nearest(prev.cols, c)] ?? ''));
  const blocks = makeBlocks(kinds, def, headers);
  if (process.env.BE_DEBUG) {
    console.error(`[layout] p${page.index} ruled=${ruled} ` + cols.map((c, i) => `${c.x0.toFixed(0)}-${c.x1.toFixed(0)}:${kinds[i]}:${headers[i]}=>${fields[i]}`).join(' | '));
  }
  return { cols, kinds, fields, headers, blocks, ruled };
}

/** Stream mode sees columns only where the body has text; a column left blank all the way
 *  down (政府性基金 in most files) still has its header. Each lowest header piece goes to the
 *  nearest body column; where several compete for one column, the nearest keeps it and the
 *  others stand for blank columns of their own. */
function headerOnlyColumns(header: Line[], body: Column[]): Column[] {
  // Side and group words (收入 | 支出 over two-sided tables) head lists, not columns.
  const chunks = header
    .flatMap((l) => l.chunks)
    .filter((c) => !isAmountText(c.text) && !COLUMN_NO_RE.test(c.text) && !/^(收入|支出|项目|金额|科目)$/.test(compact(c.text)));
  const overlaps = (a: Column, b: Column) => Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0) > 0;
  const leaves = chunks.filter((c) => !chunks.some((d) => d.y > c.y + 1 && overlaps(c, d)));
  const centre = (c: Column) => (c.x0 + c.x1) / 2;
  const claims = new Map<number, Array<{ c: Chunk; d: number }>>();
  for (const c of leaves) {
    let best = -1;
    let bd = Infinity;
    body.forEach((b, i) => {
      const d = overlaps(c, b) ? 0 : Math.abs(centre(c) - centre(b));
      if (d < bd) [best, bd] = [i, d];
    });
    if (best < 0) continue;
    if (!claims.has(best)) claims.set(best, []);
    claims.get(best)!.push({ c, d: bd });
  }
  const out: Column[] = [];
  for (const list of claims.values()) {
    list.sort((a, b) => a.d - b.d);
    for (const { c, d } of list.slice(1)) {
      if (d > 0 && !out.some((o) => overlaps(o, c)) && !body.some((b) => overlaps(b, c))) out.push({ x0: c.x0, x1: c.x1 });
    }
  }
  return out;
}

function nearest(cols: Column[], c: Column): number {
  let best = 0;
  let bd = Infinity;
  cols.forEach((p, i) => {
    const d = Math.abs(p.x1 - c.x1) + Math.abs(p.x0 - c.x0);
    if (d < bd) {
      bd = d;
      best = i;
    }
  });
  return best;
}

function inherit(cols: Column[], prev: Layout): (string | null)[] {
  return cols.map((c) => prev.fields[nearest(prev.cols, c)] ?? null);
}

function chunksIn(lines: Line[], col: Column): Chunk[] {
  const out: Chunk[] = [];
  for (const l of lines) for (const c of l.chunks) if (columnOf([col], (c.x0 + c.x1) / 2) === 0) out.push(c);
  return out;
}

function classifyColumns(cols: Column[], body: Line[], header: Line[]): ColKind[] {
  const kinds: ColKind[] = cols.map((col) => {
    const cs = chunksIn(body, col);
    const amounts = cs.filter((c) => isAmountText(c.text)).length;
    const labels = cs.length - amounts;
    // A column with no body text is an amount column left blank (政府性基金 in most files).
    return cs.length === 0 || (amounts > 0 && amounts >= labels) ? 'amount' : 'label';
  });
  // Codes: integer-only columns left of the first name column, or headed 编码/类/款/项.
  const firstName = kinds.findIndex((k, i) => k === 'label' && chunksIn(body, cols[i]!).some((c) => /[\u4e00-\u9fa5]/.test(c.text)));
  cols.forEach((col, i) => {
    const cs = chunksIn(body, col);
    const h = compact(chunksIn(header, col).map((c) => c.text).join(''));
    // 合计 centred in a cell merged over the code and name columns may land in either.
    const codeLike = cs.filter((c) => !SUMMARY_WORD_RE.test(compact(c.text)));
    const allCodes = codeLike.length > 0 && codeLike.every((c) => /^\d{1,7}$/.test(c.text.trim()));
    if (/^(序号|行次|栏次|编号|序)$/.test(h) && codeLike.every((c) => /^\d{1,3}$/.test(c.text.trim()))) kinds[i] = 'seq';
    else if ((allCodes && (firstName < 0 || i < firstName)) || (/编码|代码|^类$|^款$|^项$/.test(h) && codeLike.every((c) => /^\d*$/.test(c.text.trim())))) {
      kinds[i] = 'code';
    }
  });
  return kinds;
}

/** The header path of every column. A header chunk belongs to the column under its centre
 *  and, when its (ruled or printed) span covers neighbours that have no header text of their
 *  own on that line, to those too (a merged parent header). Pieces of one cell join without a
 *  separator; levels separated by a rule (or a wide gap) join with '/'. */
function headerTexts(cols: Column[], header: Line[], page: PageData, ruled: boolean): string[] {
  const parts: Array<Array<{ y: number; x: number; text: string; size: number }>> = cols.map(() => []);
  for (const l of header) {
    const centres = l.chunks.map((c) => columnOf(cols, (c.x0 + c.x1) / 2));
    l.chunks.forEach((c, ci) => {
      const home = centres[ci]!;
      if (home < 0) return;
      let span: Column = { x0: c.x0, x1: c.x1 };
      if (ruled) {
        const crossing = page.vLines.filter((s) => s.y1 <= c.y - c.size * 0.3 && s.y2 >= c.y - c.size * 0.5).map((s) => s.x1);
        const left = Math.max(...crossing.filter((x) => x <= c.x0 + 1));
        const right = Math.min(...crossing.filter((x) => x >= c.x1 - 1));
        if (Number.isFinite(left) && Number.isFinite(right)) span = { x0: left, x1: right };
      }
      parts[home]!.push({ y: l.y, x: c.x0, text: c.text, size: c.size });
      for (const dir of [-1, 1]) {
        for (let j = home + dir; j >= 0 && j < cols.length; j += dir) {
          const col = cols[j]!;
          const ov = Math.min(col.x1, span.x1) - Math.max(col.x0, span.x0);
          if (ov < 0.8 * (col.x1 - col.x0) || centres.includes(j)) break;
          parts[j]!.push({ y: l.y, x: c.x0, text: c.text, size: c.size });
        }
      }
    });
  }
  return parts.map((ps, i) => {
    ps.sort((a, b) => a.y - b.y || a.x - b.x);
    const col = cols[i]!;
    const out: string[] = [];
    let lastY = -Infinity;
    for (const p of ps) {
      const ruleBetween = page.hLines.some((h) => h.y1 > lastY + 1 && h.y1 < p.y - 3 && h.x1 <= col.x0 + 2 && h.x2 >= col.x1 - 2);
      // Without rules, lines closer than two line heights read as one wrapped cell.
      const sameCell = ruled ? !ruleBetween : p.y - lastY < 2 * p.size;
      if (out.length && (sameCell || p.y === lastY)) out[out.length - 1] += p.text;
      else out.push(p.text);
      lastY = p.y;
    }
    return out.map(compact).join('/');
  });
}

function makeBlocks(kinds: ColKind[], def: TableDef | null, headers: string[]): Block[] {
  const blocks: Block[] = [];
  let cur: Block | null = null;
  kinds.forEach((k, i) => {
    if (k === 'seq') return;
    if (k !== 'amount' && (!cur || cur.amountCols.length > 0)) {
      cur = { side: null, group: blocks.length, labelCols: [], codeCols: [], amountCols: [] };
      blocks.push(cur);
    }
    if (!cur) {
      cur = { side: null, group: 0, labelCols: [], codeCols: [], amountCols: [] };
      blocks.push(cur);
    }
    if (k === 'amount') cur.amountCols.push(i);
    else if (k === 'code') cur.codeCols.push(i);
    else cur.labelCols.push(i);
  });
  const real = blocks.filter((b) => b.amountCols.length || b.labelCols.length);
  if (def?.twoSided) {
    // The 收入 | 支出 heads say which side a list is; a page holding only the expenditure
    // list's continuation has no income list to its left.
    real.forEach((b, i) => {
      const hs = [...b.labelCols, ...b.amountCols].map((c) => headers[c] ?? '');
      if (hs.some((h) => /^支出/.test(h))) b.side = 'expenditure';
      else if (hs.some((h) => /^收入/.test(h))) b.side = 'income';
      else b.side = i === 0 ? 'income' : 'expenditure';
    });
  }
  return real;
}

function mapFields(cols: Column[], kinds: ColKind[], headers: string[], def: TableDef | null): (string | null)[] {
  const blocks = makeBlocks(kinds, def, headers);
  const fields: (string | null)[] = cols.map(() => null);
  const year = tableYear(headers);
  for (const b of blocks) {
    const used = new Set<string>();
    // A qualifier every 三公 category column shares (财政拨款) tells nothing: drop it.
    const quals = def?.transposeCategories ? new Set(b.amountCols.map((i) => categoryOf(headers[i] ?? '', def, null)?.qual ?? null)) : null;
    const sharedQual = quals && quals.size === 1;
    for (const i of b.amountCols) {
      let h = headers[i] ?? '';
      if (def?.twoSided) h = h.replace(/^(收入|支出)(\/|$)/, '');
      let f: string | null = null;
      if (def?.singleAmount && b.amountCols.length === 1) f = b.side === 'expenditure' ? 'total' : 'amount';
      if (!f && def?.transposeCategories && categoryColumns(headers, b) >= 3) {
        const c = categoryOf(h, def, null);
        // Beside a 三公 subtotal, a plain 合计 also counts 会议费/培训费: it is the table's total.
        const plainTotal = c?.cat.field === 'three_public' && !c.groupTotal && hasGroupTotal(headers, b, def);
        if (c) f = plainTotal ? 'total' : c.qual && !sharedQual ? `${c.cat.field}_${c.qual}` : c.cat.field;
      }
      if (!f) f = matchField(h, def, b.side);
      // Another year's figures (2025年预算数 in a 2026 table) or the change on it.
      const period = periodOf(h, year);
      if (f && period && !/^col\d/.test(f)) f = `${period}_${f}`;
      if (!f || used.has(f)) f = `col${i + 1}`;
      used.add(f);
      fields[i] = f;
    }
  }
  return fields;
}

function hasGroupTotal(headers: string[], b: Block, def: TableDef | null): boolean {
  return b.amountCols.some((i) => categoryOf(headers[i] ?? '', def, null)?.groupTotal);
}

/** The table's own year: the latest year its column heads name (null when none does). */
function tableYear(headers: string[]): number | null {
  const ys = headers.flatMap((h) => [...h.matchAll(/(20\d{2})/g)].map((m) => Number(m[1])));
  return ys.length ? Math.max(...ys) : null;
}

/** `prior` for a column of an earlier year (or 上年预算数), `change` for 增减, else null. */
function periodOf(h: string, year: number | null): 'prior' | 'change' | null {
  if (/增减|增长|变动|比上年|较上年/.test(h)) return 'change';
  if (/上年(预算|执行|决算)/.test(h)) return 'prior';
  const ys = [...h.matchAll(/(20\d{2})/g)].map((m) => Number(m[1]));
  return year && ys.length && Math.max(...ys) < year ? 'prior' : null;
}

/** How many amount columns of a block are 三公 categories (出国, 接待, 购置, 运行…). */
function categoryColumns(headers: string[], b: Block): number {
  return b.amountCols.filter((i) => {
    const c = categoryOf(headers[i] ?? '', null, null);
    return c && c.cat.field !== 'three_public';
  }).length;
}

type Category = (typeof THREE_PUBLIC_CATEGORIES)[number];

/** The 三公 category a column header names (the deepest level that names one; 小计 under
 *  公务用车购置及运行费 is that category, 合计 alone is the total), and what the other levels
 *  qualify it by (预算数/决算数, a fund) as a field id. */
interface CategoryColumn {
  cat: Category;
  name: string;
  qual: string | null;
  /** A total under a “三公”经费 head (the 三公 subtotal beside 会议费/培训费). */
  groupTotal: boolean;
}

function categoryOf(h: string, def: TableDef | null, year: number | null): CategoryColumn | null {
  const levels = h.split('/').filter((l) => l && !/^\d{1,2}$/.test(l));
  let at = -1;
  let cat: Category | undefined;
  for (let i = levels.length - 1; i >= 0 && !cat; i--) {
    cat = THREE_PUBLIC_CATEGORIES.find((c) => c.field !== 'three_public' && c.re.test(levels[i]!));
    if (cat) at = i;
  }
  if (!cat) {
    at = levels.findIndex((l) => /合计|小计|总计|总额/.test(l));
    if (at < 0) return null;
    cat = THREE_PUBLIC_CATEGORIES.find((c) => c.field === 'three_public')!;
  }
  // The 三公经费 group head qualifies nothing.
  const rest = levels.filter((l, i) => i !== at && !/^(合计|小计|总计)$/.test(l) && !(i > at && /合计|小计/.test(l)) && !/三公/.test(l));
  const qualText = rest.join('/');
  let qual: string | null = null;
  if (qualText) qual = matchField(qualText, def, null);
  if (qual === 'total') qual = null;
  const period = year === null ? null : periodOf(h, year);
  if (period) qual = `${period}_${qual ?? 'total'}`;
  const groupTotal = cat.field === 'three_public' && levels.some((l) => /三公/.test(l));
  return { cat, name: levels[at]!, qual, groupTotal };
}

function lastLevel(h: string): string {
  const p = h.split('/');
  return p[p.length - 1] ?? h;
}

function matchField(h: string, def: TableDef | null, side: Block['side']): string | null {
  for (const r of def?.fields ?? []) if ((!r.side || r.side === side) && r.re.test(h)) return r.field;
  // Most specific first: the leaf alone, then the whole path (a parent like 上年结转 qualifies).
  for (const r of SHARED_FIELDS) if (r.path && r.re.test(h)) return r.field;
  const leaf = lastLevel(h);
  // 小计 names its parent's subtotal: 本年收入/小计 is current_year, 财政拨款/小计 fiscal_total.
  const levels = h.split('/');
  if (/^小计$/.test(leaf) && levels.length > 1) {
    for (let i = levels.length - 2; i >= 0; i--) {
      const f = SHARED_FIELDS.find((r) => !r.path && r.re.test(levels[i]!))?.field;
      if (f && f !== 'total') return f;
    }
  }
  for (const r of SHARED_FIELDS) if (!r.path && r.re.test(leaf)) return r.field;
  for (const r of SHARED_FIELDS) if (!r.path && r.re.test(h)) return r.field;
  return null;
}

interface Band {
  lines: Line[];
  top: number;
  bottom: number;
}

function readRows(
  seg: Segment,
  body: Line[],
  layout: Layout,
  def: TableDef | null,
  rows: Row[],
  keys: KeyCounter,
  codes: Map<number, CodeJoiner>,
): void {
  const tableLeft = layout.cols[0]!.x0 - 2;
  const tableRight = layout.cols[layout.cols.length - 1]!.x1 + 2;
  for (const block of layout.blocks) {
    const bx0 = layout.cols[Math.min(...[...block.labelCols, ...block.codeCols, ...block.amountCols])]!.x0;
    const bx1 = layout.cols[Math.max(...[...block.labelCols, ...block.codeCols, ...block.amountCols])]!.x1;
    const bands = makeBands(seg.page, body, layout, bx0, bx1, tableLeft, tableRight);
    const joiner = codes.get(block.group) ?? new CodeJoiner();
    codes.set(block.group, joiner);
    for (const band of bands) {
      const cell = (ci: number) => cellText(band, layout.cols[ci]!);
      // The 政府预算 economic names are a second name column beside the 部门预算 ones; alone,
      // they are the row's name.
      const govCols = [...block.labelCols, ...block.codeCols].filter((ci) => GOV_ECON_RE.test(layout.headers[ci] ?? ''));
      const isGov = (ci: number) => govCols.includes(ci) && block.labelCols.some((x) => !govCols.includes(x));
      const label = block.labelCols.filter((ci) => !isGov(ci)).map(cell).filter(Boolean).join('');
      const govLabels = block.labelCols.filter(isGov);
      const govName = govLabels.length ? govLabels.map(cell).join('') || null : undefined;
      const govCodeCols = block.codeCols.filter(isGov);
      const govCode = govCodeCols.length ? govCodeCols.map(cell).join('') || null : undefined;
      let codeParts = block.codeCols.filter((ci) => !isGov(ci)).map(cell);
      // A 合计 printed across the code columns is the row's name.
      const summaryInCode = codeParts.find((p) => SUMMARY_WORD_RE.test(compact(p)));
      if (summaryInCode) codeParts = codeParts.map(() => '');
      let code = block.codeCols.length ? joiner.join(codeParts) : null;
      let name = (summaryInCode && !label.trim() ? summaryInCode : label).trim();
      if (!code) {
        const s = splitLeadingCode(name);
        if (s.code) {
          code = s.code;
          name = s.name;
        }
      }
      const values: Record<string, string> = {};
      for (const ci of block.amountCols) {
        const f = layout.fields[ci];
        if (!f) continue;
        const v = cellAmount(cell(ci));
        if (v !== null) values[f] = v;
      }
      const ct = compact(name);
      if (!name && !code && !Object.keys(values).length) continue;
      // A row split by a page break: the name's tail (or the figures) open the next page.
      if (!seg.first && band === bands[0] && !code && name && ct.length <= 10 && !ROW_START_RE.test(ct) && !/合计|总计|小计|结转|结余/.test(ct)) {
        const prev = [...rows].reverse().find((r) => r.side === block.side);
        // Its figures: new ones, or the tail of a figure the page break cut (`12437.3` | `6`).
        const tails = Object.entries(values).every(([f, v]) => prev?.values[f] === undefined || (/^\d{1,2}$/.test(v) && /\.\d?$/.test(prev.values[f]!)));
        if (prev && prev.page === seg.page.index - 1 && !prev.code && tails) {
          prev.name += name;
          prev.key = keys.next(nameKey(prev.name), block.side);
          for (const [f, v] of Object.entries(values)) prev.values[f] = (prev.values[f] ?? '') + v;
          continue;
        }
      }
      if (NOTE_RE.test(ct) || NOTE_EMPTY_RE.test(ct)) continue;
      if (COLUMN_NO_RE.test(ct)) continue;
      if (!Object.keys(values).length && (HEADER_WORD_RE.test(ct) || !name)) continue;
      const baseKey = code ?? nameKey(name);
      // A 合计 line repeated at the top of a continuation page is one row, once.
      if (!seg.first && isSummaryName(name)) {
        const dup = rows.find((r) => r.side === block.side && nameKey(r.name) === nameKey(name) && sameValues(r.values, values));
        if (dup) continue;
      }
      rows.push({
        key: keys.next(baseKey, block.side),
        code,
        name: name || code || '',
        level: codeLevel(code),
        side: block.side,
        ...(govName !== undefined ? { gov_name: govName } : {}),
        ...(govCode !== undefined ? { gov_code: govCode } : {}),
        // Lists side by side keep their block (a 收支总表 with three expenditure lists).
        ...(layout.blocks.length > (def?.twoSided ? 2 : 1) ? { group: block.group } : {}),
        page: seg.page.index,
        values,
      });
    }
  }
}

function sameValues(a: Record<string, string>, b: Record<string, string>): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
}

/** A cell's text: its pieces line by line (the line's baseline, not each glyph's: a
 *  parenthesis set a little higher stays in place), left to right. */
function cellText(band: Band, col: Column): string {
  const parts: Array<{ y: number; x: number; text: string }> = [];
  for (const l of band.lines) for (const c of l.chunks) if (columnOf([col], (c.x0 + c.x1) / 2) === 0) parts.push({ y: l.y, x: c.x0, text: c.text });
  parts.sort((a, b) => a.y - b.y || a.x - b.x);
  return parts.map((c) => c.text).join('');
}

/** Row bands of one block: between horizontal rules where the page rules its rows, else one
 *  band per text line, a wrapped name line joined to the row above it. */
function makeBands(page: PageData, body: Line[], layout: Layout, bx0: number, bx1: number, left: number, right: number): Band[] {
  const inBlock = body
    .map((l) => ({ ...l, chunks: l.chunks.filter((c) => (c.x0 + c.x1) / 2 >= bx0 && (c.x0 + c.x1) / 2 <= bx1 && c.x0 >= left - 4 && c.x1 <= right + 4) }))
    .filter((l) => l.chunks.length);
  if (!inBlock.length) return [];
  const ys = layout.ruled ? ruledRows(page.hLines, bx0, bx1) : [];
  const inner = ys.filter((y) => y > inBlock[0]!.top - 2 && y < inBlock[inBlock.length - 1]!.y + 2);
  const withFigures = inBlock.filter((l) => l.chunks.some((c) => isAmountText(c.text))).length;
  if (layout.ruled && inner.length >= 1 && inner.length >= withFigures * 0.5) {
    const edges = [-Infinity, ...ys, Infinity];
    const bands: Band[] = [];
    for (let i = 0; i + 1 < edges.length; i++) {
      const top = edges[i]!;
      const bottom = edges[i + 1]!;
      const ls = inBlock.filter((l) => l.y - l.size * 0.35 > top && l.y - l.size * 0.35 < bottom);
      if (!ls.length) continue;
      // Two whole figures in one column of one band: a rule was missed, so these are two rows
      // (a wrapped figure's tail, `8` under `18,536.8`, is no whole figure).
      const whole = ls.flatMap((l) => l.chunks.filter((c) => isAmountText(c.text) && /[.,]/.test(c.text)).map((c) => columnOf(layout.cols, (c.x0 + c.x1) / 2)));
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
  return joinWrappedFigures(bands, layout.cols);
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

/** 三公 tables printing the categories as columns: one data row becomes the canonical
 *  category rows, each column's qualifier (预算数/决算数, a fund) its field. */
function transposeThreePublic(rows: Row[], layout: Layout, def: TableDef | null): Row[] {
  const year = tableYear(layout.headers);
  const cats = layout.headers.map((h, i) => (layout.kinds[i] === 'amount' ? categoryOf(h, def, year) : null));
  if (cats.filter((c) => c && c.cat.field !== 'three_public').length < 3) return rows;
  const dataRows = rows.filter((r) => Object.keys(r.values).length);
  if (dataRows.length !== 1) return rows;
  const src = dataRows[0]!;
  const out: Row[] = [];
  const keys = new KeyCounter();
  const byKey = new Map<string, Row>();
  const withGroup = cats.some((c) => c?.groupTotal);
  cats.forEach((c, i) => {
    const f = layout.fields[i];
    if (!c || !f) return;
    // The 三公 subtotal is the canonical 合计; a total over 三公, 会议费 and 培训费 is 总计.
    const rowName = withGroup && c.cat.field === 'three_public' && !c.groupTotal ? '总计' : c.cat.name;
    let row = byKey.get(rowName);
    if (!row) {
      row = { key: keys.next(rowName, null), code: null, name: c.name, level: null, side: null, page: src.page, values: {} };
      byKey.set(rowName, row);
      out.push(row);
    }
    const v = src.values[f];
    const qualified = f !== c.cat.field && f !== 'total';
    if (v !== undefined) row.values[qualified && c.qual ? c.qual : 'total'] = v;
  });
  return out;
}

export { groupLines };
