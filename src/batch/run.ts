/** `budget-extract batch`: many inputs through the worker pool into one output per input
 *  (--out-dir) or one stream (--ndjson, --csv), with resume, shards, progress and a summary. */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { classify, errorLine, readInput, type InputFile, type OnlyPart } from '../cli/run.js';
import { ERROR_CODES, ExtractError } from '../errors.js';
import { escapeControls } from '../cli/names.js';
import { BOM, csvHeader } from '../output/csv.js';
import { expandInputs, type BatchInput } from './inputs.js';
import { Journal, type JournalEntry, type JournalOptions } from './journal.js';
import { outputPath, safeSegment } from './names.js';
import { compareDocuments } from '../compare/index.js';
import { pairByDepartmentYear, type PairKey } from '../compare/pairs.js';
import type { Document } from '../model.js';
import { Pool, type PoolResult } from './pool.js';
import { Progress, formatDuration, type ProgressState } from './progress.js';
import type { OutputKind } from './protocol.js';
import type { OutputFormat } from '../cli/lines.js';
import type { PdfLimits } from '../pdf/limits.js';
import { inShard, type Shard } from './shard.js';

export interface BatchOptions {
  inputs: string[];
  /** Exactly one of outDir, ndjson, csv. */
  outDir?: string;
  ndjson?: string;
  csv?: string;
  format: OutputFormat;
  jobs: number;
  timeoutMs: number;
  maxMemoryMb: number;
  /** Caps of pdf/load.ts given on the command line. */
  limits?: Partial<PdfLimits>;
  resume: boolean;
  retryFailed: boolean;
  shard: Shard | null;
  unit?: 'yuan' | 'wan';
  only?: OnlyPart;
  /** `--pages` and `--table` (see cli/select.ts). */
  pages?: number[];
  table?: string;
  boxes?: boolean;
  password?: string;
  pretty: boolean;
  bom: boolean;
  debug: boolean;
  strict: boolean;
  /** Where to write summary.json besides --out-dir. */
  summaryFile?: string;
  /** With --out-dir and JSON: compare every budget/决算 pair of the outputs (src/compare). */
  pairBy?: PairKey;
  /** Show progress (default: when stderr is a terminal). */
  progress?: boolean;
  /** Called before each input's output and journal entry are written (it may end the process:
   *  see cli/respawn.ts, a batch child whose parent is gone). */
  beforeWrite?: () => void;
}

export interface FailureEntry {
  file: string;
  name: string;
  code: string;
  message: string;
}

export interface BatchSummary {
  version: 1;
  startedAt: string;
  finishedAt: string;
  elapsedSeconds: number;
  interrupted: boolean;
  jobs: number;
  timeoutSeconds: number;
  maxMemoryMb: number;
  shard: string | null;
  output: { kind: 'out-dir' | 'ndjson' | 'csv'; path: string; format: string };
  /** Inputs of this shard. */
  inputs: number;
  /** Finished in this run. */
  processed: number;
  /** Skipped by --resume: already done in an earlier run (counted below with their recorded status). */
  resumed: number;
  /** Not started (interrupted run). */
  pending: number;
  ok: number;
  failed: number;
  /** Failed inputs by error code. */
  errors: Record<string, number>;
  checks: { filesWithFailures: number; failed: number };
  pages: number;
  filesPerSecond: number;
  pagesPerSecond: number;
  workersReplaced: number;
  /** The Node.js that ran the batch and its options (the V8 flags of cli/respawn.ts among them). */
  runtime: { node: string; execArgv: string[] };
  /** Peak memory: per worker slot, its heap + external memory as sampled (its share of the RSS);
   *  the peak RSS of the whole process (main thread and all workers); and the RSS of the process
   *  before its workers started (Node and the main thread), so that processPeakRssMb −
   *  processBaseRssMb is what the workers took at the peak (with one worker: that worker's). */
  memory: { workerPeakMb: number[]; processPeakRssMb: number; processBaseRssMb: number };
  failures: FailureEntry[];
  checkFailures: Array<{ file: string; name: string; failed: number }>;
  /** Of `ok`: documents output with no recognised table, or none of the core tables of their
   *  kind (status ok_with_warnings). */
  okWithWarnings: number;
  /** Those documents, with the warning (`no_tables` / `no_core_tables`). */
  incomplete: Array<{ file: string; name: string; code: string; message: string }>;
  /** --pair-by: the comparisons written (DIR/compare/…) and the outputs left without a pair. */
  pairs?: PairEntry[];
  unpaired?: Array<{ file: string; name: string; reason: string }>;
}

