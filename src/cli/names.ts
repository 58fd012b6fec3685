/** File names and text for a terminal: control characters escaped, names that are not UTF-8
 *  read from the raw command line. */
import { readFileSync } from 'node:fs';

const CONTROL_RE = /[\u0000-\u001f\u007f-\u009f]/g;
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** Control characters (C0, DEL, C1: newlines, ESC, BEL, CSI …) as `\n`, `\r`, `\t` or `\xNN`,
 *  so that a file name or PDF text printed on a terminal stays one line and can't drive it. */
export function escapeControls(s: string): string {
  return s.replace(CONTROL_RE, (c) => NAMED[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** Escape the control characters of every string in a plain-data value (for terminal output). */
export function escapeDeep<T>(v: T): T {
  if (typeof v === 'string') return escapeControls(v) as T;
  if (Array.isArray(v)) return v.map(escapeDeep) as T;
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = escapeDeep(x);
    return out as T;
  }
  return v;
}

/** Bytes as text: valid UTF-8 decoded, every other byte as `\xNN`. */
export function displayBytes(b: Uint8Array): string {
  let out = '';
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    let n = 0;
    if (c < 0x80) n = 1;
    else if (c >= 0xc2 && c <= 0xdf) n = 2;
    else if (c >= 0xe0 && c <= 0xef) n = 3;
    else if (c >= 0xf0 && c <= 0xf4) n = 4;
    let ok = n > 0 && i + n <= b.length;
    for (let k = 1; ok && k < n; k++) ok = (b[i + k]! & 0xc0) === 0x80;
    if (ok && n === 3) {
      const d = b[i + 1]!;
      ok = !(c === 0xe0 && d < 0xa0) && !(c === 0xed && d >= 0xa0);
    } else if (ok && n === 4) {
      const d = b[i + 1]!;
      ok = !(c === 0xf0 && d < 0x90) && !(c === 0xf4 && d >= 0x90);
    }
    if (ok) {
      out += Buffer.from(b.subarray(i, i + n)).toString('utf8');
      i += n;
    } else {
      out += `\\x${c.toString(16).padStart(2, '0')}`;
      i++;
    }
  }
  return out;
}

/** Environment variable through which a supervising process hands its raw arguments on. */
export const RAW_ARGS_ENV = 'BUDGET_EXTRACT_RAW_ARGS';

let rawCache: Buffer[] | null | undefined;

/** The raw bytes of the command-line arguments after the script (Linux: /proc/self/cmdline),
 *  or null when they can't be known. */
export function rawUserArgs(): Buffer[] | null {
  if (rawCache !== undefined) return rawCache;
  rawCache = null;
  const env = process.env[RAW_ARGS_ENV];
  if (env !== undefined) {
    rawCache = env ? env.split(',').map((h) => Buffer.from(h, 'hex')) : [];
    return rawCache;
  }
  try {
    const all = readFileSync('/proc/self/cmdline');
    const parts: Buffer[] = [];
    let start = 0;
    for (let i = 0; i < all.length; i++) {
      if (all[i] === 0) {
        parts.push(all.subarray(start, i));
        start = i + 1;
      }
    }
    const n = process.argv.length - 2;
    if (n >= 0 && parts.length >= n) rawCache = parts.slice(parts.length - n);
  } catch {
    rawCache = null;
  }
  return rawCache;
}

export interface PathArg {
  /** What to open: the string, or the raw bytes of a name that is not UTF-8. */
  path: string | Buffer;
  /** How to show it (`source.file`, error lines): invalid bytes as `\xNN`. */
  display: string;
}

/** A path argument as given. Node decodes arguments as UTF-8, turning bytes that are not into
 *  U+FFFD: such a name is taken from the raw command line instead. */
export function pathArg(arg: string): PathArg {
  if (!arg.includes('\ufffd')) return { path: arg, display: arg };
  const raw = rawUserArgs()?.find((b) => b.toString('utf8') === arg && !b.equals(Buffer.from(arg, 'utf8')));
  return raw ? { path: raw, display: displayBytes(raw) } : { path: arg, display: arg };
}
