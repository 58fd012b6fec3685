/** The 52 published disclosures in ../shared/corpus/real (never copied into the repo): every
 *  file with a text layer gives a valid document, the scanned one is refused, and the core
 *  tables and cross-checks reach the levels the project promises. Skipped, saying so, when the
 *  folder is absent (a fresh clone without ../shared). */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPdf } from '../src/pdf/load.js';
import { extractDocument } from '../src/extract.js';
import { Document } from '../src/model.js';
import { ExtractError } from '../src/errors.js';
import { checkTable, tableLabels } from '../src/quality.js';
import { cellRecords, duplicateKeys } from '../src/output/csv.js';
import { toXml } from '../src/output/xml.js';
import { xsdValidator } from './helpers/xsd.js';

const DIR = path.resolve(import.meta.dirname, '..', '..', 'shared', 'corpus', 'real');
const present = existsSync(path.join(DIR, 'MANIFEST.tsv'));
if (!present) console.warn(`real-corpus tests skipped: ${DIR} not found`);

const CORE: Record<string, string[]> = {
  budget: ['budget_summary', 'income_summary', 'expenditure_summary', 'fiscal_summary', 'general_budget_expenditure', 'general_budget_basic', 'three_public'],
  final_accounts: ['final_summary', 'final_income', 'final_expenditure', 'final_fiscal_summary', 'final_general_budget_expenditure', 'final_general_budget_basic', 'final_three_public'],
};

interface Entry {
  file: string;
  text_layer: string;
  kind: string;
  notes: string;
}

function manifest(): Entry[] {
  const [header, ...lines] = readFileSync(path.join(DIR, 'MANIFEST.tsv'), 'utf8').trim().split('\n');
  const cols = header!.split('\t');
  return lines.map((l) => Object.fromEntries(l.split('\t').map((v, i) => [cols[i], v])) as unknown as Entry);
}

/** Every colN, key-less row and skipped check of a table is in its quality block and in the
 *  warnings; a table that is ok has none of them (issue 10). */
function expectQualityComplete(out: Document): void {
  const labels = tableLabels(out.tables);
  out.tables.forEach((t, i) => {
    const label = labels[i]!;
    const q = t.quality!;
    expect(q, label).toBeDefined();
    const problems = q.problems;
    const colN = [...new Set(t.rows.flatMap((r) => Object.keys(r.values)).filter((f) => /^col\d+$/.test(f)))];
    const keyless = t.rows.filter((r) => r.key === '' || /^#\d+$/.test(r.key)).map((r) => r.key);
    const skipped = (out.checks ?? []).filter((c) => c.status === 'skipped' && checkTable(c) === label).map((c) => c.id);
    for (const f of colN) expect(problems.some((p) => (p.code === 'unmapped_column' || p.code === 'column_numbers') && p.field === f), `${label} ${f}`).toBe(true);
    for (const k of keyless) expect(problems.some((p) => (p.code === 'row_without_key' || p.code === 'column_numbers') && p.row === k), `${label} row ${k}`).toBe(true);
    expect(problems.filter((p) => p.code === 'check_skipped').map((p) => p.check), label).toEqual(skipped);
    for (const p of problems) expect(out.warnings.some((w) => w.table === label && w.message === p.message && w.page === p.page), p.message).toBe(true);
    if (q.status === 'ok') expect([colN, keyless, skipped], label).toEqual([[], [], []]);
  });
}

/** A unit's name ends like an organisation; no 功能分类 类 name does (they end in 支出, 预备费…). */
const UNIT_NAME_RE = /(局|委员会|委|办公室|办公厅|中心|院|所|站|队|厅|政府|街道|镇|乡|学校|大学)$/;

/** Issue 11: a 预算单位 code (xian-kjj's 204 西安市科学技术局) never reads as a 功能分类 类, and
 *  every code says where it comes from. */
function expectCodesMeant(out: Document): void {
  for (const t of out.tables) {
    for (const r of t.rows) {
      if (r.code_kind === 'function' && r.code?.length === 3) expect(r.name, `${t.id} ${r.key}`).not.toMatch(UNIT_NAME_RE);
      expect(r.code_source ?? null, `${t.id} ${r.key}`).toBe(r.code ? (r.code_source ?? 'missing') : null);
      if (r.code_source === 'catalogue') expect(r.code_kind, `${t.id} ${r.key}`).toMatch(/^(function|economic|gov_economic)$/);
    }
  }
}

describe.skipIf(!present)('real disclosures (../shared/corpus/real)', () => {
  const totals = { core: 0, found: 0, held: 0, failed: 0 };
  const entries = present ? manifest().filter((e) => e.kind !== 'other') : [];
  for (const e of entries) {
    it(e.file, async () => {
      const bytes = new Uint8Array(readFileSync(path.join(DIR, e.file)));
      if (e.text_layer === 'no') {
        await expect((async () => extractDocument(await loadPdf(bytes), { file: e.file, sha256: 'x' }))()).rejects.toMatchObject({
          code: 'no_text_layer',
        } satisfies Partial<ExtractError>);
        return;
      }
      const out = extractDocument(await loadPdf(bytes), { file: e.file, sha256: 'x' });
      expect(Document.safeParse(out).success).toBe(true);
      const core = /^(narrative part|说明 part)/.test(e.notes) ? [] : (CORE[e.kind] ?? []);
      const ids = new Set(out.tables.map((t) => t.id));
      totals.core += core.length;
      totals.found += core.filter((id) => ids.has(id)).length;
      expectQualityComplete(out);
      expectCodesMeant(out);
      // The long format's key is unique; the XML is the XSD's (issue 11).
      expect(duplicateKeys(cellRecords(out))).toEqual([]);
      const validate = await xsdValidator();
      if (validate) expect(await validate(toXml(out))).toEqual([]);
      for (const c of out.checks ?? []) {
        if (c.status === 'pass' || c.status === 'rounding') totals.held++;
        else if (c.status === 'fail') totals.failed++;
      }
    }, 180_000);
  }
  it('finds at least 90% of the core tables and 97% of evaluated checks hold', () => {
    expect(totals.core).toBeGreaterThan(0);
    expect(totals.found / totals.core).toBeGreaterThanOrEqual(0.9);
    expect(totals.held / (totals.held + totals.failed)).toBeGreaterThanOrEqual(0.97);
  });
});
