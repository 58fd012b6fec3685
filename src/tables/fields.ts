/** Header text → canonical field ids (the table definitions applied to a column layout), and
 *  the 三公 tables that print their categories as columns. */
import type { Row } from '../model.js';
import { compact } from '../pdf/normalize.js';
import { unionRect } from '../pdf/boxes.js';
import type { Column } from '../layout/grid.js';
import { SHARED_FIELDS, THREE_PUBLIC_CATEGORIES, type TableDef } from './definitions.js';
import { KeyCounter, nameKey } from './rows.js';
import { makeBlocks, type Block, type ColKind, type Layout } from './columns.js';

export function mapFields(cols: Column[], kinds: ColKind[], headers: string[], def: TableDef | null, rules?: (string | null)[]): (string | null)[] {
  const blocks = makeBlocks(kinds, def, headers);
  const fields: (string | null)[] = cols.map(() => null);
  // Which rule gave each column its field (for `tables --explain`).
  const why = (i: number, rule: string) => void (rules && (rules[i] = rule));
  const year = tableYear(headers);
  for (const b of blocks) {
    const used = new Set<string>();
    const paths = blockPaths(headers, b, def);
    // A qualifier every 三公 category column shares (财政拨款) tells nothing: drop it.
    const quals = def?.transposeCategories ? new Set(b.amountCols.map((i) => categoryOf(headers[i] ?? '', def, null)?.qual ?? null)) : null;
    const sharedQual = quals && quals.size === 1;
    const hasTotal = [...paths.values()].some((p) => /^(合计|总计)$/.test(p));
    // (The block's, asked of each of its columns.)
    const categoriesAsColumns = !!def?.transposeCategories && categoryColumns(headers, b) >= 3;
    for (const i of b.amountCols) {
      const h = paths.get(i) ?? '';
      // A 备注 column holds remarks, not figures: no field.
      if (/(^|\/)(备注|说明)(\/(\d{1,2}|[*＊]+))*$/.test(headers[i] ?? '')) {
        why(i, 'a 备注 column: no field');
        continue;
      }
      let f: string | null = null;
      let rule = '';
      const take = (field: string | null, r: string) => {
        if (field) [f, rule] = [field, r];
      };
      if (def?.singleAmount && b.amountCols.length === 1) take(b.side === 'expenditure' ? 'total' : 'amount', 'the only figure column of a side');
      // Two-sided tables: the first column of a side is the row's whole amount when the others
      // are its parts (本年预算 | 编制预算 | 上年结转).
      if (!f && def?.twoSided && i === b.amountCols[0] && b.amountCols.length > 1 && isWholeColumn(h, def, b.side)) {
        take(b.side === 'expenditure' ? 'total' : 'amount', 'the first column of a side, its parts beside it');
      }
      if (!f && categoriesAsColumns) {
        const c = categoryOf(h, def, null);
        // Beside a 三公 subtotal, a plain 合计 also counts 会议费/培训费: it is the table's total.
        // (当年预算/小计 is that year's 三公 subtotal, not such a total.)
        const plainTotal = c?.cat.field === 'three_public' && !c.groupTotal && !c.qual && hasGroupTotal(headers, b, def);
        if (c) take(plainTotal ? 'total' : c.qual && !sharedQual ? `${c.cat.field}_${c.qual}` : c.cat.field, '三公 category column');
      }
      if (!f && b.amountCols.length === 1 && sideBySideLists(blocks, def)) {
        take(blockHeadingField(h, def, b.side) ?? headingOverNames(headers, b, h, def), 'the heading of a list beside others');
      }
      if (!f) take(matchField(h, def, b.side, hasTotal), def?.fields?.some((r) => r.re.test(h)) ? `header rule of ${def.id}` : 'shared header rule (tables.md)');
      // A list's only figure column is its row's amount, whatever its head says.
      if (!f && def && b.amountCols.length === 1 && h && !/编码|代码|名称|科目|单位/.test(h)) take('total', "a list's only figure column");
      // Another year's figures (2025年预算数 in a 2026 table) or the change on it.
      const period = periodOf(h, year);
      // 增减额 alone is the change of the row's whole amount.
      if (!f && period === 'change') take('total', 'a change column');
      if (f && period && !/^col\d/.test(f)) [f, rule] = [`${period}_${f}`, `${rule}, of ${period === 'change' ? 'the change' : 'another year'}`];
      if (!f || used.has(f)) [f, rule] = [`col${i + 1}`, f ? `${f} again in this list: unmapped` : 'no rule matched the header: unmapped'];
      used.add(f);
      fields[i] = f;
      why(i, rule);
    }
  }
  return fields;
}

