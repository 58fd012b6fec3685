/** The national catalogue of 政府收支分类科目 类 and 款 (function.json, economic.json,
 *  gov_economic.json): gives a row printed by name only (a 收支总表's `四、公共安全支出`) the
 *  code its name means. Names of every edition 2020–2026 and the older names they replaced
 *  (aliases) all map to their code: the codes did not change with the renamings. */
import { createRequire } from 'node:module';
import { z } from 'zod';
import type { CodeKind } from '../model.js';

const Entry = z.object({
  code: z.string().regex(/^\d{3}(\d{2})?$/),
  name: z.string(),
  aliases: z.array(z.object({ name: z.string(), until: z.number().int().optional() })).optional(),
});
const Catalogue = z.object({ classification: z.string(), source: z.string(), entries: z.array(Entry) });
export type CatalogueEntry = z.infer<typeof Entry>;

export type CatalogueKind = 'function' | 'economic' | 'gov_economic';
export const CATALOGUE_KINDS: CatalogueKind[] = ['function', 'economic', 'gov_economic'];

// JSON data beside this module (copied to dist by tsc); require() reads it without the
// experimental-feature warning an `import … with { type: 'json' }` prints on Node 20.
const load = createRequire(import.meta.url);
const DATA: Record<CatalogueKind, CatalogueEntry[]> = {
  function: Catalogue.parse(load('./function.json')).entries,
  economic: Catalogue.parse(load('./economic.json')).entries,
  gov_economic: Catalogue.parse(load('./gov_economic.json')).entries,
};

export function catalogueEntries(kind: CatalogueKind): CatalogueEntry[] {
  return DATA[kind];
}

/** A name as compared: ordinal prefixes, 其中, spaces and a closing 支出 (`公共安全` is
 *  printed for `公共安全支出`) dropped; ASCII brackets as full-width. */
export function catalogueName(name: string): string {
  const k = name
    .replace(/\s+/g, '')
    .replace(/^其中[:：]?/, '')
    .replace(/^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）][、.]?|\d+[.．、](?!\d))/, '')
    .replace(/\(/g, '（')
    .replace(/\)/g, '）');
  return k.replace(/支出$/, '');
}

const INDEX = new Map<CatalogueKind, Map<string, string[]>>();

function index(kind: CatalogueKind): Map<string, string[]> {
  let m = INDEX.get(kind);
  if (m) return m;
  m = new Map();
  for (const e of DATA[kind]) {
    for (const n of new Set([e.name, ...(e.aliases ?? []).map((a) => a.name)].map(catalogueName))) {
      m.set(n, [...(m.get(n) ?? []), e.code]);
    }
  }
  INDEX.set(kind, m);
  return m;
}

/** A 类 name cut at its cell's edge (`文化旅游` for 文化旅游体育与传媒支出): the 类 whose
 *  name it begins, when it is at least 4 characters long and begins only one. */
function truncated(kind: CatalogueKind, key: string): string[] {
  if (key.length < 4) return [];
  const hits = [...index(kind)].filter(([n, codes]) => n.startsWith(key) && codes.some((c) => c.length === 3));
  const codes = [...new Set(hits.flatMap(([, cs]) => cs.filter((c) => c.length === 3)))];
  return codes.length === 1 ? codes : [];
}

/** The code a printed name means in a catalogue: the one code of that name, or among several
 *  (款 names repeat across 类: 超长期特别国债安排的支出) the one under `parent` (the 类 of the
 *  rows above). Null when the name is not in the catalogue or stays ambiguous. */
export function codeForName(kind: CodeKind, name: string, parent: string | null = null): string | null {
  if (!(CATALOGUE_KINDS as string[]).includes(kind)) return null;
  const key = catalogueName(name);
  const codes = index(kind as CatalogueKind).get(key) ?? truncated(kind as CatalogueKind, key);
  if (codes.length === 1) return codes[0]!;
  const under = parent ? codes.filter((c) => c.length > parent.length && c.startsWith(parent)) : [];
  if (under.length === 1) return under[0]!;
  // The 类 itself wins over its namesake 款 (其他支出 229 vs 22999) unless the 类 above has one.
  const top = codes.filter((c) => c.length === 3);
  return !under.length && top.length === 1 ? top[0]! : null;
}
