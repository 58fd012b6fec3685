/** What a row's code is (tables.md, row conventions): decided by the header of the column the
 *  code was read from and, where that header only says 科目编码 / 类 | 款 | 项, by the table
 *  definition — never by the digits (a 预算单位 code `204` looks like 功能分类 类 204). */
import type { CodeKind, Row, Table, Warning } from '../model.js';
import { codeForName } from '../catalogue/index.js';
import type { TableDef } from './definitions.js';
import { codeLevel, isSummaryName } from './rows.js';

/** Header words, most specific first: 政府经济 before 经济, 经济 before 部门 (部门经济科目). */
const HEADER_KINDS: Array<[RegExp, CodeKind]> = [
  // (`府预算支出经济科目`: a head cut at the cell's edge.)
  [/政府(预算)?(支出)?经济|政府经济|^([^/]*\/)?府预算(支出)?经济/, 'gov_economic'],
  [/经济/, 'economic'],
  [/功能/, 'function'],
  [/收入(分类)?(科目)/, 'income'],
  [/单位|部门(（单位）)?(代码|编码|名称)|^部门$/, 'unit'],
  [/项目(编码|代码|编号)/, 'project'],
];

/** The kind a header names outright, or null when it names none (科目编码, 类/款/项, 项目). */
export function headerCodeKind(header: string): CodeKind | null {
  const h = header.replace(/\s+/g, '');
  for (const [re, kind] of HEADER_KINDS) if (re.test(h)) return kind;
  return null;
}

/** The kind of the codes (or, for a row printed by name, of the names) of one list: its
 *  headers first, else what the table's codes are (a two-sided table's expenditure side only:
 *  its income side lists sources of funds, no classification). */
export function listCodeKind(headers: string[], def: TableDef | null, side: 'income' | 'expenditure' | null): CodeKind | null {
  for (const h of headers) {
    const k = headerCodeKind(h);
    if (k) return k;
  }
  if (!def?.codeKind) return null;
  if (def.twoSided && side !== 'expenditure') return null;
  return def.codeKind;
}

/** 类/款/项 levels belong to the classifications; a unit or project code has none. */
export function levelOf(code: string | null, kind: CodeKind | null): number | null {
  return kind === 'unit' || kind === 'project' ? null : codeLevel(code);
}

/** A row as read, before its code is settled: `list` is what its list's codes (or 类 names) are. */
export interface ListedRow {
  row: Row;
  list: CodeKind | null;
}

/** Settles each row's `code_kind` and `code_source`: a printed code keeps its list's kind; a
 *  row printed by name only in a classified list gets the code its name means in the national
 *  catalogue (src/catalogue), marked `catalogue`, its key unchanged (the contract keys by what
 *  is printed). A name the catalogue lacks, standing among names it has, stays without a code
 *  and is reported. */
export function settleCodes(listed: ListedRow[], table: string): Warning[] {
  const warnings: Warning[] = [];
  const lists = new Map<string, ListedRow[]>();
  for (const l of listed) {
    const k = `${l.row.side ?? ''}|${l.row.group ?? ''}`;
    lists.set(k, [...(lists.get(k) ?? []), l]);
  }
  for (const rows of lists.values()) {
    let parent: string | null = null;
    const unknown: ListedRow[] = [];
    let matched = 0;
    for (const l of rows) {
      const r = l.row;
      if (r.code) {
        r.code_kind = l.list;
        r.code_source = 'printed';
      } else {
        const code: string | null = l.list && !isSummaryName(r.name) ? codeForName(l.list, r.name, parent) : null;
        r.code = code;
        r.code_kind = code ? l.list : null;
        r.code_source = code ? 'catalogue' : null;
        if (code) r.level = levelOf(code, l.list);
        if (code) {
          matched++;
          warnings.push(...unknown.splice(0).map((u) => notInCatalogue(u, table)));
        } else if (matched && l.list && !isSummaryName(r.name) && r.name) unknown.push(l);
      }
      if (r.code && r.code.length === 3 && r.code_kind === l.list) parent = r.code;
    }
  }
  return warnings;
}

function notInCatalogue(l: ListedRow, table: string): Warning {
  return {
    code: 'name_not_in_catalogue',
    message: `${table}: "${l.row.name}" stands among ${l.list} 类/款 names but is no 类 or 款 of the catalogue; left without a code`,
    page: l.row.page,
  };
}

/** The tables with only their printed codes: the cross-checks read the tables as printed, so
 *  a catalogue code never changes what they compare. */
export function printedCodesOnly(tables: Table[]): Table[] {
  return tables.map((t) =>
    t.rows.some((r) => r.code_source === 'catalogue')
      ? { ...t, rows: t.rows.map((r) => (r.code_source === 'catalogue' ? { ...r, code: null, code_kind: null, code_source: null, level: null } : r)) }
      : t,
  );
}
