/** A comparison (./index.ts) as CSV (one line per side-by-side figure, its D18 status beside it)
 *  or as a report a person reads: the D18 mismatches first, then the budget against the outturn
 *  table by table. */
import { BOM, csvLine, csvText } from '../output/csv.js';
import type { Comparison, SideBySide } from './index.js';

export const COMPARE_CSV_COLUMNS = [
  'table', 'budget_table', 'row', 'name', 'field', 'unit', 'budget', 'final_budget', 'final', 'difference', 'rate', 'budget_page', 'final_page', 'd18',
] as const;

/** The D18 status of a line, by the check id compareDocuments gives it. */
function d18(c: Comparison, r: SideBySide): string {
  return c.checks.find((x) => x.id === `D18:${r.table}:${r.row}.${r.field}`)?.status ?? '';
}

export function compareCsv(c: Comparison, opts: { bom?: boolean } = {}): string {
  const lines = [csvLine([...COMPARE_CSV_COLUMNS])];
  for (const r of c.rows) {
    lines.push(
      csvLine([
        csvText(r.table), csvText(r.budgetTable), csvText(r.row), csvText(r.name), csvText(r.field), csvText(r.unit),
        r.budget, r.finalBudget, r.final, r.difference, r.rate, r.budgetPage, r.finalPage, d18(c, r),
      ]),
    );
  }
  return (opts.bom ? BOM : '') + lines.join('');
}

const width = (s: string) => [...s].reduce((w, ch) => w + (/[\u1100-\uffff]/.test(ch) ? 2 : 1), 0);
/** s cut to n display columns (a CJK character takes two) and padded to them. */
function pad(s: string, n: number): string {
  let out = '';
  for (const ch of s) {
    if (width(out + ch) > n - 1) break;
    out += ch;
  }
  return out + ' '.repeat(n - width(out));
}

export function compareText(c: Comparison): string {
  const who = (d: Comparison['budget']) => `${d.file} (${d.department ?? '?'} ${d.fiscalYear ?? '?'})`;
  const out = [`预算 ${who(c.budget)}`, `决算 ${who(c.final)}`, ''];
  const bad = c.checks.filter((x) => x.status === 'fail' || x.status === 'warning');
  out.push(bad.length ? `D18: the 决算's 预算数 differs from the budget in ${bad.length} place${bad.length === 1 ? '' : 's'}:` : `D18: every 预算数 the 决算 prints equals the budget's (${c.checks.length} compared)`);
  for (const x of bad) out.push(`  ${x.id} ${x.status.toUpperCase()} ${x.message}`);
  let table = '';
  for (const r of c.rows) {
    if (r.table !== table) {
      table = r.table;
      out.push('', `${r.table} ← ${r.budgetTable}${r.unit ? ` (${r.unit})` : ''}`, `  ${pad('row', 34)}${pad('field', 14)}${'预算'.padStart(12)}${'决算'.padStart(12)}${'差额'.padStart(12)}${'执行率'.padStart(9)}`);
    }
    const plan = r.finalBudget ?? r.budget ?? '';
    out.push(`  ${pad(/^\d+$/.test(r.row) ? `${r.row} ${r.name}` : r.name, 34)}${pad(r.field, 14)}${plan.padStart(14)}${(r.final ?? '').padStart(14)}${(r.difference ?? '').padStart(14)}${(r.rate ? `${r.rate}%` : '').padStart(10)}`);
  }
  out.push('', `checks: ${Object.entries(c.summary).map(([k, v]) => `${k} ${v}`).join(', ')}; ${c.rows.length} figures side by side`);
  return out.join('\n') + '\n';
}