/** Header levels that name nothing (tables.md, "Column headers → fields"): 栏次 numbers,
 *  `**`, 金额单位 and 备注 pieces. */
const NON_HEADER_LEVEL = /^(\d{1,2}|[*＊]+|栏次|行次|备注|说明|(金额)?单位[:：].*|万?元)$/;

export function headerLevels(h: string): string[] {
  return h.split('/').filter((l) => l && !NON_HEADER_LEVEL.test(l));
}

/** Each amount column's header path as the field rules read it: non-header levels gone, the
 *  side word of a two-sided table gone, and a spanning header over every column of the list
 *  dropped — it only restates what the whole table is (本年一般公共预算基本支出 over
 *  合计/人员经费/公用经费), so its 合计 is the row's total. */
function blockPaths(headers: string[], b: Block, def: TableDef | null): Map<number, string> {
  const levels = new Map<number, string[]>();
  for (const i of b.amountCols) {
    let ls = headerLevels(headers[i] ?? '');
    if (def?.twoSided && ls.length && /^(收入|支出|收|支|入|出)$/.test(ls[0]!)) ls = ls.slice(1);
    levels.set(i, ls);
  }
  splitGluedLevels([...levels.values()]);
  const lists = [...levels.values()];
  while (lists.length > 1 && lists.every((ls) => ls.length > 1 && ls[0] === lists[0]![0])) {
    for (const ls of lists) ls.shift();
  }
  return new Map([...levels].map(([i, ls]) => [i, ls.join('/')]));
}

/** A head printed in one cell with its parent (`公务用车购置及运行费公务用车购置费`) when a
 *  sibling column prints that parent as a level of its own: cut it into parent / child. */
function splitGluedLevels(lists: string[][]): void {
  for (const ls of lists) {
    for (let d = 0; d < ls.length; d++) {
      const parent = lists.map((o) => o[d]).find((t) => !!t && t.length >= 4 && t !== ls[d] && ls[d]!.startsWith(t));
      if (parent && ls[d]!.length > parent.length + 1) ls.splice(d, 1, parent, ls[d]!.slice(parent.length));
    }
  }
}

/** A column that holds the whole of a side (not a part of it, such as 上年结转 or a fund). */
function isWholeColumn(h: string, def: TableDef | null, side: Block['side']): boolean {
  const f = matchField(h, def, side);
  return f === 'total' || f === 'current_year' || f === null;
}

/** Several lists printed side by side on one page (not the two sides of a 收支总表). */
function sideBySideLists(blocks: Block[], def: TableDef | null): boolean {
  return !def?.twoSided && blocks.filter((b) => b.amountCols.length).length >= 2;
}

/** The plain figure heads of a list's single amount column. */
const PLAIN_AMOUNT_HEAD = /^(金额|决算数|预算数|执行数|合计|小计|数额)$/;

/** A list printed in blocks side by side, each with one 金额/决算数 column under a block
 *  heading (决算 basic tables: 人员经费 | 公用经费 | 公用经费): the heading is the spanning
 *  header that names the field (tables.md, "Column headers → fields"). Null when the head
 *  names no part (a plain 合计, or no heading). */
export function blockHeadingField(h: string, def: TableDef | null, side: Block['side']): string | null {
  const levels = h.split('/').filter((l) => l && !/^(\d{1,2}|[*＊]+|栏次|行次)$/.test(l));
  if (levels.length < 2 || !PLAIN_AMOUNT_HEAD.test(levels[levels.length - 1]!)) return null;
  const f = matchField(levels.slice(0, -1).join('/'), def, side);
  return f && f !== 'total' && f !== 'amount' ? f : null;
}

