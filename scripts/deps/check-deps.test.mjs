import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * The layer rules bite: a small tree with one deliberately forbidden import per rule makes check-deps.mjs fail and
 * name each rule and import; the same tree without them passes. Runs the real script on a fixture folder.
 */
const script = resolve(import.meta.dirname, 'check-deps.mjs');
const made = [];

function tree(files) {
  const dir = mkdtempSync(join(tmpdir(), 'deps-fixture-'));
  made.push(dir);
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'ESNext', moduleResolution: 'Bundler', strict: true }, include: ['src'] }));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

function check(dir) {
  const r = spawnSync(process.execPath, [script, dir], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout + r.stderr };
}

const clean = {
  'src/engine/model.ts': "export const model = 1;\n",
  'src/ui/App.ts': "import { model } from '../engine/model';\nexport const app = model;\n",
  'src/state/store.ts': "export const store = 1;\n",
  'src/workers/protocol.ts': "export interface Message { a: number }\n",
  'src/workers/worker.ts': "import { model } from '../engine/model';\nexport const w = model;\n",
  'src/methods/foo/panels.ts': "export const panels = [];\n",
  'src/methods/foo/algorithm.ts': "import * as tf from '@tensorflow/tfjs';\nexport const algorithm = tf;\n",
  'src/methods/registry.ts': "import { panels } from './foo/panels';\nexport const METHODS = [panels];\n",
};

afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('dependency rules (scripts/deps/check-deps.mjs, .dependency-cruiser.cjs)', () => {
  it('a tree that keeps the layers passes', () => {
    const r = check(tree(clean));
    expect(r.out).toContain('0 violation(s)');
    expect(r.code).toBe(0);
  });

  it('each forbidden import fails the check and is named', () => {
    const r = check(
      tree({
        ...clean,
        // engine → ui (a value import) and engine → workers (type-only: still a dependency)
        'src/engine/model.ts': "import { app } from '../ui/App';\nimport type { Message } from '../workers/protocol';\nexport const model = 1;\nexport const uses = [app] as unknown as Message[];\n",
        'src/ui/App.ts': "export const app = 1;\n",
        // a worker reaching into the store
        'src/workers/worker.ts': "import { store } from '../state/store';\nexport const w = store;\n",
        // a method's panels importing the worker protocol
        'src/methods/foo/panels.ts': "import type { Message } from '../../workers/protocol';\nexport const panels: Message[] = [];\n",
        // the catalogue reaching tensor code
        'src/methods/registry.ts': "import { panels } from './foo/panels';\nimport { algorithm } from './foo/algorithm';\nexport const METHODS = [panels, algorithm];\n",
        // the engine reaching up into a method folder (an engine test may: it is not flagged)
        'src/engine/runner.ts': "import { algorithm } from '../methods/foo/algorithm';\nexport const runner = algorithm;\n",
        'src/engine/runner.test.ts': "import { algorithm } from '../methods/foo/algorithm';\nexport const t = algorithm;\n",
        // a cycle
        'src/engine/a.ts': "import { b } from './b';\nexport const a = () => b;\n",
        'src/engine/b.ts': "import { a } from './a';\nexport const b = () => a;\n",
      }),
    );
    expect(r.code).toBe(1);
    expect(r.out).toContain('✖ engine-imports-no-upper-layer: src/engine/model.ts → src/ui/App.ts');
    expect(r.out).toContain('✖ engine-imports-no-upper-layer: src/engine/model.ts → src/workers/protocol.ts');
    expect(r.out).toContain('✖ engine-imports-no-method: src/engine/runner.ts → src/methods/foo/algorithm.ts');
    expect(r.out).not.toContain('src/engine/runner.test.ts →');
    expect(r.out).toContain('✖ workers-import-no-ui-or-store: src/workers/worker.ts → src/state/store.ts');
    expect(r.out).toContain('✖ method-ui-imports-no-worker-or-store: src/methods/foo/panels.ts → src/workers/protocol.ts');
    expect(r.out).toMatch(/✖ catalogue-has-no-tensor-code: src\/methods\/registry\.ts → @tensorflow\/tfjs/);
    expect(r.out).toMatch(/✖ no-circular: src\/engine\/(a|b)\.ts → src\/engine\/(a|b)\.ts/);
  });
});
