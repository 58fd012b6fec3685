/**
 * Subcommands. Each lives in its own module under src/cli/ and exports a function that registers
 * it on the program; add that function to SUBCOMMANDS. Register with `program.command(...)` (not
 * `addCommand(new Command())`) so the subcommand inherits the error handling and output settings.
 *
 *   // src/cli/check.ts
 *   export function registerCheck(program: Command, ctx: CommandContext): void {
 *     program.command('check').argument('<file.pdf>')...action(async (file, opts) => {
 *       ctx.setStatus(await runCheck(file, opts));
 *     });
 *   }
 *
 * A subcommand reports its exit status through ctx.setStatus, prints errors with reportError()
 * from ./run.js, and reuses extractFile / serialize / writeOutput from there.
 */
import type { Command } from 'commander';
import { registerBatch } from './batch.js';
import { registerCheck } from './check.js';
import { registerCompare } from './compare.js';
import { registerInspect } from './inspect.js';
import { registerTables } from './tables.js';

export interface CommandContext {
  /** Set the process exit status of this run. */
  setStatus(status: number): void;
  /** Whether this run is the process's own command line (not main() called from code): only
   *  then may `batch` start itself again in a child node (./respawn.ts). */
  ownCommandLine?: boolean;
}

export type RegisterCommand = (program: Command, ctx: CommandContext) => void;

export const SUBCOMMANDS: RegisterCommand[] = [registerCheck, registerBatch, registerCompare, registerTables, registerInspect];
