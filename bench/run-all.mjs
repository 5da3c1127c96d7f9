#!/usr/bin/env node
/**
 * Speed bench: `npm run bench` (builds first). Serves dist/ with `vite preview`, opens bench.html in headless
 * Chromium (/usr/bin/chromium, --no-sandbox --enable-unsafe-webgpu), starts real run workers through the app's
 * protocol on every backend that initialises, times training iterations, reads tf.memory() and the JS heap inside
 * the worker, times Run → first plotted point in the real app, runs the NumPy reference (bench/numpy_mlp.py) in
 * the same run, and prints one table. Prints figures; it is not a test.
 *
 * Options (env): BENCH_BUDGET_MS (measured time per cell, default 3000), BENCH_ONLY=small|mnist,
 * BENCH_BACKENDS=wasm,webgl,... , BENCH_ALGOS=sgd,adam,... , BENCH_SKIP_BUILD (run-all itself never builds),
 * BENCH_PARTS (numpy,cells,first-point,lenet; `lenet` is bench/lenet.mjs, run last in its own browser).
 */
import { spawn, execFileSync } from 'node:child_process';
import { chromium } from 'playwright-core';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const PORT = Number(process.env.BENCH_PORT ?? 4179);
const BUDGET = Number(process.env.BENCH_BUDGET_MS ?? 3000);
const BACKENDS = (process.env.BENCH_BACKENDS ?? 'webgpu,webgl,wasm,cpu').split(',');
const PROBLEMS = (process.env.BENCH_ONLY ?? 'small,mnist').split(',');
const BASE_ALGOS = ['sgd', 'adam'];
const SMALL_TARGET = Number(process.env.BENCH_SMALL_ITERS ?? 5000); // iterations for the memory figure on the small problem
const MNIST_TARGET = 1000;
const CATALOG_ALGOS = (process.env.BENCH_ALGOS ?? 'sgd,adam,mdlam,vi,fenchel,twophase,cg').split(',');
/** The heavy methods measured against a NumPy sweep of their own (bench/numpy_methods.py). */
const HEAVY = ['mdlam', 'fenchel', 'cg'];
/** WASM thread counts of the MNIST step rows (threads need the cross-origin-isolated page vite preview serves). */
const THREADS = (process.env.BENCH_THREADS ?? '2').split(',').map(Number).filter((t) => t > 1);
/** BENCH_PARTS=first-point measures only Run → first plotted point (the rest of the table stays empty). */
const PARTS = (process.env.BENCH_PARTS ?? 'numpy,cells,first-point,lenet').split(',');

const log = (...a) => console.error('[bench]', ...a);

