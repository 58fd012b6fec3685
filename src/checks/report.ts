/**
 * The human report of `budget-extract check`: failures first, then warnings, then rounding
 * differences, one line each that a reader can verify against the PDF (both figures with their
 * pages, the difference and the tolerance), then the counts. Colour only when asked.
 */
import type { CheckResult, Document, QualityProblem, Table } from '../model.js';
import { CORE_TABLES, checkTable, skipReason, tableLabels } from '../quality.js';
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

// ---- the whole report of a document ------------------------------------------------------------

/** A table as printed: `表7 三公经费表 (three_public, p16)`; pages as a range. */
export function tableName(t: Pick<Table, 'number' | 'title' | 'pages'>, label: string): string {
  const p = t.pages.length ? (t.pages.length > 1 ? `p${t.pages[0]}–${t.pages.at(-1)}` : `p${t.pages[0]}`) : null;
  const printed = [t.number, t.title].filter(Boolean).join(' ');
  return `${printed ? `${printed} ` : ''}(${label}${p ? `, ${p}` : ''})`;
}

const PROBLEM_NOUN: Record<QualityProblem['code'], [string, string]> = {
  unmapped_column: ['unmapped column', 'unmapped columns'],
  row_without_key: ['row without a key', 'rows without a key'],
  column_numbers: ['栏次/行次 read as figures', '栏次/行次 read as figures'],
  field_outside_contract: ['field outside the contract', 'fields outside the contract'],
  field_repeated: ['field repeated across blocks', 'fields repeated across blocks'],
  no_values: ['no figure read', 'no figure read'],
  figures_lost: ['group of figures lost', 'groups of figures lost'],
  check_skipped: ['check skipped', 'checks skipped'],
};

/**
 * The report of `budget-extract check`: failures (each naming its tables as printed, and saying
 * when a table is degraded: likely misread by us rather than printed that way), then the tables
 * whose reading has problems, then the skipped checks grouped by reason (counts; each with
 * verbose), then warnings, rounding differences and the document's warnings, the core tables
 * absent, and the counts last.
 */
