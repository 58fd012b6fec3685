/** The output model: the one source of the JSON types and of schemas/budget-extract.schema.json. */
import { z } from 'zod';
import { FIELD_ID_RE, FIELD_IDS, PATTERN_FIELD_RE, TABLE_IDS } from './tables/definitions.js';

/** A fixed-point decimal as printed (no thousands separators), e.g. "1234.50", "-12.00", "0". */
export const DecimalString = z.string().regex(/^-?\d+(\.\d+)?$/);

export const Unit = z.enum(['元', '万元', '千元']);
export type Unit = z.infer<typeof Unit>;

export const Side = z.enum(['income', 'expenditure']).nullable();

/** A field id of tables.md: one of FIELD_IDS, the same with prior_/change_/carryover_/budget_
 *  qualifiers, a qualified 三公 category (abroad_budget), or col<N> (a column no header rule
 *  maps): definitions.ts FIELD_PATTERNS. */
export const FieldId = z
  .union([z.enum(FIELD_IDS), z.string().regex(PATTERN_FIELD_RE)])
  .describe('canonical field id (spec tables.md), qualified (prior_, change_, carryover_, budget_; a 三公 category by its fund or period: abroad_budget), or col<N> when no definition fits');

export const Column = z.object({
  field: FieldId,
  header: z.string().describe('the printed header text, merged header levels joined with /'),
});

export const CodeKind = z
  .enum(['function', 'economic', 'gov_economic', 'income', 'unit', 'project'])
  .describe(
    'function: 支出功能分类科目; economic: 部门预算支出经济分类科目; gov_economic: 政府预算支出经济分类科目; ' +
      'income: 收入分类科目; unit: 预算单位 code; project: 项目 code',
  );
export type CodeKind = z.infer<typeof CodeKind>;

export const CodeSource = z
  .enum(['printed', 'catalogue'])
  .describe('printed: the code is printed in the table; catalogue: derived from the printed name (src/catalogue)');

export const Box = z
  .object({ page: z.number().int(), x0: z.number(), y0: z.number(), x1: z.number(), y1: z.number() })
  .describe('a rectangle on a page in PDF points, origin top-left of the page as displayed (as pdfplumber: x0, top = y0, x1, bottom = y1)');
export type Box = z.infer<typeof Box>;

export const Row = z.object({
  key: z.string(),
  code: z.string().nullable(),
  code_kind: CodeKind.nullable()
    .optional()
    .describe('what `code` is, from the header of the column it was read from and the table type; null without a code (always given by budget-extract)'),
  code_source: CodeSource.nullable().optional().describe('where `code` comes from; null without a code (always given by budget-extract)'),
  name: z.string(),
  level: z.number().int().nullable().describe('1/2/3 for 类/款/项 (or 经济分类 类/款); null when not a code row'),
  side: Side,
  group: z.number().int().nullable().optional().describe('block index when several lists stand side by side'),
  gov_code: z.string().nullable().optional(),
  gov_name: z.string().nullable().optional(),
  econ_code: z.string().nullable().optional().describe('部门经济科目 code printed beside a 功能分类 row (a function × economic list)'),
  econ_name: z.string().nullable().optional().describe('部门经济科目 name printed beside a 功能分类 row'),
  page: z.number().int(),
  values: z.record(z.string().regex(FIELD_ID_RE), DecimalString).describe('field id → amount as printed'),
  box: Box.optional().describe('with --boxes: the row\'s text across its list (page of its first line)'),
  valueBoxes: z.record(z.string().regex(FIELD_ID_RE), Box).optional().describe('with --boxes: the box of the glyphs of each value, by field'),
});
export type Row = z.infer<typeof Row>;

export const QualityProblem = z
  .object({
    code: z
      .enum(['unmapped_column', 'row_without_key', 'column_numbers', 'field_outside_contract', 'field_repeated', 'no_values', 'figures_lost', 'check_skipped'])
      .describe(
        'unmapped_column: a column read but mapped to no field (col<N>); row_without_key: a row keyed "" or only #N; ' +
          'column_numbers: a 栏次/行次 column or row of line numbers read as figures; ' +
          'field_outside_contract: a field id tables.md does not define, or current_year as the only whole amount; ' +
          'field_repeated: side-by-side blocks of a one-sided list all read as one field; no_values: a table that is not empty but where no figure could be read; ' +
          'figures_lost: figures printed in the body that no cell took (outside every column, not readable as an amount, or on a line dropped as a note); ' +
          'check_skipped: a cross-check of this table that could not be run (reason says why)',
      ),
    message: z.string(),
    page: z.number().int().nullable(),
    field: z.string().optional().describe('the column\'s field (unmapped_column, column_numbers)'),
    header: z.string().optional().describe('the printed header text of that column'),
    row: z.string().optional().describe('the row\'s key (row_without_key, column_numbers)'),
    check: z.string().optional().describe('the id of the skipped check (check_skipped)'),
    reason: z.string().optional().describe('why the check was skipped, in short (check_skipped); where the figures were lost: outside_columns, unreadable or row_dropped (figures_lost)'),
  })
  .describe('one thing that could not be read as the contract says');
