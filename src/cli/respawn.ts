/**
 * A batch with a worker on every core runs in a child node started with V8's background threads
 * off.
 *
 * Why: V8 compiles and collects garbage on helper threads beside each worker. With a core to
 * spare that is free speed (one worker keeps ≈ 1.4 cores busy: `--jobs 1` over the 52 real
 * disclosures took ≈ 34 s of CPU in 23–26 s), so a batch with fewer workers than cores keeps
 * them. With a worker on every core the helpers only take CPU from the workers: single-threaded,
 * the same files cost ≈ 25 s of CPU instead of 34, and `--jobs` = cores finishes sooner. So a
 * batch that fills the cores uses them for its workers only, which is also what a Slurm
 * `--cpus-per-task` or a Kubernetes CPU limit grants. V8 reads these flags only when the process starts (changing them
 * later crashes it), hence the child.
 *
 * BUDGET_EXTRACT_V8_FLAGS sets the flags (space-separated) and applies them whatever --jobs is;
 * set it empty to always run in-process.
 */
import { spawn } from 'node:child_process';
import os from 'node:os';

export const DEFAULT_BATCH_V8_FLAGS = ['--single-threaded'];
const CHILD_MARK = 'BUDGET_EXTRACT_BATCH_CHILD';
/** Node's exit status for a command-line option it does not know (a V8 flag a future V8 dropped). */
const EXIT_INVALID_ARGUMENT = 9;

export function batchV8Flags(env: NodeJS.ProcessEnv = process.env): string[] {
  const custom = env.BUDGET_EXTRACT_V8_FLAGS;
  return custom === undefined ? DEFAULT_BATCH_V8_FLAGS : custom.split(/\s+/).filter(Boolean);
}

/** Whether this process should hand a batch of `jobs` workers on `cores` cores to a child node
 *  with the V8 flags. */
export function shouldRespawn(jobs: number, cores: number, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env[CHILD_MARK]) return false;
  const flags = batchV8Flags(env);
  if (!flags.length || flags.every((f) => process.execArgv.includes(f))) return false;
  return env.BUDGET_EXTRACT_V8_FLAGS !== undefined || jobs >= cores;
}

/**
 * Run this same command line in a child node with the V8 flags, sharing stdin/stdout/stderr.
 * Resolves to the child's exit status, or null when the child could not run (run in-process).
 * Signals sent to this process are passed on (the batch stops cleanly on the first, at once on
 * another); if this process dies (kill -9), the child kills itself: no orphan keeps writing.
 */
export function respawnBatch(debug: boolean): Promise<number | null> {
  const flags = batchV8Flags();
  const args = [...process.execArgv, ...flags, ...process.argv.slice(1)];
  if (debug) process.stderr.write(`budget-extract: batch runs in a child node with ${flags.join(' ')} (BUDGET_EXTRACT_V8_FLAGS)\n`);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, {
      stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
      env: { ...process.env, [CHILD_MARK]: '1' },
    });
    const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
    const forward = (sig: NodeJS.Signals) => {
      child.kill(sig);
    };
    for (const s of signals) process.on(s, forward);
    const done = (status: number | null) => {
      for (const s of signals) process.removeListener(s, forward);
      resolve(status);
    };
    child.once('error', () => done(null));
    child.once('exit', (code, signal) => {
      if (code === EXIT_INVALID_ARGUMENT) {
        process.stderr.write(`budget-extract: node refused ${flags.join(' ')}; running the batch without them\n`);
        done(null);
      } else if (signal) done(128 + (os.constants.signals[signal] ?? 0));
      else done(code ?? 0);
    });
  });
}

/**
 * In the child: die with the parent. The IPC channel closes when the parent goes (kill -9
 * included), which ends the child at once when it is idle; `beforeWrite`, called before each
 * output and journal entry is written, also checks that the parent is still there, so a batch
 * busy with a result when its parent dies writes nothing more. Returns that check (a no-op
 * outside a child).
 */
export function followParent(): () => void {
  if (!process.env[CHILD_MARK] || !process.send) return () => undefined;
  const parent = process.ppid;
  const die = () => process.kill(process.pid, 'SIGKILL');
  if (!process.connected) die(); // the parent went before we listened
  process.once('disconnect', die);
  // The channel must not keep the child alive once the batch is over.
  (process.channel as unknown as { unref?: () => void } | undefined)?.unref?.();
  return () => {
    // An orphan is adopted by another process: its parent id changes.
    if (process.ppid !== parent) die();
  };
}
