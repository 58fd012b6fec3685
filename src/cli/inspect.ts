/**
 * `budget-extract inspect <file.pdf> --page N|5-9 [-o page.png|page.svg|dir/] [--dpi 100]`:
 * each page as an image of what the reader found on it (src/inspect). Thin: options, files.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { ExtractError } from '../errors.js';
import type { CommandContext } from './commands.js';
import { errorLine, PROG } from './lines.js';
import { pathArg } from './names.js';
import { parsePages } from './select.js';
import { addLimitOptions, DEFAULT_MAX_MEMORY_MB, DEFAULT_TIMEOUT_S, isSupervisedChild, limitsFrom, supervise, type LimitCliOptions } from './supervise.js';

interface InspectOptions extends Partial<LimitCliOptions> {
  page: number[];
  output?: string;
  format?: 'png' | 'svg';
  dpi: number;
  password?: string;
  debug?: boolean;
}

function dpiArg(v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 10 || n > 600) throw new InvalidArgumentError('--dpi must be a number from 10 to 600');
  return n;
}

/** Where each page's image goes: into a directory (-o dir/, an existing directory, or the
 *  current one) as <name>-p<N>.<ext>, or the one file named. */
async function targets(file: string, pages: number[], out: string | undefined, ext: string): Promise<string[]> {
  const isDir = out !== undefined && (/[\\/]$/.test(out) || (await fs.stat(out).catch(() => null))?.isDirectory());
  if (out !== undefined && !isDir) {
    if (pages.length > 1) throw new ExtractError('usage', `${pages.length} pages need a directory: -o DIR/`);
    return [out];
  }
  const dir = out ?? '.';
  await fs.mkdir(dir, { recursive: true }).catch((e: NodeJS.ErrnoException) => {
    throw new ExtractError('io_error', `cannot create ${dir} (${e.code ?? e.message})`);
  });
  const stem = path.basename(file).replace(/\.pdf$/i, '');
  return pages.map((p) => path.join(dir, `${stem}-p${p}.${ext}`));
}

async function runInspect(fileArg: string, opts: InspectOptions, ctx: CommandContext): Promise<number> {
  const debug = opts.debug ?? false;
  const input = pathArg(fileArg);
  const file = input.display;
  if (ctx.ownCommandLine && !isSupervisedChild()) {
    const status = await supervise({ file, timeoutMs: Math.round((opts.timeout ?? DEFAULT_TIMEOUT_S) * 1000), maxMemoryMb: opts.maxMemory ?? DEFAULT_MAX_MEMORY_MB, debug });
    if (status !== null) return status;
  }
  const { extractLoaded, readInput, reportError, withQuietConsole, writeOutput, writeStdout } = await import('./run.js');
  const { inspectPages } = await import('../inspect/index.js');
  try {
    const format = opts.format ?? (/\.svg$/i.test(opts.output ?? '') ? 'svg' : 'png');
    const read = await readInput(input.path, { special: true });
    // pdf.js may take (detach) the bytes it is given: the renderer gets its own copy.
    const data = read.data.slice();
    const o: Parameters<typeof extractLoaded>[2] = { debug, limits: limitsFrom(opts), boxes: true };
    if (opts.password !== undefined) o.password = opts.password;
    const { doc, loaded } = await extractLoaded(file, read, o);
    const past = opts.page.find((p) => !loaded.pages.some((x) => x.index === p));
    if (past !== undefined) throw new ExtractError('usage', `--page: page ${past} is past the last page (${doc.source.pages})`);
    const result = await withQuietConsole(debug, () => inspectPages(data, doc, loaded, opts.page, { format, dpi: opts.dpi, ...(opts.password !== undefined ? { password: opts.password } : {}) }));
    if (result.fellBack) process.stderr.write(errorLine(file, 'warning', '@napi-rs/canvas could not be loaded: the pages are drawn as SVG from their text runs') + '\n');
    const ext = result.images[0]?.format ?? format;
    const paths = await targets(file, opts.page, opts.output && result.fellBack ? opts.output.replace(/\.png$/i, '.svg') : opts.output, ext);
    const lines: string[] = [];
    for (const [i, img] of result.images.entries()) {
      await writeOutput(img.bytes, paths[i]!);
      lines.push(`page ${img.page}: ${paths[i]} (${img.width}×${img.height} px, ${(img.ms / 1000).toFixed(2)} s)`);
    }
    await writeStdout(lines.join('\n') + '\n');
    return 0;
  } catch (e) {
    return reportError(file, e, debug);
  }
}

export function registerInspect(program: Command, ctx: CommandContext): void {
  const cmd = program
    .command('inspect')
    .description('draw what the reader found on pages: headings, table regions, ruling lines, column bands with field ids, row bands with keys, each figure coloured by its checks')
    .argument('<file.pdf>', 'the disclosure PDF')
    .requiredOption('--page <list>', 'the page(s) to draw, e.g. 6 or 5-9,12 (several need -o DIR/)', parsePages)
    .option('-o, --output <path>', 'the image (page.png, page.svg) or, ending in / or an existing directory, where to write <name>-p<N>.png per page (default: the current directory)')
    .addOption(new Option('--format <format>', 'image format (default: from -o, else png)').choices(['png', 'svg']))
    .option('--dpi <n>', 'resolution of the PNG (default 100)', dpiArg, 100)
    .addOption(new Option('--password <password>', 'password of an encrypted PDF').env('BUDGET_EXTRACT_PASSWORD'))
    .option('--debug', 'on error print the stack trace');
  addLimitOptions(cmd, { memory: 'of the extraction (its resident memory)' })
    .addHelpText(
      'after',
      `
The page is rendered by pdf.js (on @napi-rs/canvas); without the canvas, an SVG of the page's
text runs is written instead. Over it: heading candidates (green: taken; grey, dashed: not, with
the reason), each table's region (blue), ruling lines (cyan), column bands labelled with their
field ids (an unmapped colN in red), row bands with their keys, and each figure boxed in the
colour of the worst check it takes part in (red fail, orange warning, purple skipped, olive
rounding, green pass, blue in no check). A legend stands in the top right corner. SVG keeps
each box's table, row, field and status as data- attributes. One line per image on stdout.

Examples:
  ${PROG} inspect report.pdf --page 6 -o page6.png
  ${PROG} inspect report.pdf --page 5-9 -o pages/
  ${PROG} inspect report.pdf --page 6 -o page6.svg
`,
    )
    .action(async (file: string, opts: InspectOptions) => {
      ctx.setStatus(await runInspect(file, opts, ctx));
    });
}