export type QualityProblem = z.infer<typeof QualityProblem>;

export const TableQuality = z
  .object({
    status: z
      .enum(['ok', 'degraded', 'unreadable'])
      .describe('ok: no problem; degraded: a problem that may hide a wrong or missing figure; unreadable: no figure could be read'),
    problems: z.array(QualityProblem),
  })
  .describe('how sure the reading of this table is');
export type TableQuality = z.infer<typeof TableQuality>;

export const Table = z.object({
  id: z.enum(TABLE_IDS).describe('canonical table id (spec tables.md), or "unknown"'),
  number: z.string().nullable(),
  title: z.string(),
  department: z.string().nullable(),
  unit: Unit.nullable(),
  pages: z.array(z.number().int()),
  empty: z.boolean(),
  columns: z.array(Column),
  rows: z.array(Row),
  quality: TableQuality.optional().describe('always given by budget-extract (src/quality.ts)'),
  boxes: z.array(Box).optional().describe('with --boxes: the table\'s box on each page it was read from (its columns, from its header to its last row)'),
});
export type Table = z.infer<typeof Table>;

export const Warning = z.object({
  code: z.string(),
  message: z.string(),
  page: z.number().int().nullable(),
  table: z.string().optional().describe('the table a quality problem belongs to: its id, with #N when the id repeats (as in check ids)'),
});
export type Warning = z.infer<typeof Warning>;

export const CheckRef = z.object({
  table: z.string(),
  row: z.string().nullable(),
  field: z.string().nullable(),
  page: z.number().int().nullable(),
});

export const CheckResult = z.object({
  id: z.string().describe('rule id and where it applied, e.g. B7:general_budget'),
  rule: z.string(),
  status: z.enum(['pass', 'rounding', 'fail', 'warning', 'skipped']),
  message: z.string(),
  left: DecimalString.nullable(),
  right: DecimalString.nullable(),
  difference: DecimalString.nullable(),
  tolerance: DecimalString.nullable(),
  unit: Unit.nullable(),
  refs: z.object({ left: z.array(CheckRef), right: z.array(CheckRef) }),
});
export type CheckResult = z.infer<typeof CheckResult>;

// --- 绩效目标表, 情况说明 figures, 概况 (src/targets, src/narrative, src/overview) ---

export const FundBlock = z
  .object({
    total: DecimalString.optional(),
    central: DecimalString.optional(),
    provincial: DecimalString.optional(),
    local: DecimalString.optional().describe('市县(区)财政资金'),
    self_raised: DecimalString.optional().describe('单位自筹'),
    other: DecimalString.optional(),
    fiscal: DecimalString.optional().describe('财政拨款 / 财政资金 where the form prints no finer split'),
    carryover: DecimalString.optional().describe('上年结转'),
  })
  .describe('amounts as printed (no separators) in the target\'s unit; blank cells omitted');

export const Indicator = z.object({
  level1: z.string().describe('一级指标 (carried down from the row above when blank)'),
  level2: z.string().describe('二级指标 (carried down from the row above when blank)'),
  level3: z.string().describe('三级指标'),
  value: z.string().describe('指标值 as printed'),
});

export const PerformanceTarget = z.object({
  project: z.string().describe('项目名称 (the department\'s name for a 部门整体支出绩效目标表)'),
  scope: z.enum(['project', 'department']).optional().describe('department: a 部门整体支出绩效目标表; absent: a project\'s'),
  department: z.string().nullable().describe('主管部门及代码'),
  implementer: z.string().nullable().describe('实施单位'),
  attribute: z.string().nullable().describe('项目属性'),
  period: z.string().nullable().describe('项目期'),
  unit: Unit.describe('unit of the funds (元 unless the form says otherwise)'),
  funds: z.object({ period: FundBlock.nullable().describe('实施期'), annual: FundBlock.nullable().describe('年度') }),
  texts: z.record(z.string(), z.string()).describe('项目概况, 立项依据, 项目设立必要性, 保证项目实施的制度、措施, 项目实施计划'),
  goals: z.object({ period: z.string().nullable(), annual: z.string().nullable() }).describe('总体目标 for 实施期 and 年度'),
  indicators: z.object({ period: z.array(Indicator), annual: z.array(Indicator) }),
  pages: z.array(z.number().int()),
});
export type PerformanceTarget = z.infer<typeof PerformanceTarget>;

