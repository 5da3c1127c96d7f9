import { chromium, devices } from 'playwright';
const [,, url, out, w = '1280', h = '720', phone] = process.argv;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
const ctx = phone ? await browser.newContext({ ...devices['Pixel 5'] }) : await browser.newContext({ viewport: { width: +w, height: +h } });
const page = await ctx.newPage();
page.on('console', (m) => { if (m.type() === 'error') console.log('console error:', m.text()); });
await page.goto(url);
await page.waitForTimeout(Number(process.env.WAIT ?? 2500));
if (process.env.CLICK) for (const sel of process.env.CLICK.split('|')) { await page.click(sel); await page.waitForTimeout(500); }
if (process.env.SCROLL) await page.locator(process.env.SCROLL).scrollIntoViewIfNeeded();
if (process.env.WAIT2) await page.waitForTimeout(+process.env.WAIT2);
await page.screenshot({ path: out, fullPage: !!process.env.FULL });
await browser.close();
