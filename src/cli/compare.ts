/**
 * `budget-extract compare BUDGET FINAL`: a department's 部门预算 against its 部门决算 of the same
 * year (src/compare/): D18 and the side-by-side of budget and outturn, as JSON (default), CSV or
 * a text report. Each input is a PDF or the JSON output of `budget-extract` for one. Not the same
 * department and year (or not one budget and one 决算) is the error not_a_pair.
 */
import { Option, type Command } from 'commander';
import { EXIT_CHECKS_FAILED, EXIT_OK, ExtractError } from '../errors.js';
import type { Document } from '../model.js';
import type { Comparison } from '../compare/index.js';
import type { CommandContext } from './commands.js';
import { errorLine, PROG } from './lines.js';
import { escapeDeep, pathArg } from './names.js';

export const COMPARE_FORMATS = ['json', 'csv', 'text'] as const;
export type CompareFormat = (typeof COMPARE_FORMATS)[number];

export interface CompareOptions {
  format?: CompareFormat;
  output?: string;
  password?: string;
  strict?: boolean;
  bom?: boolean;
  compact?: boolean;
  debug?: boolean;
}

/** A document from a PDF, or from a JSON file `budget-extract` wrote for one. */
export async function loadDocument(arg: string, opts: CompareOptions): Promise<Document> {
  const { extractInput, readInput, validateDocument } = await import('./run.js');
  const input = pathArg(arg);
  const data = await readInput(input.path, { special: true });
  const head = Buffer.from(data.data.subarray(0, 64)).toString('utf8').trimStart();
  if (!head.startsWith('{')) return extractInput(input.display, data, { debug: opts.debug ?? false, ...(opts.password ? { password: opts.password } : {}) });
  try {
    return validateDocument(JSON.parse(Buffer.from(data.data).toString('utf8')));
  } catch (e) {
    throw new ExtractError('not_budget', `is JSON but not a budget-extract document (${(e as Error).message.slice(0, 120)})`);
  }
}

export function formatComparison(c: Comparison, format: CompareFormat, opts: { pretty?: boolean; bom?: boolean } = {}): Promise<string> {
  return import('../compare/format.js').then(({ compareCsv, compareText }) => {
    if (format === 'csv') return compareCsv(c, { bom: opts.bom ?? false });
    if (format === 'text') return compareText(c);
    return JSON.stringify(c, null, opts.pretty === false ? undefined : 2) + '\n';
  });
}

export async function runCompare(budgetArg: string, finalArg: string, opts: CompareOptions): Promise<number> {
  const { reportError, writeOutput } = await import('./run.js');
  const { compareDocuments } = await import('../compare/index.js');
  let file = budgetArg;
  try {
    const budget = await loadDocument(budgetArg, opts);
    file = finalArg;
    const final = await loadDocument(finalArg, opts);
    file = `${budgetArg} + ${finalArg}`;
    // what is written follows the zod model (schemas/compare.schema.json); a mismatch is a bug (internal)
    const { Comparison } = await import('../model.js');
    const c = Comparison.parse(compareDocuments(budget, final));
    const text = await formatComparison(escapeDeep(c), opts.format ?? 'json', { pretty: !opts.compact, bom: opts.bom ?? false });
    await writeOutput(text, opts.output === undefined || opts.output === '-' ? undefined : pathArg(opts.output).path);
    if (opts.strict && c.summary.fail > 0) {
      process.stderr.write(errorLine(file, 'checks_failed', `${c.summary.fail} D18 check${c.summary.fail === 1 ? '' : 's'} failed (--strict)`) + '\n');
      return EXIT_CHECKS_FAILED;
    }
    return EXIT_OK;
  } catch (e) {
    return reportError(file, e, opts.debug ?? false);
  }
}

export function registerCompare(program: Command, ctx: CommandContext): void {
  program
    .command('compare')
    .description("compare a department's 部门预算 with its 部门决算 of the same year: D18 (the 决算's 预算数 = the budget's figures) and budget vs outturn, row by row, with execution rates")
    .argument('<budget>', 'the 部门预算: a PDF, or the JSON budget-extract wrote for it')
    .argument('<final>', 'the 部门决算 of the same department and year: a PDF or its JSON (the two may come in either order)')
    .addOption(new Option('--format <format>', 'json (default), csv (one line per figure) or text (a report)').choices([...COMPARE_FORMATS]))
    .option('-o, --output <file>', 'write to FILE (atomically) instead of stdout')
    .option('--bom', 'with csv: start with a UTF-8 byte-order mark (for Excel)')
    .option('--compact', 'print JSON on one line')
    .option('--strict', `exit ${EXIT_CHECKS_FAILED} when a D18 check fails (the output is still written)`)
    .addOption(new Option('--password <password>', 'password of encrypted PDFs').env('BUDGET_EXTRACT_PASSWORD'))
    .option('--debug', 'on error print the stack trace')
    .addHelpText(
      'after',
      `
Output (JSON): budget and final (file, department, fiscalYear), checks (D18, one per 预算数 the
决算 prints, with both documents' tables, rows and pages), summary, and rows: one per
table/row/field both documents print, with budget (the budget's figure), finalBudget (the
决算's own 预算数), final (决算数), difference (决算数 − 预算数) and rate (执行率, %).

Exit status: 0, ${EXIT_CHECKS_FAILED} with --strict when a D18 check failed, 20 (not_a_pair) when the two are not
one 部门预算 and one 部门决算 of the same department and year, or the codes of \`${PROG} --help\`.

Examples:
  ${PROG} compare 2025-budget.pdf 2025-final.pdf --format text
  ${PROG} compare budget.json final.json --format csv -o compare.csv
`,
    )
    .action(async (budget: string, final: string, opts: CompareOptions) => {
      ctx.setStatus(await runCompare(budget, final, opts));
    });
}
