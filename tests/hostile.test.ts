/** Issue 13: hostile inputs and file-system situations. Each behaviour has its test; the PDFs of
 *  ../shared/corpus/hostile run through `npm run hostile -- --quick` when it exists. */
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import fs from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expandInputs } from '../src/batch/inputs.js';
import { blame } from '../src/batch/pool.js';
import { displayBytes, escapeControls } from '../src/cli/names.js';
import { errorLine } from '../src/cli/lines.js';
import { csvRows, parseCsv } from '../src/output/csv.js';
import { ERROR_CODES } from '../src/errors.js';
import { sampleDocument } from './helpers/sample.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = path.join(ROOT, 'bin', 'budget-extract');
const SAMPLE = 'fixtures/huairen-gaj-2025.pdf';
const NOT_PDF = 'fixtures/bad/not-a-pdf.pdf';
const HOSTILE = path.resolve(ROOT, '..', 'shared', 'corpus', 'hostile');
const hasHostile = fs.existsSync(HOSTILE);
const STACK = /\n\s+at .+[(:]\d+:\d+\)?/;
let tmp: string;

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(tmpdir(), 'be-hostile-'));
});
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

function run(args: string[], opts: { stdout?: number | 'pipe'; input?: string } = {}): SpawnSyncReturns<string> {
  return spawnSync(BIN, args, { cwd: ROOT, encoding: 'utf8', stdio: ['pipe', opts.stdout ?? 'pipe', 'pipe'], input: opts.input, maxBuffer: 1 << 28, timeout: 120_000 });
}

/** status, exactly one stderr line ending in [code], no stack. */
function expectOneLine(r: SpawnSyncReturns<string>, code: keyof typeof ERROR_CODES): void {
  expect(r.stderr).not.toMatch(STACK);
  expect(r.stderr.endsWith('\n')).toBe(true);
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]!.endsWith(` [${code}]`)).toBe(true);
  expect(r.status).toBe(ERROR_CODES[code]);
}

