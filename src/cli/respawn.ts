/**
 * A batch runs in a child node started with V8 flags that suit it. V8 reads them only when the
 * process starts (changing them later crashes it), hence the child.
 *
 * - With a worker on every core, V8's background threads are off (`--single-threaded`). V8
 *   compiles and collects garbage on helper threads beside each worker. With a core to spare that
 *   is free speed (one worker keeps ≈ 1.4 cores busy), so a batch with fewer workers than cores
 *   keeps them. With a worker on every core the helpers only take CPU from the workers, and a
 *   batch that fills the cores uses them for its workers only, which is also what a Slurm
 *   `--cpus-per-task` or a Kubernetes CPU limit grants.
 * - Always, on V8 11 (Node 20), tieringV8Flags: see there (the child that extracts one file,
 *   cli/supervise.ts, gets them too).
 *
 * BUDGET_EXTRACT_V8_FLAGS sets the flags (space-separated) instead, whatever --jobs is; set it
 * empty to always run in-process.
 */
import { spawn } from 'node:child_process';
import os from 'node:os';

/**
 * V8 optimises a function with TurboFan once it has run for a budget of bytecode; on Node 20
 * (V8 11) that budget is 66 KB, and each document runs a large body of pdf.js and our own code
 * that is warm rather than hot: compiling it cost more CPU than the optimised code saved. Over
 * the real disclosures, in one process, `--interrupt-budget=1600000` took a fifth to a third less
 * CPU than the default, on the first pass over the files and on a second one (hot loops are
 * still optimised, a little later); 400 000 and 800 000 saved less, 3 200 000 less again (see
 * the README's benchmark). V8 12+ (Node 22, 24) tiers up through Maglev, with other flags: it
 * is left to its defaults there.
 */
export function tieringV8Flags(v8Version: string = process.versions.v8): string[] {
  return Number(v8Version.split('.')[0]) === 11 ? ['--interrupt-budget=1600000'] : [];
}

const CHILD_MARK = 'BUDGET_EXTRACT_BATCH_CHILD';
/** Node's exit status for a command-line option it does not know (a V8 flag a future V8 dropped). */
const EXIT_INVALID_ARGUMENT = 9;

function customV8Flags(env: NodeJS.ProcessEnv): string[] | null {
  const custom = env.BUDGET_EXTRACT_V8_FLAGS;
  return custom === undefined ? null : custom.split(/\s+/).filter(Boolean);
}

/** The V8 flags of a batch of `jobs` workers on `cores` cores. */
export function batchV8Flags(jobs: number, cores: number, env: NodeJS.ProcessEnv = process.env, v8Version?: string): string[] {
  return customV8Flags(env) ?? [...tieringV8Flags(v8Version), ...(jobs >= cores ? ['--single-threaded'] : [])];
}

/** Whether this process should hand the batch to a child node with `flags` (not twice). */
export function shouldRespawn(flags: readonly string[], env: NodeJS.ProcessEnv = process.env): boolean {
  if (env[CHILD_MARK]) return false;
  return flags.length > 0 && !flags.every((f) => process.execArgv.includes(f));
}

/**
 * Run this same command line in a child node with the V8 flags, sharing stdin/stdout/stderr.
 * Resolves to the child's exit status, or null when the child could not run (run in-process).
 * Signals sent to this process are passed on (the batch stops cleanly on the first, at once on
 * another); if this process dies (kill -9), the child kills itself: no orphan keeps writing.
 */
export function respawnBatch(flags: readonly string[], debug: boolean): Promise<number | null> {
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
