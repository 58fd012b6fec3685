/** `--only tables|targets|narrative`: one part of the document, with its identity. */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..');
const run = (...args: string[]) =>
  JSON.parse(execFileSync(path.join(ROOT, 'bin', 'budget-extract'), [path.join(ROOT, 'fixtures', 'huairen-gaj-2025.pdf'), ...args], { encoding: 'utf8' }));

describe('--only', () => {
  it('targets: the 16 绩效目标表 and no tables or checks', () => {
    const d = run('--only', 'targets');
    expect(d.tables).toEqual([]);
    expect(d.checks).toBeUndefined();
    expect(d.performanceTargets).toHaveLength(16);
    expect(d.document.department).toBe('怀仁市公安局');
  });
  it('narrative: the 情况说明 figures and the 概况', () => {
    const d = run('--only', 'narrative');
    expect(d.tables).toEqual([]);
    expect(d.performanceTargets).toBeUndefined();
    const income = d.narrative.find((n: { key: string }) => n.key === 'incomeTotal');
    expect(income.value).toBe('9230.50');
    expect(d.overview.staffing).toBeTruthy();
  });
  it('tables: the 13 tables and no other part', () => {
    const d = run('--only', 'tables');
    expect(d.tables).toHaveLength(13);
    expect(d.narrative).toBeUndefined();
    expect(d.checks).toBeUndefined();
  });
});
