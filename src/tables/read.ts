/** Read one table region (a heading and the page segments under it) into a Table. */
import type { PageData } from '../pdf/types.js';
import type { Box, Row, Table, Unit, Warning } from '../model.js';
import { compact } from '../pdf/normalize.js';
import { columnOf, isAmountText, ruledBoundaries, textColumns, toIntervals, type Column } from '../layout/grid.js';
import type { TableDef } from './definitions.js';
import { CodeJoiner, KeyCounter, isSummaryName, nameKey, splitLeadingCode } from './rows.js';
import { levelOf, listCodeKind, settleCodes } from './codes.js';
import type { CodeKind } from '../model.js';
import { cellAmount } from './cell.js';
import { splitNumber } from './headings.js';
import { COLUMN_NO_RE, SUMMARY_WORD_RE } from './patterns.js';
import { classifyColumns, headerOnlyColumns, headerTexts, inherit, makeBlocks, nearest, type Block, type Layout } from './columns.js';
import { fieldsFromClosingLines, mapFields, threePublicRowKey, transposeThreePublic } from './fields.js';
import { bandBox, cellBox, cellText, makeBands, type Band } from '../layout/bands.js';
import { chunkBox, type Line } from '../layout/lines.js';
import { growRect, pageBox, type Rect } from '../pdf/boxes.js';

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

/** Layout diagnostics on stderr (BE_DEBUG set when the process starts). */
const DEBUG = !!process.env.BE_DEBUG;
const META_RE = /(部门名称|部门|单位名称|编制单位|编制部门|预算单位|填报单位)[:：]\s*([^\s:：]*?)(?=单位[:：]|金额单位|$)/;
const UNIT_RE = /(?:金额)?单位[:：]\s*(万元|千元|元)/;
const NOTE_EMPTY_RE = /本表无数据|无数据|本表为空|故本表为空|空表|没有.{0,12}(收支|收入|支出|数据|经费)|无.{0,10}(收支|收入|支出)(安排|预算)?[，。]?/;
const NOTE_RE = /^(注|说明|备注)[:：]/;
const FOOTER_RE = /^[-—–─\s第]*\d+[-—–─\s页]*$|^第\d+页[，,]?(共\d+页)?$/;
/** The 政府预算支出经济分类 columns printed beside the 部门预算 ones. */
const GOV_ECON_RE = /政府预算.*(经济|科目)|政府(支出)?经济(分类|科目)/;
const DEPT_ECON_RE = /部门(预算)?(支出)?经济(分类|科目)/;
const HEADER_WORD_RE = /^(项目|科目|功能分类|经济分类|科目编码|科目名称|单位名称|项目名称|预算数|合计|金额|类|款|项)$/;
/** How one page of a table was read: each column's kind, header path and field (for
 *  `tables --explain`-style diagnostics and the header-mapping test over real files). */
export interface LayoutTrace {
  page: number;
  headers: string[];
  kinds: Layout['kinds'];
  fields: (string | null)[];
  /** Why each column has its field (the rule of tables/fields.ts mapFields), or its kind's
   *  role; null where nothing was decided (a label or code column). */
  rules: (string | null)[];
  /** The column bands (x0, x1 in points) and whether ruling lines gave them. */
  cols: Column[];
  ruled: boolean;
  /** A continuation page without a header: its fields taken from the page before. */
  inherited: boolean;
}

/** A figure printed in the table's body that no cell took: where it hides, a wrong or missing
 *  figure can hide too (src/quality.ts reports them). */
export interface LostFigure {
  page: number;
  text: string;
  /** outside_columns: between or beyond the columns; unreadable: in an amount column but not
   *  an amount; row_dropped: on a line read as a note or a header, not as a row */
  reason: 'outside_columns' | 'unreadable' | 'row_dropped';
}

