/** The README documents every narrative key the extractor can emit. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { NARRATIVE_KEYS } from '../src/narrative/keys.js';

it('README lists every narrative key', () => {
  const readme = readFileSync(path.resolve(import.meta.dirname, '..', 'README.md'), 'utf8');
  const missing = Object.keys(NARRATIVE_KEYS).filter((k) => !readme.includes(`\`${k}\``));
  expect(missing).toEqual([]);
});
