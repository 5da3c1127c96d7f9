import { test as base } from '@playwright/test';

export { devices, expect, type Locator, type Page } from '@playwright/test';

/**
 * Every spec takes `test` from here. With E2E_CPU_THROTTLE=<rate> (e.g. 4) each page's CPU is slowed through the
 * Chrome DevTools Protocol (Emulation.setCPUThrottlingRate), as DevTools' "4× slowdown" does: the suite must pass
 * on a slow machine as on a fast one (README, "Other commands").
 */
const throttle = Number(process.env.E2E_CPU_THROTTLE ?? 1);
if (!(throttle >= 1)) throw new Error(`E2E_CPU_THROTTLE must be a number ≥ 1 (a slowdown factor), not "${process.env.E2E_CPU_THROTTLE}"`);

export const test = base.extend({
  page: async ({ page }, use) => {
    if (throttle > 1) {
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: throttle });
    }
    await use(page);
  },
});