export interface ReadResult {
  table: Table;
  warnings: Warning[];
  layouts: LayoutTrace[];
  lost: LostFigure[];
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
  const layouts: LayoutTrace[] = [];
  const rows: Row[] = [];
  const boxes: Box[] = [];
  const keys = new KeyCounter();
  const codes = new Map<number, CodeJoiner>();
  // What each row's list classifies (its code's kind; the catalogue for a row printed by name).
  const lists = new Map<Row, CodeKind | null>();
  let lastPage = firstPage;
  let emptyNote = false;
  let knownHeader: Set<string> | null = null;
  const lost: LostFigure[] = [];
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
    if (knownHeader) {
      // Continuation page: only a leading run of lines that repeat the header is header.
      let h = 0;
      while (h < dataIdx && !looksLikeBodyRow(lines[h]!, knownHeader)) h++;
      dataIdx = h;
    } else {
      while (dataIdx > 0 && looksLikeBodyRow(lines[dataIdx - 1]!, knownHeader)) dataIdx--;
    }
    const headerLines = lines.slice(0, dataIdx).filter((l) => !NOTE_RE.test(compact(l.text)));
    if (DEBUG) console.error(`[seg] p${seg.page.index} first=${seg.first} dataIdx=${dataIdx} known=${knownHeader ? [...knownHeader].join(",") : null}`);
    if (!knownHeader) knownHeader = new Set(headerLines.flatMap((l) => l.chunks.map((c) => compact(c.text))));
    // A note under the table (注：本表反映…) ends its body on this page.
    const noteIdx = lines.findIndex((l, i) => i > dataIdx && NOTE_RE.test(compact(l.text)));
    const { body: bodyLines, header: strayHeader } = liftHeaderWords(lines.slice(dataIdx, noteIdx > 0 ? noteIdx : undefined));
    if (strayHeader) headerLines.push(strayHeader);
    const segLayout = buildLayout(seg.page, headerLines, bodyLines, def, layout);
    if (!segLayout) continue;
    layout = segLayout;
    // The header mapping as read (side-by-side lists named by their closing lines are renamed later).
    layouts.push({
      page: seg.page.index,
      headers: segLayout.headers,
      kinds: segLayout.kinds,
      fields: segLayout.fields.slice(),
      rules: segLayout.rules ?? [],
      cols: segLayout.cols,
      ruled: segLayout.ruled,
      inherited: !!segLayout.inherited,
    });
    const before = rows.length;
    readRows(seg, bodyLines, segLayout, def, rows, keys, codes, lost, lists);
    if (rows.length > before) lastPage = seg.page.index;
    const box = tableBox(seg.page.index, segLayout, headerLines, bodyLines);
    if (box) boxes.push(box);
  }

  // Reading order is list by list: income before expenditure, each side-by-side list whole
  // (its continuation pages included) before the next; the sort is stable.
  const order = (r: Row) => (r.side === 'expenditure' ? 1000 : 0) + (r.group ?? 0);
  let finalRows = rows.filter((r) => Object.keys(r.values).length || r.name).sort((a, b) => order(a) - order(b));
  if (layout) fieldsFromClosingLines(finalRows, layout, def);
  let transposed = false;
  if (def?.transposeCategories && layout) {
    const t = transposeThreePublic(finalRows, layout, def);
    transposed = t !== finalRows;
    finalRows = t;
  }
  warnings.push(...settleCodes(finalRows.map((row) => ({ row, list: lists.get(row) ?? null })), region.title));
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
      // (Dropped from the output unless --boxes: src/extract.ts.)
      boxes: boxes.filter((b) => b.page <= lastPage),
    },
    warnings,
    lost,
    layouts,
  };
}

function readMeta(lines: Line[]): { unit: Unit | null; department: string | null; metaEnd: number } {
  let unit: Unit | null = null;
  let department: string | null = null;
  let metaEnd = 0;
  let metaLine: Line | null = null;
  for (let i = 0; i < Math.min(lines.length, 6); i++) {
    const t = compact(lines[i]!.text);
    if (isDataLine(lines[i]!)) break;
    const u = UNIT_RE.exec(t);
    const m = META_RE.exec(t);
    if (u) unit = u[1] as Unit;
    if (m && m[2]) department = m[2];
    if (u || m) metaEnd = i + 1;
    if (m && m[2]) metaLine = lines[i]!;
  }
  // A department name wrapped onto a line of its own (`部门：中国共产党江苏省委员会办` / `公厅`):
  // one short piece under the name, just below the meta lines.
  const next = lines[metaEnd];
  const head = metaLine?.chunks.find((k) => META_RE.test(compact(k.text)));
  if (department && head && next && next.chunks.length === 1 && !isDataLine(next) && next.y - metaLine!.y < 3 * next.size) {
    const c = next.chunks[0]!;
    if (compact(c.text).length <= 8 && c.x0 >= head.x0 - 2 && c.x0 < head.x1 && !/[:：]/.test(c.text)) {
      department += compact(c.text);
      metaEnd++;
    }
  }
  return { unit, department, metaEnd };
}

/** A following page that opens with a 部门名称/单位 line, or with a header that shares nothing
 *  with this table's header, is another (untitled) table. */