export interface PairEntry {
  department: string;
  fiscalYear: number;
  budget: string;
  final: string;
  /** the comparison, relative to the output directory */
  output: string;
  d18: { pass: number; rounding: number; fail: number };
}

export interface BatchRun {
  summary: BatchSummary;
  /** 0: every input done and fine; 1: some inputs failed; 3: --strict and a check failed; 17: an
   *  output could not be written (the batch stopped); 130: interrupted. */
  status: number;
}

/** A usage problem found while setting up (bad list, out-dir not writable, resume mismatch). */
export class BatchSetupError extends Error {
  override name = 'BatchSetupError';
  constructor(
    readonly code: 'usage' | 'io_error',
    message: string,
  ) {
    super(message);
  }
}

const mb = (bytes: number) => Math.round(bytes / 1048576);
const EXT = { json: '.json', xml: '.xml', csv: '.csv', ndjson: '.ndjson' } as const;
const STATE_DIR = '.budget-extract';

/** Atomic write: a temporary file in the same directory, then rename. */
async function writeAtomic(file: string, text: string): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await fs.writeFile(tmp, text, { flag: 'wx', mode: 0o644 });
    await fs.rename(tmp, file);
  } catch (e) {
    await fs.rm(tmp, { force: true }).catch(() => undefined);
    throw e;
  }
}

const TMP_RE = /^\..+\.\d+\.[0-9a-f]{8}\.tmp$/;

/** Remove temporary files a killed run left behind (--resume). */
async function removeStaleTemps(dir: string): Promise<void> {
  const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory() && e.name !== STATE_DIR) await removeStaleTemps(p);
    else if (e.isFile() && TMP_RE.test(e.name)) await fs.rm(p, { force: true }).catch(() => undefined);
  }
}

interface Sink {
  kind: 'out-dir' | 'ndjson' | 'csv';
  path: string;
  output: OutputKind;
  journalFile: string | null;
  /** Held while the batch runs: a second batch into the same output is refused. */
  lockFile: string | null;
  /** Write one input's output; returns the stream length after it (stream sinks). */
  write(input: BatchInput, text: string): Promise<number | undefined>;
  /** Write an error record where the format has one (ndjson). */
  writeError(input: BatchInput, code: string, message: string): Promise<number | undefined>;
  /** Drop a stale output of an input that now failed (out-dir). */
  clear(input: BatchInput): Promise<void>;
  exists(input: BatchInput): Promise<boolean>;
  /** Prepare: cut a resumed stream back to what the journal covers, write the CSV header. */
  open(journal: Journal | null): Promise<void>;
  close(): Promise<void>;
}

class OutDirSink implements Sink {
  readonly kind = 'out-dir';
  readonly output = 'document';
  readonly journalFile: string;
  constructor(
    readonly path: string,
    private readonly ext: string,
  ) {
    this.journalFile = `${path}/${STATE_DIR}/journal.ndjson`;
    this.lockFile = `${path}/${STATE_DIR}/lock`;
  }
  readonly lockFile: string;
  async open(): Promise<void> {}
  async write(input: BatchInput, text: string): Promise<undefined> {
    await writeAtomic(outputPath(this.path, input.name, this.ext), text);
    return undefined;
  }
  async writeError(): Promise<undefined> {
    return undefined;
  }
  async clear(input: BatchInput): Promise<void> {
    await fs.rm(outputPath(this.path, input.name, this.ext), { force: true }).catch(() => undefined);
  }
  async exists(input: BatchInput): Promise<boolean> {
    return fs.stat(outputPath(this.path, input.name, this.ext)).then(
      (s) => s.isFile(),
      () => false,
    );
  }
  async close(): Promise<void> {}
}

