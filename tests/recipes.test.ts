/** The README's recipes (scripts/recipes.mjs, the same filters as its DuckDB and pandas
 *  queries) run over `batch --csv` output of the sample disclosures, against their truth. The
 *  same recipes over ../shared/corpus/realtruth are in tests/real-truth.test.ts. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain JavaScript (scripts/), no declarations
import { basicVsProject, publicSecurity, readCells, threePublic } from '../scripts/recipes.mjs';
import { canon, truthBasicProject, truthPublicSecurity, truthThreePublic } from './helpers/recipe-truth.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const FILES = ['fixtures/huairen-gaj-2025.pdf', 'fixtures/dev/changle-jyj-2024.pdf', 'fixtures/dev/qingyuan-mzj-2025.pdf'];
const tmp = mkdtempSync(path.join(os.tmpdir(), 'be-recipes-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const truthOf = (pdf: string) => JSON.parse(readFileSync(path.join(ROOT, pdf.replace(/\.pdf$/, '.truth.json')), 'utf8')).tables;

describe('recipes over batch --csv output', () => {
  it('公共安全支出 (类 204), 三公 and basic vs project of every file equal the truth', async () => {
    const csv = path.join(tmp, 'cells.csv');
    const r = spawnSync(path.join(ROOT, 'bin', 'budget-extract'), ['batch', ...FILES, '--csv', csv, '--jobs', '1', '--only', 'tables'], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const records = await readCells(csv);
    const ps = publicSecurity(records);
    const tp = threePublic(records);
    const bp = basicVsProject(records);
    let answered = 0;
    for (const f of FILES) {
      const truth = truthOf(f);
      const want = truthPublicSecurity(truth);
      if (want !== undefined) {
        expect(canon(ps.get(f)?.value), `${f} 公共安全支出`).toBe(want);
        if (want !== null) answered++;
      }
      const t3 = truthThreePublic(truth);
      if (t3 !== undefined) expect(canon(tp.get(f)?.value), `${f} 三公`).toBe(t3);
      const b = truthBasicProject(truth);
      if (b) expect({ basic: canon(bp.get(f)?.basic), project: canon(bp.get(f)?.project) }, `${f} basic/project`).toEqual(b);
    }
    // huairen prints 公共安全支出 in its 收支总表 (8304.96 万元).
    expect(ps.get(FILES[0])).toMatchObject({ value: '8304.96', value_yuan: '83049600', unit: '万元' });
    expect(answered).toBeGreaterThanOrEqual(1);
  }, 300_000);
});
