/**
 * `budget-extract check <file.pdf>`: the cross-check report a person can act on
 * (src/checks/report.ts formatDocumentReport): failures first, each naming its tables as printed
 * and whether they were read cleanly; then the tables not read cleanly, the skipped checks by
 * reason, warnings, rounding differences, the document's warnings, the core tables absent and
 * the counts. Colour only when stdout is a terminal and NO_COLOR is not set. Exit 0, or 3 with
 * --strict when a check failed or a core table is degraded (the report is still printed); bad
 * input gives the same one-line coded errors as the main command.
 */
import { Option, type Command } from 'commander';
import { formatDocumentReport } from '../checks/report.js';
import { EXIT_CHECKS_FAILED } from '../errors.js';
import type { Document } from '../model.js';
import type { CommandContext } from './commands.js';
import { PROG } from './lines.js';
import { escapeDeep, pathArg } from './names.js';
import { addLimitOptions, DEFAULT_MAX_MEMORY_MB, DEFAULT_TIMEOUT_S, isSupervisedChild, limitsFrom, supervise, type LimitCliOptions } from './supervise.js';


export interface CheckOptions extends Partial<LimitCliOptions> {
  password?: string;
  strict?: boolean;
  verbose?: boolean;
  debug?: boolean;
  /** force colour on/off (default: stdout is a TTY and NO_COLOR is unset) */
  color?: boolean;
}

/** Colour when writing to a terminal, unless NO_COLOR (https://no-color.org) is set to anything non-empty. */
export function useColor(stream: { isTTY?: boolean } = process.stdout, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return stream.isTTY === true;
}

/** The report for one document: a line naming it, the check lines, the counts. */
export function checkReport(doc: Document, opts: { color: boolean; verbose?: boolean }): string {
  const d = doc.document;
  const kind = d.kind === 'final_accounts' ? '决算' : d.kind === 'budget' ? '预算' : null;
  const what = [d.department, d.fiscalYear !== null ? `${d.fiscalYear}${kind ? `年${kind}` : ''}` : kind].filter(Boolean).join(' ');
  const tables = doc.tables.filter((t) => t.id !== 'unknown').length;
  const head = `${doc.source.file}: ${what ? what + ', ' : ''}${tables} table${tables === 1 ? '' : 's'}, ${doc.source.pages} pages`;
  return `${head}\n${formatDocumentReport(doc, { color: opts.color, verbose: opts.verbose ?? false })}`;
}

export async function runCheck(fileArg: string, opts: CheckOptions, ctx?: CommandContext): Promise<number> {
  const debug = opts.debug ?? false;
  const input = pathArg(fileArg);
  const file = input.display;
  if (ctx?.ownCommandLine && !isSupervisedChild()) {
    const status = await supervise({ file, timeoutMs: Math.round((opts.timeout ?? DEFAULT_TIMEOUT_S) * 1000), maxMemoryMb: opts.maxMemory ?? DEFAULT_MAX_MEMORY_MB, debug });
    if (status !== null) return status;
  }
  const { extractFile, reportError, strictStatus, writeOutput } = await import('./run.js');
  try {
    const extractOpts: Parameters<typeof extractFile>[1] = { debug, limits: limitsFrom(opts) };
    if (opts.password !== undefined) extractOpts.password = opts.password;
    const doc = await extractFile(input, extractOpts);
    const color = opts.color ?? useColor();
    // The PDF's own text is shown with its control characters escaped: no escape sequence in
    // a PDF reaches the terminal.
    await writeOutput(checkReport(escapeDeep(doc), { color, verbose: opts.verbose }));
    return strictStatus(file, doc, opts.strict);
  } catch (e) {
    return reportError(file, e, debug);
  }
}

export function registerCheck(program: Command, ctx: CommandContext): void {
  const cmd = program
    .command('check')
    .description('print the cross-check report of a disclosure: failures, tables not read cleanly, skipped checks, warnings and rounding differences with their figures and pages, then the counts')
    .argument('<file.pdf>', 'the disclosure PDF to check')
    .option('--strict', `exit ${EXIT_CHECKS_FAILED} when a cross-check fails or a core table is not read cleanly (the report is still printed)`)
    .addOption(new Option('--password <password>', 'password of an encrypted PDF').env('BUDGET_EXTRACT_PASSWORD'))
    .option('-v, --verbose', 'also list each table problem, each skipped check and warning, and the passing checks')
    .option('--debug', 'on error print the stack trace; let pdf.js messages through to stderr');
  addLimitOptions(cmd, { memory: 'of the extraction (its resident memory)' })
    .addHelpText(
      'after',
      `
Each line: rule:where STATUS left-hand figures (pages) ≠/≈ right-hand figures (pages), diff, tol.
FAIL is an identity that must hold and does not; WARN one that usually holds (or a comparison
with nothing printed on one side); ROUNDING a difference within the rounding tolerance (half a
unit of the last printed digit per term). Colour only on a terminal, and not with NO_COLOR.

After the failures: the tables not read cleanly (degraded: a column, row or check that may hide a
wrong figure; unreadable: no figure read), the skipped checks grouped by reason, the warnings,
the rounding differences, the document's warnings and the core tables absent. A failure in a
degraded table is likely misread by us; in tables read cleanly it is printed that way.

Exit status: 0 (also when checks fail), ${EXIT_CHECKS_FAILED} with --strict when a check failed or a core table
is degraded or unreadable, or the
error codes of \`${PROG} --help\`.

Examples:
  ${PROG} check report.pdf
  ${PROG} check report.pdf --strict || echo "exit $?"
`,
    )
    .action(async (file: string, opts: CheckOptions) => {
      ctx.setStatus(await runCheck(file, opts, ctx));
    });
}
