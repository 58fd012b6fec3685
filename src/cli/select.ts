/** The selection options `--pages 5-9,12` and `--table ID|表号`: parsed and checked here, before
 *  any file is read, so a bad one is a usage error (exit 2). Loaded by the supervising process:
 *  nothing heavy. */
import { InvalidArgumentError } from 'commander';
import { TABLE_DEFS } from '../tables/definitions.js';

/** More pages than any disclosure has; a range past it is a typo. */
const MAX_PAGE = 100_000;

/** `5-9,12` → [5, 6, 7, 8, 9, 12]: 1-based pages, ascending, each once. */
export function parsePages(spec: string): number[] {
  const pages = new Set<number>();
  for (const item of spec.split(',')) {
    const m = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(item);
    if (!m) throw new InvalidArgumentError(`"${item.trim()}" is not a page or a range of pages (e.g. 5-9,12)`);
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    if (from < 1) throw new InvalidArgumentError('pages are numbered from 1');
    if (to < from) throw new InvalidArgumentError(`the range ${from}-${to} ends before it starts`);
    if (to > MAX_PAGE) throw new InvalidArgumentError(`page ${to} is past any disclosure's length`);
    for (let p = from; p <= to; p++) pages.add(p);
  }
  return [...pages].sort((a, b) => a - b);
}

/** Table ids a `--table` can name: those of tables.md, and `unknown`. */
export const TABLE_IDS: readonly string[] = [...new Set(TABLE_DEFS.map((d) => d.id)), 'unknown'];

/** `--table`: a canonical id (checked against tables.md's), or a printed number (表3,
 *  公开03表, 3), kept as given. */
export function parseTableSelector(spec: string): string {
  const s = spec.trim();
  if (!s) throw new InvalidArgumentError('give a table id (e.g. budget_summary) or a printed number (e.g. 表3)');
  if (/^[a-z_]+$/.test(s) && !TABLE_IDS.includes(s)) {
    throw new InvalidArgumentError(`"${s}" is no table id of tables.md (${TABLE_IDS.join(', ')})`);
  }
  return s;
}
