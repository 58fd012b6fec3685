/** The pieces every command shares: read a PDF, run the pipeline, serialise, write, report errors.
 *  Subcommands (check, batch) build on these; none of them prints anything itself except `reportError`. */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { degradedCoreTables, tableName } from '../checks/report.js';
import { INCOMPLETE_CODES } from '../quality.js';
import { ERROR_CODES, EXIT_CHECKS_FAILED, EXIT_OK, ExtractError, type ErrorCode } from '../errors.js';
import { extractDocument, type ExtractOptions } from '../extract.js';
import { Document } from '../model.js';
import { toCsv, toNdjsonCells } from '../output/csv.js';
import { toJson } from '../output/json.js';
import { toXml } from '../output/xml.js';
import { selectTable } from '../select.js';
import { loadPdf, PdfLoadError, type PdfLimits } from '../pdf/load.js';
import type { LoadedDocument } from '../pdf/types.js';
import { displayBytes, type PathArg } from './names.js';

import { errorLine, type OnlyPart, type OutputFormat } from './lines.js';
export { errorLine, ONLY_PARTS, OUTPUT_FORMATS, PROG, type OnlyPart, type OutputFormat } from './lines.js';

export interface ExtractFileOptions {
  password?: string;
  unit?: 'yuan' | 'wan';
  only?: OnlyPart;
  /** Let pdf.js and library messages through to stderr (they are silenced otherwise). */
  debug?: boolean;
  /** Caps on what no real disclosure needs (pages, decompressed stream bytes, operators per
   *  page, form nesting); the defaults of pdf/load.ts otherwise. */
  limits?: Partial<PdfLimits>;
  /** `--pages`: read only these 1-based pages. */
  pages?: readonly number[];
  /** `--table`: emit only this table (an id or a printed number), with its checks. */
  table?: string;
  /** `--boxes`: each table's, row's and value's box in the output. */
  boxes?: boolean;
}

export interface InputFile {
  data: Uint8Array;
  sha256: string;
}

/** The most read from a FIFO or device named on the command line (a regular file is read to its
 *  size): no disclosure comes near it. */
export const MAX_SPECIAL_INPUT_BYTES = 512 * 1024 * 1024;

export interface ReadInputOptions {
  /** Also read a FIFO or a character/block device (a file named explicitly on the command line;
   *  the caller bounds the time). Otherwise only regular files are read. */
  special?: boolean;
}

function readError(e: unknown): ExtractError {
  if (e instanceof ExtractError) return e;
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return new ExtractError('not_found', 'no such file');
  if (code === 'EACCES' || code === 'EPERM') return new ExtractError('io_error', 'permission denied');
  if (code === 'EISDIR') return new ExtractError('io_error', 'is a directory, not a PDF file');
  return new ExtractError('io_error', `cannot read (${code ?? (e as Error).message})`);
}

/**
 * Read the input: `not_found` when it does not exist, `io_error` when it is a directory or
 * unreadable. A regular file is read up to the size it has (a /proc file that says 0 bytes is
 * `empty`, never waited on); a FIFO or device only with `special`, up to
 * MAX_SPECIAL_INPUT_BYTES and `not_pdf` as soon as its first kilobyte has no PDF header;
 * anything else (a socket) is `io_error` at once.
 */