function startPreview() {
  const vite = join(root, 'node_modules', '.bin', 'vite');
  const p = spawn(vite, ['preview', '--host', '127.0.0.1', '--port', String(PORT), '--strictPort'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  p.on('exit', (code) => log(`vite preview exited (${code})`));
  return p;
}

async function waitHttp(url, ms = 30000) {
  const t0 = Date.now();
  while (Date.now() - t0 < ms) {
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`preview server did not answer at ${url}`);
}

/** NumPy ms per sweep/iteration of the heavy methods (bench/numpy_methods.py), keyed like numpyRef's cases. */
function numpyMethods(threads, into = {}) {
  const env = { ...process.env };
  if (threads) env.OPENBLAS_NUM_THREADS = env.OMP_NUM_THREADS = String(threads);
  const methods = HEAVY.filter((m) => CATALOG_ALGOS.includes(m));
  if (!methods.length || !PROBLEMS.includes('mnist')) return into;
  const out = execFileSync('python3', [join(root, 'bench', 'numpy_methods.py'), '--steps', '3', '--methods', methods.join(',')], { cwd: join(root, 'bench'), encoding: 'utf8', env });
  for (const line of out.trim().split('\n')) {
    const r = JSON.parse(line);
    const k = `mnist/${r.method}`;
    into[k] = Math.min(into[k] ?? Infinity, r.ms_per_step);
    if (r.evals_per_step !== undefined) into[`${k}/evals`] = r.evals_per_step;
  }
  return into;
}

/** NumPy ms/iteration per case; `into` keeps the minimum over calls (run before and after the browser). */
function numpyRef(threads, into = {}) {
  const env = { ...process.env };
  if (threads) env.OPENBLAS_NUM_THREADS = env.OMP_NUM_THREADS = String(threads);
  const out = execFileSync('python3', [join(root, 'bench', 'numpy_mlp.py'), '--iters', '300'], { cwd: root, encoding: 'utf8', env });
  for (const line of out.trim().split('\n')) {
    const r = JSON.parse(line);
    const k = `${r.case}/${r.algo}`;
    into[k] = Math.min(into[k] ?? Infinity, r.ms_per_iter);
  }
  return into;
}

async function workerOf(page) {
  const ws = page.workers().filter((w) => w.url().includes('trainer.worker'));
  return ws[ws.length - 1];
}

let cdp = null;
let msgId = 100;

/** The worker's used JS heap via CDP (Runtime.getHeapUsage on the worker target; performance.memory is window-only). */
async function workerHeap(browser) {
  try {
    cdp ??= await browser.newBrowserCDPSession();
    const { targetInfos } = await cdp.send('Target.getTargets');
    const w = targetInfos.filter((t) => t.type === 'worker' && t.url.includes('trainer.worker')).pop();
    if (!w) return NaN;
    const { sessionId } = await cdp.send('Target.attachToTarget', { targetId: w.targetId, flatten: false });
    const id = ++msgId;
    const got = new Promise((resolve) => {
      const on = (e) => {
        const m = JSON.parse(e.message);
        if (m.id === id) {
          cdp.off('Target.receivedMessageFromTarget', on);
          resolve(m.result?.usedSize ?? NaN);
        }
      };
      cdp.on('Target.receivedMessageFromTarget', on);
    });
    // Collect garbage first so the figure is live data, not what the collector has not reached yet.
    await cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id: ++msgId, method: 'HeapProfiler.collectGarbage' }) });
    await new Promise((r) => setTimeout(r, 300));
    await cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method: 'Runtime.getHeapUsage' }) });
    const used = await Promise.race([got, new Promise((r) => setTimeout(() => r(NaN), 5000))]);
    await cdp.send('Target.detachFromTarget', { sessionId }).catch(() => {});
    return used;
  } catch {
    return NaN;
  }
}

async function memoryIn(page) {
  const w = await workerOf(page);
  if (!w) return null;
  // TF.js keeps its engine on the global object (_tfengine), so the worker's own tf.memory() is readable here.
  const m = await w.evaluate(() => {
    const eng = globalThis._tfengine;
    const mm = eng ? eng.memory() : {};
    return { numTensors: mm.numTensors, numBytes: mm.numBytes };
  });
  return { ...m, heap: await workerHeap(page.context().browser()) };
}

