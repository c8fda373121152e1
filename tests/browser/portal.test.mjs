// The portal and the desk as people use them, in headless Chromium: file a
// report in Indonesian with an attachment, open the status page, add
// information, switch languages, submit an empty form, an operator signs in
// and enters a phone report. axe finds no serious or critical violation.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { launchBrowser, noSeriousViolations, shot } from '../lib/browser.mjs';
import { addUser, startServer } from '../lib/server.mjs';

let server, browser;

before(async () => {
  server = await startServer({ env: { JAGA_POW_DIFFICULTY: '8' } });
  browser = await launchBrowser();
});
after(async () => { await browser?.close(); await server?.stop(); server?.cleanup(); });

test('a citizen files a report in Indonesian, follows it and adds information', async () => {
  const context = await browser.newContext({ locale: 'id-ID', viewport: { width: 360, height: 800 } });
  const page = await context.newPage();
  await page.goto(server.url);
  await page.getByRole('heading', { level: 1, name: 'Laporkan insiden siber' }).waitFor();
  await shot(page, '01-form-id-360px');
  await noSeriousViolations(page, 'the form');
  await page.getByLabel('Pesan atau situs yang meminta kata sandi atau data').check();
  await page.getByLabel('Apa yang terjadi?').fill('Saya menerima SMS dari +62 812-3456-7890 dengan tautan hxxps://bank-palsu[.]com/login');
  const file = join(tmpdir(), 'tangkapan.png');
  writeFileSync(file, Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a5f1b1620000000049454e44ae426082', 'hex'));
  await page.getByLabel('Lampiran (opsional)').setInputFiles(file);
  await page.getByLabel('Tidak, saya ingin tetap anonim').check();
  await page.getByRole('button', { name: 'Kirim laporan' }).click();
  const code = await page.locator('#tracking-code').textContent({ timeout: 30000 });
  assert.match(code, /^JG-[A-Z0-9]{4}-[A-Z0-9]{4}$/);
  await shot(page, '02-confirmation');
  await noSeriousViolations(page, 'the confirmation');
  await page.getByRole('link', { name: 'Buka halaman status' }).click();
  await page.locator('#status-code').waitFor();
  assert.equal(await page.locator('#status-code').textContent(), code);
  assert.equal(await page.locator('#status-value').textContent(), 'Diterima');
  await page.getByLabel('Informasi baru').fill('Pelaku juga menelepon dari 0813 2222 3333');
  await page.getByRole('button', { name: 'Tambahkan' }).click();
  await page.getByText('Terima kasih, informasi Anda sudah ditambahkan.').waitFor();
  await page.getByText('Pelaku juga menelepon dari 0813 2222 3333').waitFor();
  await shot(page, '03-status-with-addition');
  await noSeriousViolations(page, 'the status page');
  await context.close();
});

test('the portal speaks Chinese and English and remembers the choice', async () => {
  const context = await browser.newContext({ locale: 'zh-CN' });
  const page = await context.newPage();
  await page.goto(server.url);
  await page.getByRole('heading', { level: 1, name: '举报网络安全事件' }).waitFor();
  await shot(page, '04-form-zh');
  await noSeriousViolations(page, 'the Chinese form');
  await page.getByRole('button', { name: 'English' }).click();
  await page.getByRole('heading', { level: 1, name: 'Report a cyber incident' }).waitFor();
  await page.reload();
  await page.getByRole('heading', { level: 1, name: 'Report a cyber incident' }).waitFor();
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  await shot(page, '05-form-en');
  await context.close();
});

test('an empty form shows an error summary linked to the fields, by keyboard', async () => {
  const context = await browser.newContext({ locale: 'en-GB' });
  const page = await context.newPage();
  await page.goto(server.url);
  await page.getByRole('button', { name: 'Send report' }).focus();
  await page.keyboard.press('Enter');
  const summary = page.getByRole('alert');
  await summary.getByText('There is a problem').waitFor();
  await summary.getByRole('link', { name: 'Choose what kind of problem it is' }).waitFor();
  await summary.getByRole('link', { name: 'Tell us what happened' }).waitFor();
  assert.ok(await page.evaluate(() => document.activeElement?.id === 'error-summary'));
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'description');
  await shot(page, '06-error-summary');
  await noSeriousViolations(page, 'the error summary');
  await context.close();
});

test('an operator signs in and enters a phone report', async () => {
  addUser(server.dataDir, 'operator2', 'operator', 'kata-sandi-operator-2');
  const context = await browser.newContext({ locale: 'en-GB' });
  const page = await context.newPage();
  await page.goto(`${server.url}/desk`);
  await page.getByLabel('Username').fill('operator2');
  await page.getByLabel('Password').fill('kata-sandi-operator-2');
  await shot(page, '07-desk-sign-in');
  await noSeriousViolations(page, 'the sign-in page');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Received reports' }).waitFor();
  await page.getByRole('link', { name: 'Enter a report' }).click();
  await page.getByLabel('Received by').selectOption('phone');
  await page.getByLabel('Category (RSIT)').selectOption('fraud:masquerade');
  await page.getByLabel('What happened').fill('Caller says someone claiming to be from the tax office asked for a transfer to 0812 7777 8888');
  await page.getByLabel('Name').fill('Pak Joko');
  await page.getByLabel('Phone').fill('0812 1111 0000');
  await page.getByLabel('The reporter agreed to the processing of their contact details').check();
  await shot(page, '08-desk-new-report');
  await noSeriousViolations(page, 'the intake form');
  await page.getByRole('button', { name: 'Save report' }).click();
  await page.getByText('+6281277778888').waitFor();
  assert.match(await page.locator('h1').textContent(), /JG-/);
  await shot(page, '09-desk-report');
  await noSeriousViolations(page, 'the report view');
  await page.getByRole('link', { name: 'Received reports' }).click();
  await page.locator('table').waitFor();
  await shot(page, '10-desk-list');
  await noSeriousViolations(page, 'the report list');
  await context.close();
});