/** A block heading that reached only the list's name or code column (unruled pages: the
 *  heading centred over its block lands in one column): the part it names, where the figure
 *  column's own head is a plain 金额/决算数 (or blank). */
function headingOverNames(headers: string[], b: Block, h: string, def: TableDef | null): string | null {
  const levels = h.split('/').filter((l) => l && !/^(\d{1,2}|[*＊]+|栏次|行次)$/.test(l));
  if (levels.length > 1 || (levels.length === 1 && !PLAIN_AMOUNT_HEAD.test(levels[0]!))) return null;
  const named = new Set([...b.labelCols, ...b.codeCols].map((ci) => matchField(headers[ci] ?? '', def, b.side)).filter((f): f is string => !!f));
  const [f] = [...named];
  return named.size === 1 && BLOCK_PARTS.has(f!) ? f! : null;
}

/** A block's field named by its closing line (人员经费合计 / 公用经费合计) where the block
 *  prints no heading of its own: the part the closing line totals, or null. */
export function closingLineField(name: string, def: TableDef | null): string | null {
  const m = /^(.+?)(合计|小计|总计)$/.exec(name.replace(/\s+/g, ''));
  if (!m) return null;
  const f = matchField(m[1]!, def, null);
  return f && f !== 'total' && f !== 'amount' ? f : null;
}

/** The parts a list printed in its own block can stand for. */
const BLOCK_PARTS = new Set(['personnel', 'public_funds', 'basic', 'project']);

/** Side-by-side lists printed without block headings (科目 | 决算数, twice), or with a heading
 *  over some blocks only: each list's heading or closing line (人员经费合计 / 公用经费合计)
 *  names its part, and a list named by neither continues the nearest named list to its right
 *  (公用经费 over two blocks), else to its left. Its figures, read as the plain `total`, take
 *  that part's field; done only where the lists name two parts. */
export function fieldsFromClosingLines(rows: Row[], layout: Layout, def: TableDef | null): void {
  if (def?.twoSided) return;
  const groups = [...new Set(rows.flatMap((r) => (r.group === undefined || r.group === null ? [] : [r.group])))].sort((a, b) => a - b);
  if (groups.length < 2) return;
  const fieldsIn = (g: number) => [...new Set(rows.filter((r) => r.group === g).flatMap((r) => Object.keys(r.values)))];
  // Each list has one figure column.
  if (groups.some((g) => fieldsIn(g).length > 1)) return;
  const named = new Map<number, string>();
  const plain = new Set<number>();
  for (const g of groups) {
    const fs = fieldsIn(g);
    if (fs.length === 1 && fs[0] !== 'total') {
      if (BLOCK_PARTS.has(fs[0]!)) named.set(g, fs[0]!);
      continue;
    }
    plain.add(g);
    const f = rows.filter((r) => r.group === g).map((r) => closingLineField(r.name, def)).find((x) => x && BLOCK_PARTS.has(x));
    if (f) named.set(g, f);
  }
  if (new Set(named.values()).size < 2) return;
  const fieldOf = (g: number): string | undefined =>
    named.get(g) ??
    groups.filter((x) => x > g).map((x) => named.get(x)).find((x) => x) ??
    groups.filter((x) => x < g).reverse().map((x) => named.get(x)).find((x) => x);
  for (const r of rows) {
    if (r.group === undefined || r.group === null || !plain.has(r.group)) continue;
    const f = fieldOf(r.group);
    if (f && r.values.total !== undefined) {
      r.values = { [f]: r.values.total };
      if (r.valueBoxes?.total) r.valueBoxes = { [f]: r.valueBoxes.total };
    }
  }
  for (const b of layout.blocks) {
    const f = plain.has(b.group) ? fieldOf(b.group) : undefined;
    if (f) for (const ci of b.amountCols) if (layout.fields[ci] === 'total') layout.fields[ci] = f;
  }
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
  // (categoryOf names such a category exactly when a level does: its qualifiers are not needed.)
  return b.amountCols.filter((i) => namedCategory(categoryLevels(headers[i] ?? '')) !== null).length;
}

