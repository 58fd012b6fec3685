/** The pipeline: loaded pages → tables → checks → the output document. Pure: no I/O. */
import type { LoadedDocument } from './pdf/types.js';
import type { Document, Table, Warning } from './model.js';
import { ExtractError } from './errors.js';
import { unreadablePages } from './pdf/readability.js';
import { compact } from './pdf/normalize.js';
import type { Line } from './layout/lines.js';
import { extractTables, pageLines } from './tables/index.js';
import { convertTables } from './tables/units.js';
import { printedCodesOnly } from './tables/codes.js';
import { runChecks, summarize } from './checks/index.js';
import { extractPerformanceTargets } from './targets/extract.js';
import { extractNarrative } from './narrative/extract.js';
import { extractOverview } from './overview/extract.js';
import { proseLines } from './narrative/prose.js';
import { assessTables, completenessWarnings } from './quality.js';

export interface ExtractOptions {
  /** Convert every amount to 元 or 万元 (exactly); default: each table's own unit. */
  unit?: 'yuan' | 'wan';
  /** Emit one part only; the others are not computed (checks need every part). */
  only?: 'tables' | 'targets' | 'narrative';
  /** The pages loaded when `--pages` chose some: the output says so, and a selection that
   *  holds no table is no reason to refuse the file. */
  pagesRead?: readonly number[];
  /** Keep each table's, row's and value's box (`--boxes`); without it the output has none. */
  boxes?: boolean;
}

export interface SourceMeta {
  file: string;
  sha256: string;
}

/** Pages with almost no text are images: a document made of them needs OCR. */
function assertTextLayer(doc: LoadedDocument): void {
  const withText = doc.pages.filter((p) => p.runs.reduce((m, r) => m + r.text.trim().length, 0) >= 20).length;
  if (withText === 0 || withText < doc.pages.length * 0.2) {
    throw new ExtractError('no_text_layer', `has no text layer on ${doc.pages.length - withText} of ${doc.pages.length} pages (scanned images?); OCR it first`);
  }
}

const DISCLOSURE_RE = /部门预算|单位预算|部门决算|单位决算|预算公开|决算公开|综合预算|预算情况说明|决算情况说明/;

export function extractDocument(loaded: LoadedDocument, source: SourceMeta, opts: ExtractOptions = {}): Document {
  assertTextLayer(loaded);
  // Never read figures from pages whose text does not decode: say so instead.
  const unreadable = unreadablePages(loaded.pages);
  const doc = unreadable.length
    ? { ...loaded, pages: loaded.pages.map((p) => (unreadable.includes(p.index) ? { ...p, runs: [] } : p)) }
    : loaded;
  const lines = pageLines(doc.pages);
  const read = extractTables(doc.pages, lines);
  const { warnings, headings, lost } = read;
  const tables = opts.boxes ? read.tables : read.tables.map(withoutBoxes);
  const allWarnings: Warning[] = [
    ...doc.warnings.map((m) => ({ code: 'pdf', message: m, page: null })),
    ...unreadable.map((page) => ({ code: 'text_unreadable', message: 'the text of this page does not decode (font without ToUnicode); its content was skipped', page })),
    ...warnings,
  ];
  const fullText = lines.slice(0, 8).flat().map((l) => compact(l.text)).join('\n');
  const isDisclosure = tables.some((t) => t.id !== 'unknown') || DISCLOSURE_RE.test(fullText) || DISCLOSURE_RE.test(doc.info.title ?? '');
  const chosen = opts.pagesRead !== undefined;
  if (!isDisclosure && !chosen) {
    throw new ExtractError('not_budget', 'is readable but holds no budget or final-accounts disclosure tables');
  }
  const meta = documentMeta(doc, lines, tables, headings.map((h) => h.title));
  const outTables = opts.unit ? convertTables(tables, opts.unit === 'yuan' ? '元' : '万元') : tables;
  const want = (part: 'tables' | 'targets' | 'narrative') => !opts.only || opts.only === part;
  const performanceTargets = want('targets') ? extractPerformanceTargets(doc.pages) : undefined;
  // The narrative and the overview read the same prose lines: found once.
  const prose = want('narrative') ? proseLines(doc.pages) : undefined;
  const narrative = prose ? extractNarrative(doc.pages, meta.kind, prose) : undefined;
  const overview = prose ? extractOverview(doc.pages, prose) : undefined;
  // Titled as a disclosure but nothing of one in it (pages of prose repeating a title): not one.
  const known = tables.some((t) => t.id !== 'unknown');
  if (!known && !performanceTargets?.length && !narrative?.length && !overview && !chosen) {
    throw new ExtractError('not_budget', 'is readable but no budget or final-accounts table, figure or target could be read in it');
  }
  // Checks compare in each table's own unit, so they run on the tables as printed.
  const checks = opts.only ? undefined : runChecks(printedCodesOnly(tables), { narrative, performanceTargets });
  // Each table says how sure its reading is; its problems are warnings too (src/quality.ts).
  const assessed = assessTables(outTables, checks, lost);
  allWarnings.push(...completenessWarnings(tables, meta.kind));
  if (want('tables')) allWarnings.push(...assessed.warnings);
  return {
    schemaVersion: 1,
    source: { file: source.file, sha256: source.sha256, pages: doc.info.pages, producer: doc.info.producer, ...(chosen ? { pagesRead: doc.pages.map((p) => p.index) } : {}) },
    document: meta,
    tables: want('tables') ? assessed.tables : [],
    ...(performanceTargets ? { performanceTargets } : {}),
    ...(narrative ? { narrative } : {}),
    ...(overview !== undefined ? { overview } : {}),
    ...(checks ? { checks, summary: summarize(checks) } : {}),
    warnings: allWarnings,
  };
}

