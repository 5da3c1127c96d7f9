// Worker-pool benchmark: the same 2-D sweep (SGD and Adam, 7 learning rates × 2 seeds = 28 runs, each for a budget
// of 20 cost units ≈ 250 iterations on 400 points, batch 32) run by the pool at 1 worker (the runs one after
// another, each on the one reused worker) and at the pool's own size (navigator.hardwareConcurrency, capped), in the
// same browser session; and the main thread's longest task (PerformanceObserver 'longtask', as bench/frames.mjs)
// and frame intervals while the pool runs, so one can see whether the UI stays responsive.
// Usage: npm run build && node bench/pool.mjs     (prints a table and writes bench/results/pool.json)
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { chromium } from 'playwright-core';

const PORT = 4187;
const server = spawn(process.execPath, ['node_modules/vite/bin/vite.js', 'preview', '--host', '127.0.0.1', '--port', String(PORT), '--strictPort'], { stdio: 'ignore' });
process.on('exit', () => server.kill());
for (let i = 0; ; i++) {
  try {
    if ((await fetch(`http://127.0.0.1:${PORT}/`)).ok) break;
  } catch {}
  if (i > 300) throw new Error('preview server did not start');
  await new Promise((r) => setTimeout(r, 200));
}

const backend = process.env.POOL_BACKEND ?? 'cpu';
const experiment = {
  version: 1,
  title: 'pool benchmark',
  dataset: { kind: 'spiral', seed: 1, noise: 0.05, trainSize: 400, testSize: 200, resolution: 28, classes: [] },
  network: { hidden: [16, 16], activation: 'tanh', outputLink: 'softmax', loss: 'ce', initScale: 1 },
  training: { batchSize: 32, maxIterations: 100000, evalEvery: 20, seed: 1, backend },
  runs: [
    { algorithm: 'sgd', hyper: { lr: 0.03, momentum: 0.9 } },
    { algorithm: 'adam', hyper: { lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8 } },
  ],
  view: { xAxis: 'cost', logY: true, smoothing: 0 },
  protocol: { seeds: 2, sweep: { runs: [0, 1], axes: [{ key: 'lr', min: 0.001, max: 1 }], mode: 'grid', points: 7, trialCost: 20, seed: 1 } },
};
const JOBS = 7 * 2 * 2;

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--enable-unsafe-webgpu'] });