describe('output through devices, FIFOs and symlinks', () => {
  it('-o /dev/null writes into the device and leaves it a device', () => {
    const r = run([NOT_PDF.replace('not-a-pdf', 'meeting-notice'), '-o', '/dev/null']);
    // meeting-notice is not a disclosure: nothing is written; the sample is what writes
    expect(r.status).toBe(ERROR_CODES.not_budget);
    const ok = run([SAMPLE, '--only', 'tables', '-o', '/dev/null']);
    expect(ok.status).toBe(0);
    expect(ok.stderr).toBe('');
    expect(fs.statSync('/dev/null').isCharacterDevice()).toBe(true);
  });

  it('-o /dev/full is io_error (17), one line', () => {
    const r = run([SAMPLE, '--only', 'tables', '-o', '/dev/full']);
    expectOneLine(r, 'io_error');
    expect(r.stderr).toMatch(/cannot write \/dev\/full \(ENOSPC\)/);
    expect(fs.statSync('/dev/full').isCharacterDevice()).toBe(true);
  });

  it('-o a symlink writes its target and keeps the link', () => {
    const target = path.join(tmp, 'target.json');
    const link = path.join(tmp, 'link.json');
    fs.writeFileSync(target, 'old');
    fs.symlinkSync('target.json', link);
    const r = run([SAMPLE, '--only', 'tables', '-o', link]);
    expect(r.status).toBe(0);
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    expect(JSON.parse(fs.readFileSync(target, 'utf8')).schemaVersion).toBe(1);
    expect(fs.readdirSync(tmp).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('-o a FIFO writes into the pipe and leaves it a FIFO', async () => {
    const fifo = path.join(tmp, 'out.fifo');
    spawnSync('mkfifo', [fifo]);
    const reader = new Promise<string>((resolve) => {
      const cat = spawn('cat', [fifo]);
      let text = '';
      cat.stdout.on('data', (b) => (text += b));
      cat.on('close', () => resolve(text));
    });
    const writer = new Promise<number | null>((resolve) => {
      const p = spawn(BIN, [SAMPLE, '--only', 'tables', '--compact', '-o', fifo], { cwd: ROOT, stdio: 'ignore' });
      p.on('close', (code) => resolve(code));
    });
    const [text, status] = await Promise.all([reader, writer]);
    expect(status).toBe(0);
    expect(JSON.parse(text).schemaVersion).toBe(1);
    expect(fs.statSync(fifo).isFIFO()).toBe(true);
  });
});

describe('stdout write errors are io_error (17), one line', () => {
  it('> /dev/full, for the main command and check', () => {
    const full = fs.openSync('/dev/full', 'w');
    try {
      expectOneLine(run([SAMPLE, '--only', 'tables'], { stdout: full }), 'io_error');
      const c = run(['check', SAMPLE], { stdout: full });
      expectOneLine(c, 'io_error');
      expect(c.stderr).toMatch(/cannot write to stdout \(ENOSPC\)/);
    } finally {
      fs.closeSync(full);
    }
  });

  it('-o into a directory (EISDIR) or a place not writable (EACCES): io_error, one line, nothing left behind', () => {
    const dir = fs.mkdtempSync(path.join(tmp, 'isdir-'));
    const r = run([SAMPLE, '--only', 'tables', '-o', dir]);
    expectOneLine(r, 'io_error');
    expect(r.stderr).toContain(`cannot write ${dir} (is a directory)`);
    expect(fs.readdirSync(dir)).toEqual([]);
    // /sys refuses writes to everyone, root included
    if (fs.existsSync('/sys/kernel')) {
      const a = run([SAMPLE, '--only', 'tables', '-o', '/sys/kernel/budget.json']);
      expectOneLine(a, 'io_error');
      expect(a.stderr).toMatch(/cannot write \/sys\/kernel\/budget\.json \((EACCES|EPERM|EROFS)\)/);
    }
  });

  it('batch: an output that cannot be written (EISDIR in --out-dir, ENOSPC in --ndjson/--csv) stops the batch with 17', () => {
    const out = fs.mkdtempSync(path.join(tmp, 'outdir-'));
    fs.mkdirSync(path.join(out, 'huairen-gaj-2025.json')); // where the output would be renamed to
    const b = spawnSync(BIN, ['batch', SAMPLE, '--out-dir', out, '--jobs', '1'], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    expect(b.status).toBe(ERROR_CODES.io_error);
    expect(b.stderr).toContain(`budget-extract: ${SAMPLE}: cannot write the output (EISDIR) [io_error]`);
    expect(JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8'))).toMatchObject({ ok: 0, failed: 1, errors: { io_error: 1 } });
    expect(fs.readdirSync(out).filter((f) => f.includes('.tmp'))).toEqual([]);
    for (const flag of ['--ndjson', '--csv']) {
      const s = spawnSync(BIN, ['batch', SAMPLE, flag, '/dev/full', '--jobs', '1'], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
      expect(s.status).toBe(ERROR_CODES.io_error);
      expect(s.stderr).toMatch(/\(ENOSPC\).*\[io_error\]/);
      expect(s.stderr).not.toMatch(/\n\s+at /); // no stack trace
    }
  });

  it('a closed pipe (EPIPE)', async () => {
    const r = await new Promise<{ status: number | null; stderr: string }>((resolve) => {
      const p = spawn(BIN, [SAMPLE, '--only', 'tables'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      p.stdout.destroy(); // the reader is gone before anything is written
      let stderr = '';
      p.stderr.on('data', (b) => (stderr += b));
      p.on('close', (status) => resolve({ status, stderr }));
    });
    expect(r.status).toBe(ERROR_CODES.io_error);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/cannot write to stdout \(EPIPE\) \[io_error\]\n$/);
  });

  it('batch --ndjson - into a closed pipe stops with 17', async () => {
    const r = await new Promise<{ status: number | null; stderr: string }>((resolve) => {
      const p = spawn(BIN, ['batch', 'fixtures/bad', '--ndjson', '-', '--jobs', '1'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, BUDGET_EXTRACT_V8_FLAGS: '' } });
      p.stdout.destroy();
      let stderr = '';
      p.stderr.on('data', (b) => (stderr += b));
      p.on('close', (status) => resolve({ status, stderr }));
    });
    expect(r.status).toBe(ERROR_CODES.io_error);
    expect(r.stderr).toMatch(/budget-extract: cannot write to stdout \(EPIPE\); the batch stopped \[io_error\]\n$/);
    expect(r.stderr).toMatch(/budget-extract batch: /); // the summary is still written
  });
});

describe('time and memory limits for one file', () => {
  it('--timeout: timeout (18), one line, no output', () => {
    const r = run([SAMPLE, '--timeout', '0.2']);
    expectOneLine(r, 'timeout');
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`budget-extract: ${SAMPLE}: took longer than the 0.2 s limit (--timeout) [timeout]\n`);
  });

  it('check --timeout too', () => {
    expectOneLine(run(['check', SAMPLE, '--timeout', '0.2']), 'timeout');
  });

  it('--max-memory: out_of_memory (19), one line, no V8 report', () => {
    const r = run([SAMPLE, '--max-memory', '40']);
    expectOneLine(r, 'out_of_memory');
    expect(r.stdout).toBe('');
    expect(r.stderr).not.toMatch(/FATAL|heap/);
  });

  it('a killed extraction leaves no temporary file beside -o', () => {
    const out = path.join(tmp, 'killed.json');
    const r = run([SAMPLE, '--timeout', '1', '-o', out]);
    expect([0, ERROR_CODES.timeout]).toContain(r.status);
    expect(fs.readdirSync(tmp).filter((f) => f.startsWith('.killed.json'))).toEqual([]);
  });
});

describe('reading input', () => {
  it('/proc/kmsg does not hang: a documented code at once', () => {
    const t0 = Date.now();
    const r = run(['/proc/kmsg', '--timeout', '20']);
    expect(Date.now() - t0).toBeLessThan(20_000);
    expect([ERROR_CODES.empty, ERROR_CODES.io_error, ERROR_CODES.not_pdf]).toContain(r.status);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('a FIFO named explicitly is read (not_pdf for non-PDF bytes); with no writer the time limit holds', async () => {
    const fifo = path.join(tmp, 'in.fifo');
    spawnSync('mkfifo', [fifo]);
    const writer = spawn('sh', ['-c', `cat ${NOT_PDF} > ${fifo}`], { cwd: ROOT });
    const r = run([fifo]);
    await new Promise((resolve) => writer.on('close', resolve));
    expectOneLine(r, 'not_pdf');
    const idle = run([fifo, '--timeout', '1']); // nobody writes: open() waits
    expectOneLine(idle, 'timeout');
  });

  it('a device: /dev/zero is not_pdf at once', () => {
    expectOneLine(run(['/dev/zero']), 'not_pdf');
  });

  it('batch refuses a FIFO (regular files only) without waiting on it', () => {
    const fifo = path.join(tmp, 'batch.fifo');
    spawnSync('mkfifo', [fifo]);
    const r = spawnSync(BIN, ['batch', fifo, '--ndjson', '-', '--timeout', '5'], { cwd: ROOT, encoding: 'utf8', timeout: 60_000, env: { ...process.env, BUDGET_EXTRACT_V8_FLAGS: '' } });
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout.trim()).error.code).toBe('io_error');
  });
});

describe('file names and control characters', () => {
  it('errorLine escapes control characters: one line always', () => {
    const line = errorLine('a\nb\x1b[2J.pdf', 'not_found', 'no such file');
    expect(line).toBe('budget-extract: a\\nb\\x1b[2J.pdf: no such file [not_found]');
    expect(escapeControls('x\x07\x9b\t')).toBe('x\\x07\\x9b\\t');
  });

  it('a file name with a newline and escape codes gives one stderr line', () => {
    const r = run(['missing\n\x1b]0;title\x07.pdf']);
    expectOneLine(r, 'not_found');
    expect(r.stderr).toContain('missing\\n\\x1b]0;title\\x07.pdf');
  });

  it('a name that is not UTF-8 is found, and shown with \\xNN', () => {
    const name = Buffer.concat([Buffer.from(path.join(tmp, 'bad-')), Buffer.from([0xff, 0xfe]), Buffer.from('.pdf')]);
    fs.copyFileSync(path.join(ROOT, NOT_PDF), name);
    const r = spawnSync('sh', ['-c', `"${BIN}" "$(printf '${tmp}/bad-\\377\\376.pdf')"`], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(ERROR_CODES.not_pdf); // found: not not_found
    expect(r.stderr).toBe(`budget-extract: ${tmp}/bad-\\xff\\xfe.pdf: not a PDF (no %PDF- header) [not_pdf]\n`);
    expect(displayBytes(Buffer.from([0x61, 0xe4, 0xb8, 0xad, 0xff]))).toBe('a中\\xff');
  });
});

describe('CSV formula injection', () => {
  it("text cells starting with = + - @ tab CR get a ' prefix; numeric columns are untouched", () => {
    const doc = sampleDocument();
    const t = doc.tables[0]!;
    const names = ['=HYPERLINK("http://x","y")', '+SUM(1,2)', '-2+3', '@cmd', '\tx', '\rx', '普通'];
    doc.source.file = '=evil.pdf';
    doc.tables = [{ ...t, rows: names.map((name, i) => ({ ...t.rows[0]!, key: name, code: null, name, values: { total: i ? `-${i}.00` : '5.00' } })) }];
    const rows = parseCsv(csvRows(doc));
    expect(rows.map((r) => r[8])).toEqual(["'=HYPERLINK(\"http://x\",\"y\")", "'+SUM(1,2)", "'-2+3", "'@cmd", "'\tx", "'\rx", '普通']);
    expect(rows.map((r) => r[6])).toEqual(rows.map((r) => r[8])); // row_key too
    expect(rows[0]![0]).toBe("'=evil.pdf");
    expect(rows.map((r) => r[11])).toEqual(['5.00', '-1.00', '-2.00', '-3.00', '-4.00', '-5.00', '-6.00']);
    expect(rows[1]![13]).toMatch(/^-\d+$/);
  });
});

describe('batch', () => {
  it('@list lines are taken as written: spaces and #names kept, CR and empty lines and "# " comments dropped', async () => {
    const list = path.join(tmp, 'list.txt');
    fs.writeFileSync(list, ' lead.pdf\n#hash.pdf\n# a comment\n#\n\ntrail.pdf \r\ncrlf.pdf\r\n');
    const inputs = await expandInputs([`@${list}`]);
    expect(inputs.map((i) => i.file)).toEqual([' lead.pdf', '#hash.pdf', 'trail.pdf ', 'crlf.pdf']);
  });

  it('a second batch on the same --out-dir is refused while the first runs; a stale lock is taken over', () => {
    const out = path.join(tmp, 'locked');
    fs.mkdirSync(path.join(out, '.budget-extract'), { recursive: true });
    const lock = path.join(out, '.budget-extract', 'lock');
    fs.writeFileSync(lock, `${process.pid} ${hostname()}\n`);
    const env = { ...process.env, BUDGET_EXTRACT_V8_FLAGS: '' };
    const r = spawnSync(BIN, ['batch', 'fixtures/bad/empty.pdf', '--out-dir', out], { cwd: ROOT, encoding: 'utf8', timeout: 60_000, env });
    expect(r.status).toBe(ERROR_CODES.io_error);
    expect(r.stderr).toMatch(new RegExp(`another batch \\(process ${process.pid}\\) is writing to .*locked.* \\[io_error\\]\\n$`));
    fs.writeFileSync(lock, `999999999 ${hostname()}\n`); // its batch is gone
    const again = spawnSync(BIN, ['batch', 'fixtures/bad/empty.pdf', '--out-dir', out], { cwd: ROOT, encoding: 'utf8', timeout: 60_000, env });
    expect(again.status).toBe(1); // the input failed (empty), the batch ran
    expect(fs.existsSync(lock)).toBe(false); // released at the end
  });

  it('the RSS backstop blames the worker that grew, not the one holding the most', () => {
    // slot 0: a fresh worker on a good file, big at rest; slot 1: grew by 600 MB
    const mb = 1048576;
    expect(blame([{ lastBytes: 700 * mb, startBytes: 690 * mb, started: 2 }, { lastBytes: 650 * mb, startBytes: 50 * mb, started: 1 }])).toEqual([1]);
    expect(blame([{ lastBytes: 100 * mb, startBytes: 100 * mb, started: 1 }, { lastBytes: 90 * mb, startBytes: 95 * mb, started: 2 }])).toEqual([0, 1]);
    expect(blame([{ lastBytes: 10, startBytes: 20, started: 1 }])).toEqual([0]);
  });
});

describe.skipIf(!hasHostile)('hostile PDFs (../shared/corpus/hostile)', () => {
  it('/Count -5 is corrupt (13)', () => {
    const r = run([path.join(HOSTILE, 'struct-count-negative.pdf')]);
    expectOneLine(r, 'corrupt');
  });

  it('an empty user password opens the file, also with a needless --password', () => {
    const r = run([path.join(HOSTILE, 'enc-aes256-empty-user.pdf'), '--password', 'not-needed', '--only', 'tables']);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout).tables.length).toBeGreaterThan(0);
  });

  it('forms nested 3,000 deep: output with a warning, no RangeError noise', () => {
    const r = run([path.join(HOSTILE, 'forms-chain-3000.pdf')]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).warnings.map((w: { message: string }) => w.message).join('\n')).toMatch(/forms nested more than 32 deep \(--max-form-depth\)/);
  });

  it('a 600 MB decompression bomb: output with a warning, little memory', () => {
    const r = run([path.join(HOSTILE, 'zipbomb-600m.pdf'), '--max-memory', '700']);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).warnings.map((w: { message: string }) => w.message).join('\n')).toMatch(/decompresses to more than 128 MB \(--max-stream-mb\)/);
  });

  it('check -v prints terminal escape sequences escaped', () => {
    const r = run(['check', '-v', path.join(HOSTILE, 'inject-ansi-check.pdf')]);
    expect(r.status).toBe(0);
    expect(r.stdout).not.toMatch(/[\x07\x1b]/);
    expect(r.stdout).toContain('\\x1b[2J');
  });

  it('npm run hostile -- --quick: every quick file keeps its promise', () => {
    const r = spawnSync(process.execPath, ['scripts/hostile.mjs', '--quick'], { cwd: ROOT, encoding: 'utf8', timeout: 600_000 });
    expect(r.stdout).toMatch(/^SUMMARY: \d+ files, \d+ runs, \d+ ok, 0 failed/m);
    expect(r.status).toBe(0);
  }, 600_000);
});
