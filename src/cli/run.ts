/** The pieces every command shares: read a PDF, run the pipeline, serialise, write, report errors.
 *  Subcommands (check, batch) build on these; none of them prints anything itself except `reportError`. */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { ERROR_CODES, EXIT_CHECKS_FAILED, EXIT_OK, ExtractError, type ErrorCode } from '../errors.js';
import { extractDocument, type ExtractOptions } from '../extract.js';
import { Document } from '../model.js';
import { toCsv } from '../output/csv.js';
import { toJson } from '../output/json.js';
import { toXml } from '../output/xml.js';
import { loadPdf, PdfLoadError } from '../pdf/load.js';

export const PROG = 'budget-extract';

export type OutputFormat = 'json' | 'xml' | 'csv';
export const OUTPUT_FORMATS = ['json', 'xml', 'csv'] as const;
/** Parts `--only` can restrict the output to. */
export const ONLY_PARTS = ['tables', 'targets', 'narrative'] as const;
export type OnlyPart = (typeof ONLY_PARTS)[number];

export interface ExtractFileOptions {
  password?: string;
  unit?: 'yuan' | 'wan';
  only?: OnlyPart;
  /** Let pdf.js and library messages through to stderr (they are silenced otherwise). */
  debug?: boolean;
}

export interface InputFile {
  data: Uint8Array;
  sha256: string;
}

/** Read the input: `not_found` when it does not exist, `io_error` when it is a directory or unreadable. */
export async function readInput(file: string): Promise<InputFile> {
  let buf: Buffer;
  try {
    const st = await fs.stat(file);
    if (st.isDirectory()) throw new ExtractError('io_error', 'is a directory, not a PDF file');
    if (!st.isFile()) throw new ExtractError('io_error', 'is not a regular file');
    buf = await fs.readFile(file);
  } catch (e) {
    if (e instanceof ExtractError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new ExtractError('not_found', 'no such file');
    if (code === 'EACCES' || code === 'EPERM') throw new ExtractError('io_error', 'permission denied');
    if (code === 'EISDIR') throw new ExtractError('io_error', 'is a directory, not a PDF file');
    throw new ExtractError('io_error', `cannot read (${code ?? (e as Error).message})`);
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
export async function extractFile(file: string, opts: ExtractFileOptions = {}): Promise<Document> {
  return extractInput(file, await readInput(file), opts);
}

/** Load → extract → validate a file already read (the batch workers get the bytes from the main thread). */
export async function extractInput(file: string, input: InputFile, opts: ExtractFileOptions = {}): Promise<Document> {
  const doc = await withQuietConsole(opts.debug ?? false, async () => {
    const loaded = await loadPdf(input.data, { password: opts.password });
    const extractOpts: ExtractOptions = {};
    if (opts.unit) extractOpts.unit = opts.unit;
    if (opts.only) extractOpts.only = opts.only;
    return extractDocument(loaded, { file, sha256: input.sha256 }, extractOpts);
  });
  return validateDocument(doc);
}

export function serialize(doc: Document, format: OutputFormat, pretty = true, opts: { bom?: boolean } = {}): string {
  if (format === 'csv') return toCsv(doc, { bom: opts.bom ?? false });
  return format === 'xml' ? toXml(doc, { pretty }) : toJson(doc, { pretty });
}

/** Write to FILE atomically (temporary file in the same directory, then rename), or to stdout. */
export async function writeOutput(text: string, outFile?: string): Promise<void> {
  if (outFile === undefined || outFile === '-') {
    await new Promise<void>((resolve, reject) => {
      process.stdout.write(text, (err) => (err ? reject(err) : resolve()));
    });
    return;
  }
  const dir = path.dirname(path.resolve(outFile));
  const tmp = path.join(dir, `.${path.basename(outFile)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await fs.writeFile(tmp, text, { flag: 'wx', mode: 0o644 });
    await fs.rename(tmp, outFile);
  } catch (e) {
    await fs.rm(tmp, { force: true }).catch(() => undefined);
    const code = (e as NodeJS.ErrnoException).code;
    throw new ExtractError('io_error', `cannot write ${outFile} (${code ?? (e as Error).message})`);
  }
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
 *  when any cross-check failed. */
export function strictStatus(file: string, doc: Document, strict: boolean | undefined): number {
  const failed = failedChecks(doc);
  if (!strict || failed === 0) return EXIT_OK;
  process.stderr.write(errorLine(file, 'checks_failed', `${failed} cross-check${failed === 1 ? '' : 's'} failed (--strict)`) + '\n');
  return EXIT_CHECKS_FAILED;
}

export function errorLine(file: string | null, code: string, message: string): string {
  return `${PROG}: ${file === null ? '' : `${file}: `}${message} [${code}]`;
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
