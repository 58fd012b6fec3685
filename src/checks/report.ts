/**
 * The human report of `budget-extract check`: failures first, then warnings, then rounding
 * differences, one line each that a reader can verify against the PDF (both figures with their
 * pages, the difference and the tolerance), then the counts. Colour only when asked.
 */
import type { CheckResult } from '../model.js';
import { summarize } from './index.js';

export interface ReportOptions {
  color: boolean;
  /** also list passing checks (default false) */
  verbose?: boolean;
}

const ANSI = { red: '\u001b[31m', yellow: '\u001b[33m', cyan: '\u001b[36m', green: '\u001b[32m', dim: '\u001b[2m', bold: '\u001b[1m', reset: '\u001b[0m' };

const LABEL: Record<CheckResult['status'], string> = {
  fail: 'FAIL',
  warning: 'WARN',
  rounding: 'ROUNDING',
  pass: 'ok',
  skipped: 'skipped',
};
const COLOR: Record<CheckResult['status'], string> = {
  fail: ANSI.red,
  warning: ANSI.yellow,
  rounding: ANSI.cyan,
  pass: ANSI.green,
  skipped: ANSI.dim,
};

/** One line: id, status, the comparison with figures and pages, diff and tolerance. */
export function formatLine(c: CheckResult, color = false): string {
  const status = LABEL[c.status];
  const st = color ? `${COLOR[c.status]}${ANSI.bold}${status}${ANSI.reset}` : status;
  let msg = c.message.replace(/\s+/g, ' ').trim();
  if (c.difference !== null && c.tolerance !== null && !/diff /.test(msg) && c.status !== 'pass') {
    msg += `, diff ${c.difference.replace(/^-/, '')} (tol ${c.tolerance})`;
  }
  return `${c.id} ${st} ${msg}`;
}

export function formatReport(checks: CheckResult[], opts: ReportOptions = { color: false }): string {
  const lines: string[] = [];
  const order: CheckResult['status'][] = ['fail', 'warning', 'rounding', ...(opts.verbose ? (['pass', 'skipped'] as const) : [])];
  for (const status of order) {
    const group = checks.filter((c) => c.status === status);
    for (const c of group) lines.push(formatLine(c, opts.color));
  }
  const s = summarize(checks);
  const counts = `checks: ${s.fail} fail, ${s.warning} warning, ${s.rounding} rounding, ${s.pass} pass, ${s.skipped} skipped`;
  if (lines.length) lines.push('');
  lines.push(opts.color ? `${ANSI.bold}${s.fail ? ANSI.red : ANSI.green}${counts}${ANSI.reset}` : counts);
  return lines.join('\n') + '\n';
}
