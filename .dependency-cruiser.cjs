/**
 * Layer rules of the playground, checked in `npm test` (npm run lint:deps → scripts/deps/check-deps.mjs).
 * `forbidden`: type-only imports count (tsPreCompilationDeps), a type is a dependency too. `runtimeForbidden`: the
 * same check on what is loaded at run time (type-only imports left out).
 */
module.exports = {
  forbidden: [
    {
      name: 'engine-imports-no-upper-layer',
      comment: 'The engine (and a method folder\'s engine side) runs in workers and Node: no UI, store, worker or URL code.',
      severity: 'error',
      from: { path: '^src/engine/' },
      to: { path: '^src/(ui|state|workers|url)/' },
    },
    {
      name: 'engine-imports-no-method',
      comment:
        'The engine is below the method folders: it knows the Algorithm interface and the Experiment\'s shape, never a method ' +
        '(the runner takes the implementation; the default experiment lives in src/methods). Tests and test fixtures may ' +
        'use real methods.',
      severity: 'error',
      from: { path: '^src/engine/', pathNot: ['\\.test\\.ts$'] },
      to: { path: '^src/methods/' },
    },
    {
      name: 'method-engine-side-imports-no-upper-layer',
      comment: 'A method\'s algorithm files are engine code: no UI, store, worker or URL code (its tests may decode links).',
      severity: 'error',
      from: { path: '^src/methods/', pathNot: ['(^|/)panels\\.ts$', '(^|/)index\\.ts$', '\\.test\\.ts$', '^src/methods/(registry|method|panel)\\.ts$'] },
      to: { path: '^src/(ui|state|workers|url)/' },
    },
    {
      name: 'workers-import-no-ui-or-store',
      severity: 'error',
      from: { path: '^src/workers/' },
      to: { path: '^src/(ui|state)/' },
    },
    {
      name: 'method-ui-imports-no-worker-or-store',
      comment: 'A method\'s panels and index are plain data the shared UI reads: no worker, no store, no React state.',
      severity: 'error',
      from: { path: ['^src/methods/[^/]+/(panels|index)\\.ts$', '^src/methods/(registry|method|panel)\\.ts$'] },
      to: { path: '^src/(workers|state)/' },
    },
    {
      name: 'test-support-is-for-tests',
      comment:
        'src/testing/ holds what tests share (fixtures, fakes, the Node loader): the top layer, above every other, so it may ' +
        'import any layer; nothing but a test (or another test helper) imports it. Benchmarks (bench/) may, from outside src.',
      severity: 'error',
      from: { path: '^src/', pathNot: ['\\.test\\.tsx?$', '^src/testing/'] },
      to: { path: '^src/testing/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  // Checked on the runtime graph (type-only imports left out: they vanish from the bundle).
  runtimeForbidden: [
    {
      name: 'catalogue-has-no-tensor-code',
      comment: 'The method registry is read on the main thread (UI, URL codec): nothing it reaches may load TF.js.',
      severity: 'error',
      from: { path: '^src/methods/registry\\.ts$' },
      to: { path: '@tensorflow', reachable: true },
    },
  ],
  options: {
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.d\\.ts$' },
  },
};
