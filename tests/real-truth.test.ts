/** The hand-verified truth for the core tables of 15 published disclosures
 *  (../shared/corpus/realtruth, never copied into the repo), compared cell by cell as
 *  ../shared/tools/score.mjs does: a figure under the wrong table, row key or field counts as
 *  missing, a different figure as wrong. Guards what the reader reaches on real layouts.
 *  Skipped, saying so, when the folder is absent (a fresh clone without ../shared). */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPdf } from '../src/pdf/load.js';
import { extractDocument } from '../src/extract.js';
// @ts-expect-error plain JavaScript (scripts/), no declarations
import { basicVsProject, publicSecurity, threePublic } from '../scripts/recipes.mjs';
import { csvRecords, truthBasicProject, truthPublicSecurity, truthThreePublic, type TruthTable as RecipeTruthTable } from './helpers/recipe-truth.js';
import type { Table } from '../src/model.js';

const DIR = path.resolve(import.meta.dirname, '..', '..', 'shared', 'corpus', 'realtruth');
const present = existsSync(DIR) && readdirSync(DIR).some((f) => f.endsWith('.truth.json'));
if (!present) console.warn(`real-truth tests skipped: ${DIR} not found`);

/** The share of truth cells read exactly (the bar; today 6975/6975). */
const MIN_EXACT = 0.995;

type TruthTable = RecipeTruthTable & { pages: number[] };

/** As score.mjs: thousands separators and trailing zeros do not matter, the value does. */
function canon(v: string | undefined): string | null {
  if (v === undefined || v === null) return null;
  let s = String(v).replace(/[,\s]/g, '');
  if (!/^-?\d+(\.\d+)?$/.test(s)) return null;
  const neg = s.startsWith('-');
  if (neg) s = s.slice(1);
  let [i = '', f = ''] = s.split('.');
  i = i.replace(/^0+(?=\d)/, '');
  f = f.replace(/0+$/, '');
  const out = f ? `${i}.${f}` : i;
  return neg && out !== '0' ? `-${out}` : out;
}
const norm = (s: string | null | undefined) => String(s ?? '').replace(/\s+/g, '');

function compareTable(tt: TruthTable, ot: Table | undefined, tally: { cells: number; exact: number; wrong: number; extra: number }, notes: string[]): void {
  const rows = (ot?.rows ?? []).map((r) => ({ r, k: `${r.side ?? ''}|${norm(r.key)}` }));
  const taken = new Set<number>();
  for (const tr of tt.rows) {
    const k = `${tr.side ?? ''}|${norm(tr.key)}`;
    const j = rows.findIndex((x, i) => !taken.has(i) && x.k === k);
    if (j >= 0) taken.add(j);
    const got = j >= 0 ? rows[j]!.r.values : {};
    for (const [f, v] of Object.entries(tr.values ?? {})) {
      tally.cells++;
      const g = canon(got[f]);
      if (g === canon(v)) tally.exact++;
      else if (g !== null) {
        tally.wrong++;
        notes.push(`${tt.id} ${k}.${f} = ${got[f]} (want ${v})`);
      } else notes.push(`${tt.id} ${k}.${f} missing`);
    }
    if (j >= 0) for (const [f, v] of Object.entries(got)) if (!(f in (tr.values ?? {})) && canon(v) !== null && canon(v) !== '0') tally.extra++;
  }
  rows.forEach((x, i) => {
    if (!taken.has(i)) tally.extra += Object.values(x.r.values).filter((v) => canon(v) !== null && canon(v) !== '0').length;
  });
}

describe.skipIf(!present)('hand-verified real tables (../shared/corpus/realtruth)', () => {
  const tally = { cells: 0, exact: 0, wrong: 0, extra: 0, tables: 0, found: 0 };
  const recipe = { printed: 0, answered: 0, threePublic: 0, basicProject: 0 };
  const files = present ? readdirSync(DIR).filter((f) => f.endsWith('.truth.json')).sort() : [];
  for (const f of files) {
    it(f.replace('.truth.json', ''), async () => {
      const truth = JSON.parse(readFileSync(path.join(DIR, f), 'utf8'));
      const pdf = path.join(DIR, truth.file);
      const out = extractDocument(await loadPdf(new Uint8Array(readFileSync(pdf))), { file: pdf, sha256: 'x' });
      const used = new Set<Table>();
      const notes: string[] = [];
      for (const tt of truth.tables as TruthTable[]) {
        tally.tables++;
        // Same id printed twice: the one sharing most pages with the truth.
        const overlap = (t: Table) => t.pages.filter((p) => tt.pages.includes(p)).length;
        const ot = out.tables.filter((t) => t.id === tt.id && !used.has(t)).sort((a, b) => overlap(b) - overlap(a))[0];
        if (ot) {
          used.add(ot);
          tally.found++;
        }
        compareTable(tt, ot, tally, notes);
      }
      // No figure is ever different from the printed one, whatever else is missed.
      expect(notes.filter((n) => !n.endsWith('missing'))).toEqual([]);
      // The README's 公共安全支出 recipe over the long format gives the truth's figure (issue 11).
      const want = truthPublicSecurity(truth.tables);
      const got = publicSecurity(csvRecords(out)).get(pdf);
      if (want !== undefined && want !== null) {
        recipe.printed++;
        expect(canon(got?.value), 'recipe 公共安全支出').toBe(want);
        recipe.answered++;
      } else if (want === null) expect(canon(got?.value) ?? null, 'recipe 公共安全支出 (printed blank)').toBe(null);
      const records = csvRecords(out);
      const t3 = truthThreePublic(truth.tables);
      if (t3) {
        expect(canon(threePublic(records).get(pdf)?.value), 'recipe 三公').toBe(t3);
        recipe.threePublic++;
      }
      const bp = truthBasicProject(truth.tables);
      if (bp?.basic && bp.project) {
        const g = basicVsProject(records).get(pdf);
        expect({ basic: canon(g?.basic), project: canon(g?.project) }, 'recipe basic/project').toEqual(bp);
        recipe.basicProject++;
      }
    }, 180_000);
  }
  it(`reads at least ${MIN_EXACT * 100}% of the truth cells exactly, none wrong, every table found`, () => {
    expect(tally.cells).toBeGreaterThan(6000);
    // beijing-gaj, guangzhou, shenzhen-gaj, xian-rsj and zhuhai print a 公共安全 figure in their 收支总表.
    expect(recipe).toEqual({ printed: 5, answered: 5, threePublic: 12, basicProject: 12 });
    expect(tally.wrong).toBe(0);
    expect(tally.found).toBe(tally.tables);
    expect(tally.exact / tally.cells).toBeGreaterThanOrEqual(MIN_EXACT);
    expect(tally.extra / tally.cells).toBeLessThanOrEqual(0.005);
  });
});
