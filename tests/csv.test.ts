/** The tidy CSV (src/output/csv.ts): RFC 4180 quoting, BOM, exact value_yuan, and the CLI's --format csv. */
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Decimal } from '../src/amounts.js';
import type { Document } from '../src/model.js';
import { BOM, CSV_COLUMNS, cellRecords, csvField, csvLine, csvRows, duplicateKeys, parseCsv, toCsv, toNdjsonCells, toYuan } from '../src/output/csv.js';
import { sampleDocument } from './helpers/sample.js';

const ROOT = path.resolve(import.meta.dirname, '..');

function tinyDoc(over: Partial<Document['tables'][number]> = {}, rowOver: Partial<Document['tables'][number]['rows'][number]> = {}): Document {
  return {
    schemaVersion: 1,
    source: { file: 'dir/a,"b".pdf', sha256: 'a'.repeat(64), pages: 1, producer: null },
    document: { title: null, department: '某局', fiscalYear: 2025, kind: 'budget' },
    tables: [
      {
        id: 'income_summary',
        number: null,
        title: 't',
        department: null,
        unit: '万元',
        pages: [1],
        empty: false,
        columns: [],
        rows: [{ key: 'k', code: '201', name: 'name, with "quotes"\nand a line', level: 1, side: null, page: 1, values: { total: '9115.55', other: '-0.01' }, ...rowOver }],
        ...over,
      },
    ],
    warnings: [],
  };
}