async function measure(size) {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  await page.goto(`http://127.0.0.1:${PORT}/#e=${Buffer.from(JSON.stringify(experiment)).toString('base64url')}`);
  await page.getByTestId('run-sweep').waitFor();
  const hc = await page.evaluate(() => navigator.hardwareConcurrency);
  // The pool is created on first use with the store's poolSize: set it before pressing Run sweep.
  if (size !== 'auto') await page.evaluate((n) => window.__playground.store.getState().setPoolSize(n), size);
  const workers = await page.evaluate(() => window.__playground.store.getState().sweeps.poolSize);
  const result = await page.evaluate(async () => {
    const longTasks = [];
    const frames = [];
    const obs = new PerformanceObserver((list) => list.getEntries().forEach((e) => longTasks.push(e.duration)));
    obs.observe({ type: 'longtask', buffered: false });
    let last = performance.now();
    let ticking = true;
    const tick = (t) => {
      frames.push(t - last);
      last = t;
      if (ticking) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
    const t0 = performance.now();
    document.querySelector('[data-testid=run-sweep]').click();
    const s = window.__playground.store;
    await new Promise((resolve) => {
      const check = () => {
        const st = s.getState().sweeps;
        if (st.activity === null && st.progress && st.progress.done + st.progress.failed >= st.progress.total && st.progress.total > 0) resolve();
        else setTimeout(check, 50);
      };
      setTimeout(check, 100);
    });
    const seconds = (performance.now() - t0) / 1000;
    ticking = false;
    obs.disconnect();
    const st = s.getState().sweeps;
    const sorted = [...frames].sort((a, b) => a - b);
    return {
      seconds,
      done: st.progress.done,
      failed: st.progress.failed,
      results: Object.keys(st.results).length,
      longest: longTasks.length ? Math.max(...longTasks) : 0,
      longCount: longTasks.length,
      frameMedian: sorted[Math.floor(sorted.length / 2)],
      frameP95: sorted[Math.floor(sorted.length * 0.95)],
      backends: [...new Set(Object.values(st.results).map((r) => r.backend))],
    };
  });
  await page.close();
  return { size: workers, hardwareConcurrency: hc, ...result, runsPerMinute: (60 * result.done) / result.seconds };
}

/** Reference measured in the same session: the longest task on the idle page over the same kind of window. */
async function idleReference(ms) {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  await page.goto(`http://127.0.0.1:${PORT}/#e=${Buffer.from(JSON.stringify(experiment)).toString('base64url')}`);
  await page.getByTestId('run-sweep').waitFor();
  const r = await page.evaluate(
    (ms) =>
      new Promise((resolve) => {
        const longTasks = [];
        const obs = new PerformanceObserver((list) => list.getEntries().forEach((e) => longTasks.push(e.duration)));
        obs.observe({ type: 'longtask', buffered: false });
        setTimeout(() => {
          obs.disconnect();
          resolve({ longest: longTasks.length ? Math.max(...longTasks) : 0, longCount: longTasks.length });
        }, ms);
      }),
    ms,
  );
  await page.close();
  return r;
}

const rows = [];
for (const size of [1, 'auto']) rows.push(await measure(size));
const idle = await idleReference(15000);
const loadavg = (await import('node:os')).loadavg();
await browser.close();
const [seq, pool] = rows;
console.log(`\nWorker pool: a 2-D sweep of ${JOBS} runs (spiral 2-16-16-2, SGD and Adam × 7 learning rates × 2 seeds, 20 cost units each), ${backend} backend, Chromium headless`);
console.log(`${'mode'.padEnd(34)} ${'workers'.padStart(7)}  ${'runs'.padStart(4)}  ${'seconds'.padStart(7)}  ${'runs/min'.padStart(8)}  ${'longest task ms'.padStart(15)}  ${'long tasks'.padStart(10)}  ${'frame p50/p95 ms'.padStart(16)}`);
for (const [name, r] of [['one after another (1 worker)', seq], ['pool (hardwareConcurrency, capped)', pool]])
  console.log(
    `${name.padEnd(34)} ${String(r.size).padStart(7)}  ${String(r.done).padStart(4)}  ${r.seconds.toFixed(1).padStart(7)}  ${r.runsPerMinute.toFixed(0).padStart(8)}  ${r.longest.toFixed(0).padStart(15)}  ${String(r.longCount).padStart(10)}  ${`${r.frameMedian.toFixed(1)}/${r.frameP95.toFixed(1)}`.padStart(16)}`,
  );
console.log(`\nthroughput ratio pool / one after another: ${(pool.runsPerMinute / seq.runsPerMinute).toFixed(2)}× (navigator.hardwareConcurrency = ${pool.hardwareConcurrency}; backends used: ${pool.backends.join(', ')})`);
console.log(`long tasks: main-thread tasks over 50 ms while the sweep ran. Reference, the idle page for 15 s in the same session: longest ${idle.longest.toFixed(0)} ms, ${idle.longCount} long tasks.`);
console.log(`machine: ${(await import('node:os')).cpus().length} cores, load average ${loadavg.map((l) => l.toFixed(1)).join(' / ')} (other processes share the cores: the figures are relative).`);
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/pool.json', JSON.stringify({ generatedBy: 'bench/pool.mjs', date: new Date().toISOString(), backend, jobs: JOBS, rows, idle, loadavg }, null, 2) + '\n');
process.exit(0);
