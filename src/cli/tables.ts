/**
 * `budget-extract tables <file.pdf> [--explain]`: what the file holds, one line per table
 * (src/output/table-list.ts); with --explain, why each heading candidate was or was not taken,
 * why each core table is absent, and each column's header path and the rule that gave its field
 * (src/tables/explain.ts). Errors as the main command's.
 */
import { Option, type Command } from 'commander';
import type { CommandContext } from './commands.js';
import { escapeControls, pathArg } from './names.js';
import { parsePages } from './select.js';
import { addLimitOptions, DEFAULT_MAX_MEMORY_MB, DEFAULT_TIMEOUT_S, isSupervisedChild, limitsFrom, supervise, type LimitCliOptions } from './supervise.js';
import { PROG } from './lines.js';

interface TablesOptions extends Partial<LimitCliOptions> {
  explain?: boolean;
  password?: string;
  pages?: number[];
  debug?: boolean;
}

async function runTables(fileArg: string, opts: TablesOptions, ctx: CommandContext): Promise<number> {
  const debug = opts.debug ?? false;
  const input = pathArg(fileArg);
  if (ctx.ownCommandLine && !isSupervisedChild()) {
    const status = await supervise({ file: input.display, timeoutMs: Math.round((opts.timeout ?? DEFAULT_TIMEOUT_S) * 1000), maxMemoryMb: opts.maxMemory ?? DEFAULT_MAX_MEMORY_MB, debug });
    if (status !== null) return status;
  }
  const { extractFileWithPages, reportError, writeOutput } = await import('./run.js');
  const { formatTableList } = await import('../output/table-list.js');
  const { explainTables } = await import('../tables/explain.js');
  try {
    const o: Parameters<typeof extractFileWithPages>[1] = { debug, limits: limitsFrom(opts), only: 'tables' };
    if (opts.password !== undefined) o.password = opts.password;
    if (opts.pages) o.pages = opts.pages;
    const { doc, loaded } = await extractFileWithPages(input, o);
    const explain = opts.explain ? explainTables(loaded.pages, doc.tables, doc.document.kind) : undefined;
    // The PDF's own text goes to the terminal: its control characters escaped.
    const text = formatTableList(doc, explain).split('\n').map(escapeControls).join('\n');
    await writeOutput(text);
    return 0;
  } catch (e) {
    return reportError(input.display, e, debug);
  }
}

export function registerTables(program: Command, ctx: CommandContext): void {
  const cmd = program
    .command('tables')
    .description('list the tables found: number, printed number, id, pages, unit, rows, quality, title (the heading for an unknown table)')
    .argument('<file.pdf>', 'the disclosure PDF')
    .option('--explain', 'also say why each heading candidate was or was not taken, why each core table is absent, and how each column got its field')
    .option('--pages <list>', 'read only these pages, e.g. 5-9,12', parsePages)
    .addOption(new Option('--password <password>', 'password of an encrypted PDF').env('BUDGET_EXTRACT_PASSWORD'))
    .option('--debug', 'on error print the stack trace');
  addLimitOptions(cmd, { memory: 'of the extraction (its resident memory)' })
    .addHelpText(
      'after',
      `
Heading candidates are the lines that read like a table title: "+" taken, "-" not, with the
reason (a 目录 line, a list of table names, no body under it, matched no table id…) and, when
not taken, the table id the title matches in brackets.

Examples:
  ${PROG} tables report.pdf
  ${PROG} tables report.pdf --explain | less
`,
    )
    .action(async (file: string, opts: TablesOptions) => {
      ctx.setStatus(await runTables(file, opts, ctx));
    });
}
