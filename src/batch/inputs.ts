/** Batch inputs: files, directories (searched recursively for *.pdf) and @lists, each with the
 *  name its output gets. */
import fs from 'node:fs/promises';
import path from 'node:path';
import { assignNames } from './names.js';

export interface BatchInput {
  /** The path as given (or as found under a directory argument); it becomes `source.file`. */
  file: string;
  /** The output name relative to --out-dir, without extension; unique in the whole input list. */
  name: string;
}

/** An argument that cannot be expanded (an unreadable @list): a usage problem, not a per-file error. */
export class InputError extends Error {
  override name = 'InputError';
}

interface Raw {
  file: string;
  /** Name before sanitising: the path relative to the directory argument, or the file name. */
  raw: string;
}

const PDF_RE = /\.pdf$/i;

function stripPdf(p: string): string {
  return p.replace(PDF_RE, '');
}

async function walk(root: string, dir: string, seen: Set<string>, out: Raw[]): Promise<void> {
  let real: string;
  try {
    real = await fs.realpath(dir);
  } catch {
    return;
  }
  if (seen.has(real)) return; // a symlink loop
  seen.add(real);
  let entries: import('node:fs').Dirent[];
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  // Code-point order of the names: the same on every machine and locale.
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const p = path.join(dir, e.name);
    let isDir = e.isDirectory();
    let isFile = e.isFile();
    if (e.isSymbolicLink()) {
      const st = await fs.stat(p).catch(() => null);
      isDir = !!st?.isDirectory();
      isFile = !!st?.isFile();
    }
    if (isDir) await walk(root, p, seen, out);
    else if (isFile && PDF_RE.test(e.name)) out.push({ file: p, raw: stripPdf(path.relative(root, p)) });
  }
}

async function readList(arg: string, stdin: () => Promise<string>): Promise<string[]> {
  const src = arg.slice(1);
  let text: string;
  try {
    text = src === '-' ? await stdin() : await fs.readFile(src, 'utf8');
  } catch (e) {
    throw new InputError(`cannot read the list ${src} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  // Lines as written: a name may begin or end with spaces, or with `#`. Only a trailing CR
  // (CRLF lists), empty lines and comments — `#` alone or followed by a space — are dropped.
  return text
    .replace(/^\ufeff/, '')
    .split('\n')
    .map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l))
    .filter((l) => l !== '' && !/^#(\s|$)/.test(l));
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function expandPath(p: string, out: Raw[], seen: Set<string>): Promise<void> {
  const st = await fs.stat(p).catch(() => null);
  if (st?.isDirectory()) await walk(p, p, seen, out);
  // A file, or something missing or unreadable: the batch reports it with its code.
  else out.push({ file: p, raw: stripPdf(path.basename(p)) });
}

/**
 * Expand the arguments, in order: a directory gives its *.pdf files (recursively, sorted by
 * path), `@list.txt` the paths listed one per line, as written (empty lines and `# ` comments
 * skipped;
 * `@-` reads the list from stdin; relative paths are relative to the working directory),
 * anything else is taken as a file. The same file reached twice is kept once. Names are
 * assigned over the whole list (see names.ts), so they are the same whichever shard runs.
 */
export async function expandInputs(args: readonly string[], reserved: readonly string[] = [], stdin = readStdin): Promise<BatchInput[]> {
  const raws: Raw[] = [];
  const seen = new Set<string>();
  for (const arg of args) {
    if (arg.startsWith('@') && arg.length > 1) {
      for (const p of await readList(arg, stdin)) await expandPath(p, raws, seen);
    } else await expandPath(arg, raws, seen);
  }
  const unique: Raw[] = [];
  const files = new Set<string>();
  for (const r of raws) {
    const key = path.resolve(r.file);
    if (files.has(key)) continue;
    files.add(key);
    unique.push(r);
  }
  const names = assignNames(
    unique.map((r) => r.raw),
    reserved,
  );
  return unique.map((r, i) => ({ file: r.file, name: names[i]! }));
}
