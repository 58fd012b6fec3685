/** End-to-end: spawn bin/budget-extract (the compiled CLI; tests/global-setup.ts builds dist/). */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Decimal } from '../src/amounts.js';
import { failedChecks, restrict, withQuietConsole } from '../src/cli/run.js';
import { ERROR_CODES, EXIT_CHECKS_FAILED } from '../src/errors.js';
import { Document } from '../src/model.js';
import { parseXml } from '../src/output/xml.js';
import { sampleDocument } from './helpers/sample.js';
import { BAD_INPUTS } from './helpers/bad-inputs.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = path.join(ROOT, 'bin', 'budget-extract');
const SAMPLE = 'fixtures/huairen-gaj-2025.pdf';
const SHARED = path.resolve(ROOT, '..', 'shared');
const STACK = /\n\s+at .+[(:]\d+:\d+\)?/;

function run(args: string[], env: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> {
  return spawnSync(BIN, args, { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 1 << 28, timeout: 120_000 });
}

/** The error contract: status, one stderr line `budget-extract: FILE: MESSAGE [code]`, empty stdout, no stack. */
function expectError(r: SpawnSyncReturns<string>, file: string | null, code: keyof typeof ERROR_CODES): void {
  expect(r.stdout).toBe('');
  expect(r.stderr.endsWith('\n')).toBe(true);
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  const prefix = file === null ? 'budget-extract: ' : `budget-extract: ${file}: `;
  expect(lines[0]!.startsWith(prefix)).toBe(true);
  expect(lines[0]!.endsWith(` [${code}]`)).toBe(true);
  expect(r.stderr).not.toMatch(STACK);
  expect(r.status).toBe(ERROR_CODES[code]);
}

describe('bin/budget-extract', () => {
  it('is an executable node script', () => {
    expect(statSync(BIN).mode & 0o111).not.toBe(0);
    expect(readFileSync(BIN, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  });

  it('--help explains every option, the exit codes, and gives examples', () => {
    const r = run(['--help']);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    for (const opt of ['--out <format>', '-o, --output <file>', '--unit <unit>', '--password', '--only <part>', '--strict', '--debug', '--pretty', '--compact', '--version', '--help']) {
      expect(r.stdout).toContain(opt);
    }
    for (const [code, status] of Object.entries(ERROR_CODES)) expect(r.stdout).toMatch(new RegExp(`^  ${status}\\s+${code}\\s+\\S`, 'm'));
    expect(r.stdout).toMatch(new RegExp(`^  ${EXIT_CHECKS_FAILED}\\s+checks_failed`, 'm'));
    expect(r.stdout).toContain('Examples:');
    expect(r.stdout).toContain('budget-extract report.pdf');
  });

  it('--version prints the package version', () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const r = run(['--version']);
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(pkg.version);
  });

  it.each([
    [['--bogus', SAMPLE], /unknown option '--bogus'/],
    [[], /missing required argument/],
    [[SAMPLE, '--out', 'yaml'], /'yaml' is invalid/],
    [[SAMPLE, '--unit', 'yi'], /'yi' is invalid/],
    [[SAMPLE, '--pretty', '--compact'], /cannot be used with/],
  ])('usage error %j', (args, message) => {
    const r = run(args);
    expectError(r, null, 'usage');
    expect(r.stderr).toMatch(message);
  });
});

describe('bad input: one stderr line with the code, the documented exit status, nothing on stdout', () => {
  it.each(BAD_INPUTS)('%s → [%s]', (file, code) => {
    expectError(run([file]), file, code);
  });

  it('a missing file → [not_found]', () => {
    expectError(run(['fixtures/bad/no-such-file.pdf']), 'fixtures/bad/no-such-file.pdf', 'not_found');
  });

  it('a directory → [io_error]', () => {
    expectError(run(['fixtures/bad']), 'fixtures/bad', 'io_error');
  });

  it('encrypted without a password says to pass --password', () => {
    const r = run(['fixtures/bad/encrypted-user-password.pdf']);
    expect(r.stderr).toContain('--password');
  });

  it('encrypted with a wrong password → [encrypted], saying the password is wrong', () => {
    const file = 'fixtures/bad/encrypted-user-password.pdf';
    const r = run([file, '--password', 'not-the-password']);
    expectError(r, file, 'encrypted');
    expect(r.stderr).toMatch(/password given is wrong/);
    const viaEnv = run([file], { BUDGET_EXTRACT_PASSWORD: 'also-wrong' });
    expectError(viaEnv, file, 'encrypted');
    expect(viaEnv.stderr).toMatch(/password given is wrong/);
  });

  it('--debug adds the stack trace after the error line', () => {
    const r = run(['fixtures/bad/no-text-layer.pdf', '--debug']);
    expect(r.status).toBe(ERROR_CODES.no_text_layer);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')[0]).toMatch(/\[no_text_layer\]$/);
    expect(r.stderr).toMatch(STACK);
  });

  it('an error never creates or replaces the -o file', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'be-cli-'));
    try {
      const out = path.join(dir, 'out.json');
      expectError(run(['fixtures/bad/truncated.pdf', '-o', out]), 'fixtures/bad/truncated.pdf', 'corrupt');
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe(`a disclosure (${SAMPLE})`, () => {
  let json: SpawnSyncReturns<string>;
  let doc: Document;
  let dir: string;
  beforeAll(() => {
    json = run([SAMPLE]);
    doc = JSON.parse(json.stdout) as Document;
    dir = mkdtempSync(path.join(tmpdir(), 'be-cli-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints JSON that satisfies the model, and nothing else', () => {
    expect(json.stderr).toBe('');
    expect(json.status).toBe(0);
    expect(Document.safeParse(doc).error?.issues ?? []).toEqual([]);
    expect(doc.source.file).toBe(SAMPLE);
    expect(doc.source.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(doc.source.pages).toBe(44);
    expect(json.stdout.startsWith('{\n  "schemaVersion": 1,')).toBe(true);
  });

  it('--out xml carries the same content (parseXml gives the JSON data back)', () => {
    const r = run([SAMPLE, '--out', 'xml']);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout.startsWith('<?xml')).toBe(true);
    expect(parseXml(r.stdout)).toEqual(doc);
  });

  it('--compact prints one line', () => {
    const r = run([SAMPLE, '--compact']);
    expect(r.status).toBe(0);
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(1);
    expect(JSON.parse(r.stdout)).toEqual(doc);
  });

  it('-o FILE writes the file atomically (no temporary left), xml inferred from .xml', () => {
    const out = path.join(dir, 'out.json');
    const r = run([SAMPLE, '-o', out]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('');
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual(doc);
    const outXml = path.join(dir, 'out.xml');
    expect(run([SAMPLE, '-o', outXml]).status).toBe(0);
    expect(parseXml(readFileSync(outXml, 'utf8'))).toEqual(doc);
    expect(readdirSync(dir).sort()).toEqual(['out.json', 'out.xml']);
  });

  it('-o into a missing directory → [io_error]', () => {
    const out = path.join(dir, 'missing', 'out.json');
    expectError(run([SAMPLE, '-o', out]), SAMPLE, 'io_error');
    expect(existsSync(out)).toBe(false);
  });

  it('--unit yuan / wan convert every amount exactly', () => {
    const factor = { 元: 0, 千元: 3, 万元: 4 } as const;
    for (const [opt, unit] of [['yuan', '元'], ['wan', '万元']] as const) {
      const r = run([SAMPLE, '--unit', opt, '--compact']);
      expect(r.status).toBe(0);
      const conv = JSON.parse(r.stdout) as Document;
      expect(conv.tables.map((t) => t.id)).toEqual(doc.tables.map((t) => t.id));
      conv.tables.forEach((t, i) => {
        const orig = doc.tables[i]!;
        if (orig.unit === null) return;
        expect(t.unit).toBe(unit);
        const shift = factor[orig.unit] - factor[unit];
        t.rows.forEach((row, j) => {
          for (const [field, v] of Object.entries(orig.rows[j]!.values)) {
            expect(new Decimal(row.values[field]!).eq(new Decimal(v).times(new Decimal(10).pow(shift))), `${t.id} ${row.key}.${field}`).toBe(true);
          }
        });
      });
    }
  });

  it('--only tables leaves out everything but the tables', () => {
    const r = run([SAMPLE, '--only', 'tables']);
    expect(r.status).toBe(0);
    const only = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(Object.keys(only).sort()).toEqual(['document', 'schemaVersion', 'source', 'tables', 'warnings']);
    expect(only.tables).toEqual(doc.tables);
  });

  it(`--strict exits ${EXIT_CHECKS_FAILED} only when a check failed, and still writes the output`, () => {
    const r = run([SAMPLE, '--strict']);
    expect(JSON.parse(r.stdout)).toEqual(doc);
    if (failedChecks(doc) > 0) {
      expect(r.status).toBe(EXIT_CHECKS_FAILED);
      expect(r.stderr).toMatch(/\[checks_failed\]\n$/);
    } else {
      expect(r.status).toBe(0);
      expect(r.stderr).toBe('');
    }
  });
});

describe('CLI helpers', () => {
  it('failedChecks counts failures; restrict keeps the tables', () => {
    const d = sampleDocument();
    expect(failedChecks(d)).toBe(0);
    d.summary = { pass: 3, rounding: 1, fail: 2, warning: 0, skipped: 0 };
    expect(failedChecks(d)).toBe(2);
    delete d.summary;
    d.checks = [{ ...d.checks![0]!, status: 'fail' }];
    expect(failedChecks(d)).toBe(1);
    const r = restrict(d, 'tables');
    expect(r.checks).toBeUndefined();
    expect(r.tables).toBe(d.tables);
    expect(restrict(d, undefined)).toBe(d);
  });

  it('withQuietConsole keeps library console output off stdout', async () => {
    const write = vi.spyOn(process.stdout, 'write');
    try {
      await withQuietConsole(false, async () => {
        console.log('Deprecated API usage: x'); // what pdf.js prints with console.log
        console.info('Info: y');
      });
      expect(write).not.toHaveBeenCalled();
    } finally {
      write.mockRestore();
    }
  });
});

describe.skipIf(!existsSync(path.join(SHARED, 'corpus', 'real')))('real corpus (../shared)', () => {
  it('the scanned Beijing budget → [no_text_layer]', () => {
    const file = path.join(SHARED, 'corpus', 'real', 'beijing-zwfwj-2026-budget-scan.pdf');
    expectError(run([file]), file, 'no_text_layer');
  });
});
if (!existsSync(path.join(SHARED, 'corpus', 'real'))) {
  console.warn(`cli.test: ${SHARED}/corpus/real is absent; skipping the real-corpus test`);
}
