/**
 * The layer rules (.dependency-cruiser.cjs at the repository root), checked by dependency-cruiser:
 * `node scripts/deps/check-deps.mjs [dir]` cruises dir/src (default: this repository) and exits 1 with one line
 * per violation (2 if nothing could be read).
 *
 * dependency-cruiser 17 parses TypeScript with the TypeScript compiler's JS API, which TypeScript 7 — the
 * project's compiler — no longer has. So it lives in its own small install here (scripts/deps/package.json:
 * dependency-cruiser + TypeScript 5.9), made on first use with `npm ci`, and the project's own `tsc` stays 7.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';

const here = import.meta.dirname;
const repo = resolve(here, '../..');
if (!existsSync(resolve(here, 'node_modules/dependency-cruiser/package.json'))) {
  console.log('dependency check: installing dependency-cruiser into scripts/deps (first run)…');
  execFileSync('npm', ['ci', '--prefix', here, '--no-audit', '--no-fund', '--loglevel=error'], { stdio: 'inherit' });
}
// Resolved from this folder, so dependency-cruiser (and its `typescript`) come from scripts/deps/node_modules.
const { cruise } = await import('dependency-cruiser');

const base = resolve(process.argv[2] ?? repo);
const ruleSet = createRequire(import.meta.url)(resolve(repo, '.dependency-cruiser.cjs'));
/** Cruises src with the given rules; type-only imports count when `withTypes`. */
async function check(forbidden, withTypes) {
  const options = { ...ruleSet.options, tsPreCompilationDeps: withTypes, validate: true, ruleSet: { forbidden }, baseDir: base };
  const { summary } = (await cruise(['src'], options)).output;
  if (summary.totalCruised === 0) {
    console.error(`dependency check: no modules read under ${base}/src (is the TypeScript parser missing?)`);
    process.exit(2);
  }
  return summary;
}
/** A cycle or a reachability path as "a → b → c" (dependency-cruiser gives strings or { name } objects). */
const chain = (label, steps) => (steps?.length ? ` (${label}: ${steps.map((c) => c.name ?? c).join(' → ')})` : '');

const all = await check(ruleSet.forbidden, true);
const runtime = await check(ruleSet.runtimeForbidden ?? [], false);
const violations = [...all.violations, ...runtime.violations];
for (const v of violations) console.error(`✖ ${v.rule.name}: ${v.from} → ${v.to}${chain('cycle', v.cycle)}${chain('via', v.via)}`);
console.log(`dependency check: ${all.totalCruised} modules, ${all.totalDependenciesCruised} imports, ${violations.length} violation(s)`);
process.exit(violations.length ? 1 : 0);
