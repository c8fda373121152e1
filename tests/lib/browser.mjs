// Headless Chromium for the browser tests (Debian's chromium, driven by
// playwright-core), screenshots under the build's test output, and the
// accessibility check every page must pass.
import AxeBuilder from '@axe-core/playwright';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

export const shots = join(process.env.JAGA_TEST_OUTPUT ?? tmpdir(), 'screenshots');
mkdirSync(shots, { recursive: true });

export function launchBrowser() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic'],
  });
}

export async function noSeriousViolations(page, name) {
  const result = await new AxeBuilder({ page }).analyze();
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(bad.map((v) => `${v.id}: ${v.help} (${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')})`), [], `accessibility violations on ${name}`);
}

export async function shot(page, name) { await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true }); }

// A desk user signed in, in English at a desktop size, on the console's
// page `link` (the navigation's name for it), its heading shown.
export async function openDeskPage(browser, url, username, password, link) {
  const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${url}/desk`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('link', { name: link }).click();
  await page.getByRole('heading', { name: link, level: 1 }).waitFor();
  return { context, page };
}