/** A table without its boxes (they are output only with --boxes). */
function withoutBoxes(t: Table): Table {
  const { boxes: _b, ...rest } = t;
  return { ...rest, rows: t.rows.map(({ box: _r, valueBoxes: _v, ...row }) => row) };
}

function mostCommon<T>(xs: T[]): T | null {
  const counts = new Map<T, number>();
  for (const x of xs) counts.set(x, (counts.get(x) ?? 0) + 1);
  let best: T | null = null;
  let n = 0;
  for (const [k, v] of counts) if (v > n) [best, n] = [k, v];
  return best;
}

const ORG_END_RE = /(局|委|办|院|部|会|厅|中心|所|站|队|处|室|馆|校|政府|街道|办事处|镇|乡|社|团|协会|联合会|委员会|学会|公司|（[^）]*）)$/;

/** A department name as printed, without a leading year or part number; null unless it
 *  reads like an organisation. */
function cleanDepartment(d: string | null | undefined): string | null {
  if (!d) return null;
  const t = d.replace(/^(第[一二三四五六七八九十]+部分)/, '').replace(/^\d{4}年度?/, '').replace(/[:：]$/, '').trim();
  return t.length >= 2 && t.length <= 40 && ORG_END_RE.test(t) && !/^[一二三四五六七八九十]+、/.test(t) ? t : null;
}

const DEPT_SUFFIX_RE = /(\d{4}年(度)?)?(部门|单位)?(综合)?(预算|决算)(公开|信息公开|情况说明)?.*$/;

function documentMeta(doc: LoadedDocument, lines: Line[][], tables: Table[], titles: string[]): Document['document'] {
  const cover = lines.slice(0, 2).flat().map((l) => compact(l.text)).filter(Boolean);
  // (Not a line of figures, nor a 目录 entry with its leaders.)
  const titleLine = cover.find((t) => /(预算|决算)/.test(t) && /\d{4}/.test(t) && !/\d\.\d{2}|\.{4}|…/.test(t)) ?? doc.info.title ?? null;
  const years = [...titles, titleLine ?? '', ...cover].flatMap((t) => [...t.matchAll(/(20\d{2})年/g)].map((m) => Number(m[1])));
  const fiscalYear = mostCommon(years);
  const finalCount = tables.filter((t) => t.id.startsWith('final_')).length;
  const budgetCount = tables.filter((t) => t.id !== 'unknown' && !t.id.startsWith('final_')).length;
  let kind: 'budget' | 'final_accounts' | null = null;
  if (finalCount > budgetCount) kind = 'final_accounts';
  else if (budgetCount > 0) kind = 'budget';
  else if (titleLine) kind = /决算/.test(titleLine) ? 'final_accounts' : /预算/.test(titleLine) ? 'budget' : null;
  let department = mostCommon(tables.map((t) => cleanDepartment(t.department)).filter((d): d is string => !!d));
  if (!department) {
    // Cover: the department's name alone above the title, or the title with the year cut off.
    const idx = cover.findIndex((t) => t === titleLine);
    let above = idx > 0 ? cover[idx - 1] : null;
    // A long name wraps over the cover's lines (某某市某某区规划和自然 / 资源局): a Han-only
    // line above that does not itself end like an organisation is its head.
    for (let j = idx - 2; above && j >= 0 && j >= idx - 3; j--) {
      const head = cover[j]!;
      if (!/^[\u4e00-\u9fa5（）()]{2,20}$/.test(head) || ORG_END_RE.test(head) || /预算|决算|目录/.test(head)) break;
      above = head + above;
    }
    if (above && ORG_RE.test(above) && above.length <= 30) department = above;
    else if (titleLine) {
      const d = titleLine.replace(DEPT_SUFFIX_RE, '');
      if (d && d !== titleLine && d.length >= 2 && d.length <= 30) department = d;
    }
  }
  department = cleanDepartment(department);
  // A cover that sets year, department and 部门预算 on lines of their own.
  department ??= cover.find((t, i) => ORG_RE.test(t) && t.length >= 4 && t.length <= 30 && !/\d/.test(t) && /(预算|决算)/.test(`${cover[i - 1] ?? ''}${cover[i + 1] ?? ''}`)) ?? null;
  // A tables-only file: the 部门名称 cell of a form (绩效目标表) names the department.
  department ??= labelledValue(lines, /^(部门名称|主管部门(及代码)?|单位名称)[:：]?$/, (v) => ORG_RE.test(v) && v.length <= 30);
  const yearOf = fiscalYear ?? mostCommon(lines.flat().flatMap((l) => [...compact(l.text).matchAll(/(20\d{2})年度/g)].map((m) => Number(m[1]))));
  department = cleanDepartment(department);
  // The cover often prints the department above a title that omits it.
  const title = titleLine && department && !titleLine.includes(department) && cover.includes(department) ? department + titleLine : titleLine;
  return { title, department, fiscalYear: yearOf, kind };
}

const ORG_RE = /(局|委|办|院|部|会|厅|中心|所|站|队|处|室|馆|校|政府|街道|镇|乡)$/;

/** The value beside a label cell (`部门名称 | <the department>`), the first that passes `ok`. */
function labelledValue(lines: Line[][], label: RegExp, ok: (v: string) => boolean): string | null {
  for (const l of lines.flat()) {
    const i = l.chunks.findIndex((c) => label.test(compact(c.text)));
    const v = i >= 0 ? compact(l.chunks[i + 1]?.text ?? '').replace(/^\d+[-—]?/, '') : '';
    if (v && ok(v)) return v;
  }
  return null;
}
