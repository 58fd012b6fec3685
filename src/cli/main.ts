/** The command line: `budget-extract <file.pdf> [options]`, plus subcommands registered from ./commands.ts. */
import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { ERROR_CODES, EXIT_CHECKS_FAILED, EXIT_OK } from '../errors.js';
import { SUBCOMMANDS, type CommandContext } from './commands.js';
import { pathArg } from './names.js';
import { parsePages, parseTableSelector } from './select.js';
import { addLimitOptions, followSupervisor, isSupervisedChild, limitsFrom, supervise, type LimitCliOptions } from './supervise.js';
import { errorLine, ONLY_PARTS, OUTPUT_FORMATS, PROG, type OnlyPart, type OutputFormat } from './lines.js';
// ./run.js (the pipeline, the model, pdf.js's loader) is imported only where a file is read:
// the supervising process (./supervise.ts) starts without it.

interface MainOptions extends LimitCliOptions {
  out?: OutputFormat;
  format?: OutputFormat;
  bom?: boolean;
  output?: string;
  unit?: 'yuan' | 'wan';
  password?: string;
  only?: OnlyPart;
  strict?: boolean;
  debug?: boolean;
  pretty?: boolean;
  compact?: boolean;
  pages?: number[];
  table?: string;
  boxes?: boolean;
}

const ERROR_HELP: Record<keyof typeof ERROR_CODES, string> = {
  usage: 'bad option or argument',
  not_found: 'the file does not exist',
  empty: 'the file is empty (0 bytes)',
  not_pdf: 'the file is not a PDF',
  corrupt: 'the PDF is damaged or truncated',
  encrypted: 'the PDF needs a password (--password), or the one given is wrong',
  no_text_layer: 'scanned pages without a text layer; OCR the file first',
  not_budget: 'a readable PDF, but not a budget / final-accounts disclosure',
  io_error: 'the input is a directory or unreadable, or the output cannot be written',
  timeout: 'the file took too long',
  out_of_memory: 'the file needs more memory than available',
  not_a_pair: 'compare: not a 部门预算 and a 部门决算 of the same department and year',
  internal: 'a bug in budget-extract; please report it with --debug output',
};

function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

function helpAfter(): string {
  const rows: Array<[number, string, string]> = [
    [EXIT_OK, '', 'success (also when checks fail, unless --strict)'],
    [EXIT_CHECKS_FAILED, 'checks_failed', '--strict and a cross-check failed or a core table is degraded; the output is still written'],
    ...Object.entries(ERROR_CODES).map(([code, status]): [number, string, string] => [status, code, ERROR_HELP[code as keyof typeof ERROR_CODES]]),
  ];
  const codes = rows.sort((a, b) => a[0] - b[0]).map(([status, code, text]) => `  ${String(status).padEnd(4)}${code.padEnd(15)}${text}`);
  return `
Output:
  One document per PDF: its source (file, sha256, pages, producer), the disclosure
  (department, fiscal year, budget or final accounts), every table found (canonical id,
  number, title, unit, pages, columns, rows with key/code/name/level and values) and
  warnings. Amounts are exact decimal strings as printed, in each table's unit (元/万元)
  unless --unit converts them. XML carries the same content. The JSON Schema is in
  schemas/budget-extract.schema.json.

Exit status:
${codes.join('\n')}
  On error nothing is written to stdout (or to -o FILE) and stderr holds one line:
    ${PROG}: FILE: MESSAGE [code]
  e.g. ${PROG}: x.pdf: encrypted; pass --password [encrypted]
  Control characters in file names and messages are escaped (\n, \x1b): always one line.

Limits:
  The extraction runs in a supervised child: past --timeout it ends with timeout (18), past
  --max-memory with out_of_memory (19). The caps (--max-pages, --max-stream-mb,
  --max-operators, --max-form-depth) skip what no real disclosure needs, with a warning.
  -o writes a regular or new file atomically (temporary file + rename), through a symlink to
  its target, and into a device or FIFO in place; any write error is io_error (17).
  CSV: text cells starting with = + - @ tab or CR get a ' in front (formula injection).

Examples:
  ${PROG} report.pdf > report.json
  ${PROG} report.pdf --out xml -o report.xml
  ${PROG} report.pdf --unit yuan --compact | jq '.tables[] | .id'
  ${PROG} locked.pdf --password 'secret'
  ${PROG} report.pdf --strict -o report.json || echo "exit $?"
`;
}

