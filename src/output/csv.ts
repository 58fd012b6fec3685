/**
 * The long format: one record per table cell, for DuckDB, pandas or R (README, "Long format").
 * The same records as CSV (`toCsv`, `csvRows`) and as NDJSON (`toNdjsonCells`).
 *
 * - One record per printed cell: every value, and every blank cell of a printed column
 *   (`value` empty), so "printed blank" and "not read" differ. A list's printed columns are
 *   the table's columns; in a table of several lists (two sides, side-by-side groups) those
 *   of the list (the fields any of its rows has).
 * - Unique key: (file, table_id, table_number, table_title, page, side, row_key, field):
 *   row keys are unique within a table and side, the table by its id, number and title, two
 *   tables that share all three by the page (tests/csv.test.ts, tests/real-corpus.test.ts).
 * - `value` is the amount as printed (a decimal string, in `unit`); `value_yuan` is the same
 *   amount in 元, computed exactly with decimal.js (万元 × 10000, 千元 × 1000), written without
 *   exponent and without trailing zeros; empty when the table has no unit or the cell is blank.
 * - Formula injection (OWASP): a text cell that begins with `=`, `+`, `-`, `@`, a tab or a CR
 *   gets a `'` in front, so a spreadsheet shows it as text instead of running it. The numeric
 *   columns (fiscal_year, page, group, level, value, value_yuan) are never changed.
 * - RFC 4180: CRLF line ends, fields quoted when they hold a comma, a quote, CR or LF (quotes
 *   doubled). UTF-8; `bom` puts a byte-order mark first, which Excel needs to read UTF-8.
 * Performance targets, narrative figures and checks are not part of it: it holds the tables.
 */
import { Decimal } from '../amounts.js';
import type { Document, Row, Table, Unit } from '../model.js';

export const CSV_COLUMNS = [
  'file',
  'sha256',
  'department',
  'fiscal_year',
  'kind',
  'table_id',
  'table_number',
  'table_title',
  'unit',
  'page',
  'side',
  'group',
  'row_key',
  'code',
  'code_kind',
  'code_source',
  'level',
  'name',
  'field',
  'header',
  'value',
  'value_yuan',
] as const;
export type CellRecord = Record<(typeof CSV_COLUMNS)[number], string | number | null>;

/** The columns that make a record unique (README, "Long format"). */
export const CELL_KEY = ['file', 'table_id', 'table_number', 'table_title', 'page', 'side', 'row_key', 'field'] as const;

/** The keys (CELL_KEY) that more than one record has: none, by construction. */
export function duplicateKeys(records: CellRecord[]): string[] {
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const r of records) {
    const k = JSON.stringify(CELL_KEY.map((c) => r[c]));
    if (seen.has(k)) dup.add(k);
    seen.add(k);
  }
  return [...dup];
}

/** Numbers: never prefixed against formula injection. */
const NUMERIC = new Set(['fiscal_year', 'page', 'group', 'level', 'value', 'value_yuan']);

export const BOM = '\ufeff';
const EOL = '\r\n';

/** Powers of ten from each unit to 元. */
const UNIT_EXP: Record<Unit, number> = { 元: 0, 万元: 4, 千元: 3 };

/**
 * decimal.js with enough significant digits for any amount (the default 20 would round
 * `99999999999999999999.9999`). Multiplying by a power of ten is then exact.
 */
const ExactDecimal = Decimal.clone({ precision: 1000, toExpPos: 9e15, toExpNeg: -9e15 });

/** The amount in 元, exactly: "1234.50" 万元 → "12345000". Null when the unit is unknown. */
export function toYuan(value: string, unit: Unit | null): string | null {
  if (unit === null) return null;
  const d = new ExactDecimal(value).times(new ExactDecimal(10).pow(UNIT_EXP[unit]));
  // toFixed() without digits never uses exponent notation and keeps every significant digit.
  const s = d.toFixed();
  return s === '-0' ? '0' : s;
}

