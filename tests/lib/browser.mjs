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
