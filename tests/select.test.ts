/** `--pages 5-9,12` and `--table ID|表号` (issue 12): only those pages read (source.pagesRead),
 *  only that table emitted with its checks; bad ranges are usage errors (exit 2). */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvalidArgumentError } from 'commander';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { parsePages, parseTableSelector } from '../src/cli/select.js';
import { ERROR_CODES } from '../src/errors.js';
import type { Document } from '../src/model.js';
import { tableMatches } from '../src/select.js';

// Each case spawns the CLI (a file read in full, at times several times): on a loaded 2-core
// machine that passes the suite's 60 s.
vi.setConfig({ testTimeout: 300_000 });

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = path.join(ROOT, 'bin', 'budget-extract');
const SAMPLE = 'fixtures/huairen-gaj-2025.pdf';
const YUNXI = 'fixtures/dev/yunxi-fy-2025.pdf';

function run(args: string[]): SpawnSyncReturns<string> {
  return spawnSync(BIN, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 28, timeout: 120_000 });
}
function doc(args: string[]): Document {
  const r = run([...args, '--compact']);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout) as Document;
}
function expectUsage(r: SpawnSyncReturns<string>, text: RegExp): void {
  expect(r.status).toBe(ERROR_CODES.usage);
  expect(r.stdout).toBe('');
  expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(/\[usage\]\n$/);
  expect(r.stderr).toMatch(text);
}

describe('parsePages', () => {
  it('reads pages and ranges, ascending, each once', () => {
    expect(parsePages('5-9,12')).toEqual([5, 6, 7, 8, 9, 12]);
    expect(parsePages('12, 3 ,3-4')).toEqual([3, 4, 12]);
    expect(parsePages('7')).toEqual([7]);
  });
  it.each(['', '5-', '-3', '9-5', '0', '0-2', 'a', '3,,4', '1.5', '1-200000'])('refuses %j', (spec) => {
    expect(() => parsePages(spec)).toThrow(InvalidArgumentError);
  });
});

describe('table selectors', () => {
  it('an id must be one of tables.md; a printed number is matched by its figures', () => {
    expect(parseTableSelector('budget_summary')).toBe('budget_summary');
    expect(() => parseTableSelector('budget_sumary')).toThrow(/no table id/);
    expect(parseTableSelector('表3')).toBe('表3');
    expect(tableMatches({ id: 'x', number: '表三' }, '3')).toBe(true);
    expect(tableMatches({ id: 'x', number: '表十一' }, '表11')).toBe(true);
    expect(tableMatches({ id: 'x', number: '预算公开表10' }, '10')).toBe(true);
    expect(tableMatches({ id: 'x', number: '公开03表' }, '表3')).toBe(true);
    expect(tableMatches({ id: 'x', number: '表13' }, '3')).toBe(false);
    expect(tableMatches({ id: 'x', number: '表3-1' }, '3')).toBe(false);
    expect(tableMatches({ id: 'x', number: null }, '3')).toBe(false);
    expect(tableMatches({ id: 'three_public', number: null }, 'three_public')).toBe(true);
  });
});

describe('budget-extract --pages / --table', () => {
  let full: Document;
  beforeAll(() => {
    full = doc([SAMPLE, '--only', 'tables']);
  });

  it('--pages reads only those pages, says so in source, and reads the tables on them as a full run does', () => {
    const d = doc([SAMPLE, '--pages', '6-7,16']);
    expect(d.source.pagesRead).toEqual([6, 7, 16]);
    expect(d.source.pages).toBe(44);
    expect(d.tables.map((t) => t.id)).toEqual(['budget_summary', 'gov_fund_expenditure']);
    for (const t of d.tables) expect(t.rows).toEqual(full.tables.find((f) => f.id === t.id)!.rows);
    expect(full.source.pagesRead).toBeUndefined();
  });

  it('a page range without tables: no table, a no_tables warning, exit 0', () => {
    const d = doc([SAMPLE, '--pages', '3-4']);
    expect(d.source.pagesRead).toEqual([3, 4]);
    expect(d.tables).toEqual([]);
    expect(d.warnings.map((w) => w.code)).toContain('no_tables');
  });

  it('bad ranges are usage errors (exit 2), before or after the file is opened', () => {
    expectUsage(run([SAMPLE, '--pages', '9-5']), /ends before it starts/);
    expectUsage(run([SAMPLE, '--pages', '5-']), /not a page or a range/);
    expectUsage(run([SAMPLE, '--pages', '0']), /numbered from 1/);
    expectUsage(run([SAMPLE, '--pages', '40-45']), /huairen-gaj-2025\.pdf: --pages: page 45 is past the last page \(44\)/);
    expectUsage(run([SAMPLE, '--table', 'nonesuch']), /no table id of tables\.md/);
  });

  it('--table ID emits that table only, with the checks it takes part in', () => {
    const d = doc([SAMPLE, '--table', 'general_budget_basic']);
    expect(d.tables.map((t) => t.id)).toEqual(['general_budget_basic']);
    expect(d.tables[0]!.rows).toEqual(full.tables.find((t) => t.id === 'general_budget_basic')!.rows);
    expect(d.checks!.length).toBeGreaterThan(0);
    for (const c of d.checks!) expect(JSON.stringify(c)).toContain('general_budget_basic');
    expect(d.summary!.pass + d.summary!.rounding + d.summary!.fail + d.summary!.warning + d.summary!.skipped).toBe(d.checks!.length);
  });

  it('--table 表号 matches the printed number (表三 by 3)', () => {
    const d = doc([YUNXI, '--table', '3', '--only', 'tables']);
    expect(d.tables.map((t) => [t.id, t.number])).toEqual([['expenditure_summary', '表三']]);
  });

  it('a table id absent from the file: no table and a table_absent warning naming those found, exit 0', () => {
    const d = doc([SAMPLE, '--table', 'final_summary']);
    expect(d.tables).toEqual([]);
    expect(d.checks).toEqual([]);
    const w = d.warnings.find((x) => x.code === 'table_absent');
    expect(w?.message).toMatch(/^no table final_summary was found; found: budget_summary \(预算公开表1\), income_summary/);
  });

  it('batch takes --pages and --table too', () => {
    const r = run(['batch', SAMPLE, YUNXI, '--ndjson', '-', '--jobs', '1', '--pages', '5-7', '--table', 'budget_summary', '--no-progress']);
    expect(r.status).toBe(0);
    const docs = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Document);
    expect(docs.map((d) => [d.source.pagesRead, d.tables.map((t) => t.id)])).toEqual([
      [[5, 6, 7], ['budget_summary']],
      [[5, 6, 7], ['budget_summary']],
    ]);
  });
});
