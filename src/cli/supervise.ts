/**
 * One file (the main command and `check`) is extracted in a child node that this process
 * supervises, with the same kind of limits as a batch worker: a time limit (`--timeout`) and a
 * memory limit (`--max-memory`: the child's V8 heap limit, and its resident memory sampled
 * every 100 ms). A child that passes either is killed and the file reported as `timeout` (18) or
 * `out_of_memory` (19): one line, none of V8's own output (a fatal out-of-memory report, a
 * stack overflow's noise) reaches stderr without --debug. The child writes the output itself.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { ERROR_CODES, type ErrorCode } from '../errors.js';
import { DEFAULT_LIMITS, type PdfLimits } from '../pdf/limits.js';
import { RAW_ARGS_ENV, rawUserArgs } from './names.js';
import { errorLine, PROG } from './lines.js';
import { tieringV8Flags } from './respawn.js';

const CHILD_MARK = 'BUDGET_EXTRACT_SUPERVISED';
/** Exit statuses the CLI itself uses (anything else means the child died). */
const OWN_STATUSES = new Set<number>([0, 3, ...Object.values(ERROR_CODES)]);
const OOM_RE = /out of memory|heap limit|allocation failed|Cannot allocate memory|ENOMEM|std::bad_alloc|\bOOM\b|Failed to reserve|Realloc|Assertion failed: !\(n > 0\) \|\| \(ret != nullptr\)/i;

export const DEFAULT_TIMEOUT_S = 50;
export const DEFAULT_MAX_MEMORY_MB = 1024;

export function isSupervisedChild(env: NodeJS.ProcessEnv = process.env): boolean {
  return env[CHILD_MARK] === '1';
}

/** How the supervised child is started: its V8 flags, and the environment that marks it (so that
 *  it runs the command itself). `scripts/bench.mjs` starts its single-file runs the same way. */
export function supervisedChild(maxMemoryMb: number, env: NodeJS.ProcessEnv = process.env): { v8Flags: string[]; env: NodeJS.ProcessEnv } {
  return { v8Flags: [`--max-old-space-size=${maxMemoryMb}`, ...tieringV8Flags()], env: { ...env, [CHILD_MARK]: '1' } };
}

/** In the supervised child: die with the supervisor (its IPC channel closes, kill -9 included). */
export function followSupervisor(): void {
  if (!isSupervisedChild() || !process.send) return;
  const die = () => process.kill(process.pid, 'SIGKILL');
  if (!process.connected) die();
  process.once('disconnect', die);
  (process.channel as unknown as { unref?: () => void } | undefined)?.unref?.();
}

export interface SuperviseOptions {
  /** The file as shown in error lines. */
  file: string;
  timeoutMs: number;
  maxMemoryMb: number;
  debug: boolean;
  /** -o FILE: temporary files a killed child leaves there are removed. */
  outFile?: string;
}

