/**
 * `budget-extract check` and `--strict`, end to end (bin/budget-extract; tests/global-setup.ts builds
 * dist/). fixtures/yunxi-fy-2025.pdf is the dev corpus' file with injected faults (三公 vehicle row,
 * 机关运行经费, a 绩效目标表 年度资金): its checks fail.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkReport, useColor } from '../src/cli/check.js';
import { ERROR_CODES, EXIT_CHECKS_FAILED } from '../src/errors.js';
import { Document } from '../src/model.js';
import { parseXml } from '../src/output/xml.js';
import { sampleDocument } from './helpers/sample.js';
import { BAD_INPUTS } from './helpers/bad-inputs.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = path.join(ROOT, 'bin', 'budget-extract');
const SAMPLE = 'fixtures/huairen-gaj-2025.pdf';
const FAULTY = 'fixtures/yunxi-fy-2025.pdf';
const STATUS_RE = /^\S+ (FAIL|WARN|ROUNDING) /;
const ANSI_RE = /\u001b\[/;

function run(args: string[], env: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> {
  return spawnSync(BIN, args, { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 1 << 28, timeout: 120_000 });
}

/** The statuses of the report's check lines, in order. */
const statuses = (report: string) => report.split('\n').map((l) => STATUS_RE.exec(l)?.[1]).filter((s): s is string => !!s);

function expectGroupedInOrder(report: string): void {
  const s = statuses(report);
  const rank = { FAIL: 0, WARN: 1, ROUNDING: 2 } as Record<string, number>;
  expect(s.map((x) => rank[x])).toEqual([...s.map((x) => rank[x]!)].sort((a, b) => a - b));
}

const COUNTS_RE = /^checks: (\d+) fail, (\d+) warning, (\d+) rounding, (\d+) pass, (\d+) skipped$/;

describe(`check ${SAMPLE} (the seed: real rounding gaps, no failures)`, () => {
  let r: SpawnSyncReturns<string>;
  beforeAll(() => {
    r = run(['check', SAMPLE]);
  });

  it('exits 0 with the report on stdout and nothing on stderr', () => {
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe(`${SAMPLE}: 怀仁市公安局 2025年预算, 13 tables, 44 pages`);
  });

  it('has no FAIL line; warnings before rounding lines; the counts last', () => {
    expect(r.stdout).not.toMatch(/^\S+ FAIL /m);
    expectGroupedInOrder(r.stdout);
    const last = r.stdout.trimEnd().split('\n').at(-1)!;
    const m = COUNTS_RE.exec(last);
    expect(m).not.toBeNull();
    expect(Number(m![1])).toBe(0);
    expect(Number(m![3])).toBe(statuses(r.stdout).filter((s) => s === 'ROUNDING').length);
  });

  it('reports 工资福利支出 3374.08 against its rows 3374.09 as rounding, with the page, difference and tolerance', () => {
    const line = r.stdout.split('\n').find((l) => l.startsWith('H:general_budget_basic:工资福利支出.total '));
    expect(line).toBeDefined();
    expect(line).toMatch(/ ROUNDING general_budget_basic 工资福利支出\.total 3374\.08 万元 \(p14\) ≈ /);
    expect(line).toMatch(/= 3374\.09 万元, diff 0\.01 万元 ≤ tol 0\.08 万元$/);
  });

  it('reports 8304.96 against 8190.02 + 114.95 as rounding', () => {
    expect(r.stdout).toMatch(/ ROUNDING budget_summary 公共安全支出\.total 8304\.96 万元 \(p\d+\) ≈ budget_summary 公共安全支出\.current_year 8190\.02 万元 \(p\d+\) \+ budget_summary 公共安全支出\.carryover 114\.95 万元 \(p\d+\) = 8304\.97 万元, diff 0\.01 万元 ≤ tol 0\.01 万元/);
  });

  it('warns that the 2025年省级政法转移支付资金 target gives different sources for 实施期 and 年度', () => {
    const warns = r.stdout.split('\n').filter((l) => / WARN /.test(l) && l.startsWith('P1:2025年省级政法转移支付资金'));
    expect(warns).toHaveLength(2);
  });

  it('has no colour when stdout is not a terminal', () => {
    expect(r.stdout).not.toMatch(ANSI_RE);
  });

  it('--strict exits 0 when nothing fails', () => {
    const s = run(['check', SAMPLE, '--strict']);
    expect(s.status).toBe(0);
    expect(s.stderr).toBe('');
    expect(s.stdout).toBe(r.stdout);
  });
});

