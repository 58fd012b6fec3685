/** Every column layout the reader built over the 52 real disclosures (fixtures/header-paths.json,
 *  made by `node scripts/header-paths.mjs`, text only), replayed through the header → field
 *  mapping. The recorded fields were reviewed against tables.md's "Column headers → fields";
 *  a change to the vocabulary shows up here as a diff, and a header that means something the
 *  spec names may never fall back to `colN`. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findDef } from '../src/tables/definitions.js';
import { mapFields } from '../src/tables/fields.js';
import type { ColKind } from '../src/tables/columns.js';
import { compact } from '../src/pdf/normalize.js';
import { splitNumber } from '../src/tables/headings.js';

interface Entry {
  file: string;
  page: number;
  id: string;
  title: string;
  kinds: ColKind[];
  headers: string[];
  fields: (string | null)[];
}

const list: Entry[] = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'header-paths.json'), 'utf8'));

/** Headers that mean something no field id of tables.md covers: `colN` is right for them
 *  (the document's warnings name them). Reviewed one by one. */
const NO_ID: RegExp[] = [
  /单位预留机动经费$/, // a reserve line of Jiangsu budgets
  /^部门预算\/合计/, // the 部门预算 subtotal beside 总计 (Xi'an), no id
  /其中[:：](教育收费|经费拨款)/, // memo parts of 事业收入 / 财政拨款 with no id
  /^(当年预算|上年结转结余)\/因公出国（境）费\/(因公出国（境）费|科研因公出国（境）费用)$/, // 三公 sub-columns: transposed into rows of their own
  /^年预算数\/扣除中央基建投资后预算数$/, // a head garbled in the text layer (its year lost): ambiguous
  /^项目\/功能分类科目编码$/, // an empty template (no figures): the code column cannot be told from a figure column
];

const defOf = (e: Entry) => (e.id === 'unknown' ? null : findDef(compact(splitNumber(compact(e.title)).rest || e.title)) ?? findDef(compact(e.title)));

describe('header paths of the real corpus', () => {
  it('the list covers the real files', () => {
    expect(list.length).toBeGreaterThan(250);
    expect(new Set(list.map((e) => e.file)).size).toBeGreaterThan(35);
  });

  it('each recorded layout maps to its reviewed fields', () => {
    const diffs: string[] = [];
    for (const e of list) {
      const def = defOf(e);
      if (e.id !== 'unknown' && def?.id !== e.id) continue; // tables told apart by more than the title
      const got = mapFields(e.headers.map(() => ({ x0: 0, x1: 0 })), e.kinds, e.headers, def);
      if (JSON.stringify(got) !== JSON.stringify(e.fields)) diffs.push(`${e.file} p${e.page} ${e.id}: ${JSON.stringify(got)} != ${JSON.stringify(e.fields)}`);
    }
    expect(diffs).toEqual([]);
  });

  it('a header the spec names never falls back to colN', () => {
    const bad: string[] = [];
    for (const e of list) {
      if (e.id === 'unknown') continue;
      e.fields.forEach((f, i) => {
        if (f && /^col\d+$/.test(f) && !NO_ID.some((re) => re.test(e.headers[i] ?? ''))) bad.push(`${e.file} p${e.page} ${e.id}: ${e.headers[i]} → ${f}`);
      });
    }
    expect(bad).toEqual([]);
  });

  it('spec examples map as tables.md says', () => {
    const basic = findDef('一般公共预算基本支出表');
    const kinds: ColKind[] = ['code', 'label', 'amount', 'amount', 'amount'];
    const cols = kinds.map(() => ({ x0: 0, x1: 0 }));
    // 栏次 numbers are not part of a header; a spanning header restating the table names no field.
    expect(mapFields(cols, kinds, ['科目编码/**', '科目名称/**', '本年一般公共预算基本支出/合计/1', '本年一般公共预算基本支出/人员经费/2', '本年一般公共预算基本支出/公用经费/3'], basic)).toEqual([null, null, 'total', 'personnel', 'public_funds']);
    expect(mapFields(cols, kinds, ['类', '科目名称', '基本支出预算/小计', '基本支出预算/人员支出', '基本支出预算/日常公用支出'], basic)).toEqual([null, null, 'total', 'personnel', 'public_funds']);
    // In a table with project columns, 基本支出/小计 is basic.
    const k6: ColKind[] = ['code', 'label', 'amount', 'amount', 'amount', 'amount', 'amount'];
    expect(mapFields(k6.map(() => ({ x0: 0, x1: 0 })), k6, ['科目编码', '科目名称', '合计', '基本支出/小计', '基本支出/人员经费', '基本支出/公用经费', '项目支出'], findDef('一般公共预算支出表'))).toEqual([null, null, 'total', 'basic', 'personnel', 'public_funds', 'project']);
    // Columns under 上年结转 are carryover_<field>; under 当年预算 plain.
    const k5: ColKind[] = ['label', 'amount', 'amount', 'amount', 'amount', 'amount'];
    expect(mapFields(k5.map(() => ({ x0: 0, x1: 0 })), k5, ['科目名称', '合计', '当年预算/小计', '当年预算/基本支出', '上年结转结余/小计', '上年结转结余/基本支出'], findDef('支出总表'))).toEqual([null, 'total', 'current_year', 'basic', 'carryover', 'carryover_basic']);
    // 财政专户 split into 教育收费 and 其他专户收入拨款; 财政拨款/合计 beside 总计.
    const k4: ColKind[] = ['label', 'amount', 'amount', 'amount', 'amount', 'amount'];
    expect(mapFields(k4.map(() => ({ x0: 0, x1: 0 })), k4, ['单位名称', '总计', '财政拨款/合计', '财政拨款/一般公共预算', '财政专户拨款收入/教育收费', '财政专户拨款收入/其他专户收入拨款'], findDef('收入总表'))).toEqual([null, 'total', 'fiscal_total', 'general_budget', 'special_account_tuition', 'special_account_other']);
  });
});
