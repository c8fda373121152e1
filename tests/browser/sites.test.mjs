// An analyst watches the websites in headless Chromium: the list with each
// site's state and score, an organisation's scorecard, adding a site through
// the form, one site's findings with their fixes, its history chart, its
// spam alert with the page kept as evidence, and another's content baseline
// reset. The sites are pages this test serves (one with gambling links
// hidden in it, one clean) and a closed port. axe finds no serious or critical violation; screenshots
// of each step.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { launchBrowser, noSeriousViolations, openDeskPage, shot } from '../lib/browser.mjs';
import { addUser, freePort, jagaBin, startServer } from '../lib/server.mjs';

let server, browser, site, sitePort, closedPort;
const dir = mkdtempSync(join(tmpdir(), 'jaga-browser-sites-'));

before(async () => {
  sitePort = await freePort();
  closedPort = await freePort();
  site = createServer((request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', server: 'Apache/2.4.41' });
    if (request.url === '/clean') {
      return response.end('<!doctype html><html><head><title>Portal Kota Contoh</title><script src="https://cdn.contoh.go.id/app.js"></script></head>' +
        '<body><h1>Portal Kota Contoh</h1><p>Informasi layanan publik dan berita kota.</p></body></html>');
    }
    response.end('<!doctype html><html><head><title>Dinas Kesehatan Kota Contoh</title></head><body><h1>Dinas Kesehatan</h1>' +
      '<p>Layanan kesehatan untuk warga kota.</p><div style="display:none"><a href="https://gacor.example/">slot gacor hari ini</a></div></body></html>');
  }).listen(sitePort, '127.0.0.1');
  server = await startServer();
  browser = await launchBrowser();
  addUser(server.dataDir, 'analis', 'analyst', 'kata-sandi-analis-panjang');
  writeFileSync(join(dir, 'orgs.csv'), 'name,kind,domains\nDinas Kesehatan Kota Contoh,city,dinkes.contoh.go.id\n');
  const jaga = (...args) => spawnSync(jagaBin, [...args, '--data-dir', server.dataDir], { encoding: 'utf8' });
  assert.equal(jaga('organisation', 'import', join(dir, 'orgs.csv')).status, 0);
  writeFileSync(join(dir, 'sites.csv'), 'url,organisation,interval_seconds,keywords\n' +
    `http://127.0.0.1:${sitePort}/,Dinas Kesehatan Kota Contoh,60,Dinas Kesehatan\n` +
    `http://127.0.0.1:${closedPort}/,Dinas Kesehatan Kota Contoh,60,\n` +
    `http://127.0.0.1:${sitePort}/clean,,60,\n`);
  const imported = jaga('site', 'import', join(dir, 'sites.csv'));
  assert.equal(imported.status, 0, imported.stderr);
});
after(async () => { await browser?.close(); await server?.stop(); server?.cleanup(); site?.close(); rmSync(dir, { recursive: true, force: true }); });

