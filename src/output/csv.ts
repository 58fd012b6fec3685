/**
 * The tidy CSV: one row per table cell (long format), for DuckDB, pandas or R.
 *
 *   file,department,fiscal_year,kind,table,table_index,row_key,code,name,side,field,value,unit,value_yuan
 *
 * - `table` is the canonical table id; `table_index` its 0-based position in the document's
 *   `tables` (two `unknown` tables are told apart by it), so (file, table_index, row_key, field)
 *   is unique.
 * - `value` is the amount as printed (a decimal string, in `unit`); `value_yuan` is the same
 *   amount in 元, computed exactly with decimal.js (万元 × 10000, 千元 × 1000), written without
 *   exponent and without trailing zeros; empty when the table has no unit.
 * - Formula injection (OWASP): a text cell (file, department, ids, keys, codes, names, field,
 *   unit) that begins with `=`, `+`, `-`, `@`, a tab or a CR gets a `'` in front, so a
 *   spreadsheet shows it as text instead of running it. The numeric columns (fiscal_year,
 *   table_index, value, value_yuan) are never changed: `-12.00` stays a number.
 * - RFC 4180: CRLF line ends, fields quoted when they hold a comma, a quote, CR or LF (quotes
 *   doubled). UTF-8; `bom` puts a byte-order mark first, which Excel needs to read UTF-8.
 * Performance targets, narrative figures and checks are not part of the CSV: it holds the tables.
 */
import { Decimal } from '../amounts.js';
import type { Document, Unit } from '../model.js';

export const CSV_COLUMNS = [
  'file',
  'department',
  'fiscal_year',
  'kind',
  'table',
  'table_index',
  'row_key',
  'code',
  'name',
  'side',
  'field',
  'value',
  'unit',
  'value_yuan',
] as const;

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

/** The data rows of one document (no header). */
export function csvRows(doc: Document): string {
  const { file } = doc.source;
  const { department, fiscalYear, kind } = doc.document;
  const out: string[] = [];
  doc.tables.forEach((t, ti) => {
    for (const r of t.rows) {
      for (const [field, value] of Object.entries(r.values)) {
        out.push(
          csvLine([
            csvText(file),
            csvText(department),
            fiscalYear,
            csvText(kind),
            csvText(t.id),
            ti,
            csvText(r.key),
            csvText(r.code),
            csvText(r.name),
            csvText(r.side),
            csvText(field),
            value,
            csvText(t.unit),
            toYuan(value, t.unit),
          ]),
        );
      }
    }
  });
  return out.join('');
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
