/** Output names that stay inside --out-dir, are valid on Linux, macOS and Windows, and never
 *  collide (also not case-insensitively). */
import path from 'node:path';

const MAX_SEGMENT_BYTES = 150;
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i;

function truncateUtf8(s: string, max: number): string {
  if (Buffer.byteLength(s) <= max) return s;
  let out = '';
  let n = 0;
  for (const ch of s) {
    const b = Buffer.byteLength(ch);
    if (n + b > max) break;
    out += ch;
    n += b;
  }
  return out;
}

/** One path segment: no separators, control or reserved characters, no leading dot, not `.`/`..`. */
export function safeSegment(seg: string): string {
  let s = seg.normalize('NFC').replace(/[\u0000-\u001f\u007f"*/:<>?\\|]/g, '_');
  s = s.replace(/[. ]+$/, (m) => '_'.repeat(m.length)); // Windows drops trailing dots and spaces
  if (s.startsWith('.')) s = '_' + s.slice(1); // no hidden files, no `.`/`..`, none of our own dot files
  if (!s) s = '_';
  if (WINDOWS_RESERVED.test(s)) s = '_' + s;
  return truncateUtf8(s, MAX_SEGMENT_BYTES);
}

/** A relative output path ("county/dept") made safe: every segment sanitised, `..` and roots dropped. */
export function safeName(raw: string): string {
  const segs = raw
    .split(/[/\\]+/)
    .filter((s) => s && s !== '.' && s !== '..')
    .map(safeSegment);
  return segs.length ? segs.join('/') : '_';
}

/**
 * Safe, unique names for a list of raw names, in order: a name already taken (compared
 * case-insensitively, and including `reserved`) gets `~2`, `~3`, … before its extension is added.
 * Deterministic: the same list gives the same names.
 */
export function assignNames(raws: readonly string[], reserved: readonly string[] = []): string[] {
  const taken = new Set(reserved.map((r) => r.toLowerCase()));
  return raws.map((raw) => {
    const base = safeName(raw);
    let name = base;
    for (let i = 2; taken.has(name.toLowerCase()); i++) name = `${base}~${i}`;
    taken.add(name.toLowerCase());
    return name;
  });
}

/** Resolve NAME + EXT under DIR, refusing anything that would land outside it. */
export function outputPath(dir: string, name: string, ext: string): string {
  const root = path.resolve(dir);
  const p = path.resolve(root, name + ext);
  if (!p.startsWith(root + path.sep)) throw new Error(`output name escapes the output directory: ${name}`);
  return p;
}
