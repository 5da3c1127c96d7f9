// Main-thread CPU profile while the two-phase MNIST preset's 4 runs train (scratch, not committed).
import { spawn } from 'node:child_process';
import { chromium } from 'playwright-core';
const dir = process.argv[2] ?? 'dist';
const PORT = Number(process.env.PORT ?? 4301);
const stage = process.argv[3] === 'stage';
const server = spawn(process.execPath, ['node_modules/vite/bin/vite.js', 'preview', '--host', '127.0.0.1', '--port', String(PORT), '--strictPort', '--outDir', dir], { stdio: 'ignore' });
process.on('exit', () => server.kill());
for (let i = 0; i < 300; i++) { try { if ((await fetch(`http://127.0.0.1:${PORT}/`)).ok) break; } catch {} await new Promise((r) => setTimeout(r, 200)); }
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--enable-unsafe-webgpu'] });
const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
await page.goto(`http://127.0.0.1:${PORT}/`);
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
if (stage) { await page.locator('h1').click(); await page.keyboard.press('p'); }
const cdp = await page.context().newCDPSession(page);
await cdp.send('Profiler.enable');
await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
await cdp.send('Profiler.start');
const t0 = Date.now();
await page.waitForTimeout(8000);
const { profile } = await cdp.send('Profiler.stop');
const wall = Date.now() - t0;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const dt = new Map();
for (let i = 0; i < profile.samples.length; i++) dt.set(profile.samples[i], (dt.get(profile.samples[i]) ?? 0) + (profile.timeDeltas[i + 1] ?? 0) / 1000);
const self = new Map(), incl = new Map();
const key = (n) => `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber}`;
let busy = 0;
for (const [id, ms] of dt) {
  const n = byId.get(id);
  const name = n.callFrame.functionName;
  if (name === '(idle)' || name === '(program)') { self.set(name, (self.get(name) ?? 0) + ms); continue; }
  busy += ms;
  self.set(key(n), (self.get(key(n)) ?? 0) + ms);
  const seen = new Set();
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) { const k = key(byId.get(cur)); if (!seen.has(k)) { seen.add(k); incl.set(k, (incl.get(k) ?? 0) + ms); } }
}
console.log(`wall ${wall} ms; JS busy ${busy.toFixed(0)} ms; idle ${(self.get('(idle)') ?? 0).toFixed(0)}; program ${(self.get('(program)') ?? 0).toFixed(0)}`);
const top = (m, k) => [...m].sort((a, b) => b[1] - a[1]).slice(0, k).map(([n, ms]) => `${ms.toFixed(0).padStart(6)}  ${n}`).join('\n');
console.log('--- self\n' + top(self, 25));
console.log('--- inclusive\n' + top(incl, 45));
const pts = await page.evaluate(() => window.__playground.store.getState().runs.map((r) => r.points.length).join('/'));
console.log('points', pts);
const costs = await page.evaluate(() => window.__playground.redraws?.costs ?? []);
const per = {};
for (const c of costs) (per[c.id] ??= []).push(c.ms);
for (const [id, ms] of Object.entries(per)) console.log(`redraw ${id}: n ${ms.length}, median ${ms.sort((a,b)=>a-b)[ms.length>>1].toFixed(0)} ms, max ${Math.max(...ms).toFixed(0)}`);
await browser.close();
server.kill();
process.exit(0);