export const NarrativeItem = z.object({
  key: z.string().describe('stable id (incomeTotal, carryover, …; <key>Change, <key>ChangePct, <key>Share)'),
  label: z.string().optional().describe('the printed name for family keys (a 功能分类 类, a vehicle kind, a project category)'),
  value: DecimalString.describe('as printed; a change is its printed magnitude (see direction)'),
  unit: z.string().nullable(),
  direction: z.enum(['increase', 'decrease', 'same']).optional(),
  sentence: z.string(),
  page: z.number().int(),
});
export type NarrativeItem = z.infer<typeof NarrativeItem>;

export const Staffing = z.object({
  establishmentTotal: z.number().int().nullable().describe('编制总数 where printed'),
  establishment: z.record(z.string(), z.number().int()).describe('编制 by kind (行政编制, 事业编制…)'),
  actualTotal: z.number().int().nullable().describe('实有人数 where printed'),
  actual: z.record(z.string(), z.number().int()).describe('实有 by kind (公务员…)'),
  other: z.record(z.string(), z.number().int()).describe('other headcounts stated (离退休人员…)'),
});

export const Overview = z.object({
  duties: z.array(z.string()),
  internalUnits: z.array(z.string()),
  dispatchedAgencies: z.array(z.string()),
  affiliatedUnits: z.array(z.string()),
  staffing: Staffing,
  pages: z.array(z.number().int()),
});
export type Overview = z.infer<typeof Overview>;

export const Document = z.object({
  schemaVersion: z.literal(1),
  source: z.object({
    file: z.string(),
    sha256: z.string(),
    pages: z.number().int(),
    producer: z.string().nullable(),
    pagesRead: z.array(z.number().int()).optional().describe('the pages read when --pages chose some (every page otherwise)'),
  }),
  document: z.object({
    title: z.string().nullable(),
    department: z.string().nullable(),
    fiscalYear: z.number().int().nullable(),
    kind: z.enum(['budget', 'final_accounts']).nullable(),
  }),
  tables: z.array(Table),
  performanceTargets: z.array(PerformanceTarget).optional(),
  narrative: z.array(NarrativeItem).optional(),
  overview: Overview.nullable().optional(),
  checks: z.array(CheckResult).optional(),
  summary: z
    .object({ pass: z.number(), rounding: z.number(), fail: z.number(), warning: z.number(), skipped: z.number() })
    .optional(),
  warnings: z.array(Warning),
});
export type Document = z.infer<typeof Document>;

// ---- budget ↔ 决算 comparison (`budget-extract compare`, src/compare/) ------------------------------

export const ComparedDocument = z.object({ file: z.string(), department: z.string().nullable(), fiscalYear: z.number().int().nullable() });

/** One table/row/field both documents print: the budget's figure against the 决算's. */
export const SideBySide = z.object({
  /** the 决算 table and the budget table */
  table: z.string(),
  budgetTable: z.string(),
  /** the row's identity in both: a code, an income source, a role (income:grand …) or a 三公 category */
  row: z.string(),
  /** the row name as the 决算 prints it */
  name: z.string(),
  field: z.string(),
  /** unit of every figure of the line (the 决算 table's; the budget's figure converted exactly) */
  unit: Unit.nullable(),
  budget: DecimalString.nullable(),
  /** the 决算's own 预算数, where it prints one */
  finalBudget: DecimalString.nullable(),
  /** 决算数 */
  final: DecimalString.nullable(),
  /** 决算数 − 预算数 */
  difference: DecimalString.nullable(),
  /** 决算数 / 预算数 × 100, two decimals */
  rate: DecimalString.nullable(),
  budgetPage: z.number().int().nullable(),
  finalPage: z.number().int().nullable(),
});
export type SideBySide = z.infer<typeof SideBySide>;

export const Comparison = z.object({
  budget: ComparedDocument,
  final: ComparedDocument,
  /** D18: the 决算's 预算数 = the budget's figure, one check per figure */
  checks: z.array(CheckResult),
  summary: z.object({ pass: z.number(), rounding: z.number(), fail: z.number(), warning: z.number(), skipped: z.number() }),
  rows: z.array(SideBySide),
});
export type Comparison = z.infer<typeof Comparison>;