export async function readInput(file: string | Buffer, opts: ReadInputOptions = {}): Promise<InputFile> {
  let buf: Buffer;
  let fh: fs.FileHandle | null = null;
  try {
    const st = await fs.stat(file);
    if (st.isDirectory()) throw new ExtractError('io_error', 'is a directory, not a PDF file');
    const special = st.isFIFO() || st.isCharacterDevice() || st.isBlockDevice();
    if (!st.isFile() && !(special && opts.special)) {
      throw new ExtractError('io_error', special ? 'is a device or FIFO, not a regular file' : 'is not a regular file');
    }
    if (st.isFile() && st.size === 0) return { data: new Uint8Array(0), sha256: createHash('sha256').digest('hex') };
    fh = await fs.open(file, 'r');
    const limit = st.isFile() ? st.size : MAX_SPECIAL_INPUT_BYTES + 1;
    const chunks: Buffer[] = [];
    let total = 0;
    while (total < limit) {
      const chunk = Buffer.allocUnsafe(Math.min(limit - total, st.isFile() ? limit : 1 << 20));
      const { bytesRead } = await fh.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      chunks.push(chunk.subarray(0, bytesRead));
      total += bytesRead;
      if (!st.isFile() && total >= 1024 && chunks.length === 1 && !chunks[0]!.subarray(0, 1024).toString('latin1').includes('%PDF-')) break;
    }
    if (total > MAX_SPECIAL_INPUT_BYTES) throw new ExtractError('io_error', `more than ${MAX_SPECIAL_INPUT_BYTES / 1048576} MB to read; not a PDF file`);
    buf = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
  } catch (e) {
    throw readError(e);
  } finally {
    await fh?.close().catch(() => undefined);
  }
  const data = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  return { data, sha256: createHash('sha256').update(data).digest('hex') };
}

/** An output that does not satisfy the zod model: a bug, reported as `internal`. */
export class InvalidOutputError extends Error {
  override name = 'InvalidOutputError';
  constructor(readonly issues: string[]) {
    super(`output failed schema validation: ${issues[0] ?? 'unknown issue'}${issues.length > 1 ? ` (+${issues.length - 1} more)` : ''}`);
  }
}

/** Validate against the zod model; the parsed value is what gets serialised. */
export function validateDocument(doc: unknown): Document {
  const r = Document.safeParse(doc);
  if (r.success) return r.data;
  throw new InvalidOutputError(r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
}

/**
 * Run `fn` with console output silenced (or, with debug, sent to stderr). pdf.js reports through
 * console.log / console.info (stdout!) and console.warn / console.error; none of it may reach
 * stdout, and an error run must print exactly one stderr line.
 */
export async function withQuietConsole<T>(debug: boolean, fn: () => Promise<T>): Promise<T> {
  const methods = ['log', 'info', 'debug', 'warn', 'error', 'trace', 'dir'] as const;
  const saved = methods.map((m) => [m, console[m]] as const);
  const toStderr = (...args: unknown[]) => {
    process.stderr.write(args.map((a) => (typeof a === 'string' ? a : String((a as Error)?.stack ?? a))).join(' ') + '\n');
  };
  for (const m of methods) (console as unknown as Record<string, unknown>)[m] = debug ? toStderr : () => undefined;
  try {
    return await fn();
  } finally {
    for (const [m, f] of saved) (console as unknown as Record<string, unknown>)[m] = f;
  }
}

/** The document's completeness warning (no table, or no core table, recognised), if any: such
 *  a document is output, and counted `ok_with_warnings` by batch. */
export function incompleteWarning(doc: Document): { code: string; message: string } | null {
  const w = doc.warnings.find((x) => INCOMPLETE_CODES.includes(x.code));
  return w ? { code: w.code, message: w.message } : null;
}

/** Failed cross-checks in a document (for --strict). */
export function failedChecks(doc: Document): number {
  if (doc.summary) return doc.summary.fail;
  return (doc.checks ?? []).filter((c) => c.status === 'fail').length;
}

/** Keep only the requested part, with the document's identity and warnings: `tables`,
 *  `targets` (performanceTargets) or `narrative` (narrative and overview). */
export function restrict(doc: Document, only: OnlyPart | undefined): Document {
  if (!only) return doc;
  const { schemaVersion, source, document, warnings } = doc;
  const base = { schemaVersion, source, document, warnings };
  if (only === 'tables') return { ...base, tables: doc.tables };
  if (only === 'targets') return { ...base, tables: [], performanceTargets: doc.performanceTargets ?? [] };
  return { ...base, tables: [], narrative: doc.narrative ?? [], overview: doc.overview ?? null };
}

/** Read → load → extract → validate one file. Throws ExtractError / PdfLoadError for bad input. */
export async function extractFile(file: string | PathArg, opts: ExtractFileOptions = {}): Promise<Document> {
  return (await extractFileWithPages(file, opts)).doc;
}

/** extractFile, with the pages as loaded (for `tables --explain` and `inspect`, which show
 *  what the reader saw on them). */
export async function extractFileWithPages(file: string | PathArg, opts: ExtractFileOptions = {}): Promise<{ doc: Document; loaded: LoadedDocument }> {
  const arg = typeof file === 'string' ? { path: file, display: file } : file;
  return extractLoaded(arg.display, await readInput(arg.path, { special: true }), opts);
}

/** Load → extract → validate a file already read (the batch workers get the bytes from the main thread). */
export async function extractInput(file: string, input: InputFile, opts: ExtractFileOptions = {}): Promise<Document> {
  return (await extractLoaded(file, input, opts)).doc;
}

export async function extractLoaded(file: string, input: InputFile, opts: ExtractFileOptions): Promise<{ doc: Document; loaded: LoadedDocument }> {
  let loaded: LoadedDocument | null = null;
  const doc = await withQuietConsole(opts.debug ?? false, async () => {
    loaded = await loadPdf(input.data, { password: opts.password, ...(opts.limits ? { limits: opts.limits } : {}), ...(opts.pages ? { pages: opts.pages } : {}) });
    const extractOpts: ExtractOptions = {};
    if (opts.unit) extractOpts.unit = opts.unit;
    if (opts.only) extractOpts.only = opts.only;
    if (opts.pages) extractOpts.pagesRead = opts.pages;
    if (opts.boxes) extractOpts.boxes = true;
    const extracted = extractDocument(loaded, { file, sha256: input.sha256 }, extractOpts);
    return opts.table === undefined ? extracted : selectTable(extracted, opts.table);
  });
  return { doc: validateDocument(doc), loaded: loaded! };
}

export function serialize(doc: Document, format: OutputFormat, pretty = true, opts: { bom?: boolean } = {}): string {
  if (format === 'csv') return toCsv(doc, { bom: opts.bom ?? false });
  if (format === 'ndjson') return toNdjsonCells(doc);
  return format === 'xml' ? toXml(doc, { pretty }) : toJson(doc, { pretty });
}

/** A write to stdout; every failure (a full disk, `> /dev/full`, a closed pipe) is `io_error`. */
export async function writeStdout(text: string | Uint8Array): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const fail = (err: NodeJS.ErrnoException) => reject(new ExtractError('io_error', `cannot write to stdout (${err.code ?? err.message})`));
    try {
      process.stdout.write(text, (err) => (err ? fail(err) : resolve()));
    } catch (e) {
      fail(e as NodeJS.ErrnoException);
    }
  });
}

