// Frame-time benchmark (lecture-hall smoothness): while 4 runs train in Chromium, measure the main thread's
// frame intervals (requestAnimationFrame), long tasks (PerformanceObserver) and plot redraw cost, first as the
// curves grow from zero, then with 100,000 recorded points per run (injected into the store, as after a long run).
// Then (issue 15) the main-thread budget with the two-phase MNIST preset's 4 runs training, in the ordinary layout and
// in presentation mode: p95 frame and the longest task. With FRAMES_REFERENCE=<dir> (another build's dist, e.g. the
// previous main's) the MNIST scenarios run on that build too, in the same process, and the table prints both and
// their ratio.
// Usage: npm run build && node bench/frames.mjs     (prints a table; not a test)
import { spawn } from 'node:child_process';
import { chromium } from 'playwright-core';

const PORT = Number(process.env.FRAMES_PORT ?? 4183); // not on the fetch spec's blocked-port list (4190 is)
const serve = (port, dir) => spawn(process.execPath, ['node_modules/vite/bin/vite.js', 'preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort', '--outDir', dir], { stdio: 'ignore' });
const server = serve(PORT, 'dist');
const reference = process.env.FRAMES_REFERENCE ? serve(PORT + 1, process.env.FRAMES_REFERENCE) : null;
const stop = () => { server.kill(); reference?.kill(); };
process.on('exit', stop);

async function waitForServer(port = PORT) {
  for (let i = 0; i < 300; i++) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/`);
      if (r.ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('preview server did not start');
}

function experiment() {
  const hyper = (lr, momentum) => ({ lr, momentum });
  return {
    version: 1,
    title: 'frame benchmark',
    dataset: { kind: 'spiral', seed: 1, noise: 0.05, trainSize: 400, testSize: 200, resolution: 28, classes: [] },
    network: { hidden: [16, 16], activation: 'tanh', outputLink: 'softmax', loss: 'ce', initScale: 1 },
    training: { batchSize: 32, maxIterations: 1000000, evalEvery: 20, seed: 1, backend: 'wasm' },
    runs: [
      { algorithm: 'sgd', hyper: hyper(0.1, 0.9) },
      { algorithm: 'adam', hyper: { lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8 } },
      { algorithm: 'sgd', hyper: hyper(0.03, 0) },
      { algorithm: 'adam', hyper: { lr: 0.001, beta1: 0.9, beta2: 0.999, eps: 1e-8 } },
    ],
    view: { xAxis: 'iteration', logY: true, smoothing: 0.6 },
  };
}

const measureScript = (ms) => new Promise((resolve) => {
  const frames = [];
  const longTasks = [];
  const obs = new PerformanceObserver((list) => list.getEntries().forEach((e) => longTasks.push(e.duration)));
  obs.observe({ type: 'longtask', buffered: false });
  let last = performance.now();
  const end = last + ms;
  const tick = (t) => {
    frames.push(t - last);
    last = t;
    if (t < end) requestAnimationFrame(tick);
    else {
      obs.disconnect();
      resolve({ frames, longTasks });
    }
  };
  requestAnimationFrame(tick);
});

const q = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? NaN;
};

function row(name, r, points) {
  const fps = 1000 / q(r.frames, 0.5);
  return `${name.padEnd(44)} ${String(points).padStart(9)}  ${q(r.frames, 0.5).toFixed(1).padStart(8)}  ${q(r.frames, 0.95).toFixed(1).padStart(8)}  ${fps.toFixed(0).padStart(5)}  ${String(r.longTasks.length).padStart(6)}  ${r.longTasks.reduce((a, b) => a + b, 0).toFixed(0).padStart(8)}  ${Math.max(0, ...r.longTasks).toFixed(0).padStart(8)}`;
}

/**
 * The two-phase MNIST preset (4 runs: Adam, tuned Adam, Adam → CG, CG) on WASM without its pause on the swap,
 * measured for 8 s once every run has points: in the ordinary layout, then in presentation mode (P).
 */
async function mnistScenario(browser, port) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  await page.goto(`http://127.0.0.1:${port}/`);
  await page.waitForFunction(() => !!window.__playground);
  await page.evaluate(() => {
    const s = window.__playground.store.getState();
    s.loadPreset('twophase-mnist');
    const e = structuredClone(window.__playground.store.getState().experiment);
    e.training.backend = 'wasm';
    delete e.pauseOn;
    window.__playground.store.getState().setExperiment(e);
  });
  await page.getByTestId('run').click();
  await page.waitForFunction(() => window.__playground.store.getState().runs.every((r) => r.points.length > 5 || r.status === 'finished'), null, { timeout: 180000 });
  const normal = await page.evaluate(measureScript, 8000);
  await page.locator('h1').click();
  await page.keyboard.press('p');
  const stage = await page.evaluate(measureScript, 8000);
  const points = await page.evaluate(() => window.__playground.store.getState().runs.map((r) => r.points.length).join('/'));
  // Chart redraw costs recorded by the redraw queue (builds that have one), over both windows.
  const redraws = await page.evaluate(() => window.__playground.redraws?.costs.map((c) => c.ms) ?? null);
  // Pause: the key press to every run reporting it has stopped (a worker finishes its current step first).
  const t0 = Date.now();
  await page.keyboard.press(' ');
  await page.waitForFunction(() => window.__playground.store.getState().runs.every((r) => r.status !== 'running' && r.status !== 'starting'), null, { timeout: 60000, polling: 'raf' });
  const pauseMs = Date.now() - t0;
  await page.close();
  return { normal, stage, points, redraws, pauseMs };
}