async function cell(page, problem, algo, backend, opts, threads = 1) {
  const started = await page.evaluate(([p, a, b, t]) => window.__bench.start(p, a, b, t), [problem, algo, backend, threads]);
  const row = { problem, algo, requested: backend, threads: started.threads ?? 1, backend: started.backend ?? '—', setupMs: started.setupMs, error: started.error };
  if (threads > 1 && started.threads !== threads) row.error = `asked for ${threads} WASM threads, got ${started.threads} (page isolated: ${started.isolated})`;
  if (!started.ok) {
    row.error ??= 'did not start';
    return row;
  }
  if (started.backend !== backend) {
    row.error = `fell back to ${started.backend}`;
    await page.evaluate(() => window.__bench.stop());
    return row;
  }
  // Warm-up: compiles shaders/kernels and shows the first point.
  const warm = await page.evaluate(([n, t]) => window.__bench.steps(n, t), [opts.warm, opts.warmTimeout]);
  row.firstPointMs = warm.firstPointMs;
  if (warm.error || warm.iterations === 0) {
    row.error = warm.error ?? 'no iteration in the warm-up time';
    await page.evaluate(() => window.__bench.stop());
    return row;
  }
  const mem0 = await memoryIn(page);
  // Measure in ~1 s chunks: the rate is re-estimated after each (the warm-up's rate includes compilation), and the
  // run continues to the target while the projection fits in `stretch` × the budget (the small problem's 5,000).
  let rate = warm.iterations / warm.ms;
  let iters = 0;
  let ms = 0;
  let meas = warm;
  for (;;) {
    const remaining = opts.target - warm.iteration - iters;
    if (remaining <= 0) break;
    if (ms >= BUDGET && ms + remaining / rate > BUDGET * (opts.stretch ?? 1)) break;
    const n = Math.max(1, Math.min(remaining, Math.round(rate * 1000)));
    meas = await page.evaluate(([k, t]) => window.__bench.steps(k, t), [n, Math.max(10000, (3 * n) / rate)]);
    iters += meas.iterations;
    ms += meas.ms;
    rate = Math.max(iters, 1) / ms;
    if (meas.error || !meas.ok || meas.iterations === 0) break;
  }
  const mem1 = await memoryIn(page);
  row.iters = iters;
  row.totalIters = meas.iteration;
  row.msPerIter = ms / Math.max(1, iters);
  row.itPerSec = (1000 * iters) / ms;
  row.mem0 = mem0;
  row.mem1 = mem1;
  row.loss = meas.loss;
  if (meas.error) row.error = meas.error;
  await page.evaluate(() => window.__bench.stop());
  return row;
}

/** localStorage key of the remembered probe answer (src/state/backendChoice.ts). */
const PROBE_KEY = 'optimizer-playground.backend-probe.v1';

/**
 * Run → first plotted point. A fresh browser context is a first visit (empty HTTP cache, empty localStorage);
 * `seedProbe` stores a probe answer before the page loads, so the visit is cold but no probe runs: the difference
 * to an ordinary first visit is what the probe costs, the difference to the reload is what cold loading costs.
 */
async function firstPlotted(browser, base, problem, algo, backend, seedProbe = null) {
  const ctx = await browser.newContext();
  if (seedProbe)
    await ctx.addInitScript(([key, value]) => localStorage.setItem(key, value), [PROBE_KEY, JSON.stringify(seedProbe)]);
  const page = await ctx.newPage();
  // Generous timeouts: on a loaded machine loading the page alone can take longer than Playwright's 30 s.
  page.setDefaultTimeout(180000);
  page.setDefaultNavigationTimeout(180000);
  await page.goto(`${base}/bench.html`);
  await page.waitForFunction(() => !!window.__bench);
  const hash = await page.evaluate(([p, a, b]) => window.__bench.urlHash(p, a, b, 20), [problem, algo, backend]);
  await page.goto(`${base}/${hash}`);
  await page.waitForSelector('[data-testid=run]');
  await page.waitForTimeout(300);
  const measure = () =>
    page.evaluate(
      () =>
        new Promise((resolve) => {
          const t0 = performance.now();
          document.querySelector('[data-testid=run]').click();
          const poll = () => {
            const el = document.querySelector('[data-plot="loss"]');
            const n = el && el.data ? el.data.reduce((s, t) => s + (t.x ? t.x.length : 0), 0) : 0;
            if (n > 0) resolve(performance.now() - t0);
            else if (performance.now() - t0 > 300000) resolve(NaN);
            else setTimeout(poll, 5);
          };
          poll();
        }),
    );
  const first = await measure();
  const backendShown = await page.getByTestId('run-backend-0').textContent().catch(() => '?');
  if (seedProbe) {
    await ctx.close();
    return { ms: first, backend: backendShown };
  }
  // The first run does not wait for the probe; the probe waits while a run trains (src/state/backendChoice.ts), so
  // pause the run, then the second visit must find the probe's answer remembered.
  await page.getByTestId('pause').click().catch(() => undefined);
  const probeMs = await page
    .waitForFunction(() => Object.keys(localStorage).some((k) => k.includes('backend-probe')), null, { timeout: 180000 })
    .then(() => page.evaluate(() => window.__playground.store.getState().probe.finishedAt))
    .catch(() => NaN);
  // Second visit: the probe's answer is remembered, so this is Run → first point without probing.
  await page.reload();
  await page.waitForSelector('[data-testid=run]');
  await page.waitForTimeout(300);
  const again = await measure();
  const backendAgain = await page.getByTestId('run-backend-0').textContent().catch(() => '?');
  await ctx.close();
  return { ms: first, again, backend: backendShown, backendAgain, probeMs };
}