/** Build the program. Exported for tests and for subcommand modules. */
export function buildProgram(ctx: CommandContext): Command {
  const program = new Command(PROG);
  program
    .description('Extract the tables of a Chinese government budget / final-accounts disclosure (部门预算/决算公开) PDF as exact JSON or XML.')
    .version(version(), '-V, --version', 'print the version and exit')
    .helpOption('-h, --help', 'show this help and exit')
    .argument('<file.pdf>', 'the disclosure PDF to read')
    .addOption(new Option('--out <format>', 'output format: json (default; xml, csv or ndjson when -o FILE ends so), xml, csv or ndjson (the tables in the long format, one record per cell)').choices([...OUTPUT_FORMATS]))
    .addOption(new Option('--format <format>', 'the same as --out').choices([...OUTPUT_FORMATS]).conflicts('out'))
    .option('--bom', 'with csv: start with a UTF-8 byte-order mark (for Excel)')
    .option('-o, --output <file>', 'write to FILE instead of stdout (atomically when it is a regular or new file; through symlinks; into devices and FIFOs in place); "-" is stdout')
    .addOption(new Option('--unit <unit>', "convert every amount exactly to 元 (yuan) or 万元 (wan); default: each table's own unit").choices(['yuan', 'wan']))
    .addOption(new Option('--password <password>', 'password of an encrypted PDF').env('BUDGET_EXTRACT_PASSWORD'))
    .addOption(new Option('--only <part>', 'output only one part, with the document identity and warnings: "tables", "targets" (绩效目标表) or "narrative" (情况说明 figures and 概况); the other parts and the cross-checks are not computed').choices([...ONLY_PARTS]))
    .option('--pages <list>', 'read only these pages (1-based), e.g. 5-9,12; the output\'s source.pagesRead says which', parsePages)
    .option('--table <id>', 'output only this table: a table id (budget_summary) or its printed number (表3, 3), with its checks', parseTableSelector)
    .option('--boxes', 'add where each table, row and value is printed: box {page, x0, y0, x1, y1} in PDF points, origin top-left (as pdfplumber)')
    .option('--strict', `exit ${EXIT_CHECKS_FAILED} when a cross-check fails or a core table is not read cleanly (quality degraded/unreadable); the output is still written`)
    .option('--debug', 'on error print the stack trace; let pdf.js messages through to stderr')
    .option('--pretty', 'indent the output (default)')
    .addOption(new Option('--compact', 'print JSON on one line, XML without indentation').conflicts('pretty'));
  addLimitOptions(program, { memory: 'of the extraction (its resident memory)' })
    .addHelpText('after', helpAfter())
    .showSuggestionAfterError(true)
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput({ outputError: () => undefined })
    .action(async (file: string, opts: MainOptions) => {
      ctx.setStatus(await runMain(file, opts, ctx));
    });
  for (const register of SUBCOMMANDS) register(program, ctx);
  return program;
}

async function runMain(fileArg: string, opts: MainOptions, ctx: CommandContext): Promise<number> {
  const debug = opts.debug ?? false;
  const input = pathArg(fileArg);
  const file = input.display;
  const outFile = opts.output === undefined ? undefined : pathArg(opts.output).path;
  if (ctx.ownCommandLine && !isSupervisedChild()) {
    const sup: Parameters<typeof supervise>[0] = { file, timeoutMs: Math.round(opts.timeout * 1000), maxMemoryMb: opts.maxMemory, debug };
    if (typeof outFile === 'string') sup.outFile = outFile;
    const status = await supervise(sup);
    if (status !== null) return status;
  }
  const byExt = opts.output && /\.(xml|csv|ndjson)$/i.exec(opts.output)?.[1]?.toLowerCase();
  const format: OutputFormat = opts.out ?? opts.format ?? (byExt === 'xml' || byExt === 'csv' || byExt === 'ndjson' ? byExt : 'json');
  const { extractFile, reportError, restrict, serialize, strictStatus, writeOutput } = await import('./run.js');
  try {
    const extractOpts: Parameters<typeof extractFile>[1] = { debug, limits: limitsFrom(opts) };
    if (opts.password !== undefined) extractOpts.password = opts.password;
    if (opts.unit !== undefined) extractOpts.unit = opts.unit;
    if (opts.only !== undefined) extractOpts.only = opts.only;
    if (opts.pages !== undefined) extractOpts.pages = opts.pages;
    if (opts.table !== undefined) extractOpts.table = opts.table;
    if (opts.boxes) extractOpts.boxes = true;
    const doc = await extractFile(input, extractOpts);
    await writeOutput(serialize(restrict(doc, opts.only), format, !opts.compact, { bom: opts.bom ?? false }), outFile);
    return strictStatus(file, doc, opts.strict);
  } catch (e) {
    return reportError(file, e, debug);
  }
}

/** Run the CLI; resolves to the exit status (the caller sets process.exitCode). */
export async function main(argv: string[] = process.argv): Promise<number> {
  let status = EXIT_OK;
  const ctx: CommandContext = { setStatus: (s) => void (status = s), ownCommandLine: argv === process.argv };
  if (ctx.ownCommandLine) followSupervisor();
  const program = buildProgram(ctx);
  const debug = argv.includes('--debug');
  try {
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.exitCode === 0) return EXIT_OK; // --help, --version
      const message = e.message.replace(/^error:\s*/, '').replace(/\s*\n\s*/g, ' ');
      process.stderr.write(errorLine(null, 'usage', `${message} (see --help)`) + '\n');
      return ERROR_CODES.usage;
    }
    return (await import('./run.js')).reportError(null, e, debug);
  }
  return status;
}