function startsAnotherTable(lines: Line[], dataIdx: number, knownHeader: Set<string> | null): boolean {
  const first = compact(lines[0]?.text ?? '');
  if (META_RE.test(first) || /^(金额)?单位[:：]/.test(first)) return true;
  if (!knownHeader || dataIdx < 0) return false;
  const head = lines.slice(0, dataIdx).filter((l) => cellCount(l) >= 3);
  return head.length >= 1 && head.every((l) => !l.chunks.some((c) => knownHeader.has(compact(c.text))));
}

/** Pieces of a line standing apart (a running head `某某局 2026 年度…` set in two fonts
 *  is one piece). */
function cellCount(l: Line): number {
  let n = 0;
  l.chunks.forEach((c, i) => {
    if (i === 0 || c.x0 - l.chunks[i - 1]!.x1 > c.size) n++;
  });
  return n;
}

const ROW_START_RE = /^([一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d{3,7}(?!\d)|其中[:：]|合计|总计|小计)/;

/** A line above the first figures that is a row without figures (or, on a continuation
 *  page, any line that is not the repeated header). */
function looksLikeBodyRow(l: Line, knownHeader: Set<string> | null): boolean {
  const t = compact(l.text);
  if (COLUMN_NO_RE.test(t) || NOTE_RE.test(t)) return false;
  if (knownHeader) return !l.chunks.some((c) => knownHeader.has(compact(c.text)));
  const first = compact(l.chunks[0]?.text ?? '');
  // A header line can start with 合计 (合计 | 人员经费 | 公用经费): a row's 合计 stands alone.
  if (l.chunks.length > 1 && /^(合计|小计|总计)$/.test(first) && l.chunks.slice(1).every((c) => !isAmountText(c.text))) return false;
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
  const rules: (string | null)[] = cols.map(() => null);
  const fields = ownHeader || !prev ? mapFields(cols, kinds, headers, def, rules) : inherit(cols, prev);
  if (!ownHeader && prev) headers.splice(0, headers.length, ...cols.map((c) => prev.headers[nearest(prev.cols, c)] ?? ''));
  const blocks = makeBlocks(kinds, def, headers);
  if (DEBUG) {
    console.error(`[layout] p${page.index} ruled=${ruled} ` + cols.map((c, i) => `${c.x0.toFixed(0)}-${c.x1.toFixed(0)}:${kinds[i]}:${headers[i]}=>${fields[i]}`).join(' | '));
  }
  return { cols, kinds, fields, headers, blocks, ruled, inherited: !ownHeader && !!prev, rules };
}

function readRows(
  seg: Segment,
  body: Line[],
  layout: Layout,
  def: TableDef | null,
  rows: Row[],
  keys: KeyCounter,
  codes: Map<number, CodeJoiner>,
  lost: LostFigure[],
  lists: Map<Row, CodeKind | null>,
): void {
  const tableLeft = layout.cols[0]!.x0 - 2;
  const tableRight = layout.cols[layout.cols.length - 1]!.x1 + 2;
  for (const block of layout.blocks) {
    const bx0 = layout.cols[Math.min(...[...block.labelCols, ...block.codeCols, ...block.amountCols])]!.x0;
    const bx1 = layout.cols[Math.max(...[...block.labelCols, ...block.codeCols, ...block.amountCols])]!.x1;
    const bands = makeBands(seg.page, body, layout.cols, layout.ruled, bx0, bx1, tableLeft, tableRight);
    const joiner = codes.get(block.group) ?? new CodeJoiner();
    codes.set(block.group, joiner);
    // (Only beside a 功能分类 name: in an economic table the 部门 names are the rows' own.)
    const byFunction = block.labelCols.some((ci) => /功能/.test(layout.headers[ci] ?? ''));
    for (const band of bands) {
      // Each cell's text is read once per band (the name, code and value readers share it).
      const texts: Array<string | undefined> = [];
      const cell = (ci: number) => (texts[ci] ??= cellText(band, layout.cols[ci]!));
      // The 政府预算 economic names are a second name column beside the 部门预算 ones; alone,
      // they are the row's name. Beside a 功能分类 name, the 部门 economic names are a third.
      const gov = secondaryName(block, layout, cell, GOV_ECON_RE, [], joinerFor(codes, 1000 + block.group));
      const econ = byFunction
        ? secondaryName(block, layout, cell, DEPT_ECON_RE, gov.cols, joinerFor(codes, 2000 + block.group))
        : { cols: [], codeCols: [], name: undefined, code: undefined };
      const labelCols = block.labelCols.filter((ci) => !gov.cols.includes(ci) && !econ.cols.includes(ci));
      const label = labelCols.map(cell).filter(Boolean).join('');
      const { name: govName, code: govCode } = gov;
      const govCodeCols = gov.codeCols;
      const ownCodeCols = block.codeCols.filter((ci) => !govCodeCols.includes(ci) && !econ.codeCols.includes(ci));
      let codeParts = ownCodeCols.map(cell);
      // A 合计 printed across the code columns is the row's name.
      const summaryInCode = codeParts.find((p) => SUMMARY_WORD_RE.test(compact(p)));
      if (summaryInCode) codeParts = codeParts.map(() => '');
      let code = block.codeCols.length ? joiner.join(codeParts) : null;
      let name = (summaryInCode && !label.trim() ? summaryInCode : label).trim();
      if (!name && !code && block !== layout.blocks[0]) name = strayClosingName(body, band, layout, bx0);
      let codeFromLabel = false;
      if (!code) {
        const s = splitLeadingCode(name);
        if (s.code) {
          code = s.code;
          name = s.name;
          codeFromLabel = true;
        }
      }
      // The code's kind: the header of the columns it was read from first.
      const sourceCols = codeFromLabel ? [...labelCols, ...ownCodeCols] : [...ownCodeCols, ...labelCols];
      const list = listCodeKind(sourceCols.map((ci) => layout.headers[ci] ?? ''), def, block.side);
      const values: Record<string, string> = {};
      const valueBoxes: Record<string, Box> = {};
      const unread: string[] = [];
      for (const ci of block.amountCols) {
        const f = layout.fields[ci];
        if (!f) continue;
        const text = cell(ci);
        const v = cellAmount(text);
        if (v === null) {
          // digits that do not read as an amount (`3O.00`, two figures run together); words with a
          // digit in them (目标6：…) and percentages are not figures
          if (/\d/.test(text) && !/[%％\u4e00-\u9fa5]/.test(text)) unread.push(text);
          continue;
        }
        values[f] = v;
        const vb = cellBox(band, layout.cols[ci]!);
        if (vb) valueBoxes[f] = pageBox(seg.page.index, vb);
      }
      const outside = figuresOutside(band, layout);
      const ct = compact(name);
      const lose = (reason: LostFigure['reason'], texts: string[]) => lost.push(...texts.map((text) => ({ page: seg.page.index, text, reason })));
      lose('outside_columns', outside);
      lose('unreadable', unread);
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
          // (A figure cut by the page break keeps the box of its head.)
          for (const [f, b] of Object.entries(valueBoxes)) if (prev.valueBoxes && !prev.valueBoxes[f]) prev.valueBoxes[f] = b;
          continue;
        }
      }
      if (NOTE_RE.test(ct) || NOTE_EMPTY_RE.test(ct)) {
        lose('row_dropped', Object.values(values));
        continue;
      }
      if (COLUMN_NO_RE.test(ct)) continue;
      if (!Object.keys(values).length && (HEADER_WORD_RE.test(ct) || !name)) continue;
      // A line of figures with no label opening the table is its total line (合计 in a cell
      // merged over the label columns, printed as nothing).
      // (Asked only of a row with neither code nor name: it scans the rows read so far.)
      const opensTable = () => !rows.some((r) => r.side === block.side && r.group === (layout.blocks.length > (def?.twoSided ? 2 : 1) ? block.group : undefined));
      let baseKey = code ?? (name ? nameKey(name) : opensTable() ? '合计' : '');
      if (def?.transposeCategories && !code) baseKey = threePublicRowKey(baseKey);
      // A 合计 line repeated at the top of a continuation page is one row, once.
      if (!seg.first && isSummaryName(name)) {
        const dup = rows.find((r) => r.side === block.side && nameKey(r.name) === nameKey(name) && sameValues(r.values, values));
        if (dup) continue;
      }
      // (Built field by field, in the output's order: no spread of a temporary object per row.)
      const row: Row = {
        key: keys.next(baseKey, block.side),
        code,
        code_kind: null,
        code_source: null,
        name: name || code || '',
        level: levelOf(code, list),
        side: block.side,
      } as Row;
      if (govName !== undefined) row.gov_name = govName;
      if (govCode !== undefined) row.gov_code = govCode;
      if (econ.name !== undefined) {
        row.econ_code = econ.code ?? null;
        row.econ_name = econ.name;
      }
      // Lists side by side keep their block (a 收支总表 with three expenditure lists).
      if (layout.blocks.length > (def?.twoSided ? 2 : 1)) row.group = block.group;
      row.page = seg.page.index;
      row.values = values;
      const box = bandBox(band, bx0, bx1);
      if (box) row.box = pageBox(seg.page.index, box);
      row.valueBoxes = valueBoxes;
      lists.set(row, list);
      rows.push(row);
    }
  }
}