/** The levels of a header path that can name a category (no empty level, no column number). */
function categoryLevels(h: string): string[] {
  return h.split('/').filter((l) => l && !/^\d{1,2}$/.test(l));
}

/** The deepest level that names a 三公 category other than the total, and that category. */
function namedCategory(levels: string[]): { cat: Category; at: number } | null {
  for (let i = levels.length - 1; i >= 0; i--) {
    const cat = THREE_PUBLIC_CATEGORIES.find((c) => c.field !== 'three_public' && c.re.test(levels[i]!));
    if (cat) return { cat, at: i };
  }
  return null;
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
  /** A column under a category's own head (因公出国（境）费 / 科研因公出国（境）费用): a line
   *  of its own, keyed by its name (the head's name again: a second line of that key). */
  sub: 'same' | 'other' | null;
}

function categoryOf(h: string, def: TableDef | null, year: number | null): CategoryColumn | null {
  const levels = categoryLevels(h);
  const named = namedCategory(levels);
  let at = named?.at ?? -1;
  let cat: Category | undefined = named?.cat;
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
  const parent = cat.field === 'three_public' ? -1 : levels.findIndex((l, i) => i < at && THREE_PUBLIC_CATEGORIES.find((c) => c.field !== 'three_public' && c.re.test(l)) === cat);
  const sub = parent < 0 ? null : levels[parent] === levels[at] ? 'same' : 'other';
  return { cat, name: levels[at]!, qual, groupTotal, sub };
}

export function lastLevel(h: string): string {
  const p = h.split('/');
  return p[p.length - 1] ?? h;
}

const CARRYOVER_RE = /^(上年结转|上年结余|年初结转|财政拨款结转)/;

export function matchField(h: string, def: TableDef | null, side: Block['side'], siblingTotal = false): string | null {
  for (const r of def?.fields ?? []) if ((!r.side || r.side === side) && r.re.test(h)) return r.field;
  // Most specific first: the leaf alone, then the whole path (a parent like 上年结转 qualifies).
  for (const r of SHARED_FIELDS) if (r.path && r.re.test(h)) return r.field;
  const leaf = lastLevel(h);
  const levels = h.split('/');
  // A column under 上年结转(结余) is that carryover's part: carryover_<field> (its 小计 the
  // carryover itself); columns under 当年预算 keep the plain ids.
  const co = levels.findIndex((l, i) => i < levels.length - 1 && CARRYOVER_RE.test(l));
  if (co >= 0) {
    const inner = matchField(levels.slice(co + 1).join('/'), null, side);
    return !inner || inner === 'total' || inner === 'current_year' ? 'carryover' : inner.startsWith('carryover') ? inner : `carryover_${inner}`;
  }
  // 小计 names its parent's subtotal: 本年收入/小计 is current_year, 财政拨款/小计 fiscal_total;
  // so does 合计 beside a column of the row's total (总计 | 财政拨款/合计).
  if ((leaf === '小计' || leaf === '金额' || (leaf === '合计' && siblingTotal)) && levels.length > 1) {
    for (let i = levels.length - 2; i >= 0; i--) {
      const f = SHARED_FIELDS.find((r) => !r.path && r.re.test(levels[i]!))?.field;
      if (f && f !== 'total') return f;
    }
  }
  for (const r of SHARED_FIELDS) if (!r.path && r.re.test(leaf)) return r.field;
  for (const r of SHARED_FIELDS) if (!r.path && r.re.test(h)) return r.field;
  return null;
}

/** 三公 tables printing the categories as columns: one data row becomes the canonical
 *  category rows, each column's qualifier (预算数/决算数, a fund) its field. */