describe('csv fields (RFC 4180)', () => {
  it('quotes a field only when it holds a comma, a quote, CR or LF, doubling quotes', () => {
    expect(csvField('plain 中文')).toBe('plain 中文');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\rhere')).toBe('"cr\rhere"');
    expect(csvField(null)).toBe('');
    expect(csvField(undefined)).toBe('');
    expect(csvField(2025)).toBe('2025');
    expect(csvLine(['a', 'b,c', null])).toBe('a,"b,c",\r\n');
  });

  it('round-trips awkward text through parseCsv', () => {
    const doc = tinyDoc();
    const rows = parseCsv(toCsv(doc));
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    expect(rows).toHaveLength(3);
    const rec = Object.fromEntries(CSV_COLUMNS.map((c, i) => [c, rows[1]![i]]));
    expect(rec).toMatchObject({ file: 'dir/a,"b".pdf', sha256: 'a'.repeat(64), name: 'name, with "quotes"\nand a line', value: '9115.55', unit: '万元', value_yuan: '91155500', table_id: 'income_summary', table_title: 't', page: '1', row_key: 'k', code: '201', level: '1', side: '', group: '', fiscal_year: '2025' });
    expect(rows[2]![CSV_COLUMNS.indexOf('value_yuan')]).toBe('-100');
  });

  it('--bom puts a UTF-8 byte-order mark first, once', () => {
    const text = toCsv(tinyDoc(), { bom: true });
    expect(text.startsWith(BOM + 'file,')).toBe(true);
    expect(text.indexOf(BOM, 1)).toBe(-1);
    expect(Buffer.from(text, 'utf8').subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(toCsv(tinyDoc()).startsWith('file,')).toBe(true);
  });

  it('ends every record with CRLF', () => {
    const text = toCsv(tinyDoc());
    expect(text.endsWith('\r\n')).toBe(true);
    // The only bare LFs are those inside the quoted names (one in each of the two records).
    expect(text.replace(/\r\n/g, '').split('\n')).toHaveLength(3);
  });
});

describe('value_yuan', () => {
  it('is exact: no float rounding, no exponent, no trailing zeros', () => {
    expect(toYuan('9115.55', '万元')).toBe('91155500');
    expect(toYuan('936647884.3', '元')).toBe('936647884.3');
    expect(toYuan('0.00', '万元')).toBe('0');
    expect(toYuan('-0.00', '万元')).toBe('0');
    expect(toYuan('-12.34', '千元')).toBe('-12340');
    expect(toYuan('0.000001', '万元')).toBe('0.01');
    // Beyond a double's 15–17 significant digits.
    expect(toYuan('123456789012345678.91', '万元')).toBe('1234567890123456789100');
    expect(toYuan('99999999999999999999.9999', '元')).toBe('99999999999999999999.9999');
    expect(toYuan('1', null)).toBeNull();
    const long = '9'.repeat(60) + '.' + '1'.repeat(40);
    expect(toYuan(long, '万元')).toBe('9'.repeat(60) + '1111.' + '1'.repeat(36));
  });

  it('equals value × the unit factor for every cell of the sample document', () => {
    const doc = sampleDocument();
    const rows = parseCsv(csvRows(doc)).filter((r) => r[CSV_COLUMNS.indexOf('value')] !== '');
    const n = doc.tables.reduce((k, t) => k + t.rows.reduce((m, r) => m + Object.keys(r.values).length, 0), 0);
    expect(rows).toHaveLength(n);
    const iv = CSV_COLUMNS.indexOf('value');
    const iu = CSV_COLUMNS.indexOf('unit');
    const iy = CSV_COLUMNS.indexOf('value_yuan');
    for (const r of rows) {
      const f = r[iu] === '万元' ? 10000 : r[iu] === '千元' ? 1000 : 1;
      expect(new Decimal(r[iy]!).equals(new Decimal(r[iv]!).times(f))).toBe(true);
      expect(r[iy]).not.toMatch(/e/i);
    }
  });

  it('leaves value_yuan empty when a table has no unit', () => {
    const rows = parseCsv(csvRows(tinyDoc({ unit: null })));
    expect(rows[0]![CSV_COLUMNS.indexOf('value_yuan')]).toBe('');
    expect(rows[0]![CSV_COLUMNS.indexOf('unit')]).toBe('');
  });
});

describe('the long format', () => {
  const col = (rows: string[][], c: (typeof CSV_COLUMNS)[number]) => rows.map((r) => r[CSV_COLUMNS.indexOf(c)]);

  it('a printed blank is a record with an empty value; a cell not printed is none', () => {
    const doc = tinyDoc({ columns: [{ field: 'total', header: '合计' }, { field: 'carryover', header: '上年结转' }] }, { values: { total: '1.00' } });
    const rows = parseCsv(csvRows(doc));
    expect(col(rows, 'field')).toEqual(['total', 'carryover']);
    expect(col(rows, 'value')).toEqual(['1.00', '']);
    expect(col(rows, 'value_yuan')).toEqual(['10000', '']);
    expect(col(rows, 'header')).toEqual(['合计', '上年结转']);
  });

  it('two-sided tables: each side has its own columns (no blank amount on the expenditure side)', () => {
    const base = tinyDoc().tables[0]!.rows[0]!;
    const doc = tinyDoc({
      id: 'budget_summary',
      columns: [{ field: 'amount', header: '收入/预算数' }, { field: 'total', header: '支出/预算数' }],
      rows: [
        { ...base, key: '总计', code: null, name: '收入总计', side: 'income', values: { amount: '5.00' } },
        { ...base, key: '总计', code: null, name: '支出总计', side: 'expenditure', values: { total: '5.00' } },
      ],
    });
    const rows = parseCsv(csvRows(doc));
    expect(rows.map((r) => [r[CSV_COLUMNS.indexOf('side')], r[CSV_COLUMNS.indexOf('field')], r[CSV_COLUMNS.indexOf('value')]])).toEqual([
      ['income', 'amount', '5.00'],
      ['expenditure', 'total', '5.00'],
    ]);
  });

  it('foshan: 总计/total on both sides of a 收支总表 differ by side, so the key stays unique', () => {
    const base = tinyDoc().tables[0]!.rows[0]!;
    const doc = tinyDoc({
      rows: [
        { ...base, key: '总计', side: 'income', values: { total: '5.00' } },
        { ...base, key: '总计', side: 'expenditure', values: { total: '5.00' } },
      ],
    });
    expect(duplicateKeys(cellRecords(doc))).toEqual([]);
  });

  it('NDJSON cells: one JSON object per record with the same columns, nulls as null', () => {
    const doc = tinyDoc();
    const lines = toNdjsonCells(doc).trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(2);
    expect(Object.keys(lines[0])).toEqual([...CSV_COLUMNS]);
    expect(lines[0]).toMatchObject({ table_id: 'income_summary', field: 'total', value: '9115.55', value_yuan: '91155500', side: null, group: null, page: 1 });
  });
});

describe('--format csv on the command line', () => {
  it('writes the tidy CSV for one file, with --bom', () => {
    const r = spawnSync(path.join(ROOT, 'bin', 'budget-extract'), ['fixtures/huairen-gaj-2025.pdf', '--format', 'csv', '--bom', '--only', 'tables'], {
      cwd: ROOT,
      encoding: 'utf8',
      maxBuffer: 1 << 26,
    });
    expect(r.status).toBe(0);
    expect(r.stdout.startsWith(BOM + CSV_COLUMNS.join(',') + '\r\n')).toBe(true);
    const rows = parseCsv(r.stdout);
    expect(rows.length).toBeGreaterThan(300);
    const rec = rows.find((x) => x[CSV_COLUMNS.indexOf('table_id')] === 'income_summary' && x[CSV_COLUMNS.indexOf('row_key')] === '合计' && x[CSV_COLUMNS.indexOf('field')] === 'total');
    expect(rec?.[CSV_COLUMNS.indexOf('value')]).toBe('9115.55');
    expect(rec?.[CSV_COLUMNS.indexOf('value_yuan')]).toBe('91155500');
    expect(rec?.[CSV_COLUMNS.indexOf('department')]).toBe('怀仁市公安局');
  });

  it('-o FILE.ndjson writes the same records as NDJSON, printed blanks as empty values', () => {
    const out = path.join(os.tmpdir(), `be-cells-${process.pid}.ndjson`);
    const r = spawnSync(path.join(ROOT, 'bin', 'budget-extract'), ['fixtures/huairen-gaj-2025.pdf', '-o', out, '--only', 'tables'], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const recs = readFileSync(out, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
    rmSync(out, { force: true });
    expect(Object.keys(recs[0])).toEqual([...CSV_COLUMNS]);
    const ps = recs.find((x) => x.table_id === 'budget_summary' && x.side === 'expenditure' && x.code === '204' && x.field === 'total');
    // The 收支总表 prints 公共安全支出 by name: the catalogue gives 204, the key stays the name.
    expect(ps).toMatchObject({ row_key: '公共安全支出', code_kind: 'function', code_source: 'catalogue', level: 1, value: '8304.96', value_yuan: '83049600' });
    expect(duplicateKeys(recs)).toEqual([]);
  });
});

