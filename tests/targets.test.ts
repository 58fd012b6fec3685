/** 绩效目标表: the bundled disclosures against their truth, and hand-built forms for the
 *  geometry rules (merged cells, carried-down labels, a row split by a page break). */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadPdf } from '../src/pdf/load.js';
import type { PageData, Segment, TextRun } from '../src/pdf/types.js';
import { extractPerformanceTargets } from '../src/targets/extract.js';
import { buildCells } from '../src/targets/cells.js';
import { PerformanceTarget as PerformanceTargetSchema } from '../src/model.js';

const FIX = new URL('../fixtures/', import.meta.url);

async function targetsOf(name: string) {
  const doc = await loadPdf(new Uint8Array(readFileSync(new URL(`${name}.pdf`, FIX))));
  const truth = JSON.parse(readFileSync(new URL(`${name}.truth.json`, FIX), 'utf8'));
  return { got: extractPerformanceTargets(doc.pages), want: truth.performanceTargets as Array<Record<string, unknown>> };
}

describe('performance targets of the bundled disclosures', () => {
  it('huairen-gaj-2025: all 16 forms, every field as the truth has it', async () => {
    const { got, want } = await targetsOf('huairen-gaj-2025');
    expect(got.map((t) => t.project)).toEqual(want.map((t) => t.project));
    got.forEach((t, i) => {
      expect(t).toMatchObject(want[i]!);
      expect(t.unit).toBe('元');
      expect(PerformanceTargetSchema.safeParse(t).success).toBe(true);
    });
    // The form whose halves disagree keeps both as printed.
    const p = got.find((t) => t.project === '2025年省级政法转移支付资金')!;
    expect(p.funds.period).toMatchObject({ total: '2100000', local: '2100000', provincial: '0' });
    expect(p.funds.annual).toMatchObject({ total: '2100000', local: '0', provincial: '2100000' });
  });

  it('huairen-gaj-2025 without its rulings: every form still found, by its text alone', async () => {
    const doc = await loadPdf(new Uint8Array(readFileSync(new URL('huairen-gaj-2025.pdf', FIX))));
    const want = JSON.parse(readFileSync(new URL('huairen-gaj-2025.truth.json', FIX), 'utf8')).performanceTargets as Array<{
      project: string;
      funds: { annual: { total: string } };
    }>;
    const bare = doc.pages.map((p) => ({ ...p, hLines: [], vLines: [] }));
    const got = extractPerformanceTargets(bare);
    expect(got.map((t) => [t.project, t.funds.annual?.total])).toEqual(want.map((t) => [t.project, t.funds.annual.total]));
    // Most indicator rows survive too.
    const first = got[0]!.indicators.annual.map((r) => r.level3);
    expect(first).toContain('退休人员满意度');
  });

  it('linquan-sfj-2025: forms running over two pages are one target each', async () => {
    const { got, want } = await targetsOf('linquan-sfj-2025');
    expect(got).toHaveLength(want.length);
    got.forEach((t, i) => expect(t).toMatchObject(want[i]!));
    expect(got.map((t) => t.pages)).toEqual([
      [28, 29],
      [30, 31],
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
// Hand-built pages: a grid of ruled cells with text.

interface CellSpec {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
  lines?: string[];
}

function page(index: number, cells: CellSpec[], extraRuns: TextRun[] = []): PageData {
  const hLines: Segment[] = [];
  const vLines: Segment[] = [];
  const runs: TextRun[] = [...extraRuns];
  for (const c of cells) {
    hLines.push({ x1: c.x0, y1: c.y0, x2: c.x1, y2: c.y0 }, { x1: c.x0, y1: c.y1, x2: c.x1, y2: c.y1 });
    vLines.push({ x1: c.x0, y1: c.y0, x2: c.x0, y2: c.y1 }, { x1: c.x1, y1: c.y0, x2: c.x1, y2: c.y1 });
    (c.lines ?? []).forEach((t, i) => runs.push({ text: t, x: c.x0 + 2, y: c.y0 + 12 * (i + 1), w: 10 * [...t].length, size: 10, font: 'f' }));
  }
  return { index, width: 595, height: 842, rotate: 0, runs, hLines, vLines };
}

/** A row of cells at [y0, y1] with the given x edges and texts ('' = empty cell, null = merged into the left). */
function row(y0: number, y1: number, xs: number[], texts: Array<string | string[] | null>): CellSpec[] {
  const out: CellSpec[] = [];
  texts.forEach((t, i) => {
    if (t === null) {
      out[out.length - 1]!.x1 = xs[i + 1]!;
      return;
    }
    out.push({ x0: xs[i]!, x1: xs[i + 1]!, y0, y1, lines: typeof t === 'string' ? (t ? [t] : []) : t });
  });
  return out;
}

describe('card-form geometry', () => {
  const X = [40, 120, 220, 320, 420, 560];

  it('joins wrapped cell text and splits a run that crosses a cell border', () => {
    const p = page(1, [...row(100, 130, X, [['保证项目实', '施的制度、措施'], '严格执行', null, null, null])]);
    p.runs.push({ text: 'AB', x: 200, y: 150, w: 40, size: 10, font: 'f' });
    p.hLines.push({ x1: 40, y1: 160, x2: 560, y2: 160 });
    p.vLines.push({ x1: 40, y1: 130, x2: 40, y2: 160 }, { x1: 220, y1: 130, x2: 220, y2: 160 }, { x1: 560, y1: 130, x2: 560, y2: 160 });
    const cells = buildCells(p);
    expect(cells.find((c) => c.x0 === 40 && c.y0 === 100)!.text).toBe('保证项目实施的制度、措施');
    expect(cells.find((c) => c.x0 === 40 && c.y0 === 130)!.text).toBe('A');
    expect(cells.find((c) => c.x0 === 220 && c.y0 === 130)!.text).toBe('B');
  });

  it('reads a one-half form over two pages: merged and carried-down labels, a row cut by the page break', () => {
    const p1 = page(
      1,
      [
        ...row(100, 120, X, ['项目名称', '社区服务中心运营', null, null, null]),
        ...row(120, 140, X, ['主管部门', '101-某某局', null, '实施单位', '某某中心']),
        ...row(140, 160, X, ['项目属性', '延续性项目', null, '项目周期', '3年']),
        { x0: 40, x1: 120, y0: 160, y1: 220, lines: ['项目资金', '（万元）'] },
        ...row(160, 180, X.slice(1), ['资金总额', '1,234.50', null, null]),
        ...row(180, 200, X.slice(1), ['其中：财政拨款', '1,000.00', null, null]),
        ...row(200, 220, X.slice(1), ['其他资金', '-', null, null]),
        ...row(220, 240, X, ['年度目标', '按期完成运营', null, null, null]),
        ...row(240, 260, X, ['一级指标', '二级指标', '三级指标', '指标值', '']),
        { x0: 40, x1: 120, y0: 260, y1: 300, lines: ['产出指标'] },
        ...row(260, 280, X.slice(1), ['数量指标', '受益人数', '100人', '']),
        ...row(280, 300, X.slice(1), ['', '覆盖率', '≥95%', '']),
        ...row(300, 320, X, ['满意度指', ['服务对象满'], '满意度', '≥90%', '']),
      ],
      [{ text: '项目支出绩效目标表', x: 200, y: 80, w: 90, size: 10, font: 'f' }],
    );
    const p2 = page(2, [...row(40, 60, X, ['标', '意度', '', '', '']), ...row(60, 80, X, ['填报人：', '', '', '', ''])]);
    const [t, ...rest] = extractPerformanceTargets([p1, p2]);
    expect(rest).toEqual([]);
    expect(t).toMatchObject({
      project: '社区服务中心运营',
      department: '101-某某局',
      implementer: '某某中心',
      attribute: '延续性项目',
      period: '3年',
      unit: '万元',
      funds: { period: null, annual: { total: '1234.50', fiscal: '1000.00', other: '0' } },
      goals: { period: null, annual: '按期完成运营' },
      indicators: {
        period: [],
        annual: [
          { level1: '产出指标', level2: '数量指标', level3: '受益人数', value: '100人' },
          { level1: '产出指标', level2: '数量指标', level3: '覆盖率', value: '≥95%' },
          { level1: '满意度指标', level2: '服务对象满意度', level3: '满意度', value: '≥90%' },
        ],
      },
      pages: [1, 2],
    });
  });

  it('starts a new target at every 项目名称 and leaves an unrelated table on the next page alone', () => {
    const form = (y: number, name: string) => [
      ...row(y, y + 20, X, ['项目名称', name, null, null, null]),
      ...row(y + 20, y + 40, X.slice(1), ['年度资金总额：', '500', null, null]),
    ];
    const p1 = page(1, [...form(100, '甲项目'), ...form(300, '乙项目')]);
    const p2 = page(2, [...row(400, 420, [40, 300, 560], ['合计', '9'])], [{ text: '表十三 政府采购预算表', x: 200, y: 380, w: 100, size: 10, font: 'f' }]);
    const got = extractPerformanceTargets([p1, p2]);
    expect(got.map((t) => [t.project, t.funds.annual?.total, t.pages])).toEqual([
      ['甲项目', '500', [1]],
      ['乙项目', '500', [1]],
    ]);
  });
});
