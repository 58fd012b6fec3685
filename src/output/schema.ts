/** The JSON Schema of the output, generated from the zod model (schemas/budget-extract.schema.json). */
import { z } from 'zod';
import { Document } from '../model.js';

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