/** Resident memory of a process in bytes (Linux), or null. */
function rssOf(pid: number): number | null {
  try {
    const m = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'latin1'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

function removeTemps(outFile: string | undefined, pid: number): void {
  if (!outFile || outFile === '-') return;
  const dir = path.dirname(path.resolve(outFile));
  try {
    for (const name of readdirSync(dir)) {
      if (name.startsWith('.') && name.includes(`.${pid}.`) && name.endsWith('.tmp')) rmSync(path.join(dir, name), { force: true });
    }
  } catch {
    // nothing to clean
  }
}

/**
 * Run this same command line in a supervised child. Resolves to the exit status, or null when
 * no child could be started (the caller then runs in-process).
 */
export function supervise(o: SuperviseOptions): Promise<number | null> {
  const raw = rawUserArgs();
  const { v8Flags, env } = supervisedChild(o.maxMemoryMb);
  if (raw) env[RAW_ARGS_ENV] = raw.map((b) => b.toString('hex')).join(',');
  const args = [...process.execArgv, ...v8Flags, ...process.argv.slice(1)];
  return new Promise((resolve) => {
    let child;
    try {
      child = spawn(process.execPath, args, { stdio: ['inherit', 'inherit', 'pipe', 'ipc'], env });
    } catch {
      resolve(null);
      return;
    }
    const pid = child.pid;
    let verdict: { code: ErrorCode; message: string } | null = null;
    const kill = (code: ErrorCode, message: string) => {
      if (verdict) return;
      verdict = { code, message };
      child.kill('SIGKILL');
    };
    const chunks: Buffer[] = [];
    let kept = 0;
    child.stderr!.on('data', (b: Buffer) => {
      if (o.debug) process.stderr.write(b);
      else if (kept < 1 << 20) {
        chunks.push(b);
        kept += b.length;
      }
    });
    const limitBytes = o.maxMemoryMb * 1024 * 1024;
    const sampler = setInterval(() => {
      const rss = pid ? rssOf(pid) : null;
      if (rss !== null && rss > limitBytes) kill('out_of_memory', `out of memory (over the ${o.maxMemoryMb} MB limit, --max-memory)`);
    }, 100);
    const timer = o.timeoutMs > 0 ? setTimeout(() => kill('timeout', `took longer than the ${+(o.timeoutMs / 1000).toFixed(3)} s limit (--timeout)`), o.timeoutMs) : null;
    const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
    const forward = (sig: NodeJS.Signals) => void child.kill(sig);
    for (const s of signals) process.on(s, forward);
    let started = true;
    child.once('error', () => {
      started = false;
    });
    child.once('close', (code, signal) => {
      clearInterval(sampler);
      if (timer) clearTimeout(timer);
      for (const s of signals) process.removeListener(s, forward);
      if (!started && code === null && !signal) return resolve(null);
      const text = Buffer.concat(chunks).toString('utf8');
      const report = (c: ErrorCode, message: string) => {
        if (pid) removeTemps(o.outFile, pid);
        process.stderr.write(errorLine(o.file, c, message) + '\n');
        return ERROR_CODES[c];
      };
      if (verdict) return resolve(report(verdict.code, verdict.message));
      if (signal && signals.includes(signal as NodeJS.Signals)) return resolve(128 + (os.constants.signals[signal] ?? 0));
      if (signal === null && code !== null && OWN_STATUSES.has(code)) {
        // Our own lines only: V8 may have printed noise beside them.
        if (!o.debug) for (const line of text.split('\n')) if (line.startsWith(`${PROG}: `)) process.stderr.write(line + '\n');
        return resolve(code);
      }
      if (OOM_RE.test(text) || signal === 'SIGKILL') {
        return resolve(report('out_of_memory', `out of memory (the extraction ended ${signal ? `with ${signal}` : `with status ${code}`})`));
      }
      resolve(report('internal', `internal error: the extraction ended ${signal ? `with ${signal}` : `with status ${code}`}; rerun with --debug for details`));
    });
  });
}

/** The limit options every extracting command takes. */
export interface LimitCliOptions {
  timeout: number;
  maxMemory: number;
  maxPages?: number;
  maxStreamMb?: number;
  maxOperators?: number;
  maxFormDepth?: number;
}

function wholeNumber(name: string, min: number) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`${name} must be a whole number ≥ ${min}`);
    return n;
  };
}

function seconds(v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('--timeout must be a number ≥ 0');
  return n;
}

/** Add --timeout, --max-memory and the caps of pdf/load.ts to a command. */
export function addLimitOptions(cmd: Command, what: { memory: string }): Command {
  return cmd
    .option('--timeout <seconds>', 'time limit per file, in seconds; 0 means none', seconds, DEFAULT_TIMEOUT_S)
    .option('--max-memory <mb>', `memory limit ${what.memory}, in MB`, wholeNumber('--max-memory', 1), DEFAULT_MAX_MEMORY_MB)
    .option('--max-pages <n>', `pages read per file (default ${DEFAULT_LIMITS.maxPages}); the rest are skipped with a warning`, wholeNumber('--max-pages', 1))
    .option('--max-stream-mb <mb>', `size one PDF stream may decompress to (default ${DEFAULT_LIMITS.maxStreamBytes / 1048576}); a bigger one is skipped with a warning`, wholeNumber('--max-stream-mb', 1))
    .option('--max-operators <n>', `operators read per page (default ${DEFAULT_LIMITS.maxOperators}); the rest are skipped with a warning`, wholeNumber('--max-operators', 1))
    .option('--max-form-depth <n>', `forms nested in forms (default ${DEFAULT_LIMITS.maxFormDepth}); deeper ones are skipped with a warning`, wholeNumber('--max-form-depth', 1));
}

/** The caps given on the command line (the others keep their defaults). */
export function limitsFrom(o: Partial<LimitCliOptions>): Partial<PdfLimits> {
  const l: Partial<PdfLimits> = {};
  if (o.maxPages !== undefined) l.maxPages = o.maxPages;
  if (o.maxStreamMb !== undefined) l.maxStreamBytes = o.maxStreamMb * 1024 * 1024;
  if (o.maxOperators !== undefined) l.maxOperators = o.maxOperators;
  if (o.maxFormDepth !== undefined) l.maxFormDepth = o.maxFormDepth;
  return l;
}
