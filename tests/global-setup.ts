/** Build dist/ once before the suite: tests/cli.test.ts spawns bin/budget-extract, which runs dist/. */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const tsc = fileURLToPath(new URL('../node_modules/typescript/bin/tsc', import.meta.url));
  const r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) {
    // tsc still emits on type errors; `npm ci` (prepare) and `npm run typecheck` are where they fail the build.
    process.stderr.write(`global-setup: tsc -p tsconfig.build.json reported errors:\n${r.stdout}${r.stderr}\n`);
  }
  if (!existsSync(new URL('../dist/cli/main.js', import.meta.url))) {
    throw new Error('global-setup: dist/cli/main.js was not built');
  }
}
