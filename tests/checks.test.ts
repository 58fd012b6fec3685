/**
 * The cross-check engine against the dev corpus' ground truth (copies in fixtures/truth/): what a
 * perfect parser outputs. Clean files give no `fail`; injected faults do, naming their tables; the
 * seed's real discrepancies are rounding / warnings; single-cell misreads are caught.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { runChecks, summarize, type CheckContext } from '../src/checks/index.js';
import { formatReport } from '../src/checks/report.js';
import { CheckResult, type Table } from '../src/model.js';

const DIR = fileURLToPath(new URL('../fixtures/truth/', import.meta.url));

interface Truth {
  file: string;
  tables: (Omit<Table, 'columns' | 'rows'> & { rows: Omit<Table['rows'][number], 'level' | 'page'>[] })[];
  narrative?: CheckContext['narrative'];
  performanceTargets?: CheckContext['performanceTargets'];
  checks: { fail: string[]; failDetail?: { table: string; row: string; field: string }[] };
}

function load(name: string): Truth {
  return JSON.parse(readFileSync(DIR + name + '.truth.json', 'utf8')) as Truth;
}

/** Truth tables → the parser's Table shape (rows get the table's first page; no column list). */
function tablesOf(t: Truth): Table[] {
  return t.tables.map((x) => ({
    ...x,
    columns: [],
    rows: x.rows.map((r) => ({ level: null, page: x.pages[0] ?? 1, ...r })),
  })) as Table[];
}

function check(t: Truth, withCtx = true): CheckResult[] {
  return runChecks(tablesOf(t), withCtx ? { narrative: t.narrative, performanceTargets: t.performanceTargets } : {});
}

const names = readdirSync(DIR).filter((f) => f.endsWith('.truth.json')).map((f) => f.replace(/\.truth\.json$/, '')).sort();
const clean = names.filter((n) => !load(n).checks.fail.length);
const faulty = names.filter((n) => load(n).checks.fail.length);