class StreamSink implements Sink {
  readonly output: OutputKind;
  readonly journalFile: string | null;
  private handle: fs.FileHandle | null = null;
  private offset = 0;
  constructor(
    readonly kind: 'ndjson' | 'csv',
    readonly path: string,
    private readonly bom: boolean,
  ) {
    this.output = kind === 'ndjson' ? 'ndjson' : 'csv-rows';
    this.journalFile = path === '-' ? null : `${path}.journal`;
    this.lockFile = path === '-' ? null : `${path}.lock`;
  }
  readonly lockFile: string | null;
  private header(): string {
    return this.kind === 'csv' ? (this.bom ? BOM : '') + csvHeader() : '';
  }
  async open(journal: Journal | null): Promise<void> {
    if (this.path === '-') {
      process.stdout.on('error', () => undefined); // EPIPE is handled where it is written
      await this.emit(this.header());
      return;
    }
    await fs.mkdir(path.dirname(path.resolve(this.path)), { recursive: true });
    const end = journal?.streamEnd ?? null;
    if (end !== null) {
      // Resume: keep exactly the bytes of recorded inputs (a cut line or unrecorded lines go).
      this.handle = await fs.open(this.path, 'r+');
      await this.handle.truncate(end);
      await this.handle.close();
      this.handle = await fs.open(this.path, 'a');
      this.offset = end;
    } else {
      this.handle = await fs.open(this.path, 'w');
      this.offset = 0;
      await this.emit(this.header());
    }
  }
  /** Called when stdout is closed under us (`--ndjson - | head`): the batch stops. */
  onBroken: (() => void) | null = null;
  private broken = false;
  /** Why stdout can't be written (EPIPE: the reader is gone; ENOSPC …), once it can't. */
  brokenCode: string | null = null;
  private async emit(text: string): Promise<number> {
    if (!text || this.broken) return this.offset;
    const buf = Buffer.from(text, 'utf8');
    if (this.handle) await this.handle.write(buf);
    else
      await new Promise<void>((resolve) => {
        const broke = (err: NodeJS.ErrnoException) => {
          this.broken = true;
          this.brokenCode = err.code ?? err.message;
          this.onBroken?.();
          resolve();
        };
        try {
          process.stdout.write(buf, (err) => (err ? broke(err) : resolve()));
        } catch (e) {
          broke(e as NodeJS.ErrnoException);
        }
      });
    this.offset += buf.length;
    return this.offset;
  }
  write(_input: BatchInput, text: string): Promise<number> {
    return this.emit(text);
  }
  writeError(input: BatchInput, code: string, message: string): Promise<number | undefined> {
    if (this.kind !== 'ndjson') return Promise.resolve(this.path === '-' ? undefined : this.offset);
    return this.emit(JSON.stringify({ file: input.file, error: { code, message } }) + '\n');
  }
  async clear(): Promise<void> {}
  async exists(): Promise<boolean> {
    return true;
  }
  async close(): Promise<void> {
    await this.handle?.close();
    this.handle = null;
  }
}

function journalOptions(o: BatchOptions, sink: Sink): JournalOptions {
  return {
    output: sink.kind,
    format: sink.kind === 'out-dir' ? o.format : sink.kind,
    unit: o.unit ?? null,
    only: o.only ?? null,
    pretty: sink.kind === 'out-dir' && (o.format === 'json' || o.format === 'xml') ? o.pretty : null,
    bom: o.format === 'csv' || sink.kind === 'csv' ? o.bom : null,
    // (Only when given: journals of runs without them still match.)
    ...(o.pages ? { pages: o.pages.join(',') } : {}),
    ...(o.table !== undefined ? { table: o.table } : {}),
    ...(o.boxes ? { boxes: true } : {}),
  };
}

function makeSink(o: BatchOptions): Sink {
  if (o.outDir !== undefined) return new OutDirSink(o.outDir, EXT[o.format]);
  if (o.ndjson !== undefined) return new StreamSink('ndjson', o.ndjson, false);
  return new StreamSink('csv', o.csv!, o.bom);
}

const LOCK_WAIT_MS = 3000;

/** Whether a process runs: it exists and is not a zombie (a killed batch whose parent died too
 *  may stay one where nothing reaps orphans, e.g. in a container). */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    // /proc/PID/stat: "pid (comm) S …"; the state follows the last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return true; // no /proc: trust kill(0)
  }
}

/**
 * Take the output's lock: a file holding this process's id, created only if absent. One left by
 * a batch that is gone (killed) is taken over; one of a running batch refuses this one, since
 * two batches writing the same outputs and journal would corrupt them.
 */
