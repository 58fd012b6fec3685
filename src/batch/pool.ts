/**
 * A pool of worker threads running the single-file path. One file can't stop or stall the
 * batch: each job has a time limit, each worker a memory limit (V8 heap via resourceLimits, plus
 * heap + external memory sampled by the worker, plus a whole-process RSS backstop), and a worker
 * that times out, runs out of memory or crashes is ended and replaced; its file gets the code
 * (timeout, out_of_memory, internal).
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { JobMessage, JobResult, WorkerConfig, WorkerMessage } from './protocol.js';

export interface PoolOptions {
  size: number;
  /** Per-file time limit in milliseconds (0: none). */
  timeoutMs: number;
  /** Per-worker memory limit in MB. */
  maxMemoryMb: number;
  config: Omit<WorkerConfig, 'memoryLimitBytes'>;
  /** The worker script (default: ./worker.js next to this module). */
  workerUrl?: URL;
}

export interface PoolJob {
  file: string;
  sha256: string;
  data: Uint8Array;
}

/** The pool's verdict on a job: the worker's own result, or the code the pool gave it. */
export type PoolResult = JobResult & {
  /** Which worker slot ran it (0-based). */
  slot: number;
  /** Milliseconds from dispatch to result, as the main thread saw it. */
  wallMs: number;
};

interface Pending {
  job: PoolJob;
  resolve: (r: PoolResult) => void;
}

interface Slot {
  index: number;
  worker: Worker | null;
  ready: boolean;
  busy: { id: number; pending: Pending; started: number; timer: NodeJS.Timeout | null; startBytes: number } | null;
  lastBytes: number;
  /** Highest sampled heap + external of any worker that ran in this slot. */
  peakBytes: number;
  replaced: number;
  /** Workers in a row that died before they were ready (a limit too small to start in). */
  startFailures: number;
}

/** The young generation of a worker's heap (V8 gives it 32 MB of new space with this on Node
 *  20, 22 and 24). Left to V8, Node 24 gives a worker with a 1 GB heap 128 MB of new space: over
 *  the real corpus a worker then peaked at 544 MB (heap + external) instead of ≈ 300 MB, and the
 *  pool would take garbage for need when it checks --max-memory. */
const YOUNG_GENERATION_MB = 48;

export function defaultJobs(): number {
  return Math.max(1, typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length);
}

export class Pool {
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private closed = false;
  private readonly rssTimer: NodeJS.Timeout;
  private readonly workerUrl: URL;

  constructor(private readonly opts: PoolOptions) {
    this.workerUrl = opts.workerUrl ?? new URL('./worker.js', import.meta.url);
    for (let i = 0; i < Math.max(1, opts.size); i++) {
      const slot: Slot = { index: i, worker: null, ready: false, busy: null, lastBytes: 0, peakBytes: 0, replaced: 0, startFailures: 0 };
      this.slots.push(slot);
      this.spawn(slot);
    }
    this.rssTimer = setInterval(() => this.checkRss(), 500);
    this.rssTimer.unref();
  }

  /** Peak sampled memory (heap + external) per worker slot, in bytes. */
  get peaks(): number[] {
    return this.slots.map((s) => s.peakBytes);
  }

  /** How many workers were replaced after a timeout, out-of-memory or crash. */
  get replacements(): number {
    return this.slots.reduce((n, s) => n + s.replaced, 0);
  }