test('an analyst reads the websites, an organisation\'s scorecard and one site\'s findings, and adds a site', async () => {
  const { context, page } = await openDeskPage(browser, server.url, 'analis', 'kata-sandi-analis-panjang', 'Websites');
  // The monitor checks new sites within seconds; reload until both have a state.
  const table = page.locator('#sites');
  // (The list may also be empty at first: sites the command line added are
  // seen by the server's readers within seconds.)
  for (let tries = 0; tries < 60; ++tries) {
    const text = (await table.count()) ? await table.textContent() : '';
    if (/up 200[\s\S]*up 200/.test(text) && /DOWN/.test(text)) break;
    await page.waitForTimeout(250);
    await page.reload();
    await page.getByRole('heading', { name: 'Websites', level: 1 }).waitFor();
  }
  const rows = table.locator('tbody tr');
  assert.equal(await rows.count(), 3);
  assert.match(await rows.nth(0).textContent(), /up 200/);
  assert.match(await rows.nth(0).textContent(), /high/, 'the worst finding is high: the hidden gambling links');
  assert.match(await rows.nth(1).textContent(), /DOWN/);
  await noSeriousViolations(page, 'websites');
  await shot(page, '60-sites-list');

  await page.getByRole('link', { name: 'Dinas Kesehatan Kota Contoh' }).first().click();
  await page.getByRole('heading', { name: 'Scorecard: Dinas Kesehatan Kota Contoh' }).waitFor();
  const card = await page.locator('section', { has: page.getByRole('heading', { name: /Scorecard/ }) }).textContent();
  assert.match(card, /Sites2/);
  assert.match(card, /Down now1/);
  assert.match(card, /Average score35\/100/, 'the average of the sites that answered');
  assert.match(card, /spam-slot-gacor/);
  await shot(page, '61-sites-scorecard');

  await page.getByRole('link', { name: `http://127.0.0.1:${sitePort}/` }).click();
  await page.getByRole('heading', { name: 'Findings' }).waitFor();
  const findings = page.locator('#findings');
  assert.match(await findings.textContent(), /spam-slot-gacor Injected spam "slot gacor" in text hidden from visitors/);
  assert.match(await findings.textContent(), /How to fix it: Hide versions/);
  assert.equal(await page.locator('svg.chart').count(), 2, 'the latency and uptime charts');
  // The hidden links opened a spam alert, whose incident and kept page are linked.
  const alerts = page.locator('#alerts tbody tr');
  assert.equal(await alerts.count(), 1);
  assert.match(await alerts.first().textContent(), /Injected spam\s*open\s*INC-\d{4}-\d{6}/);
  const kept = alerts.first().getByRole('link', { name: /Page as served/ });
  const href = await kept.getAttribute('href');
  const download = await page.evaluate(async (path) => {
    const r = await fetch(path, { credentials: 'same-origin' });
    return { status: r.status, type: r.headers.get('content-type'), text: await r.text() };
  }, href);
  assert.equal(download.status, 200);
  assert.equal(download.type, 'application/octet-stream');
  assert.match(download.text, /slot gacor hari ini/);
  assert.match(await page.locator('#baseline-title + *').textContent(), /None yet/, 'a page with spam is never the baseline');
  await noSeriousViolations(page, 'one website');
  await shot(page, '62-site-page');

  // The clean page became its site's baseline; the analyst accepts a change by resetting it.
  await page.getByRole('link', { name: 'All websites' }).click();
  await page.getByRole('link', { name: `http://127.0.0.1:${sitePort}/clean` }).click();
  await page.getByRole('heading', { name: 'Content baseline' }).waitFor();
  const baseline = page.locator('section', { has: page.getByRole('heading', { name: 'Content baseline' }) });
  assert.match(await baseline.textContent(), /Page titlePortal Kota Contoh/);
  assert.match(await baseline.textContent(), /cdn\.contoh\.go\.id/);
  assert.match(await page.locator('main').textContent(), /No alerts\./);
  await shot(page, '64-site-baseline');
  page.once('dialog', (dialog) => dialog.accept());
  await page.getByRole('button', { name: 'Accept the page as it is now' }).click();
  await baseline.getByText('Reset: the next clean check learns the page.').waitFor();
  await page.reload();
  await page.getByRole('heading', { name: 'Content baseline' }).waitFor();
  assert.match(await baseline.textContent(), /None yet/);

  await page.getByRole('link', { name: 'All websites' }).click();
  await page.getByLabel('Address', { exact: true }).fill('ftp://127.0.0.1:9/');
  await page.getByRole('button', { name: 'Watch' }).click();
  await page.locator('#site-add-result .error-summary').waitFor();
  assert.match(await page.locator('#site-add-result').textContent(), /only http:\/\/ and https:\/\/ sites can be checked, not ftp:\/\//);
  await page.getByLabel('Address', { exact: true }).fill('127.0.0.1:9/');
  await page.getByLabel('Seconds between checks').fill('120');
  await page.getByRole('button', { name: 'Watch' }).click();
  await page.locator('#sites').getByText('https://127.0.0.1:9/').waitFor();
  await shot(page, '63-site-added');
  await context.close();
});
