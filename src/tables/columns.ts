/** The column model of a table region: which columns hold names, codes or figures, the
 *  header text over each, and how columns group into lists (blocks) and sides. */
import type { PageData } from '../pdf/types.js';
import { compact } from '../pdf/normalize.js';
import type { Chunk, Line } from '../layout/lines.js';
import { columnOf, isAmountText, type Column } from '../layout/grid.js';
import { THREE_PUBLIC_CATEGORIES, type TableDef } from './definitions.js';
import { matchField } from './fields.js';
import { COLUMN_NO_RE, SUMMARY_WORD_RE } from './patterns.js';

/** `seq`: a 序号/行次 column, numbering the rows; read as nothing. */
export type ColKind = 'label' | 'code' | 'amount' | 'seq';

export interface Layout {
  cols: Column[];
  kinds: ColKind[];
  /** Field id per column (amount columns only). */
  fields: (string | null)[];
  headers: string[];
  blocks: Block[];
  ruled: boolean;
  /** A continuation page without a header of its own: fields taken by position. */
  inherited?: boolean;
  /** Why each column has its field (mapFields' rules), for `tables --explain`. */
  rules?: (string | null)[];
}

export interface Block {
  side: 'income' | 'expenditure' | null;
  group: number;
  labelCols: number[];
  codeCols: number[];
  amountCols: number[];
}

/** Stream mode sees columns only where the body has text; a column left blank all the way
 *  down (政府性基金 in most files) still has its header. Each lowest header piece goes to the
 *  nearest body column; where several compete for one column, the nearest keeps it and the
 *  others stand for blank columns of their own. */