await waitForServer();
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--enable-unsafe-webgpu'] });
const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
const hash = Buffer.from(JSON.stringify(experiment())).toString('base64url');
await page.goto(`http://127.0.0.1:${PORT}/#e=${hash}`);
await page.getByTestId('run').click();
await page.waitForFunction(() => window.__playground.store.getState().runs.every((r) => r.points.length > 50), null, { timeout: 60000 });
const live = await page.evaluate(measureScript, 8000);
const livePoints = await page.evaluate(() => window.__playground.store.getState().runs.map((r) => r.points.length).join('/'));
// Inject 100,000 points per run (a long run's history), then keep training and measure again.
await page.evaluate(() => {
  const s = window.__playground.store;
  const runs = s.getState().runs.map((r) => {
    const last = r.points[r.points.length - 1];
    const extra = [];
    const { trainLoss, testLoss, trainAccuracy, testAccuracy, fullGradNorm, ...plain } = last;
    for (let i = 0; i < 100000; i++) {
      const p = { ...plain, iteration: i + 1, loss: 1 / (1 + i / 1000) + 0.05 * Math.sin(i), extra: {} };
      // evaluation points every 20 iterations, as the experiment's evalEvery
      if (i % 20 === 0) Object.assign(p, { trainLoss, testLoss: testLoss * (1 + 0.01 * Math.sin(i)), trainAccuracy, testAccuracy, fullGradNorm });
      extra.push(p);
    }
    r.points.splice(0, r.points.length, ...extra);
    return { ...r, version: r.version + 1 };
  });
  s.setState({ runs });
});
const heavy = await page.evaluate(measureScript, 8000);
const heavyPoints = await page.evaluate(() => window.__playground.store.getState().runs.map((r) => r.points.length).join('/'));
await page.close();
// The MNIST scenarios: the reference build first (when given), then this one, one after the other in one browser.
let refMnist = null;
if (reference) {
  await waitForServer(PORT + 1);
  refMnist = await mnistScenario(browser, PORT + 1);
}
const mnist = await mnistScenario(browser, PORT);
await browser.close();
stop();
console.log('\nMain-thread frames while 4 runs train (Chromium, headless; WASM backend in the workers)');
const head = `${'scenario'.padEnd(44)} ${'points/run'.padStart(9)}  ${'median ms'.padStart(8)}  ${'p95 ms'.padStart(8)}  ${'fps'.padStart(5)}  ${'long'.padStart(6)}  ${'long ms'.padStart(8)}  ${'longest'.padStart(8)}`;
console.log(head);
console.log(row('live, curves growing', live, livePoints));
console.log(row('after 100,000 points per run (decimated)', heavy, heavyPoints));
console.log('\nTwo-phase MNIST preset, 4 runs training (WASM), 1280×720');
console.log(head);
if (refMnist) {
  console.log(row(`reference (${process.env.FRAMES_REFERENCE}), ordinary layout`, refMnist.normal, refMnist.points));
  console.log(row(`reference, presentation mode`, refMnist.stage, refMnist.points));
}
console.log(row('this build, ordinary layout', mnist.normal, mnist.points));
console.log(row('this build, presentation mode (stage)', mnist.stage, mnist.points));
if (refMnist) {
  const ratio = (a, b) => (b > 0 ? (a / b).toFixed(2) : '—');
  console.log(`\nthis build ÷ reference: p95 frame ${ratio(q(mnist.normal.frames, 0.95), q(refMnist.normal.frames, 0.95))} (ordinary), ${ratio(q(mnist.stage.frames, 0.95), q(refMnist.stage.frames, 0.95))} (presentation); longest task ${ratio(Math.max(0, ...mnist.normal.longTasks), Math.max(0, ...refMnist.normal.longTasks))} (ordinary), ${ratio(Math.max(0, ...mnist.stage.longTasks), Math.max(0, ...refMnist.stage.longTasks))} (presentation)`);
}
const redrawLine = (name, m) => m.redraws?.length
  ? `${name}: ${m.redraws.length} chart redraws, median ${q(m.redraws, 0.5).toFixed(0)} ms, p95 ${q(m.redraws, 0.95).toFixed(0)} ms; Pause → all runs paused ${m.pauseMs} ms`
  : `${name}: no redraw queue in this build; Pause → all runs paused ${m.pauseMs} ms`;
console.log('');
if (refMnist) console.log(redrawLine('reference', refMnist));
console.log(redrawLine('this build', mnist));
console.log('\nfps = 1000 / median frame interval; "long" = main-thread tasks over 50 ms during the 8 s window; "longest" = the longest of them (ms).');
process.exit(0);