describe(`${FAULTY} (injected faults)`, () => {
  let dir: string;
  let report: SpawnSyncReturns<string>;
  let json: Document;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'be-check-'));
    report = run(['check', FAULTY]);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('check: failures first (each with both figures, pages, diff and tolerance), exit 0 without --strict', () => {
    expect(report.status).toBe(0);
    expect(report.stderr).toBe('');
    const s = statuses(report.stdout);
    expect(s[0]).toBe('FAIL');
    expectGroupedInOrder(report.stdout);
    for (const l of report.stdout.split('\n').filter((x) => / FAIL /.test(x))) expect(l).toMatch(/ (万元|元) .*\(p\d+\).* ≠ .*, diff [\d.]+ (万元|元) > tol [\d.]+ (万元|元)/);
    expect(report.stdout).toContain(
      'B19:three_public:公务用车购置及运行费=购置+运行.total FAIL three_public 公务用车购置及运行费.total 45.50 万元 (p16) ≠ three_public 公务用车购置费.total 38.00 万元 (p16) + three_public 公务用车运行维护费.total 6.00 万元 (p16) = 44.00 万元, diff 1.50 万元 > tol 0.01 万元',
    );
    expect(report.stdout).toMatch(/^P1:2025年业务装备经费 FAIL .*57500 元 \(= 5\.75 万元\) \(p25\) ≠ project_expenditure 2025年业务装备经费\.total 5\.23 万元 \(p18\)/m);
    const m = COUNTS_RE.exec(report.stdout.trimEnd().split('\n').at(-1)!);
    expect(Number(m![1])).toBe(s.filter((x) => x === 'FAIL').length);
    expect(Number(m![1])).toBeGreaterThan(0);
  });

  it(`check --strict: exit ${EXIT_CHECKS_FAILED}, the same report, one stderr line [checks_failed]`, () => {
    const r = run(['check', FAULTY, '--strict']);
    expect(r.status).toBe(EXIT_CHECKS_FAILED);
    expect(r.stdout).toBe(report.stdout);
    expect(r.stderr).toMatch(new RegExp(`^budget-extract: ${FAULTY}: \\d+ cross-checks? failed \\(--strict\\) \\[checks_failed\\]\\n$`));
  });

  it(`the main command with --strict -o FILE: exit ${EXIT_CHECKS_FAILED} and the file written in full`, () => {
    const out = path.join(dir, 'out.json');
    const r = run([FAULTY, '--strict', '-o', out]);
    expect(r.status).toBe(EXIT_CHECKS_FAILED);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/\[checks_failed\]\n$/);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    json = JSON.parse(readFileSync(out, 'utf8')) as Document;
    expect(Document.safeParse(json).success).toBe(true);
    expect(json.summary!.fail).toBeGreaterThan(0);
    expect(json.checks!.filter((c) => c.status === 'fail')).toHaveLength(json.summary!.fail);
    expect(readdirSync(dir)).toEqual(['out.json']);
  });

  it(`the main command with --strict --out xml: exit ${EXIT_CHECKS_FAILED}, XML on stdout carrying checks and summary, reading back to the JSON`, () => {
    const r = run([FAULTY, '--strict', '--out', 'xml']);
    expect(r.status).toBe(EXIT_CHECKS_FAILED);
    expect(r.stderr).toMatch(/\[checks_failed\]\n$/);
    expect(r.stdout).toMatch(/<checks>\n/);
    expect(r.stdout).toMatch(/<summary pass="\d+" rounding="\d+" fail="[1-9]\d*" warning="\d+" skipped="\d+"\/>/);
    const back = parseXml(r.stdout);
    expect(back.checks).toEqual(json.checks);
    expect(back.summary).toEqual(json.summary);
    expect(back).toEqual(json);
  });
});

describe('check: bad input gives the one-line coded errors of the main command', () => {
  it.each([
    ...BAD_INPUTS,
    ['fixtures/bad/no-such-file.pdf', 'not_found'],
    ['fixtures/bad', 'io_error'],
  ] as const)('%s → [%s]', (file, code) => {
    const r = run(['check', file]);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(new RegExp(`^budget-extract: ${file}: .+ \\[${code}\\]$`))]);
    expect(r.status).toBe(ERROR_CODES[code]);
    // --strict changes nothing about errors
    expect(run(['check', file, '--strict']).status).toBe(ERROR_CODES[code]);
  });

  it('a bad option or a missing argument → [usage]', () => {
    for (const args of [['check'], ['check', SAMPLE, '--bogus']]) {
      const r = run(args);
      expect(r.status).toBe(ERROR_CODES.usage);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^budget-extract: .+ \(see --help\) \[usage\]\n$/);
    }
  });

  it('--help describes the report, --strict and the exit status', () => {
    const r = run(['check', '--help']);
    expect(r.status).toBe(0);
    for (const s of ['--strict', '--password', '--verbose', 'NO_COLOR', `${EXIT_CHECKS_FAILED} with --strict`]) expect(r.stdout).toContain(s);
    expect(run(['--help']).stdout).toMatch(/^Commands:\n {2}check /m);
  });
});

describe('colour', () => {
  it('only on a terminal, and not with NO_COLOR', () => {
    expect(useColor({ isTTY: true }, {})).toBe(true);
    expect(useColor({ isTTY: false }, {})).toBe(false);
    expect(useColor({}, {})).toBe(false);
    expect(useColor({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(useColor({ isTTY: true }, { NO_COLOR: '' })).toBe(true);
  });

  // util-linux script(1) gives the CLI a terminal for stdout
  it.skipIf(!existsSync('/usr/bin/script'))('colours on a terminal, not with NO_COLOR', () => {
    const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'NO_COLOR'));
    const tty = (env: string) =>
      spawnSync('/usr/bin/script', ['-qc', `${env} ${BIN} check ${FAULTY}`, '/dev/null'], { cwd: ROOT, encoding: 'utf8', env: base, timeout: 120_000 });
    expect(tty('').stdout).toMatch(/\u001b\[31m\u001b\[1mFAIL/);
    expect(tty('NO_COLOR=1').stdout).not.toMatch(ANSI_RE);
  });

  it('the report is coloured only when asked', () => {
    const doc = sampleDocument();
    expect(checkReport(doc, { color: false })).not.toMatch(ANSI_RE);
    expect(checkReport(doc, { color: true })).toMatch(/\u001b\[36m\u001b\[1mROUNDING/);
  });
});