/** A table's box on one page: its columns, from the top of its header (or first row) to the
 *  bottom of its last row. */
function tableBox(page: number, layout: Layout, header: Line[], body: Line[]): Box | null {
  let text: Rect | null = null;
  for (const lines of [header, body]) for (const l of lines) for (const c of l.chunks) text = growRect(text, chunkBox(c));
  if (!text) return null;
  const cols = layout.cols;
  return pageBox(page, { x0: Math.min(cols[0]!.x0, text.x0), y0: text.y0, x1: Math.max(cols[cols.length - 1]!.x1, text.x1), y1: text.y1 });
}

/** Figures of a band that fall in no column: cellText gives them to no cell. */
function figuresOutside(band: Band, layout: Layout): string[] {
  const out: string[] = [];
  for (const l of band.lines) {
    for (const c of l.chunks) if (isAmountText(c.text) && /\d/.test(c.text) && columnOf(layout.cols, (c.x0 + c.x1) / 2) < 0) out.push(c.text);
  }
  return out;
}

interface SecondaryName {
  cols: number[];
  codeCols: number[];
  name: string | null | undefined;
  code: string | null | undefined;
}

/** A second classification printed beside the row's own (政府预算经济科目 beside the 部门 one,
 *  部门经济科目 beside a 功能分类 name): its label columns (those headed so, when another
 *  label column remains for the row's name), the code columns standing left of them, and the
 *  band's name and code there (a code printed in the name's cell, `50101-工资奖金津补贴`, split). */
