/**
 * `budget-extract batch <files|dirs|@list.txt>...`: many disclosures through a pool of worker
 * threads, into one output per input (--out-dir) or one stream (--ndjson, --csv). See
 * src/batch/run.ts and the README section "Batch".
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { ERROR_CODES } from '../errors.js';
import type { BatchOptions } from '../batch/run.js';
import { defaultJobs } from '../batch/pool.js';
import { parseShard, type Shard } from '../batch/shard.js';
import type { CommandContext } from './commands.js';
import { PAIR_KEYS, type PairKey } from '../compare/pairs.js';
import { batchV8Flags, followParent, respawnBatch, shouldRespawn } from './respawn.js';
import { parsePages, parseTableSelector } from './select.js';
import { addLimitOptions, limitsFrom, type LimitCliOptions } from './supervise.js';
import { errorLine, ONLY_PARTS, OUTPUT_FORMATS, PROG, type OnlyPart, type OutputFormat } from './lines.js';

interface BatchCliOptions extends LimitCliOptions {
  outDir?: string;
  ndjson?: string;
  csv?: string;
  format?: OutputFormat;
  jobs?: number;
  resume?: boolean;
  retryFailed?: boolean;
  shard?: Shard;
  unit?: 'yuan' | 'wan';
  only?: OnlyPart;
  password?: string;
  compact?: boolean;
  pretty?: boolean;
  bom?: boolean;
  strict?: boolean;
  debug?: boolean;
  summary?: string;
  progress?: boolean;
  pairBy?: PairKey;
  pages?: number[];
  table?: string;
  boxes?: boolean;
}

function positiveInt(name: string) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`${name} must be a whole number ≥ 1`);
    return n;
  };
}

function positiveNumber(name: string) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError(`${name} must be a number ≥ 0`);
    return n;
  };
}

function shardArg(v: string): Shard {
  try {
    return parseShard(v);
  } catch (e) {
    throw new InvalidArgumentError((e as Error).message.replace(/^--shard /, ''));
  }
}

export { DEFAULT_MAX_MEMORY_MB, DEFAULT_TIMEOUT_S } from './supervise.js';

const HELP_AFTER = `
Inputs:
  A directory is searched recursively for *.pdf (sorted by path); @list.txt names one path
  per line, as written (empty lines and "# " comment lines skipped; @- reads the list from
  stdin); anything else is a file. Only regular files are read. Missing and unreadable inputs
  are reported with their code like any other failure.

Outputs (exactly one):
  --out-dir DIR    DIR/<name>.json (or .xml, .csv, .ndjson with --format), written atomically; <name>
                   is the path under the directory argument, or the file name, made safe
                   (it cannot leave DIR; a clash gets ~2, ~3, …). DIR/summary.json at the end.
  --ndjson FILE|-  one compact JSON document per line; a failure is
                   {"file": …, "error": {"code": …, "message": …}}.
  --csv FILE|-     one tidy CSV (one row per table cell) for all inputs; failures are in the
                   summary only.

Workers: --jobs worker threads (default: one per core). With a worker on every core the batch
runs in a child node with V8's helper threads off (--single-threaded), which would only take CPU
from the workers; with fewer workers than cores they keep the spare cores.
BUDGET_EXTRACT_V8_FLAGS="..." sets the child's flags whatever --jobs is; empty: no child.

Limits: each file gets --timeout seconds and each worker --max-memory MB; a worker that
passes either (or crashes) is replaced and the file reported as timeout / out_of_memory /
internal. The caps (--max-pages, --max-stream-mb, --max-operators, --max-form-depth) apply to
each file. Progress goes to stderr when it is a terminal; the summary always does. One batch at
a time per output: a second one is refused (io_error) while the first holds its lock.

--resume skips inputs finished in an earlier run into the same output (same content hash
and name), using the journal kept next to the output (DIR/.budget-extract/journal.ndjson or
FILE.journal). Results are recorded only after their output is written, so a run killed at
any point (kill -9 included) redoes nothing it recorded. --retry-failed redoes failures.

--pair-by department+year (with --out-dir, JSON) runs "compare" on every pair of one
部门预算 and one 部门决算 of the same department and year among the outputs: DIR/compare/
<department>-<year>.json each; summary.json lists them under "pairs" (with their D18 counts)
and the outputs without a pair under "unpaired", with the reason.

--shard K/N (1 ≤ K ≤ N) keeps the inputs whose name hashes to K: give every machine the same
inputs and its own K; outputs merge without clashes.

Exit status: 0 all inputs done, 1 some failed (see the summary), 3 with --strict when a
cross-check failed, 130 interrupted; 2 usage, 17 an output can't be written (a full disk,
not writable, a directory in its place: the batch stops), is locked by another batch, or
stdout was closed under --ndjson - / --csv -.

Examples:
  ${PROG} batch disclosures/ --out-dir out/
  ${PROG} batch @files.txt --ndjson all.ndjson --jobs 8 --timeout 60
  ${PROG} batch disclosures/ --csv cells.csv --bom
  ${PROG} batch disclosures/ --out-dir out/ --resume
  ${PROG} batch disclosures/ --out-dir out-2/ --shard 2/4
`;

export function registerBatch(program: Command, ctx: CommandContext): void {
  const cmd = program
    .command('batch')
    .description('extract many PDFs in parallel: one output per input (--out-dir) or one NDJSON/CSV stream, with resume, shards and a summary')
    .argument('<inputs...>', 'PDF files, directories (searched for *.pdf) and @lists of paths')
    .option('--out-dir <dir>', 'write DIR/<name>.json|.xml|.csv per input and DIR/summary.json')
    .option('--ndjson <file>', 'write one JSON line per input to FILE ("-": stdout)')
    .option('--csv <file>', 'write one tidy CSV for all inputs to FILE ("-": stdout)')
    .addOption(new Option('--format <format>', 'format of the files in --out-dir').choices([...OUTPUT_FORMATS]).default('json'))
    .option('-j, --jobs <n>', `worker threads (default: the number of cores, ${defaultJobs()})`, positiveInt('--jobs'))
    .option('--resume', 'skip inputs already done in an earlier run into the same output')
    .option('--retry-failed', 'with --resume: redo inputs that failed before')
    .option('--shard <k/n>', 'process only shard K of N (1-based; by a hash of the input name)', shardArg)
    .addOption(new Option('--unit <unit>', 'convert every amount exactly to 元 (yuan) or 万元 (wan)').choices(['yuan', 'wan']))
    .addOption(new Option('--only <part>', 'output only this part').choices([...ONLY_PARTS]))
    .option('--pages <list>', 'read only these pages of each file (1-based), e.g. 5-9,12', parsePages)
    .option('--table <id>', 'output only this table of each file: an id (budget_summary) or a printed number (表3)', parseTableSelector)
    .option('--boxes', 'add each table\'s, row\'s and value\'s box (page, x0, y0, x1, y1 in PDF points, top-left origin)')
    .addOption(new Option('--password <password>', 'password for encrypted PDFs').env('BUDGET_EXTRACT_PASSWORD'))
    .option('--bom', 'CSV: start with a UTF-8 byte-order mark (for Excel)')
    .option('--pretty', 'indent the files in --out-dir (default)')
    .addOption(new Option('--compact', 'files in --out-dir on one line / without indentation').conflicts('pretty'))
    .option('--summary <file>', 'also write the summary JSON to FILE')
    .addOption(new Option('--pair-by <key>', 'with --out-dir: compare each 部门预算 with the 部门决算 of the same department and year (DIR/compare/)').choices([...PAIR_KEYS]))
    .option('--no-progress', 'no progress line, even on a terminal')
    .option('--strict', 'exit 3 when a cross-check failed in any file')
    .option('--debug', 'print stack traces of failures; let pdf.js messages through');
  addLimitOptions(cmd, { memory: 'per worker' })
    .addHelpText('after', HELP_AFTER)
    .action(async (inputs: string[], opts: BatchCliOptions) => {
      const sinks = [opts.outDir, opts.ndjson, opts.csv].filter((s) => s !== undefined).length;
      if (sinks !== 1) {
        process.stderr.write(errorLine(null, 'usage', 'batch needs exactly one of --out-dir DIR, --ndjson FILE, --csv FILE (see batch --help)') + '\n');
        ctx.setStatus(ERROR_CODES.usage);
        return;
      }
      if (opts.pairBy && (opts.outDir === undefined || (opts.format ?? 'json') !== 'json')) {
        process.stderr.write(errorLine(null, 'usage', '--pair-by needs --out-dir DIR with JSON outputs (see batch --help)') + '\n');
        ctx.setStatus(ERROR_CODES.usage);
        return;
      }
      if (opts.retryFailed && !opts.resume) {
        process.stderr.write(errorLine(null, 'usage', '--retry-failed goes with --resume (see batch --help)') + '\n');
        ctx.setStatus(ERROR_CODES.usage);
        return;
      }
      const o: BatchOptions = {
        inputs,
        format: opts.csv !== undefined ? 'csv' : (opts.format ?? 'json'),
        jobs: opts.jobs ?? defaultJobs(),
        timeoutMs: Math.round(opts.timeout * 1000),
        maxMemoryMb: opts.maxMemory,
        limits: limitsFrom(opts),
        resume: opts.resume ?? false,
        retryFailed: opts.retryFailed ?? false,
        shard: opts.shard ?? null,
        pretty: !opts.compact,
        bom: opts.bom ?? false,
        debug: opts.debug ?? false,
        strict: opts.strict ?? false,
      };
      if (opts.outDir !== undefined) o.outDir = opts.outDir;
      if (opts.ndjson !== undefined) o.ndjson = opts.ndjson;
      if (opts.csv !== undefined) o.csv = opts.csv;
      if (opts.unit) o.unit = opts.unit;
      if (opts.only) o.only = opts.only;
      if (opts.pages) o.pages = opts.pages;
      if (opts.table !== undefined) o.table = opts.table;
      if (opts.boxes) o.boxes = true;
      if (opts.password !== undefined) o.password = opts.password;
      if (opts.summary !== undefined) o.summaryFile = opts.summary;
      if (opts.progress === false) o.progress = false;
      if (opts.pairBy) o.pairBy = opts.pairBy;
      // Workers the batch will start: no more than its inputs, when they are all named files
      // (directories and @lists are expanded later).
      const plainFiles = inputs.every((a) => !a.startsWith('@') && /\.pdf$/i.test(a));
      const workers = plainFiles ? Math.min(o.jobs, inputs.length) : o.jobs;
      const v8Flags = batchV8Flags(workers, defaultJobs());
      if (ctx.ownCommandLine && shouldRespawn(v8Flags)) {
        const status = await respawnBatch(v8Flags, o.debug);
        if (status !== null) return ctx.setStatus(status);
      }
      o.beforeWrite = followParent();
      const { BatchSetupError, runBatch } = await import('../batch/run.js');
      try {
        ctx.setStatus((await runBatch(o)).status);
      } catch (e) {
        if (e instanceof BatchSetupError) {
          process.stderr.write(errorLine(null, e.code, e.message) + '\n');
          ctx.setStatus(ERROR_CODES[e.code]);
        } else ctx.setStatus((await import('./run.js')).reportError(null, e, o.debug));
      }
    });
}