export function formatDocumentReport(doc: Document, opts: ReportOptions = { color: false }): string {
  const checks = doc.checks ?? [];
  const labels = tableLabels(doc.tables);
  const byLabel = new Map(doc.tables.map((t, i) => [labels[i]!, t]));
  const c = (color: string, s: string) => (opts.color ? `${color}${s}${ANSI.reset}` : s);
  const lines: string[] = [];
  const section = (title: string) => {
    if (lines.length) lines.push('');
    lines.push(opts.color ? `${ANSI.bold}${title}${ANSI.reset}` : title);
  };
  /** The tables a check compares, as printed; and which of them are not read cleanly. */
  const where = (r: CheckResult): string | null => {
    const ls = [...new Set([...r.refs.left, ...r.refs.right].map((x) => x.table))];
    const own = checkTable(r);
    if (own && byLabel.has(own) && !ls.includes(own)) ls.unshift(own);
    const named = ls.filter((l) => byLabel.has(l));
    if (!named.length) return null;
    const bad = named.filter((l) => byLabel.get(l)!.quality && byLabel.get(l)!.quality!.status !== 'ok');
    const text = `  in ${named.map((l) => tableName(byLabel.get(l)!, l)).join('; ')}`;
    if (r.status === 'pass' || r.status === 'skipped') return text;
    return bad.length
      ? `${text}; likely misread by us: ${bad.map((l) => `${l} is ${byLabel.get(l)!.quality!.status}`).join(', ')}`
      : `${text}; read cleanly: printed that way`;
  };
  const withWhere = (r: CheckResult) => {
    lines.push(formatLine(r, opts.color));
    const w = where(r);
    if (w) lines.push(c(ANSI.dim, w));
  };

  const fails = checks.filter((r) => r.status === 'fail');
  for (const r of fails) withWhere(r);

  // Tables whose reading has problems: one line each, the problems by kind (each with verbose).
  const notOk = doc.tables.map((t, i) => [t, labels[i]!] as const).filter(([t]) => t.quality && t.quality.status !== 'ok');
  const degradedCount = notOk.filter(([t]) => t.quality!.status === 'degraded').length;
  const unreadableCount = notOk.length - degradedCount;
  if (notOk.length) {
    section(`tables not read cleanly: ${degradedCount} degraded, ${unreadableCount} unreadable`);
    for (const [t, label] of notOk) {
      const q = t.quality!;
      const counts = new Map<QualityProblem['code'], number>();
      for (const p of q.problems) counts.set(p.code, (counts.get(p.code) ?? 0) + 1);
      const what = [...counts].map(([code, n]) => `${n} ${PROBLEM_NOUN[code][n === 1 ? 0 : 1]}`).join(', ');
      const st = c(q.status === 'unreadable' ? ANSI.red : ANSI.yellow, q.status.toUpperCase());
      lines.push(`${st} ${tableName(t, label)}: ${what}`);
      if (opts.verbose) for (const p of q.problems) lines.push(`  ${p.message.replace(/^.*?\): /, '')}${p.page !== null ? ` (p${p.page})` : ''}`);
    }
  }

  // Skipped checks by reason.
  const skipped = checks.filter((r) => r.status === 'skipped');
  if (skipped.length) {
    section(`skipped checks: ${skipped.length}`);
    const groups = new Map<string, CheckResult[]>();
    for (const r of skipped) {
      const k = skipReason(r.message);
      groups.set(k, [...(groups.get(k) ?? []), r]);
    }
    for (const [reason, rs] of [...groups].sort((a, b) => b[1].length - a[1].length)) {
      const tables = [...new Set(rs.map((r) => checkTable(r)).filter((l): l is string => !!l && byLabel.has(l)))];
      const inTables = tables.length ? ` (in ${tables.map((l) => tableName(byLabel.get(l)!, l)).join('; ')})` : '';
      // which tables are absent (`… project_expenditure absent`)
      const absent = [...new Set(rs.map((r) => / absent$/.test(r.message) ? /(\S+) absent$/.exec(r.message)![1]! : null).filter((x): x is string => !!x))];
      const names = absent.length ? `: ${absent.join(', ')}` : '';
      lines.push(`${rs.length} × ${reason}${names}${opts.verbose ? '' : inTables}`);
      if (opts.verbose) for (const r of rs) {
        lines.push(`  ${formatLine(r, opts.color)}`);
        const w = where(r);
        if (w) lines.push(c(ANSI.dim, `  ${w}`));
      }
    }
  }

  const warns = checks.filter((r) => r.status === 'warning');
  if (warns.length) {
    section(`warnings: ${warns.length}`);
    for (const r of warns) withWhere(r);
  }
  const rounding = checks.filter((r) => r.status === 'rounding');
  if (rounding.length) {
    section(`rounding: ${rounding.length}`);
    for (const r of rounding) lines.push(formatLine(r, opts.color));
  }
  if (opts.verbose) {
    const pass = checks.filter((r) => r.status === 'pass');
    if (pass.length) {
      section(`pass: ${pass.length}`);
      for (const r of pass) lines.push(formatLine(r, opts.color));
    }
  }

  // The document's own warnings (its table problems are listed above), by code.
  const docWarnings = doc.warnings.filter((w) => !w.code.startsWith('quality_'));
  if (docWarnings.length) {
    section(`document warnings: ${docWarnings.length}`);
    const byCode = new Map<string, typeof docWarnings>();
    for (const w of docWarnings) byCode.set(w.code, [...(byCode.get(w.code) ?? []), w]);
    for (const [code, ws] of byCode) {
      if (opts.verbose || ws.length === 1) for (const w of ws) lines.push(`${code}: ${w.message}${w.page !== null ? ` (p${w.page})` : ''}`);
      else lines.push(`${ws.length} × ${code}, e.g. ${ws[0]!.message}${ws[0]!.page !== null ? ` (p${ws[0]!.page})` : ''}`);
    }
  }

  // Completeness: the core tables of the document's kind that are absent.
  const kind = doc.document.kind;
  if (kind) {
    const ids = new Set(doc.tables.map((t) => t.id));
    const absent = CORE_TABLES[kind].filter((id) => !ids.has(id));
    if (lines.length) lines.push('');
    lines.push(absent.length ? `core tables absent: ${absent.join(', ')}` : `core tables: all ${CORE_TABLES[kind].length} found`);
  }

  const s = summarize(checks);
  const q = { ok: 0, degraded: 0, unreadable: 0 };
  for (const t of doc.tables) if (t.quality) q[t.quality.status]++;
  lines.push(`tables: ${q.ok} ok, ${q.degraded} degraded, ${q.unreadable} unreadable`);
  const counts = `checks: ${s.fail} fail, ${s.warning} warning, ${s.rounding} rounding, ${s.pass} pass, ${s.skipped} skipped`;
  lines.push(opts.color ? `${ANSI.bold}${s.fail ? ANSI.red : ANSI.green}${counts}${ANSI.reset}` : counts);
  return lines.join('\n') + '\n';
}

/** Core tables of the document's kind whose reading is degraded or unreadable. */
export function degradedCoreTables(doc: Document): { label: string; table: Table }[] {
  const kind = doc.document.kind;
  if (!kind) return [];
  const labels = tableLabels(doc.tables);
  return doc.tables
    .map((table, i) => ({ label: labels[i]!, table }))
    .filter(({ table }) => CORE_TABLES[kind].includes(table.id) && table.quality && table.quality.status !== 'ok');
}