const tablesIn = (c: CheckResult) => new Set([...c.refs.left, ...c.refs.right].map((r) => r.table.replace(/#\d+$/, '')));

describe('clean dev files', () => {
  it('has the fixtures', () => {
    expect(clean.length).toBeGreaterThanOrEqual(10);
    expect(faulty).toEqual(['pingchuan-zjj-2025', 'yunxi-fy-2025']);
  });

  it.each(clean)('%s: no check fails, results follow the schema', (name) => {
    const res = check(load(name));
    const fails = res.filter((c) => c.status === 'fail');
    expect(fails.map((c) => `${c.id}: ${c.message}`)).toEqual([]);
    for (const c of res) expect(() => CheckResult.parse(c)).not.toThrow();
    expect(new Set(res.map((c) => c.id)).size).toBe(res.length);
    const s = summarize(res);
    expect(s.pass + s.rounding).toBeGreaterThan(200);
  });

  it.each(clean)('%s: no fail without narrative or performance targets either', (name) => {
    expect(check(load(name), false).filter((c) => c.status === 'fail')).toEqual([]);
  });
});

describe('injected faults', () => {
  it('pingchuan-zjj-2025: the 212 row of expenditure_summary and the narrative 基本支出', () => {
    const res = check(load('pingchuan-zjj-2025'));
    const fails = res.filter((c) => c.status === 'fail');
    // 类 212 above the sum of its 款 (H), against budget_summary (B9), the 合计 row (H)
    expect(fails.some((c) => c.rule === 'H' && c.refs.left.some((r) => r.table === 'expenditure_summary' && r.row === '212'))).toBe(true);
    expect(fails.some((c) => c.rule === 'B9' && tablesIn(c).has('expenditure_summary') && tablesIn(c).has('budget_summary'))).toBe(true);
    expect(fails.some((c) => c.id === 'H:expenditure_summary:合计.total')).toBe(true);
    // narrative 基本支出 3444.42 vs expenditure_summary 合计.basic 3394.42 (and Y5's, the same)
    const n = fails.find((c) => c.id === 'N:basicExpenditure');
    expect(n).toBeDefined();
    expect(tablesIn(n!)).toEqual(new Set(['narrative', 'expenditure_summary']));
    expect([n!.left, n!.right, n!.difference]).toEqual(['3444.42', '3394.42', '50.00']);
  });

  it('yunxi-fy-2025: 三公 vehicle row, agency_operating, the 业务装备经费 performance target', () => {
    const res = check(load('yunxi-fy-2025'));
    const fails = res.filter((c) => c.status === 'fail');
    const b19 = fails.find((c) => c.id === 'B19:three_public:公务用车购置及运行费=购置+运行.total');
    expect(b19).toBeDefined();
    expect([b19!.left, b19!.right]).toEqual(['45.50', '44.00']);
    // agency_operating 10% above 公用经费: the narrative's 机关运行经费 disagrees with the table
    expect(fails.some((c) => tablesIn(c).has('agency_operating'))).toBe(true);
    expect(res.find((c) => c.id === 'B24:agency_operating')?.status).toBe('warning');
    // 年度资金总额 57500 元 vs the project's 5.23 万元
    const p1 = fails.find((c) => c.id === 'P1:2025年业务装备经费');
    expect(p1).toBeDefined();
    expect(tablesIn(p1!)).toEqual(new Set(['performance_target', 'project_expenditure']));
    expect(p1!.unit).toBe('万元');
  });

  it('every injection is a fail naming its table (failDetail)', () => {
    for (const name of faulty) {
      const t = load(name);
      const fails = check(t).filter((c) => c.status === 'fail');
      for (const d of t.checks.failDetail ?? []) {
        expect(fails.some((c) => tablesIn(c).has(d.table)), `${name}: ${d.table}`).toBe(true);
      }
    }
  });
});

describe('huairen-gaj-2025 (the seed)', () => {
  const res = check(load('huairen-gaj-2025'));
  it('has no fail', () => {
    expect(res.filter((c) => c.status === 'fail')).toEqual([]);
  });
  it('工资福利支出 3374.08 against its rows 3374.09 is rounding', () => {
    const c = res.find((x) => x.id === 'H:general_budget_basic:工资福利支出.total')!;
    expect(c.status).toBe('rounding');
    expect([c.left, c.right, c.difference, c.tolerance]).toEqual(['3374.08', '3374.09', '-0.01', '0.08']); // 16 rows × 0.005
    expect(c.refs.left[0]).toMatchObject({ table: 'general_budget_basic', row: '工资福利支出', field: 'total', page: 14 });
  });
  it('8304.96 against 8190.02 + 114.95 is rounding', () => {
    const c = res.find((x) => x.left === '8304.96' && x.right === '8304.97')!;
    expect(c).toBeDefined();
    expect(c.status).toBe('rounding');
    expect([c.difference, c.tolerance]).toEqual(['-0.01', '0.01']);
  });
  it('the 2025年省级政法转移支付资金 target: 实施期 and 年度 sources disagree, as a warning', () => {
    const w = res.filter((c) => c.status === 'warning' && c.id.startsWith('P1:2025年省级政法转移支付资金'));
    expect(w.map((c) => c.id).sort()).toEqual([
      'P1:2025年省级政法转移支付资金:period.local=annual.local',
      'P1:2025年省级政法转移支付资金:period.provincial=annual.provincial',
    ]);
  });
  it('the three targets named differently from their project are matched approximately or skipped, never failed', () => {
    const p1 = res.filter((c) => c.rule === 'P1' && !c.id.includes(':period') && !c.id.includes('Σ'));
    expect(p1.filter((c) => c.status === 'skipped').length).toBeLessThanOrEqual(3);
    expect(p1.filter((c) => c.status === 'pass').length).toBeGreaterThanOrEqual(13);
  });
});

describe('rules', () => {
  it('skips, never fails, when tables are missing', () => {
    const t = load('huairen-gaj-2025');
    const keep = new Set(['budget_summary', 'general_budget_expenditure', 'three_public']);
    const res = runChecks(tablesOf(t).filter((x) => keep.has(x.id)), { narrative: t.narrative });
    expect(res.filter((c) => c.status === 'fail')).toEqual([]);
    const skippedIds = res.filter((c) => c.status === 'skipped').map((c) => c.id);
    expect(skippedIds).toEqual(expect.arrayContaining(['B6:income_summary', 'B8:expenditure_summary', 'B7:total', 'B15:basic', 'N:projectExpenditure']));
    // the narrative's 基本支出 is confirmed by Y5 when Y3 is missing; its 项目支出 (with 上年结转) is not
    expect(res.find((c) => c.id === 'N:basicExpenditure')?.status).toBe('pass');
    expect(res.find((c) => c.id === 'B22:general_budget')?.status).toMatch(/pass|rounding/);
  });

  it('compares across units exactly (元 table against 万元 tables)', () => {
    const t = load('huairen-gaj-2025');
    const tables = tablesOf(t).map((x) =>
      x.id !== 'income_summary'
        ? x
        : {
            ...x,
            unit: '元' as const,
            rows: x.rows.map((r) => ({ ...r, values: Object.fromEntries(Object.entries(r.values).map(([k, v]) => [k, new Decimal(v).times(10000).toFixed(2)])) })),
          },
    );
    const res = runChecks(tables, {});
    // (its own 0.01 万元 rounding gaps become 100 元 gaps inside the scaled table: only cross-table rules count here)
    expect(res.filter((c) => c.status === 'fail' && tablesIn(c).size > 1)).toEqual([]);
    const b7 = res.find((c) => c.id === 'B7:general_budget')!;
    expect(b7).toMatchObject({ status: 'pass', unit: '万元', left: '9115.55', right: '9115.55' });
    // a 1 元 misread in the 元 table is within the 万元 figure's rounding (±0.01 万元 across units); 200 元 is not
    const bump = (d: string) =>
      runChecks(tables.map((x) => (x.id === 'income_summary' ? { ...x, rows: x.rows.map((r, i) => (i === 0 ? { ...r, values: { ...r.values, general_budget: new Decimal(r.values.general_budget!).plus(d).toFixed(2) } } : r)) } : x)), {}).find((c) => c.id === 'B7:general_budget')!.status;
    expect(bump('1')).toBe('rounding');
    expect(bump('200')).toBe('fail');
  });

  it('narrative in 万元 against tables in 元 (ningyuan-czj-2024)', () => {
    const res = check(load('ningyuan-czj-2024'));
    const n = res.filter((c) => c.rule === 'N' && c.status !== 'skipped');
    expect(n.length).toBeGreaterThan(15);
    expect(n.every((c) => c.status === 'pass' || c.status === 'rounding')).toBe(true);
    expect(res.find((c) => c.id === 'N:incomeTotal')).toMatchObject({ unit: '万元', left: '3618.63' });
  });

  it('compares a narrative figure in the unit its sentence states, units printed (changchun: 支出1682.76元 for 1682.76万元)', () => {
    const t = load('huairen-gaj-2025');
    const res = runChecks(tablesOf(t), { narrative: { unit: '元', expenditureTotal: '9230.50' } as CheckContext['narrative'] });
    const n = res.find((c) => c.id === 'N:expenditureTotal')!;
    expect(n).toMatchObject({ status: 'fail', unit: '元', left: '9230.50', right: '92305000.00' });
    expect(n.message).toMatch(/^narrative expenditureTotal 9230\.50 元 ≠ budget_summary 支出总计\.total 9230\.50 万元 \(= 92305000\.00 元\) \(p\d+\), diff 92295769\.50 元 > tol [\d.]+ 元$/);
  });

  it('treats an empty 本表无数据 table as zeros and a figure against it as a fail', () => {
    const t = load('anping-wjj-2025');
    const tables = tablesOf(t).map((x) =>
      x.id !== 'fiscal_summary' ? x : { ...x, rows: x.rows.map((r) => (r.side === 'expenditure' && r.key === '本年支出合计' ? { ...r, values: { ...r.values, gov_fund: '12.00' } } : r)) },
    );
    const res = runChecks(tables, {});
    const b13 = res.find((c) => c.id === 'B13:gov_fund')!;
    expect(b13.status).toBe('fail');
    expect(b13.refs.right[0]).toMatchObject({ table: 'gov_fund_expenditure', row: null });
  });
});

describe('formatReport', () => {
  const res = check(load('yunxi-fy-2025'));
  it('lists failures, then warnings, then rounding, then the counts; no colour unless asked', () => {
    const text = formatReport(res, { color: false });
    const lines = text.trimEnd().split('\n');
    const kinds = lines.filter((l) => / (FAIL|WARN|ROUNDING) /.test(l)).map((l) => / (FAIL|WARN|ROUNDING) /.exec(l)![1]);
    expect(kinds.indexOf('WARN')).toBeGreaterThan(kinds.lastIndexOf('FAIL'));
    expect(kinds.indexOf('ROUNDING')).toBeGreaterThan(kinds.lastIndexOf('WARN'));
    expect(text).not.toMatch(/\u001b\[/);
    const s = summarize(res);
    expect(lines.at(-1)).toBe(`checks: ${s.fail} fail, ${s.warning} warning, ${s.rounding} rounding, ${s.pass} pass, ${s.skipped} skipped`);
    expect(text).toContain(
      'B19:three_public:公务用车购置及运行费=购置+运行.total FAIL three_public 公务用车购置及运行费.total 45.50 万元 (p16) ≠ three_public 公务用车购置费.total 38.00 万元 (p16) + three_public 公务用车运行维护费.total 6.00 万元 (p16) = 44.00 万元, diff 1.50 万元 > tol 0.01 万元',
    );
    expect(text).toContain('N:agencyOperating FAIL narrative agencyOperating 183.53 万元 ≠ agency_operating 合计.total 201.88 万元 (p17), diff 18.35 万元 > tol 0.005 万元');
  });
  it('prints a failure the way the issue shows it', () => {
    const t = load('huairen-gaj-2025');
    const tables = tablesOf(t).map((x) =>
      x.id !== 'budget_summary' ? x : { ...x, pages: [6, 7], rows: x.rows.map((r) => (r.key === '一般公共预算' ? { ...r, page: 6, values: { amount: '9115.56' } } : r)) },
    );
    const text = formatReport(runChecks(tables, {}), { color: false });
    expect(text.split('\n')).toContain(
      'B7:general_budget FAIL income_summary 合计.general_budget 9115.55 万元 (p8) ≠ budget_summary 一般公共预算.amount 9115.56 万元 (p6), diff 0.01 万元 > tol 0.005 万元',
    );
  });
  it('colours when asked', () => {
    expect(formatReport(res, { color: true })).toMatch(/\u001b\[31m\u001b\[1mFAIL/);
  });
});

/**
 * The checks as a safety net: change one parsed cell at a time (±1.00 in the table's unit, and
 * separately a swap of two adjacent digits) over a deterministic sample of every clean file's cells
 * and count the misreads that make some check fail.
 */
describe('single-cell misreads', () => {
  const PER_FILE = 30;

  function sample<T>(xs: T[], n: number, seed: number): T[] {
    let s = seed;
    const rnd = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
    return xs.map((x) => [rnd(), x] as const).sort((a, b) => a[0] - b[0]).slice(0, n).map((p) => p[1]);
  }

  function perturb(kind: 'plus-minus-1' | 'swap-digits'): { tried: number; caught: number; missed: string[] } {
    let tried = 0;
    let caught = 0;
    const missed: string[] = [];
    for (const name of clean) {
      const t = load(name);
      const tables = tablesOf(t);
      const cells: [number, number, string][] = [];
      tables.forEach((tb, ti) => tb.rows.forEach((r, ri) => Object.keys(r.values).forEach((k) => cells.push([ti, ri, k]))));
      sample(cells, PER_FILE, 7 + name.length).forEach(([ti, ri, k], i) => {
        const row = tables[ti]!.rows[ri]!;
        const orig = row.values[k]!;
        let next: string | null;
        if (kind === 'plus-minus-1') {
          const d = new Decimal(orig);
          const places = orig.includes('.') ? orig.split('.')[1]!.length : 0;
          next = (i % 2 === 0 || d.lt(1) ? d.plus(1) : d.minus(1)).toFixed(places);
        } else {
          const ds = orig.split('');
          const at: number[] = [];
          for (let j = 0; j + 1 < ds.length; j++) if (/\d/.test(ds[j]!) && /\d/.test(ds[j + 1]!) && ds[j] !== ds[j + 1]) at.push(j);
          if (!at.length) return;
          const j = at[i % at.length]!;
          [ds[j], ds[j + 1]] = [ds[j + 1]!, ds[j]!];
          next = ds.join('').replace(/^0+(?=\d)/, '');
        }
        row.values[k] = next;
        const failed = runChecks(tables, { narrative: t.narrative, performanceTargets: t.performanceTargets }).some((c) => c.status === 'fail');
        row.values[k] = orig;
        tried++;
        if (failed) caught++;
        else missed.push(`${name} ${tables[ti]!.id} ${row.key}.${k} ${orig}→${next}`);
      });
    }
    return { tried, caught, missed };
  }

  it('catches at least 98% of ±1.00 misreads', () => {
    const r = perturb('plus-minus-1');
    const pct = (100 * r.caught) / r.tried;
    console.log(`perturbation ±1.00: ${r.caught}/${r.tried} single-cell misreads make a check fail (${pct.toFixed(2)}%)${r.missed.length ? `; missed: ${r.missed.slice(0, 10).join('; ')}` : ''}`);
    expect(r.tried).toBeGreaterThanOrEqual(PER_FILE * clean.length);
    expect(pct).toBeGreaterThanOrEqual(98);
    // Several hundred check runs: minutes on a loaded 2-core machine.
  }, 300_000);

  it('catches at least 98% of swapped-digit misreads', () => {
    const r = perturb('swap-digits');
    const pct = (100 * r.caught) / r.tried;
    console.log(`perturbation swapped digits: ${r.caught}/${r.tried} single-cell misreads make a check fail (${pct.toFixed(2)}%)${r.missed.length ? `; missed: ${r.missed.slice(0, 10).join('; ')}` : ''}`);
    expect(pct).toBeGreaterThanOrEqual(98);
  }, 300_000);
});
