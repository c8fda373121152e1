// An analyst works with the store of indicators in headless Chromium: asks
// whether a subdomain of a listed phishing domain is listed, imports a
// partner's CSV through the form and reads what it did, filters the list,
// opens an indicator and sees its sources and the citizen's report that
// names another URL under the same domain, and finds the feeds to download
// at the label chosen. axe finds no serious or critical violation;
// screenshots of each step.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { launchBrowser, noSeriousViolations, openDeskPage, shot } from '../lib/browser.mjs';
import { addUser, fileReport, jagaBin, startServer } from '../lib/server.mjs';

let server, browser, report;
const dir = mkdtempSync(join(tmpdir(), 'jaga-browser-indicators-'));

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  addUser(server.dataDir, 'analis', 'analyst', 'kata-sandi-analis-panjang');
  writeFileSync(join(dir, 'phishing-weekly.txt'), ['# phishing this week', 'bank-login-verify.xyz', 'pajak-restitusi-online.top',
    'http://secure-pay.top/login', '45.61.136.0/24', 'google.com', ''].join('\n'));
  const imported = spawnSync(jagaBin, ['import', '--data-dir', server.dataDir, '--tlp', 'green', '--no-progress', join(dir, 'phishing-weekly.txt')], { encoding: 'utf8' });
  assert.equal(imported.status, 0, imported.stderr);
  report = (await fileReport(server.url, { category: 'fraud:phishing', language: 'id',
    description: 'SMS hadiah dengan tautan http://promo.bank-login-verify.xyz/klaim' })).body;
});
after(async () => { await browser?.close(); await server?.stop(); server?.cleanup(); rmSync(dir, { recursive: true, force: true }); });

test('an analyst looks up, imports, and follows an indicator to the report that shares its domain', async () => {
  const { context, page } = await openDeskPage(browser, server.url, 'analis', 'kata-sandi-analis-panjang', 'Indicators');

  // The matcher is built in the background after a start; ask until it answers.
  const answer = page.locator('#lookup-answer');
  await page.getByLabel('Domain, URL, IP address, email address or hash').fill('www.bank-login-verify.xyz');
  for (let tries = 0; tries < 50; ++tries) {
    await page.getByRole('button', { name: 'Look up' }).click();
    await answer.locator('p').waitFor();
    if ((await answer.textContent()).startsWith('Listed')) break;
    await page.waitForTimeout(200);
  }
  assert.equal((await answer.textContent()).trim(), 'Listed: bank-login-verify.xyz — a parent domain, TLP:GREEN');
  await shot(page, '30-indicators-lookup');
  await page.getByLabel('Domain, URL, IP address, email address or hash').fill('www.google.com');
  await page.getByRole('button', { name: 'Look up' }).click();
  await answer.getByText(/warninglist calls it benign/).waitFor();

  // A partner's CSV through the import form.
  await page.getByLabel('File', { exact: true }).setInputFiles({ name: 'regional-sharing.csv', mimeType: 'text/csv',
    buffer: Buffer.from('indicator,type,tlp\nc2.bank-login-verify.xyz,domain,red\n185.234.216.0/24,cidr,amber\nwho-knows,colour,\n') });
  await page.getByLabel('Source kind').selectOption('partner');
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  const result = page.locator('#import-result');
  await result.getByText(/read:/).waitFor();
  assert.equal((await result.locator('p').textContent()).trim(), '3 read: 2 added, 0 updated, 0 warninglisted, 1 rejected.');
  assert.equal((await result.locator('li').textContent()).trim(), 'row 4 unknown kind colour');
  await shot(page, '31-indicators-imported');
  await noSeriousViolations(page, 'the indicators page');

  // The list, filtered to domains starting with the phishing name.
  await page.getByLabel('Value starts with').fill('bank-login');
  await page.getByLabel('Kind', { exact: true }).selectOption('domain');
  await page.getByRole('button', { name: 'Apply' }).click();
  await page.waitForURL(/\/desk\/indicators\?q=bank-login&kind=domain/);
  const rows = page.locator('#indicators tbody tr');
  await rows.nth(1).waitFor({ state: 'detached' });  // the unfiltered list has gone
  await rows.first().waitFor();
  assert.equal(await rows.count(), 1);
  assert.match(await rows.first().textContent(), /bank-login-verify\.xyzdomainTLP:GREEN1/);
  await shot(page, '32-indicators-filtered');

  // One indicator: its source, and what it correlates with.
  await page.getByRole('link', { name: 'bank-login-verify.xyz', exact: true }).click();
  await page.getByRole('heading', { name: 'bank-login-verify.xyz', level: 1 }).waitFor();
  assert.match(await page.locator('#sources tbody').textContent(), /Feedphishing-weekly\.txtTLP:GREEN1/);
  const correlations = page.locator('#correlations');
  await correlations.getByRole('heading', { name: 'The same registrable domain' }).waitFor();
  await correlations.getByRole('link', { name: report.tracking_code }).waitFor();
  await correlations.getByRole('link', { name: 'c2.bank-login-verify.xyz' }).waitFor();
  await shot(page, '33-indicator-correlations');
  await noSeriousViolations(page, 'an indicator page');

  // The report page links its values to the store.
  await correlations.getByRole('link', { name: report.tracking_code }).click();
  await page.getByRole('link', { name: 'http://promo.bank-login-verify.xyz/klaim' }).waitFor();

  // Feeds at the label chosen.
  await page.goto(`${server.url}/desk/indicators`);
  await page.getByLabel('Most restricted label in the feed').selectOption('amber');
  assert.equal(await page.getByRole('link', { name: 'Suricata rules' }).getAttribute('href'), '/api/v1/indicators/export?format=suricata&tlp=amber');
  const download = await page.request.get(`${server.url}/api/v1/indicators/export?format=plain&tlp=amber`);
  const values = (await download.text()).split('\n');
  assert.ok(values.includes('185.234.216.0/24') && values.includes('bank-login-verify.xyz'));
  assert.ok(!values.includes('c2.bank-login-verify.xyz'), 'TLP:RED stays out of an AMBER feed');
  await context.close();
});
