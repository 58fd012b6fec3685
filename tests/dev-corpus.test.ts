/** Cell-level comparison with ground truth over the generated disclosures copied into
 *  fixtures/ (the same comparison as ../shared/tools/score.mjs, run in-process). */
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPdf } from '../src/pdf/load.js';
import { extractDocument } from '../src/extract.js';
import { cellRecords, duplicateKeys } from '../src/output/csv.js';
import type { Document } from '../src/model.js';

const ROOT = path.resolve(import.meta.dirname, '..', 'fixtures');
const truthFiles = [ROOT, path.join(ROOT, 'dev')]
  .filter((d) => existsSync(d))
  .flatMap((d) => readdirSync(d).filter((f) => f.endsWith('.truth.json')).map((f) => path.join(d, f)));

interface TruthTable {
  id: string;
  number: string | null;
  title: string;
  pages: number[];
  unit: string;
  empty: boolean;
  rows: Array<{ key: string; side: string | null; values: Record<string, string> }>;
}

/** Printed figures compare as numbers written the same way: "0.00" = "0", "12.50" = "12.5". */
function canon(v: string | undefined): string | null {
  if (v === undefined) return null;
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(v.replace(/,/g, ''));
  if (!m) return null;
  const int = m[2]!.replace(/^0+(?=\d)/, '');
  const frac = (m[3] ?? '').replace(/0+$/, '');
  const out = frac ? `${int}.${frac}` : int;
  return m[1] && out !== '0' ? `-${out}` : out;
}

function compare(out: Document, tables: TruthTable[]) {
  const problems: string[] = [];
  let cells = 0;
  let exact = 0;
  const used = new Set<number>();
  for (const tt of tables) {
    const idx = out.tables.findIndex((t, i) => !used.has(i) && t.id === tt.id);
    if (idx < 0) {
      problems.push(`table ${tt.id} not found`);
      continue;
    }
    used.add(idx);
    const ot = out.tables[idx]!;
    if (JSON.stringify(ot.pages) !== JSON.stringify(tt.pages)) problems.push(`${tt.id} pages ${ot.pages} != ${tt.pages}`);
    if (ot.unit !== tt.unit) problems.push(`${tt.id} unit ${ot.unit}`);
    if (ot.number !== tt.number || ot.title !== tt.title) problems.push(`${tt.id} heading ${ot.number} ${ot.title}`);
    if (ot.empty !== tt.empty) problems.push(`${tt.id} empty ${ot.empty}`);
    const taken = new Set<number>();
    for (const tr of tt.rows) {
      const j = ot.rows.findIndex((r, i) => !taken.has(i) && r.key === tr.key && (r.side ?? null) === (tr.side ?? null));
      const n = Object.keys(tr.values).length;
      cells += n;
      if (j < 0) {
        if (n) problems.push(`${tt.id}: row ${tr.side ?? ''}|${tr.key} missing`);
        continue;
      }
      taken.add(j);
      const ov = ot.rows[j]!.values;
      for (const [f, v] of Object.entries(tr.values)) {
        if (canon(ov[f]) === canon(v)) exact++;
        else problems.push(`${tt.id}: ${tr.key}.${f} = ${ov[f]} (want ${v})`);
      }
      for (const [f, v] of Object.entries(ov)) {
        if (!(f in tr.values) && canon(v) !== '0') problems.push(`${tt.id}: ${tr.key}.${f} extra ${v}`);
      }
    }
    ot.rows.forEach((r, i) => {
      if (!taken.has(i) && Object.values(r.values).some((v) => canon(v) !== '0')) problems.push(`${tt.id}: extra row ${r.key}`);
    });
  }
  return { cells, exact, problems };
}

describe('dev corpus copies in fixtures/: every table, page and cell as the ground truth has it', () => {
  for (const tf of truthFiles) {
    const truth = JSON.parse(readFileSync(tf, 'utf8'));
    if (truth.expect !== 'ok') continue;
    it(`${truth.file}`, async () => {
      const pdf = path.join(path.dirname(tf), truth.file);
      const bytes = new Uint8Array(readFileSync(pdf));
      const out = extractDocument(await loadPdf(bytes), { file: truth.file, sha256: 'x' });
      const { cells, exact, problems } = compare(out, truth.tables);
      expect(problems.slice(0, 10)).toEqual([]);
      // The long format's key (file, table, page, side, row_key, field) is unique.
      expect(duplicateKeys(cellRecords(out))).toEqual([]);
      expect(exact).toBe(cells);
      // No table the truth does not list (other than `unknown`).
      const ids = new Set(truth.tables.map((t: TruthTable) => t.id));
      expect(out.tables.filter((t) => t.id !== 'unknown' && !ids.has(t.id)).map((t) => t.id)).toEqual([]);
      expect(out.document.department).toBe(truth.document.department);
      expect(out.document.fiscalYear).toBe(truth.document.fiscalYear);
      expect(out.document.kind).toBe(truth.document.kind);
      // Injected faults are flagged; clean files have no failed check.
      const fails = (out.checks ?? []).filter((c) => c.status === 'fail');
      if (truth.checks?.fail?.length) expect(fails.length).toBeGreaterThan(0);
      else expect(fails.map((c) => c.id)).toEqual([]);
    }, 120_000);
  }
});

describe('stream mode: the same tables when the page draws no ruling lines', () => {
  for (const name of ['huairen-gaj-2025', 'linquan-sfj-2025']) {
    it(`${name} without rules`, async () => {
      const tf = path.join(ROOT, `${name}.truth.json`);
      const truth = JSON.parse(readFileSync(tf, 'utf8'));
      const loaded = await loadPdf(new Uint8Array(readFileSync(path.join(ROOT, truth.file))));
      const bare = { ...loaded, pages: loaded.pages.map((p) => ({ ...p, hLines: [], vLines: [] })) };
      const { cells, exact, problems } = compare(extractDocument(bare, { file: truth.file, sha256: 'x' }, { only: 'tables' }), truth.tables);
      expect(problems.slice(0, 10)).toEqual([]);
      expect(exact).toBe(cells);
    }, 120_000);
  }
});