function joinerFor(codes: Map<number, CodeJoiner>, k: number): CodeJoiner {
  if (!codes.has(k)) codes.set(k, new CodeJoiner());
  return codes.get(k)!;
}

function secondaryName(block: Block, layout: Layout, cell: (ci: number) => string, re: RegExp, taken: number[], joiner: CodeJoiner): SecondaryName {
  const free = block.labelCols.filter((ci) => !taken.includes(ci));
  const headed = [...free, ...block.codeCols].filter((ci) => re.test(layout.headers[ci] ?? ''));
  if (!free.some((ci) => !headed.includes(ci))) return { cols: [], codeCols: [], name: undefined, code: undefined };
  const cols = free.filter((ci) => headed.includes(ci));
  // Codes stand left of their names: the code columns before such a name column are its.
  const codeCols = block.codeCols.filter((ci) => headed.includes(ci) || cols.includes(nextLabel(block.labelCols, ci)));
  let name = cols.length ? cols.map(cell).join('') || null : undefined;
  // Over 类/款 columns, the 类 is carried from the lines above (as for the row's own code).
  let code = codeCols.length ? (codeCols.length > 1 ? joiner.join(codeCols.map(cell)) : cell(codeCols[0]!) || null) : undefined;
  if (name && code === undefined) {
    const g = splitLeadingCode(name);
    if (g.code) [code, name] = [g.code, g.name];
  }
  return { cols, codeCols, name, code };
}

function nextLabel(labelCols: number[], ci: number): number {
  return labelCols.find((l) => l > ci) ?? -1;
}

/** A closing line of side-by-side lists whose name is centred over the previous list's
 *  columns and its figure in this list (公用经费合计 over block 2, 291.45 in block 3): the
 *  summary words on the row's line left of the block, outside every name column. */
function strayClosingName(body: Line[], band: Band, layout: Layout, bx0: number): string {
  const ys = band.lines.map((l) => l.y);
  const parts: Array<{ x: number; text: string }> = [];
  for (const l of body) {
    if (!ys.some((y) => Math.abs(y - l.y) < 1)) continue;
    for (const c of l.chunks) {
      const ci = columnOf(layout.cols, (c.x0 + c.x1) / 2);
      if ((c.x0 + c.x1) / 2 >= bx0 || ci < 0 || layout.kinds[ci] === 'label' || !/[\u4e00-\u9fa5]/.test(c.text)) continue;
      parts.push({ x: c.x0, text: c.text });
    }
  }
  const name = compact(parts.sort((a, b) => a.x - b.x).map((p) => p.text).join(''));
  return /合计|总计|小计/.test(name) ? name : '';
}

function sameValues(a: Record<string, string>, b: Record<string, string>): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
}

