/** The output model: the one source of the JSON types and of schemas/budget-extract.schema.json. */
import { z } from 'zod';

/** A fixed-point decimal as printed (no thousands separators), e.g. "9115.55", "-12.00", "0". */
export const DecimalString = z.string().regex(/^-?\d+(\.\d+)?$/);

export const Unit = z.enum(['元', '万元', '千元']);
export type Unit = z.infer<typeof Unit>;

export const Side = z.enum(['income', 'expenditure']).nullable();

export const Column = z.object({
  field: z.string().describe('canonical field id (spec tables.md), or col<N> when no definition fits'),
  header: z.string().describe('the printed header text, merged header levels joined with /'),
});

export const Row = z.object({
  key: z.string(),
  code: z.string().nullable(),
  name: z.string(),
  level: z.number().int().nullable().describe('1/2/3 for 类/款/项 (or 经济分类 类/款); null when not a code row'),
  side: Side,
  group: z.number().int().nullable().optional().describe('block index when several lists stand side by side'),
  gov_code: z.string().nullable().optional(),
  gov_name: z.string().nullable().optional(),
  page: z.number().int(),
  values: z.record(z.string(), DecimalString),
});
export type Row = z.infer<typeof Row>;

export const Table = z.object({
  id: z.string().describe('canonical table id, or "unknown"'),
  number: z.string().nullable(),
  title: z.string(),
  department: z.string().nullable(),
  unit: Unit.nullable(),
  pages: z.array(z.number().int()),
  empty: z.boolean(),
  columns: z.array(Column),
  rows: z.array(Row),
});
export type Table = z.infer<typeof Table>;

export const Warning = z.object({
  code: z.string(),
  message: z.string(),
  page: z.number().int().nullable(),
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

export const Document = z.object({
  schemaVersion: z.literal(1),
  source: z.object({
    file: z.string(),
    sha256: z.string(),
    pages: z.number().int(),
    producer: z.string().nullable(),
  }),
  document: z.object({
    title: z.string().nullable(),
    department: z.string().nullable(),
    fiscalYear: z.number().int().nullable(),
    kind: z.enum(['budget', 'final_accounts']).nullable(),
  }),
  tables: z.array(Table),
  checks: z.array(CheckResult).optional(),
  summary: z
    .object({ pass: z.number(), rounding: z.number(), fail: z.number(), warning: z.number(), skipped: z.number() })
    .optional(),
  warnings: z.array(Warning),
});
export type Document = z.infer<typeof Document>;
