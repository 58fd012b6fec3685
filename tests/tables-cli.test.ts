/** `budget-extract tables FILE [--explain]` (issue 12): one line per table; why headings were
 *  or were not taken, why core tables are absent, each column's header path and rule. */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';

// Each case spawns the CLI (a file read in full, at times several times): on a loaded 2-core
// machine that passes the suite's 60 s.
vi.setConfig({ testTimeout: 300_000 });

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = path.join(ROOT, 'bin', 'budget-extract');
const SAMPLE = 'fixtures/huairen-gaj-2025.pdf';
const REAL = path.resolve(ROOT, '..', 'shared', 'corpus', 'real', 'beijing-gaj-2026-budget-tables.pdf');

function run(args: string[]): SpawnSyncReturns<string> {
  return spawnSync(BIN, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 26, timeout: 120_000 });
}
function ok(args: string[]): string[] {
  const r = run(args);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return r.stdout.trimEnd().split('\n');
}

describe('budget-extract tables', () => {
  it('lists every table of the sample on a line: number, printed number, id, pages, unit, rows, quality, title', () => {
    const lines = ok(['tables', SAMPLE]);
    expect(lines[0]).toBe(`${SAMPLE}: 怀仁市公安局 2025 budget; 13 tables, 44 pages`);
    expect(lines).toHaveLength(14);
    expect(lines[1]!.split(/\s{2,}/)).toEqual(['1', '预算公开表1', 'budget_summary', 'p6-7', '万元', '41 rows', 'ok', '2025年预算收支总表']);
    expect(lines[7]!.split(/\s{2,}/)).toEqual(['7', '-', 'gov_fund_income', 'p15', '万元', '0 rows (empty)', 'ok', '2025年政府性基金预算收入表（不含上年结转）']);
  });

  it('--explain: headings taken and not (目录, section), and each column with its header path and rule', () => {
    const text = ok(['tables', SAMPLE, '--explain']).join('\n');
    expect(text).toContain('  p6:2 + 预算公开表1 — taken: budget_summary\n');
    expect(text).toContain('  p15:1 + 2025年政府性基金预算收入表（不含上年结转） — taken: gov_fund_income (empty)\n');
    expect(text).toMatch(/ {2}p2:10 - 表五2025年一般公共预算支出预算表（不含上年结转）\.+10 \[general_budget_expenditure\] — on a 目录 page\n/);
    expect(text).toContain('  p6:1 - 第二部分2025年部门预算报表 — a section heading: it ends the tables before it\n');
    expect(text).toContain('Core tables absent:\n  (none)\n');
    expect(text).toContain('Columns of budget_summary (预算公开表1), p6, ruled:\n   1 label  收入/项目\n   2 amount 收入/2025年 → amount (the only figure column of a side)\n');
    expect(text).toContain('   5 amount 支出/当年预算安排 → current_year (header rule of budget_summary)\n');
    expect(text).toContain('   4 amount 2025年预算数/人员经费 → personnel (shared header rule (tables.md))\n');
    expect(text).toContain('Columns of budget_summary (预算公开表1), p7, ruled, header of the page before:\n');
  });

  it('--explain says why a core table is absent: no line matches its title, or only a 目录 line does', () => {
    const without = ok(['tables', SAMPLE, '--pages', '6-16', '--explain']).join('\n');
    expect(without).toMatch(/Core tables absent:\n {2}three_public: no line matched its title \(tables\.md\)\n\n/);
    const toc = ok(['tables', SAMPLE, '--pages', '2,6-16', '--explain']).join('\n');
    expect(toc).toMatch(/Core tables absent:\n {2}three_public: p2 "表十2025年财政拨款安排“三公”经费支出预算表\.+14": on a 目录 page\n/);
  });

  it('errors are the main command\'s: one coded line', () => {
    const r = run(['tables', 'fixtures/nonesuch.pdf']);
    expect(r.status).toBe(10);
    expect(r.stderr).toBe('budget-extract: fixtures/nonesuch.pdf: no such file [not_found]\n');
  });

  it.skipIf(!existsSync(REAL))('a real file (../shared/corpus/real, beijing-gaj-2026-budget-tables.pdf): tables and the 绩效目标表 that end them', () => {
    if (!existsSync(REAL)) return;
    const text = ok(['tables', REAL, '--explain']).join('\n');
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/: 北京市公安局 2026 budget; 10 tables, 32 pages$/);
    expect(lines[10]!.split(/\s{2,}/)).toEqual(['10', '预算10表', 'government_procurement', 'p16', '万元', '4 rows', 'ok', '政府采购预算明细表']);
    expect(text).toContain('  p17:1 - 预算11表项目支出绩效目标表 — a section heading: it ends the tables before it\n');
    expect((text.match(/^Columns of /gm) ?? []).length).toBeGreaterThanOrEqual(10);
  });
});
if (!existsSync(REAL)) console.warn(`tables-cli: ${REAL} absent (no ../shared): the real-file case is skipped`);