export function headerOnlyColumns(header: Line[], body: Column[]): Column[] {
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

export function nearest(cols: Column[], c: Column): number {
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

export function inherit(cols: Column[], prev: Layout): (string | null)[] {
  return cols.map((c) => prev.fields[nearest(prev.cols, c)] ?? null);
}

export function chunksIn(lines: Line[], col: Column): Chunk[] {
  const out: Chunk[] = [];
  for (const l of lines) for (const c of l.chunks) if (columnOf([col], (c.x0 + c.x1) / 2) === 0) out.push(c);
  return out;
}

const CODE_HEAD_RE = /编码|代码|编号|科目|分类|^类$|^款$|^项$/;
const NAME_HEAD_RE = /(名称|科目|预算单位|单位|项目)$/;

export function classifyColumns(cols: Column[], body: Line[], header: Line[]): ColKind[] {
  // Each column's body text, gathered once (the tests below ask for it column by column).
  const inCol = cols.map((col) => chunksIn(body, col));
  const kinds: ColKind[] = cols.map((_, i) => {
    const cs = inCol[i]!;
    const amounts = cs.filter((c) => isAmountText(c.text)).length;
    const labels = cs.length - amounts;
    // A column with no body text is an amount column left blank (政府性基金 in most files).
    return cs.length === 0 || (amounts > 0 && amounts >= labels) ? 'amount' : 'label';
  });
  // Codes: integer-only columns left of the first name column, or headed 编码/类/款/项.
  const hasHan = inCol.map((cs) => cs.some((c) => /[\u4e00-\u9fa5]/.test(c.text)));
  const isName = (i: number) => kinds[i] === 'label' && hasHan[i]!;
  const firstName = kinds.findIndex((_, i) => isName(i));
  // Codes stand left of their list's names: the first column to the right holding text is a
  // name column (in side-by-side lists that is the list's own name column, not the first).
  const namesFollow = (i: number) => {
    for (let j = i + 1; j < cols.length; j++) {
      if (isName(j)) return true;
      if (inCol[j]!.some((c) => !/^\d{1,7}$/.test(c.text.trim()))) return false;
    }
    return false;
  };
  cols.forEach((col, i) => {
    const cs = inCol[i]!;
    const h = compact(chunksIn(header, col).map((c) => c.text).join(''));
    // 合计 centred in a cell merged over the code and name columns may land in either.
    // (One Han glyph alone is a piece of a letter-spaced 合 计 over merged cells.)
    const codeLike = cs.filter((c) => !SUMMARY_WORD_RE.test(compact(c.text)) && !/^[\u4e00-\u9fa5]$/.test(compact(c.text)));
    const allCodes = codeLike.length > 0 && codeLike.every((c) => /^\d{1,7}$/.test(c.text.trim()));
    // A head that names a figure (公务接待费, 合计) keeps its integers as figures.
    const figureHead = !!h && !CODE_HEAD_RE.test(h) && (matchField(h, null, null) !== null || THREE_PUBLIC_CATEGORIES.some((c) => c.re.test(h)));
    // A 行次 head can share its column's header text with the side word over it (收入 | 行次).
    if ((/^(序号|行次|栏次|编号|序)$/.test(h) || /^(收入|支出)?(行次|栏次)$/.test(h)) && codeLike.every((c) => /^\d{1,3}$/.test(c.text.trim()))) kinds[i] = 'seq';
    else if ((allCodes && !figureHead && (firstName < 0 || i < firstName || namesFollow(i))) || (/编码|代码|^类$|^款$|^项$/.test(h) && codeLike.every((c) => /^\d*$/.test(c.text.trim())))) {
      kinds[i] = 'code';
    } else if (/编码|代码/.test(h) && kinds[i] === 'amount' && codeLike.every((c) => /^\d*$/.test(c.text.trim()))) {
      kinds[i] = 'code';
    } else if (cs.length === 0 && (!h || /^[收支入出]+$/.test(h))) {
      // Neither head nor body text: a gap between rules, not a column; nor is a gap under the
      // 收入 | 支出 side words (unruled two-sided tables).
      kinds[i] = 'seq';
    } else if (cs.length === 0 && NAME_HEAD_RE.test(h)) {
      // A name column left blank on this page (科目名称, 预算单位) is no figure column.
      kinds[i] = 'label';
    }
  });
  return kinds;
}

/** The header path of every column. A header chunk belongs to the column under its centre
 *  and, when its (ruled or printed) span covers neighbours that have no header text of their
 *  own on that line, to those too (a merged parent header). Pieces of one cell join without a
 *  separator; levels separated by a rule (or a wide gap) join with '/'. */
export function headerTexts(cols: Column[], header: Line[], page: PageData, ruled: boolean): string[] {
  const parts: Array<Array<{ y: number; x: number; text: string; size: number }>> = cols.map(() => []);
  for (const line of header) {
    const l = ruled ? { ...line, chunks: line.chunks.flatMap((c) => splitAtRules(c, page)) } : line;
    const centres = l.chunks.map((c) => columnOf(cols, (c.x0 + c.x1) / 2));
    l.chunks.forEach((c, ci) => {
      const home = centres[ci]!;
      if (home < 0) return;
      let span: Column = { x0: c.x0, x1: c.x1 };
      if (ruled) {
        // The nearest rules through the text left and right of it. Text can overrun its cell's
        // rule by a point or two (a long head in a narrow cell).
        const tol = Math.max(1, c.size * 0.3);
        let left = -Infinity;
        let right = Infinity;
        for (const s of page.vLines) {
          if (!(s.y1 <= c.y - c.size * 0.3 && s.y2 >= c.y - c.size * 0.5)) continue; // (rulesThrough)
          if (s.x1 <= c.x0 + tol) left = Math.max(left, s.x1);
          if (s.x1 >= c.x1 - tol) right = Math.min(right, s.x1);
        }
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

/** The vertical rules passing through a piece of text's glyph band. */
function rulesThrough(page: PageData, c: Chunk): PageData['vLines'] {
  return page.vLines.filter((s) => s.y1 <= c.y - c.size * 0.3 && s.y2 >= c.y - c.size * 0.5);
}

/** A header text item that runs across a vertical rule is the heads of two cells written as
 *  one string (`公用经费支出专项业务经费支出`): cut it at the rule, by glyph widths (CJK full,
 *  others half). */
function splitAtRules(c: Chunk, page: PageData): Chunk[] {
  const tol = Math.max(2, c.size * 0.5);
  const xs = rulesThrough(page, c)
    .filter((s) => s.x1 > c.x0 + tol && s.x1 < c.x1 - tol)
    .map((s) => s.x1)
    .sort((a, b) => a - b)
    .filter((x, i, a) => i === 0 || x - a[i - 1]! > 2);
  if (!xs.length) return [c];
  const chars = [...c.text];
  const widths = chars.map((ch) => (/[\u2e80-\uffef]/.test(ch) ? 1 : 0.5));
  const unit = (c.x1 - c.x0) / widths.reduce((a, b) => a + b, 0);
  const out: Chunk[] = [];
  let x = c.x0;
  let cur = '';
  let start = c.x0;
  let cut = 0;
  chars.forEach((ch, i) => {
    const w = widths[i]! * unit;
    // A glyph belongs to the cell holding most of it.
    if (cut < xs.length && x + w / 2 > xs[cut]!) {
      if (cur) out.push({ ...c, text: cur, x0: start, x1: x });
      cur = '';
      start = x;
      cut++;
    }
    cur += ch;
    x += w;
  });
  if (cur) out.push({ ...c, text: cur, x0: start, x1: c.x1 });
  return out;
}

export function makeBlocks(kinds: ColKind[], def: TableDef | null, headers: string[]): Block[] {
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