export function transposeThreePublic(rows: Row[], layout: Layout, def: TableDef | null): Row[] {
  const year = tableYear(layout.headers);
  const cats = layout.headers.map((h, i) => (layout.kinds[i] === 'amount' ? categoryOf(h, def, year) : null));
  if (cats.filter((c) => c && c.cat.field !== 'three_public').length < 3) return rows;
  const dataRows = rows.filter((r) => Object.keys(r.values).length);
  // One line of figures, or one line per period (2025年 | 2026年 | 增减变化金额).
  const periods = dataRows.length === 1 ? [null] : rowPeriods(dataRows, def);
  if (!periods) return rows;
  const out: Row[] = [];
  const keys = new KeyCounter();
  const byKey = new Map<string, Row>();
  const withGroup = cats.some((c) => c?.groupTotal);
  cats.forEach((c, i) => {
    const f = layout.fields[i];
    if (!c || !f) return;
    // The 三公 subtotal is the canonical 合计; a total over 三公, 会议费 and 培训费 is 总计.
    const rowName = withGroup && c.cat.field === 'three_public' && !c.groupTotal && !c.qual ? '总计' : c.sub === 'other' ? nameKey(c.name) : c.cat.name;
    const slot = c.sub === 'same' ? `${rowName}/sub` : rowName;
    let row = byKey.get(slot);
    if (!row) {
      row = { key: keys.next(rowName, null), code: null, code_kind: null, code_source: null, name: c.name, level: null, side: null, page: dataRows[0]!.page, values: {} };
      byKey.set(slot, row);
      out.push(row);
    }
    const qualified = f !== c.cat.field && f !== 'total';
    const base = qualified && c.qual ? c.qual : 'total';
    dataRows.forEach((src, ri) => {
      const v = src.values[f];
      if (v === undefined) return;
      const field = periodField(periods[ri]!, base);
      row.values[field] = v;
      // The category's row is where its figures stand: their boxes, together.
      const b = src.valueBoxes?.[f];
      if (b) {
        row.valueBoxes = { ...row.valueBoxes, [field]: b };
        row.box = { page: b.page, ...unionRect([row.box, b])! };
      }
    });
  });
  return out;
}

type RowPeriod = 'prior' | 'change' | 'budget' | null;

/** Each line's period when every line of figures names one (a year, 增减, 预算数/决算数);
 *  null when some line is something else (a unit: the table is laid out by unit). */
function rowPeriods(rows: Row[], def: TableDef | null): RowPeriod[] | null {
  const years = rows.map((r) => Math.max(0, ...[...r.name.matchAll(/(20\d{2})/g)].map((m) => Number(m[1]))));
  const latest = Math.max(...years);
  const out: RowPeriod[] = [];
  for (const [i, r] of rows.entries()) {
    const n = compact(r.name);
    if (/增减|变化|增长|比上年/.test(n)) out.push('change');
    else if (years[i]! > 0) out.push(years[i]! < latest ? 'prior' : null);
    else if (def?.kind === 'final_accounts' && /预算/.test(n)) out.push('budget');
    else if (/决算|实际/.test(n)) out.push(null);
    else return null;
  }
  // Two lines of one period would overwrite each other.
  return new Set(out).size === out.length ? out : null;
}

function periodField(p: RowPeriod, base: string): string {
  if (p === 'budget') return base === 'total' ? 'budget' : `budget_${base}`;
  return p ? `${p}_${base}` : base;
}

/** A 三公 table that prints its categories as rows keys them by the canonical names
 *  (tables.md: 合计, 因公出国（境）费, 公务接待费, 公务用车购置及运行费, 公务用车购置费,
 *  公务用车运行维护费); “三公”经费 itself is the 合计. Other lines (units, 会议费, 行政经费)
 *  keep their names. */
export function threePublicRowKey(key: string): string {
  if (key.length > 20 || !/(费用?|支出|经费|合计|小计)$/.test(key)) return key;
  if (/三公/.test(key)) return '合计';
  const cat = THREE_PUBLIC_CATEGORIES.find((c) => c.re.test(key));
  if (!cat || cat.field === 'agency_operating' || cat.field === 'meeting' || cat.field === 'training') return key;
  return cat.name;
}