/** A temporary file name for an atomic write of `target` (in its directory). */
export function tempPath(target: string, pid = process.pid): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.${pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/**
 * Write to FILE, or to stdout (`-` or no FILE). A new or regular FILE is written atomically: a
 * temporary file in the same directory, then a rename (on error FILE is left untouched). A
 * symlink is written through (its target is replaced, the link stays); a device, FIFO or other
 * special file is opened and written in place, never replaced. Every failure is `io_error`.
 */
export async function writeOutput(text: string | Uint8Array, outFile?: string | Buffer): Promise<void> {
  if (outFile === undefined || outFile === '-') return writeStdout(text);
  const shown = typeof outFile === 'string' ? outFile : displayBytes(outFile);
  const fail = (e: unknown) => {
    if (e instanceof ExtractError) return e;
    const code = (e as NodeJS.ErrnoException).code;
    return new ExtractError('io_error', `cannot write ${shown} (${code ?? (e as Error).message})`);
  };
  let dest: string | Buffer = outFile;
  let st: import('node:fs').Stats | null;
  try {
    st = await fs.lstat(dest).catch(() => null);
    if (st?.isSymbolicLink() && typeof dest === 'string') {
      // Follow the links to where the data goes (it may not exist yet): that file is written.
      for (let hops = 0; hops < 40 && st?.isSymbolicLink(); hops++) {
        dest = path.resolve(path.dirname(dest), await fs.readlink(dest));
        st = await fs.lstat(dest).catch(() => null);
      }
      if (st?.isSymbolicLink()) throw new ExtractError('io_error', `cannot write ${shown} (too many levels of symbolic links)`);
    }
    if (st?.isDirectory()) throw new ExtractError('io_error', `cannot write ${shown} (is a directory)`);
  } catch (e) {
    throw fail(e);
  }
  if (st && (!st.isFile() || typeof dest !== 'string')) {
    // A device, FIFO or socket (or a link under a name that is not UTF-8): written into, never
    // replaced.
    let fh: fs.FileHandle | null = null;
    try {
      fh = await fs.open(dest, 'w');
      await fh.writeFile(text);
    } catch (e) {
      throw fail(e);
    } finally {
      await fh?.close().catch(() => undefined);
    }
    return;
  }
  const tmp = typeof dest === 'string' ? tempPath(dest) : Buffer.concat([dirBytes(dest), Buffer.from(`/.budget-extract.${process.pid}.${randomBytes(4).toString('hex')}.tmp`)]);
  try {
    await fs.writeFile(tmp, text, { flag: 'wx', mode: 0o644 });
    await fs.rename(tmp, dest);
  } catch (e) {
    await fs.rm(tmp, { force: true }).catch(() => undefined);
    throw fail(e);
  }
}

/** The directory part of a raw path. */
function dirBytes(p: Buffer): Buffer {
  const i = p.lastIndexOf(0x2f);
  return i < 0 ? Buffer.from('.') : i === 0 ? Buffer.from('/') : p.subarray(0, i);
}

export interface Classified {
  code: ErrorCode;
  message: string;
  status: number;
}

/** Map any exception to its error code, one-line message and exit status. */
export function classify(e: unknown): Classified {
  let code: ErrorCode = 'internal';
  let message: string;
  if (e instanceof ExtractError || e instanceof PdfLoadError) {
    code = e.code;
    message = e.message;
  } else if (e instanceof RangeError && /memory|allocation/i.test(e.message)) {
    code = 'out_of_memory';
    message = `out of memory (${e.message})`;
  } else {
    const msg = e instanceof Error ? e.message : String(e);
    message = `internal error: ${msg}; rerun with --debug for details`;
  }
  message = message.replace(/\s*[\r\n]+\s*/g, ' ').trim();
  return { code, message, status: ERROR_CODES[code] };
}

/** The one stderr line: `budget-extract: FILE: MESSAGE [code]`. */
/** The exit status once a document's output is written: under --strict, 3 (said on stderr)
 *  when any cross-check failed, else when a core table (tables.md) was read degraded or
 *  unreadable: its figures may be wrong without any check saying so. */
export function strictStatus(file: string, doc: Document, strict: boolean | undefined): number {
  if (!strict) return EXIT_OK;
  const failed = failedChecks(doc);
  if (failed > 0) {
    process.stderr.write(errorLine(file, 'checks_failed', `${failed} cross-check${failed === 1 ? '' : 's'} failed (--strict)`) + '\n');
    return EXIT_CHECKS_FAILED;
  }
  const bad = degradedCoreTables(doc);
  if (!bad.length) return EXIT_OK;
  const names = bad.map(({ table, label }) => `${tableName(table, label)} ${table.quality!.status}`).join('; ');
  process.stderr.write(errorLine(file, 'checks_failed', `${bad.length} core table${bad.length === 1 ? '' : 's'} not read cleanly (--strict): ${names}`) + '\n');
  return EXIT_CHECKS_FAILED;
}

/** Report a failure on stderr (one line; with debug, the stack and details follow). Returns the exit status. */
export function reportError(file: string | null, e: unknown, debug = false): number {
  const c = classify(e);
  process.stderr.write(errorLine(file, c.code, c.message) + '\n');
  if (debug) {
    if (e instanceof InvalidOutputError) process.stderr.write(e.issues.map((i) => `  ${i}`).join('\n') + '\n');
    if (e instanceof Error && e.stack) process.stderr.write(e.stack + '\n');
  }
  return c.status;
}