async function takeLock(file: string, output: string): Promise<string> {
  const mine = `${process.pid} ${os.hostname()}\n`;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await fs.writeFile(file, mine, { flag: 'wx' });
      return file;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const [pidText, host] = (await fs.readFile(file, 'utf8').catch(() => '')).trim().split(' ');
    const pid = Number(pidText);
    let alive = true;
    if (!Number.isInteger(pid) || pid <= 0) alive = false;
    else if (host === os.hostname()) alive = processAlive(pid);
    // A batch just killed may take a moment to go (its child ends itself when it sees its parent
    // gone): wait a little before refusing.
    for (let waited = 0; alive && waited < LOCK_WAIT_MS; waited += 100) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      alive = processAlive(pid);
    }
    if (alive) {
      throw new BatchSetupError('io_error', `another batch (process ${pid}${host && host !== os.hostname() ? ` on ${host}` : ''}) is writing to ${output}; wait for it to end, or remove ${file} if it is gone`);
    }
    await fs.rm(file, { force: true }); // a stale lock: its batch is gone
  }
  throw new BatchSetupError('io_error', `cannot take the lock ${file}`);
}

/** Read an input (regular files only: a FIFO or device in a batch is io_error) under the time
 *  limit, so that no input can stall the batch. */
async function readWithin(file: string, timeoutMs: number): Promise<InputFile> {
  if (!(timeoutMs > 0)) return readInput(file);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ExtractError('timeout', `could not be read within the ${+(timeoutMs / 1000).toFixed(3)} s limit (--timeout)`)), timeoutMs);
    timer.unref();
  });
  try {
    return await Promise.race([readInput(file), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Run a batch. Per-input failures are results, not exceptions; setup problems throw BatchSetupError. */
export async function runBatch(o: BatchOptions): Promise<BatchRun> {
  const held: { lock: string | null } = { lock: null };
  try {
    return await runLocked(o, held);
  } finally {
    if (held.lock) await fs.rm(held.lock, { force: true }).catch(() => undefined);
  }
}

async function runLocked(o: BatchOptions, held: { lock: string | null }): Promise<BatchRun> {
  const started = new Date();
  const t0 = performance.now();
  const sink = makeSink(o);
  if (o.resume && !sink.journalFile) throw new BatchSetupError('usage', '--resume needs --out-dir DIR or an --ndjson/--csv FILE (not stdout)');

  let all: BatchInput[];
  try {
    all = await expandInputs(o.inputs, sink.kind === 'out-dir' ? ['summary'] : []);
  } catch (e) {
    throw new BatchSetupError('usage', (e as Error).message);
  }
  const inputs = all.filter((i) => inShard(i.name, o.shard));
  // Largest files first: the long ones then overlap with many short ones instead of finishing
  // alone at the end with the other workers idle (sizes from stat; unreadable ones count as 0).
  const sizes = new Map<BatchInput, number>();
  for (let i = 0; i < inputs.length; i += 256) {
    await Promise.all(
      inputs.slice(i, i + 256).map(async (inp) => sizes.set(inp, (await fs.stat(inp.file).catch(() => null))?.size ?? 0)),
    );
  }
  const order = new Map(inputs.map((inp, i) => [inp, i]));
  inputs.sort((a, b) => sizes.get(b)! - sizes.get(a)! || order.get(a)! - order.get(b)!);
  const totalBytes = inputs.reduce((n, inp) => n + sizes.get(inp)!, 0);

  // The output location must be writable before any work starts.
  let journal: Journal | null = null;
  try {
    if (sink.kind === 'out-dir') await fs.mkdir(path.join(sink.path, STATE_DIR), { recursive: true });
    if (sink.lockFile) {
      if (sink.kind !== 'out-dir') await fs.mkdir(path.dirname(path.resolve(sink.lockFile)), { recursive: true });
      held.lock = await takeLock(sink.lockFile, sink.path);
    }
    if (sink.kind === 'out-dir' && o.resume) await removeStaleTemps(sink.path);
    if (sink.journalFile) journal = await Journal.open(sink.journalFile, journalOptions(o, sink), o.resume);
    await sink.open(journal);
  } catch (e) {
    if (e instanceof BatchSetupError) throw e;
    if ((e as Error).name === 'JournalMismatch') throw new BatchSetupError('usage', `--resume: ${(e as Error).message}; use another output or drop --resume`);
    const code = (e as NodeJS.ErrnoException).code;
    throw new BatchSetupError('io_error', `cannot write the output ${sink.path} (${code ?? (e as Error).message})`);
  }

  const state: ProgressState = { done: 0, total: inputs.length, failed: 0, skipped: 0, startedMs: t0, bytesDone: 0, bytesSkipped: 0, bytesTotal: totalBytes };
  const progress = new Progress(state, process.stderr, o.progress ?? !!process.stderr.isTTY);
  const failures: FailureEntry[] = [];
  const checkFailures: BatchSummary['checkFailures'] = [];
  const incomplete: BatchSummary['incomplete'] = [];
  const errors: Record<string, number> = {};
  let ok = 0;
  let pages = 0;
  let processed = 0;
  let checksFailed = 0;

  const baseRss = process.memoryUsage.rss();
  const pool = new Pool({
    size: Math.max(1, Math.min(o.jobs, inputs.length || 1)),
    timeoutMs: o.timeoutMs,
    maxMemoryMb: o.maxMemoryMb,
    config: {
      format: o.format,
      output: sink.output,
      pretty: o.pretty,
      bom: o.bom,
      debug: o.debug,
      ...(o.limits ? { limits: o.limits } : {}),
      ...(o.unit ? { unit: o.unit } : {}),
      ...(o.only ? { only: o.only } : {}),
      ...(o.pages ? { pages: o.pages } : {}),
      ...(o.table !== undefined ? { table: o.table } : {}),
      ...(o.boxes ? { boxes: true } : {}),
      ...(o.password !== undefined ? { password: o.password } : {}),
    },
  });

  // Writes to the sink and the journal happen one at a time, in completion order.
  let chain: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const p = chain.then(() => {
      o.beforeWrite?.();
      return fn();
    });
    chain = p.catch(() => undefined);
    return p;
  };

  const countDone = (input: BatchInput, e: Pick<JournalEntry, 'status' | 'code' | 'message' | 'pages' | 'checksFailed' | 'incomplete'>, resumed: boolean) => {
    state.done++;
    state.bytesDone = (state.bytesDone ?? 0) + (sizes.get(input) ?? 0);
    if (resumed) {
      state.skipped++;
      state.bytesSkipped = (state.bytesSkipped ?? 0) + (sizes.get(input) ?? 0);
    }
    else processed++;
    if (e.status === 'ok') {
      ok++;
      pages += e.pages ?? 0;
      if (e.checksFailed) {
        checksFailed += e.checksFailed;
        checkFailures.push({ file: input.file, name: input.name, failed: e.checksFailed });
      }
      if (e.incomplete) incomplete.push({ file: input.file, name: input.name, ...e.incomplete });
    } else {
      state.failed++;
      const code = e.code ?? 'internal';
      errors[code] = (errors[code] ?? 0) + 1;
      failures.push({ file: input.file, name: input.name, code, message: e.message ?? '' });
      if (!resumed) progress.log(errorLine(input.file, code, e.message ?? ''));
    }
  };

  let interrupted = false;
  let interruptedAt = 0;
  let writeFailed = false;
  // The first signal stops the batch cleanly (no new files; outputs, journal and summary written).
  // Another one a second or more later stops it at once. A repeat within the second is the same
  // Ctrl-C reaching us twice (from the terminal and through the parent, see cli/respawn.ts).
  const onSignal = () => {
    if (!interrupted) {
      interrupted = true;
      interruptedAt = performance.now();
    } else if (performance.now() - interruptedAt > 1000) process.exit(130);
  };
  if (sink instanceof StreamSink) sink.onBroken = () => void (interrupted = true);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const handle = async (input: BatchInput): Promise<void> => {
    let data: Uint8Array;
    let sha256: string;
    try {
      ({ data, sha256 } = await readWithin(input.file, o.timeoutMs));
    } catch (e) {
      // Missing or unreadable: recorded under an empty hash, so a resumed stream has its line once.
      const c = classify(e);
      const prev = journal?.get('', input.name);
      if (prev && !o.retryFailed) {
        countDone(input, prev, true);
        return;
      }
      const entry: JournalEntry = { sha256: '', name: input.name, file: input.file, status: 'error', code: c.code, message: c.message, ms: 0 };
      await serial(async () => {
        const end = await sink.writeError(input, c.code, c.message);
        if (end !== undefined) entry.end = end;
        await journal?.record(entry);
      });
      countDone(input, entry, false);
      return;
    }
    const prev = journal?.get(sha256, input.name);
    if (prev && !(o.retryFailed && prev.status === 'error') && (prev.status === 'error' || (await sink.exists(input)))) {
      countDone(input, prev, true);
      return;
    }
    const r: PoolResult = await pool.run({ file: input.file, sha256, data });
    const entry: JournalEntry = { sha256, name: input.name, file: input.file, status: r.ok ? 'ok' : 'error', ms: Math.round(r.ms), peakMb: mb(r.peakBytes) };
    await serial(async () => {
      try {
        if (r.ok) {
          const end = await sink.write(input, r.text);
          if (end !== undefined) entry.end = end;
          entry.pages = r.facts.pages;
          entry.checksFailed = r.facts.checksFailed;
          if (r.facts.incomplete) entry.incomplete = r.facts.incomplete;
        } else {
          entry.code = r.error.code;
          entry.message = r.error.message;
          const end = await sink.writeError(input, r.error.code, r.error.message);
          if (end !== undefined) entry.end = end;
          await sink.clear(input);
          if (o.debug && r.error.stack) progress.log(r.error.stack);
        }
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        entry.status = 'error';
        entry.code = 'io_error';
        entry.message = `cannot write the output (${code ?? (e as Error).message})`;
        delete entry.end;
        // a full disk, a read-only or replaced output: the next files would fail alike
        writeFailed = true;
        interrupted = true;
      }
      // Recorded only once the output is on disk: a kill before this line redoes this input.
      await journal?.record(entry);
    });
    countDone(input, entry, false);
  };

  progress.start();
  let next = 0;
  const lanes = Math.max(1, pool.peaks.length * 2);
  try {
    await Promise.all(
      Array.from({ length: Math.min(lanes, inputs.length) }, async () => {
        while (!interrupted && next < inputs.length) await handle(inputs[next++]!);
      }),
    );
    await chain;
  } finally {
    progress.stop();
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    await pool.close();
    await journal?.close();
    await sink.close();
  }

  const paired = o.pairBy && sink.kind === 'out-dir' && !interrupted ? await comparePairs(sink.path, inputs, '.json') : null;
  const elapsed = (performance.now() - t0) / 1000;
  const summary: BatchSummary = {
    version: 1,
    startedAt: started.toISOString(),
    finishedAt: new Date().toISOString(),
    elapsedSeconds: +elapsed.toFixed(3),
    interrupted,
    jobs: pool.peaks.length,
    timeoutSeconds: o.timeoutMs / 1000,
    maxMemoryMb: o.maxMemoryMb,
    shard: o.shard ? `${o.shard.k}/${o.shard.n}` : null,
    output: { kind: sink.kind, path: sink.path, format: sink.kind === 'out-dir' ? o.format : sink.kind },
    inputs: inputs.length,
    processed,
    resumed: state.skipped,
    pending: inputs.length - state.done,
    ok,
    failed: state.failed,
    // By code, not in the order the files finished: the same batch writes the same summary.
    errors: Object.fromEntries(Object.entries(errors).sort(([a], [b]) => (a < b ? -1 : 1))),
    checks: { filesWithFailures: checkFailures.length, failed: checksFailed },
    pages,
    filesPerSecond: elapsed > 0 ? +(processed / elapsed).toFixed(3) : 0,
    pagesPerSecond: elapsed > 0 ? +(pages / elapsed).toFixed(2) : 0,
    workersReplaced: pool.replacements,
    runtime: { node: process.version, execArgv: process.execArgv },
    memory: { workerPeakMb: pool.peaks.map(mb), processPeakRssMb: Math.round(process.resourceUsage().maxRSS / 1024), processBaseRssMb: mb(baseRss) },
    failures,
    checkFailures,
    okWithWarnings: incomplete.length,
    incomplete,
    ...(paired ?? {}),
  };
  const summaryText = JSON.stringify(summary, null, 2) + '\n';
  if (sink.kind === 'out-dir') await writeAtomic(path.join(sink.path, 'summary.json'), summaryText);
  if (o.summaryFile) await writeAtomic(o.summaryFile, summaryText);
  process.stderr.write(formatSummary(summary, sink.kind === 'out-dir' ? path.join(sink.path, 'summary.json') : o.summaryFile));

  let status = 0;
  if (sink instanceof StreamSink && sink.brokenCode !== null) {
    // `--ndjson - | head`: the output is gone, so is the point of going on.
    process.stderr.write(errorLine(null, 'io_error', `cannot write to stdout (${sink.brokenCode}); the batch stopped`) + '\n');
    status = ERROR_CODES.io_error;
  } else if (writeFailed) status = ERROR_CODES.io_error;
  else if (interrupted) status = 130;
  else if (summary.failed > 0) status = 1;
  else if (o.strict && checksFailed > 0) status = 3;
  return { summary, status };
}

/**
 * --pair-by department+year: every budget and 决算 of one department and year among the
 * outputs written (this run's and earlier ones' under --resume) compared, each comparison in
 * DIR/compare/<department>-<year>.json; the outputs without a pair listed with the reason.
 */
async function comparePairs(dir: string, inputs: BatchInput[], ext: string): Promise<{ pairs: PairEntry[]; unpaired: BatchSummary['unpaired'] }> {
  const docs: Array<{ input: BatchInput; doc: Document }> = [];
  for (const input of inputs) {
    const text = await fs.readFile(outputPath(dir, input.name, ext), 'utf8').catch(() => null);
    if (text === null) continue; // failed: in the summary's failures already
    try {
      docs.push({ input, doc: JSON.parse(text) as Document });
    } catch {
      continue;
    }
  }
  const { pairs, unpaired } = pairByDepartmentYear(docs, (d) => d.doc);
  const out: PairEntry[] = [];
  for (const p of pairs) {
    const name = `compare/${safeSegment(`${p.department}-${p.fiscalYear}`)}`;
    let c;
    try {
      c = compareDocuments(p.budget.doc, p.final.doc);
    } catch (e) {
      unpaired.push({ item: p.budget, reason: (e as Error).message }, { item: p.final, reason: (e as Error).message });
      continue;
    }
    await writeAtomic(outputPath(dir, name, '.json'), JSON.stringify(c, null, 2) + '\n');
    out.push({
      department: p.department, fiscalYear: p.fiscalYear, budget: p.budget.input.name, final: p.final.input.name, output: `${name}.json`,
      d18: { pass: c.summary.pass, rounding: c.summary.rounding, fail: c.summary.fail },
    });
  }
  return { pairs: out, unpaired: unpaired.map((u) => ({ file: u.item.input.file, name: u.item.input.name, reason: u.reason })) };
}

/** The summary for stderr: a few lines. */
export function formatSummary(s: BatchSummary, summaryPath?: string): string {
  const codes = Object.entries(s.errors)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([c, n]) => `${c} ${n}`)
    .join(', ');
  const lines = [
    `budget-extract batch: ${s.inputs} input${s.inputs === 1 ? '' : 's'}${s.shard ? ` (shard ${s.shard})` : ''} in ${formatDuration(s.elapsedSeconds)}` +
      ` (${s.filesPerSecond} files/s, ${s.pagesPerSecond} pages/s, ${s.jobs} job${s.jobs === 1 ? '' : 's'})${s.interrupted ? ' — interrupted' : ''}`,
    `  ok ${s.ok}${s.okWithWarnings ? ` (${s.okWithWarnings} with warnings: no table or no core table recognised)` : ''}, failed ${s.failed}${codes ? ` (${codes})` : ''}${s.resumed ? `, of which ${s.resumed} done in an earlier run (--resume)` : ''}${s.pending ? `, not started ${s.pending}` : ''}`,
    `  cross-checks: ${s.checks.failed} failed in ${s.checks.filesWithFailures} file${s.checks.filesWithFailures === 1 ? '' : 's'}`,
  ];
  if (s.pairs) {
    const failed = s.pairs.filter((p) => p.d18.fail > 0).length;
    lines.push(`  pairs: ${s.pairs.length} compared (D18 failed in ${failed}), ${s.unpaired?.length ?? 0} unpaired`);
  }
  if (s.workersReplaced) lines.push(`  workers replaced: ${s.workersReplaced} (timeout, out of memory or crash)`);
  if (summaryPath) lines.push(`  summary: ${escapeControls(summaryPath)}`);
  return lines.join('\n') + '\n';
}