/** One field, quoted when RFC 4180 requires it. */
export function csvField(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const FORMULA_START_RE = /^[=+\-@\t\r]/;

/** A text cell made safe for spreadsheets: `'` before a leading `=`, `+`, `-`, `@`, tab or CR. */
export function csvText(v: string | null | undefined): string | null | undefined {
  return typeof v === 'string' && FORMULA_START_RE.test(v) ? `'${v}` : v;
}

export function csvLine(fields: ReadonlyArray<string | number | null | undefined>): string {
  return fields.map(csvField).join(',') + EOL;
}

export function csvHeader(): string {
  return csvLine(CSV_COLUMNS);
}

/** The fields printed for a row: its table's columns, or in a table of several lists (two
 *  sides, groups) the fields its list has anywhere. */
function listFields(t: Table): (r: Row) => string[] {
  const order = [...new Set(t.columns.map((c) => c.field))];
  const byOrder = (fs: Set<string>) => [...order.filter((f) => fs.has(f)), ...[...fs].filter((f) => !order.includes(f))];
  const several = t.rows.some((r) => r.side !== null || (r.group ?? null) !== null);
  if (!several) {
    const all = byOrder(new Set([...order, ...t.rows.flatMap((r) => Object.keys(r.values))]));
    return () => all;
  }
  const lists = new Map<string, Set<string>>();
  const listOf = (r: Row) => `${r.side ?? ''}|${r.group ?? ''}`;
  for (const r of t.rows) {
    const k = listOf(r);
    if (!lists.has(k)) lists.set(k, new Set());
    for (const f of Object.keys(r.values)) lists.get(k)!.add(f);
  }
  const fields = new Map([...lists].map(([k, fs]) => [k, byOrder(fs)]));
  return (r) => fields.get(listOf(r)) ?? [];
}

/** Every cell of a document as a record of the long format. */
export function cellRecords(doc: Document): CellRecord[] {
  const { file, sha256 } = doc.source;
  const { department, fiscalYear, kind } = doc.document;
  const out: CellRecord[] = [];
  for (const t of doc.tables) {
    const fieldsOf = listFields(t);
    const header = new Map<string, string>();
    for (const c of t.columns) if (!header.has(c.field)) header.set(c.field, c.header);
    for (const r of t.rows) {
      for (const field of fieldsOf(r)) {
        const value = r.values[field] ?? null;
        out.push({
          file, sha256, department, fiscal_year: fiscalYear, kind,
          table_id: t.id, table_number: t.number, table_title: t.title, unit: t.unit,
          page: r.page, side: r.side, group: r.group ?? null,
          row_key: r.key, code: r.code, code_kind: r.code_kind ?? null, code_source: r.code_source ?? null, level: r.level,
          name: r.name, field, header: header.get(field) ?? null,
          value, value_yuan: value === null ? null : toYuan(value, t.unit),
        });
      }
    }
  }
  return out;
}

/** The data rows of one document (no header). */
export function csvRows(doc: Document): string {
  return cellRecords(doc)
    .map((rec) => csvLine(CSV_COLUMNS.map((c) => (NUMERIC.has(c) ? rec[c] : csvText(rec[c] as string | null)))))
    .join('');
}

/** The long format as NDJSON: one JSON object per cell (the CSV's columns, nulls as null, no
 *  formula prefix: JSON is read by programs, not spreadsheets). */
export function toNdjsonCells(doc: Document): string {
  return cellRecords(doc).map((rec) => JSON.stringify(rec) + '\n').join('');
}

export interface CsvOptions {
  /** Start with a UTF-8 byte-order mark (for Excel). */
  bom?: boolean;
  /** Write the header line (default true). */
  header?: boolean;
}

/** A complete CSV document for one PDF. */
export function toCsv(doc: Document, opts: CsvOptions = {}): string {
  return (opts.bom ? BOM : '') + (opts.header === false ? '' : csvHeader()) + csvRows(doc);
}

/** Parse RFC 4180 text back into records (for tests and tools; accepts a leading BOM). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let i = text.startsWith(BOM) ? 1 : 0;
  let field = '';
  let row: string[] = [];
  let quoted = false;
  let any = false;
  for (; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"') {
      quoted = true;
      any = true;
    } else if (c === ',') {
      row.push(field);
      field = '';
      any = true;
    } else if (c === '\r' || c === '\n') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      any = false;
    } else {
      field += c;
      any = true;
    }
  }
  if (any || field || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
