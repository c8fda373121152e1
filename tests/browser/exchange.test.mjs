// Sharing with partners in headless Chromium: an analyst shares an incident
// from its page with a partner whose agreement asks for four eyes; a second
// analyst finds it waiting on the partners page and approves it; the
// partner reads it over TAXII and the transfer log and its chart show what
// left; the sync state of a partner's server is shown, and a sync runs on
// demand. axe finds no serious or critical violation; screenshots of each step.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, test } from 'node:test';
import { launchBrowser, noSeriousViolations, shot } from '../lib/browser.mjs';
import { startOddTaxii } from '../lib/odd_taxii.mjs';
import { addUser, fileReport, jagaBin, startServer } from '../lib/server.mjs';

const TAXII = 'application/taxii+json;version=2.1';
let server, browser, odd, reference;

const jaga = (args, input) => {
  const r = spawnSync(jagaBin, [...args, '--data-dir', server.dataDir], { encoding: 'utf8', input });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
};

before(async () => {
  odd = await startOddTaxii();
  odd.add([{ type: 'indicator', spec_version: '2.1', id: 'indicator--7e3b6a26-54a1-4a0c-9a43-2d3f1b4c5d6e', created: '2026-12-01T00:00:00.000Z',
    modified: '2026-12-01T00:00:00.000Z', pattern: "[domain-name:value = 'regional-c2.top']", pattern_type: 'stix', valid_from: '2026-12-01T00:00:00Z' }]);
  server = await startServer();
  browser = await launchBrowser();
  for (const name of ['analis1', 'analis2']) addUser(server.dataDir, name, 'analyst', `kata-sandi-${name}-panjang`);
  jaga(['partner', 'add', 'cn-cac', '--password-stdin', '--collection', 'id-cn:r', '--four-eyes', '--title', 'Cyberspace Administration of China',
    '--agreement', 'MoU ID-CN 2026/03'], 'sandi-mitra-cn-panjang\n');
  jaga(['partner', 'add', 'asean-hub', '--password-stdin', '--title', 'Regional data centre'], 'sandi-mitra-hub-panjang\n');
  jaga(['partner', 'remote', 'asean-hub', '--api-root', odd.apiRoot, '--remote-collection', 'shared', '--username', odd.username,
    '--password-stdin', '--pull-into', 'asean', '--interval', '3600'], `${odd.password}\n`);
  const token = jaga(['token', 'create', 'analis1']).trim();
  const filed = await fileReport(server.url, { category: 'fraud:phishing', language: 'id',
    description: 'SMS palsu bea cukai: http://bea-cukai-paket.top/bayar' });
  const created = await fetch(`${server.url}/api/v1/incidents`, { method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ title: 'Phishing bea cukai', category: 'fraud:phishing', severity: 'high', reports: [filed.body.tracking_code] }) });
  reference = (await created.json()).reference;
});
after(async () => { await browser?.close(); await server?.stop(); server?.cleanup(); await odd?.stop(); });

async function signIn(name) {
  const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${server.url}/desk`);
  await page.getByLabel('Username').fill(name);
  await page.getByLabel('Password').fill(`kata-sandi-${name}-panjang`);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('link', { name: 'Partners' }).waitFor();
  return page;
}

test('a share waits for a second analyst, then leaves, and the transfer log shows it', async () => {
  const first = await signIn('analis1');
  await first.goto(`${server.url}/desk/incidents/${reference}`);
  await first.getByRole('heading', { name: 'Share with partners' }).waitFor();
  await first.getByLabel('Collection').selectOption('id-cn');
  await first.getByLabel('TLP', { exact: true }).last().selectOption('TLP:GREEN');
  await first.getByRole('button', { name: 'Share', exact: true }).click();
  await first.locator('#shares').getByText('waiting for approval').waitFor();
  assert.match(await first.locator('#shares').textContent(), /2 indicators and the incident → id-cn TLP:GREEN/);
  await shot(first, '40-exchange-share-pending');
  await noSeriousViolations(first, 'the incident page with its share form');

  const second = await signIn('analis2');
  await second.getByRole('link', { name: 'Partners' }).click();
  await second.getByRole('heading', { name: 'Partner exchange', level: 1 }).waitFor();
  await second.getByRole('heading', { name: 'Waiting for approval (1)' }).waitFor();
  assert.match(await second.locator('#approval-list').textContent(), new RegExp(`${reference} → id-cn.*asked by analis1.*four eyes for cn-cac`));
  assert.match(await second.locator('#partners').textContent(), /cn-cac.*Cyberspace Administration of China.*TLP:GREEN.*MoU ID-CN 2026\/03/);
  await shot(second, '41-exchange-approvals');
  await second.getByRole('button', { name: 'Approve and send' }).click();
  await second.getByRole('heading', { name: 'Waiting for approval (0)' }).waitFor();

  // The partner reads its collection: that is a transfer.
  const read = await fetch(`${server.url}/taxii2/api/collections/id-cn/objects/`, {
    headers: { accept: TAXII, authorization: `Basic ${Buffer.from('cn-cac:sandi-mitra-cn-panjang').toString('base64')}` } });
  const objects = (await read.json()).objects;
  assert.equal(objects.filter((o) => o.type === 'indicator').length, 2, JSON.stringify(objects.filter((o) => o.type === 'indicator').map((o) => [o.id, o.modified, o.name])));
  await second.reload();
  const log = second.locator('#transfer-log');
  await log.waitFor();
  assert.match(await log.locator('tbody tr').first().textContent(), /sentcn-cacid-cntaxii-get\d+TLP:GREEN · MoU ID-CN 2026\/03/);
  // Two bars a partner (sent, received): cn-cac, and asean-hub once its scheduled pull has run.
  const bars = await second.locator('svg.chart rect').count();
  assert.ok(bars === 2 || bars === 4, `${bars} bars`);
  assert.match(await second.locator('svg.chart').textContent(), /cn-cac\d+ sent0 received/);
  await shot(second, '42-exchange-transfers');

  // The incident's timeline says it was shared, and by whom it was approved.
  await first.reload();
  await first.locator('#shares').getByText('shared', { exact: true }).waitFor();
  assert.match(await first.locator('ol.timeline').textContent(), /Shared with partners.*2 indicators and the incident shared to id-cn at TLP:GREEN/);
  assert.match(await first.locator('#shares').textContent(), /analis1 .* analis2/);
});

test('the sync state of each partner, and a sync on demand', async () => {
  const page = await signIn('analis1');
  await page.goto(`${server.url}/desk/exchange`);
  const row = page.locator('#partners tr', { hasText: 'asean-hub' });
  await row.waitFor();
  await row.getByRole('button', { name: 'Sync now' }).click();
  await page.locator('#exchange-status').getByText(/^Synced: \d+ objects pulled, 0 pushed\.$/).waitFor();
  assert.match(await page.locator('#partners tr', { hasText: 'asean-hub' }).textContent(), /Last success .*1 pulled, 0 pushed/);
  assert.match(await page.locator('#partners tr', { hasText: 'cn-cac' }).textContent(), /Their server is not set/);
  await shot(page, '43-exchange-sync');
  await noSeriousViolations(page, 'the partners page');
  const csv = await page.request.get(`${server.url}/api/v1/transfers/export`);
  assert.equal(csv.status(), 200);
  assert.match(await csv.text(), /received,asean-hub,asean,pull/);
});