  run(job: PoolJob): Promise<PoolResult> {
    if (this.closed) return Promise.reject(new Error('pool is closed'));
    if (this.slots.every((s) => !s.worker)) {
      return Promise.resolve({ type: 'result', id: 0, ok: false, error: { code: 'internal', message: 'internal error: no batch worker could start' }, ms: 0, peakBytes: 0, slot: 0, wallMs: 0 });
    }
    return new Promise((resolve) => {
      this.queue.push({ job, resolve });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.rssTimer);
    const workers = this.slots.map((s) => s.worker);
    for (const s of this.slots) s.worker = null; // their exit events are expected now
    await Promise.all(workers.map((w) => w?.terminate()));
  }

  private spawn(slot: Slot): void {
    const config: WorkerConfig = { ...this.opts.config, memoryLimitBytes: this.opts.maxMemoryMb * 1024 * 1024 };
    const w = new Worker(this.workerUrl, {
      workerData: config,
      resourceLimits: { maxOldGenerationSizeMb: this.opts.maxMemoryMb, maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
      // pdf.js output must never reach the batch's stdout (--ndjson -).
      stdout: true,
      stderr: !config.debug,
    });
    slot.worker = w;
    slot.ready = false;
    slot.lastBytes = 0;
    w.stdout.resume();
    if (!config.debug) w.stderr.resume();
    w.on('message', (m: WorkerMessage) => this.onMessage(slot, w, m));
    w.on('error', (e: Error & { code?: string }) => {
      if (slot.worker !== w) return;
      if (e.code === 'ERR_WORKER_OUT_OF_MEMORY') this.fail(slot, 'out_of_memory', `out of memory (over the ${this.opts.maxMemoryMb} MB JS heap limit per worker)`);
      else this.fail(slot, 'internal', `internal error: the worker crashed (${(e.message || String(e)).split('\n')[0]}); rerun this file alone with --debug`);
    });
    w.on('exit', (code) => {
      if (slot.worker !== w) return;
      this.fail(slot, 'internal', `internal error: the worker exited (status ${code}); rerun this file alone with --debug`);
    });
  }

  private onMessage(slot: Slot, w: Worker, m: WorkerMessage): void {
    if (slot.worker !== w) return;
    if (m.type === 'ready') {
      slot.ready = true;
      slot.startFailures = 0;
      this.dispatch();
    } else if (m.type === 'memory') {
      slot.lastBytes = m.bytes;
      if (m.bytes > slot.peakBytes) slot.peakBytes = m.bytes;
      if (m.over && slot.busy) this.fail(slot, 'out_of_memory', `out of memory (over the ${this.opts.maxMemoryMb} MB limit per worker)`);
    } else if (m.type === 'result') {
      const busy = slot.busy;
      if (!busy || busy.id !== m.id) return;
      if (busy.timer) clearTimeout(busy.timer);
      slot.busy = null;
      if (m.peakBytes > slot.peakBytes) slot.peakBytes = m.peakBytes;
      busy.pending.resolve({ ...m, slot: slot.index, wallMs: performance.now() - busy.started });
      this.dispatch();
    }
  }

  /** End the slot's worker, give its job the code, start a fresh worker. */
  private fail(slot: Slot, code: string, message: string): void {
    const w = slot.worker;
    const busy = slot.busy;
    slot.worker = null;
    slot.busy = null;
    slot.replaced++;
    if (busy?.timer) clearTimeout(busy.timer);
    void w?.terminate();
    if (busy) {
      const ms = performance.now() - busy.started;
      busy.pending.resolve({
        type: 'result',
        id: busy.id,
        ok: false,
        error: { code, message },
        ms,
        peakBytes: slot.lastBytes,
        slot: slot.index,
        wallMs: ms,
      });
    }
    if (!slot.ready && !busy) slot.startFailures++;
    if (!this.closed && slot.startFailures < 3) this.spawn(slot);
    if (this.slots.every((s) => !s.worker)) {
      // No worker can start (e.g. --max-memory too small to load the code): fail what is queued
      // instead of retrying forever.
      for (const p of this.queue.splice(0)) {
        p.resolve({ type: 'result', id: 0, ok: false, error: { code, message: `a worker could not start: ${message}` }, ms: 0, peakBytes: 0, slot: slot.index, wallMs: 0 });
      }
      return;
    }
    this.dispatch();
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (!this.queue.length) return;
      if (!slot.worker || !slot.ready || slot.busy) continue;
      const pending = this.queue.shift()!;
      const id = this.nextId++;
      const started = performance.now();
      const timer =
        this.opts.timeoutMs > 0
          ? setTimeout(() => this.fail(slot, 'timeout', `took longer than the ${fmtSeconds(this.opts.timeoutMs)} limit (--timeout)`), this.opts.timeoutMs)
          : null;
      slot.busy = { id, pending, started, timer, startBytes: slot.lastBytes };
      const msg: JobMessage = { type: 'job', id, file: pending.job.file, sha256: pending.job.sha256, data: pending.job.data };
      const buf = pending.job.data.buffer;
      // Hand the bytes over without a copy when they own their whole buffer.
      const transfer = buf instanceof ArrayBuffer && pending.job.data.byteLength === buf.byteLength ? [buf] : [];
      slot.worker.postMessage(msg, transfer);
    }
  }

  /** Backstop for memory the workers can't see or report in time (e.g. one huge synchronous
   *  allocation): when the process passes every worker's limit plus headroom, end the busy worker
   *  whose memory grew the most since it took its file — the one that grew, never a fresh worker
   *  that merely holds more at rest. When no busy worker grew (the growth is where the workers
   *  can't see it), every busy worker is ended: their files get out_of_memory with a message
   *  saying so, and the batch goes on with fresh workers. */
  private checkRss(): void {
    const rss = process.memoryUsage.rss();
    const cap = (this.slots.length * this.opts.maxMemoryMb + 512) * 1024 * 1024;
    if (rss <= cap) return;
    const busy = this.slots.filter((s) => s.busy);
    if (!busy.length) return;
    const victims = blame(busy.map((s) => ({ lastBytes: s.lastBytes, startBytes: s.busy!.startBytes, started: s.busy!.started })));
    for (const i of victims) {
      const s = busy[i]!;
      const grew = Math.round((s.lastBytes - s.busy!.startBytes) / 1048576);
      this.fail(
        s,
        'out_of_memory',
        victims.length === 1
          ? `out of memory (the process passed ${Math.round(cap / 1048576)} MB; this file's worker grew by ${grew} MB)`
          : `out of memory (the process passed ${Math.round(cap / 1048576)} MB and no single worker could be blamed; every busy worker was restarted)`,
      );
    }
  }
}

/** Which busy workers the RSS backstop ends (indexes into `busy`): the one whose sampled memory
 *  grew the most since it took its file (the earliest started on a tie); when none grew, all. */
export function blame(busy: ReadonlyArray<{ lastBytes: number; startBytes: number; started: number }>): number[] {
  if (!busy.length) return [];
  const growth = (i: number) => busy[i]!.lastBytes - busy[i]!.startBytes;
  let worst = 0;
  for (let i = 1; i < busy.length; i++) {
    if (growth(i) > growth(worst) || (growth(i) === growth(worst) && busy[i]!.started < busy[worst]!.started)) worst = i;
  }
  if (growth(worst) > 0 || busy.length === 1) return [worst];
  return busy.map((_, i) => i);
}

function fmtSeconds(ms: number): string {
  return `${+(ms / 1000).toFixed(3)} s`;
}
