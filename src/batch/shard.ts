/** `--shard K/N`: a deterministic split of the inputs over N machines. */
import { createHash } from 'node:crypto';

export interface Shard {
  /** 1-based: 1…n. */
  k: number;
  n: number;
}

export function parseShard(s: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(s);
  if (!m) throw new Error(`--shard must be K/N (e.g. 1/4), not "${s}"`);
  const k = Number(m[1]);
  const n = Number(m[2]);
  if (n < 1 || k < 1 || k > n) throw new Error(`--shard K/N needs 1 ≤ K ≤ N, not ${k}/${n}`);
  return { k, n };
}

/**
 * The shard (1…n) an input belongs to: the SHA-256 of its output name (the path relative to
 * the directory argument, or the file name; see names.ts), as a number, mod n, plus 1. It uses
 * the name, not the content, so a machine reads only the files of its own shard; every machine
 * must be given the same inputs (the names are assigned over the whole list).
 */
export function shardOf(name: string, n: number): number {
  const h = createHash('sha256').update(name, 'utf8').digest();
  return Number(h.readBigUInt64BE(0) % BigInt(n)) + 1;
}

export function inShard(name: string, shard: Shard | null | undefined): boolean {
  return !shard || shardOf(name, shard.n) === shard.k;
}