const fmt = (x, d = 1) => (x === undefined || x === null || Number.isNaN(x) ? '—' : Number(x).toFixed(d));
const fmtBytes = (b) => (b === undefined || Number.isNaN(b) ? '—' : b > 1e6 ? `${(b / 1e6).toFixed(1)}MB` : `${(b / 1e3).toFixed(0)}kB`);

async function main() {
  const t0 = Date.now();
  let preview = startPreview();
  const base = `http://127.0.0.1:${PORT}`;
  let browser;
  try {
    await waitHttp(`${base}/bench.html`);
    const ref = {};
    const ref1 = {};
    if (PARTS.includes('numpy')) {
      log('NumPy reference …');
      numpyRef(0, ref);
      numpyRef(1, ref1);
      log('NumPy sweeps of the heavy methods …');
      numpyMethods(0, ref);
      numpyMethods(1, ref1);
    }
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--enable-unsafe-webgpu'] });
    const page = await browser.newPage();
    page.on('pageerror', (e) => log('page error', e.message));
    await page.goto(`${base}/bench.html`);
    await page.waitForFunction(() => !!window.__bench);
    const catalog = CATALOG_ALGOS;
    log('probe …');
    const probe = await page.evaluate(() => window.__bench.probe()).catch((e) => ({ backend: '?', timings: {}, notices: [String(e)] }));
    const rows = [];
    for (const problem of PARTS.includes('cells') ? PROBLEMS : []) {
      const opts =
        problem === 'small'
          ? { warm: 30, warmTimeout: 30000, target: SMALL_TARGET, stretch: 3 }
          : { warm: 10, warmTimeout: 60000, target: MNIST_TARGET };
      for (const algo of BASE_ALGOS.filter((a) => catalog.includes(a))) {
        for (const backend of BACKENDS) {
          log(problem, algo, backend);
          // WebGPU on a software adapter needs seconds per step: give it less rope.
          rows.push(await cell(page, problem, algo, backend, backend === 'webgpu' ? { ...opts, warm: Math.min(opts.warm, 5), warmTimeout: 15000 } : opts));
          // Threaded WASM (a run training alone in the isolated page) beside the one-thread row.
          if (backend === 'wasm' && problem === 'mnist')
            for (const t of THREADS) {
              log(problem, algo, backend, `${t} threads`);
              rows.push(await cell(page, problem, algo, backend, opts, t));
            }
        }
      }
    }
    // The rest of the catalogue on the fastest backend of the SGD rows (where they run on these problems).
    const best = {};
    for (const problem of PARTS.includes('cells') ? PROBLEMS : []) {
      const ok = rows.filter((r) => r.problem === problem && r.algo === 'adam' && r.itPerSec).sort((a, b) => b.itPerSec - a.itPerSec);
      best[problem] = ok[0]?.backend ?? 'wasm';
      for (const algo of catalog.filter((a) => !BASE_ALGOS.includes(a))) {
        log(problem, algo, best[problem]);
        rows.push(await cell(page, problem, algo, best[problem], { warm: 3, warmTimeout: 30000, target: problem === 'small' ? 2000 : 200 }));
      }
    }
    if (PARTS.includes('numpy')) {
      log('NumPy again …');
      numpyRef(0, ref);
      numpyRef(1, ref1);
      numpyMethods(0, ref);
      numpyMethods(1, ref1);
    }
    log('Run → first plotted point in the app …');
    const fp = [];
    if (preview.exitCode !== null) {
      preview = startPreview();
      await waitHttp(`${base}/bench.html`);
    }
    for (const problem of PARTS.includes('first-point') ? PROBLEMS : []) {
      try {
        const visit = await firstPlotted(browser, base, problem, 'adam', 'auto');
        const noProbe = await firstPlotted(browser, base, problem, 'adam', 'auto', { backend: 'wasm', timings: {}, notices: [] });
        fp.push({ problem, ...visit, coldNoProbe: noProbe.ms });
      } catch (e) {
        log('first-point measurement failed', e.message);
        fp.push({ problem, ms: NaN, again: NaN, backend: `failed: ${e.message.split('\n')[0]}` });
      }
    }

    // ---- the table ----
    const lines = [];
    lines.push(`Speed bench — ${new Date().toISOString()} — Chromium ${browser.version()} headless, ${process.env.BENCH_NOTE ?? ''}`);
    lines.push(`load average at end: ${(await import('node:os')).loadavg().map((x) => x.toFixed(1)).join(' ')} (2 cores shared: figures are noisy)`);
    const software = Object.entries(probe.softwareRenderers ?? {}).map(([k, v]) => `${k} on ${v}`);
    lines.push(
      `auto-probe picked: ${probe.backend} (ms/probe step: ${Object.entries(probe.timings).map(([k, v]) => `${k} ${fmt(v, 1)}`).join(', ')})` +
        (software.length ? `; not timed, software renderer: ${software.join('; ')}` : ''),
    );
    lines.push('');
    const head = ['problem', 'algorithm', 'backend', 'threads', 'it/s', 'ms/it', 'NumPy ms/it', 'browser/native speed', 'NumPy 1-thread ms/it', 'vs 1-thread', 'first point ms', 'iters', 'tensors warm→end', 'tf bytes warm→end', 'JS heap warm→end', 'note'];
    const table = [head];
    for (const r of rows) {
      const key = `${r.problem}/${r.algo}`;
      const np = ref[key];
      const ratio = np && r.msPerIter ? np / r.msPerIter : undefined;
      const np1 = ref1[key];
      const ratio1 = np1 && r.msPerIter ? np1 / r.msPerIter : undefined;
      const pct = (x) => (x ? `${(100 * x).toFixed(x < 0.1 ? 1 : 0)}%` : '—');
      table.push([
        r.problem === 'small' ? '2-8-8-2' : '784-128-128-10',
        r.algo,
        r.requested,
        r.requested === 'wasm' ? String(r.threads ?? 1) : '—',
        fmt(r.itPerSec, 1),
        fmt(r.msPerIter, 2),
        np ? fmt(np, 2) : '—',
        pct(ratio),
        np1 ? fmt(np1, 2) : '—',
        pct(ratio1),
        fmt(r.firstPointMs, 0),
        r.totalIters ?? '—',
        r.mem0 ? `${r.mem0.numTensors}→${r.mem1?.numTensors}` : '—',
        r.mem0 ? `${fmtBytes(r.mem0.numBytes)}→${fmtBytes(r.mem1?.numBytes)}` : '—',
        r.mem0 ? `${fmtBytes(r.mem0.heap)}→${fmtBytes(r.mem1?.heap)}` : '—',
        r.error ?? '',
      ]);
    }
    const widths = head.map((_, i) => Math.max(...table.map((row) => String(row[i]).length)));
    for (const [i, row] of table.entries()) {
      lines.push('| ' + row.map((c, j) => String(c).padEnd(widths[j])).join(' | ') + ' |');
      if (i === 0) lines.push('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
    }
    lines.push('');
    // The summaries the issue asks for, each against a reference measured in this same run.
    const rowOf = (algo, threads) => rows.find((r) => r.problem === 'mnist' && r.algo === algo && r.requested === 'wasm' && (r.threads ?? 1) === threads && r.msPerIter);
    lines.push('MNIST 784-128-128-10 step (batch 256) on WASM by thread count, beside NumPy (ms per iteration; ratio = browser ÷ NumPy):');
    for (const algo of BASE_ALGOS.filter((a) => catalog.includes(a) && PROBLEMS.includes('mnist'))) {
      const one = rowOf(algo, 1);
      const np2 = ref[`mnist/${algo}`];
      const np1 = ref1[`mnist/${algo}`];
      const parts = [`WASM 1 thread ${fmt(one?.msPerIter, 2)}`];
      for (const t of THREADS) {
        const r = rowOf(algo, t);
        parts.push(`WASM ${t} threads ${fmt(r?.msPerIter, 2)}${r && one ? ` (${fmt(one.msPerIter / r.msPerIter, 2)}× the 1-thread speed)` : ''}`);
      }
      parts.push(`NumPy 1 thread ${fmt(np1, 2)}`, `NumPy 2 threads ${fmt(np2, 2)}`);
      const best = Math.min(...[one, ...THREADS.map((t) => rowOf(algo, t))].filter(Boolean).map((r) => r.msPerIter));
      lines.push(`  ${algo}: ${parts.join('; ')}; best WASM ÷ NumPy 1 thread ${fmt(best / np1, 1)}×, ÷ NumPy 2 threads ${fmt(best / np2, 1)}×`);
    }
    lines.push('Heavy methods on MNIST (full batch 12,000 for mDLAM and CG, mini-batch 256 for Fenchel; one thread) — ms per sweep/iteration, browser ÷ NumPy (goal ≤ 4×):');
    for (const algo of HEAVY.filter((a) => catalog.includes(a) && PROBLEMS.includes('mnist'))) {
      const r = rows.find((x) => x.problem === 'mnist' && x.algo === algo && x.msPerIter);
      const np1 = ref1[`mnist/${algo}`];
      const np2 = ref[`mnist/${algo}`];
      const ev = ref[`mnist/${algo}/evals`] ?? ref1[`mnist/${algo}/evals`];
      lines.push(
        `  ${algo}: browser ${fmt(r?.msPerIter, 0)} ms on ${r?.requested ?? '—'}; NumPy 1 thread ${fmt(np1, 0)} ms (${fmt(r?.msPerIter / np1, 1)}×), 2 threads ${fmt(np2, 0)} ms (${fmt(r?.msPerIter / np2, 1)}×)` +
          (ev !== undefined ? `; NumPy line search ${fmt(ev, 1)} evaluations per iteration` : ''),
      );
    }
    lines.push('');
    lines.push('Run → first plotted point in the real app (backend auto, Adam, evalEvery 20; click → a point in the loss plot):');
    for (const f of fp)
      lines.push(
        `  ${f.problem}: first visit ${fmt(f.ms, 0)} ms on ${f.backend} (the probe waited for the run and answered ${fmt(f.probeMs, 0)} ms after the page opened); probe remembered ${fmt(f.again, 0)} ms on ${f.backendAgain}; first visit with the probe's answer stored beforehand (cold cache, no probe) ${fmt(f.coldNoProbe, 0)} ms`,
      );
    lines.push(`it/s: wall clock in the page over 'step' messages (worker slices, metric batches, evaluation off: evalEvery 1e6).`);
    lines.push(`first point ms: start message → first metrics message (worker start, backend init, data, first slice).`);
    lines.push(`iters: iterations done when memory was read the second time (target ${SMALL_TARGET} on the small problem and ${MNIST_TARGET} on MNIST; fewer where a backend is too slow for the ${BUDGET} ms budget; memory read first after the warm-up: 30 iterations small, 10 MNIST).`);
    lines.push(`NumPy: bench/numpy_mlp.py, same forward/backward/update, float32, OpenBLAS default threads (2 cores) and 1 thread; best of a run before and after the browser; speed ratio = NumPy ms / browser ms (100% = native speed).`);
    lines.push(`total bench time ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    console.log(lines.join('\n'));
  } finally {
    await browser?.close();
    preview.kill('SIGTERM');
  }
}

async function all() {
  // The MLP table (unless only the LeNet-5 part is asked for), then LeNet-5 against PyTorch and ConvNetJS
  // (bench/lenet.mjs), after the first part has closed its browser and server so the two do not compete.
  if (PARTS.some((p) => p !== 'lenet')) await main();
  if (PARTS.includes('lenet')) {
    const { lenetBench } = await import('./lenet.mjs');
    console.log('\n' + (await lenetBench()));
  }
}

all().catch((e) => {
  console.error(e);
  process.exit(1);
});
