/** The JSON Schema of the output, generated from the zod model (schemas/budget-extract.schema.json). */
import { z } from 'zod';
import { Comparison, Document } from '../model.js';

export const SCHEMA_ID = 'urn:budget-extract:output:schema-version-1';

export function documentJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(Document, { target: 'draft-2020-12', io: 'output', unrepresentable: 'any' });
  const { $schema, ...rest } = generated as Record<string, unknown>;
  return {
    $schema,
    $id: SCHEMA_ID,
    title: 'budget-extract output',
    description:
      'One departmental budget / final-accounts disclosure (部门预算/决算公开) extracted by budget-extract. ' +
      'Amounts are fixed-point decimal strings in the unit of their table. Generated from src/model.ts by `npm run schema`.',
    ...rest,
  };
}

/** The exact text of the committed schema file. */
export function renderJsonSchema(): string {
  return JSON.stringify(documentJsonSchema(), null, 2) + '\n';
}

export const COMPARE_SCHEMA_ID = 'urn:budget-extract:compare:schema-version-1';

/** The exact text of schemas/compare.schema.json: the output of `budget-extract compare`. */
export function renderCompareJsonSchema(): string {
  const generated = z.toJSONSchema(Comparison, { target: 'draft-2020-12', io: 'output', unrepresentable: 'any' });
  const { $schema, ...rest } = generated as Record<string, unknown>;
  const schema = {
    $schema,
    $id: COMPARE_SCHEMA_ID,
    title: 'budget-extract compare output',
    description:
      "A department's 部门预算 against its 部门决算 of the same year: D18 checks and the side-by-side of budget and outturn. " +
      'Generated from src/model.ts by `npm run schema`.',
    ...rest,
  };
  return JSON.stringify(schema, null, 2) + '\n';
}
