// An analyst at work in headless Chromium: signs in, picks two reports about
// the same fake site and opens one incident for them, sees the affected
// organisation found from the domain and the email to it arrive at a real
// SMTP server, sends the summary again, triages it, tells the reporters in a
// public note (which appears on their status page), marks a third report as
// spam, and finds the incident in the queue. An administrator edits an email
// template and reads the outbox. axe finds no serious or critical violation;
// screenshots of each step.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { launchBrowser, noSeriousViolations, shot } from '../lib/browser.mjs';
import { addUser, fileReport, jagaBin, startServer } from '../lib/server.mjs';
import { startSmtpSink } from '../lib/smtp.mjs';
import { totp } from '../lib/totp.mjs';

let server, browser, sink;
const filed = {};

before(async () => {
  sink = await startSmtpSink({ reject: '^diskominfo@medan' });  // Kota Medan Contoh's mailbox refuses
  server = await startServer({ env: { JAGA_SMTP_URL: sink.url, JAGA_SMTP_TLS: 'none', JAGA_SMTP_FROM: 'desk@csirt-contoh.go.id', JAGA_DESK_NAME: 'Pusat Kontak Siber Contoh' } });
  browser = await launchBrowser();
  addUser(server.dataDir, 'analis', 'analyst', 'kata-sandi-analis-panjang');
  const registry = join(process.env.JAGA_SOURCE_DIR ?? process.cwd(), 'data/constituency/sample.csv');
  assert.equal(spawnSync(jagaBin, ['organisation', 'import', registry, '--data-dir', server.dataDir]).status, 0);
  filed.a = (await fileReport(server.url, { category: 'fraud:phishing', description: 'SMS mengaku dari pajak: hxxps://lapor.pajak-contoh[.]go.id/restitusi', language: 'id', contact: { name: 'Sari', email: 'sari@example.org' } })).body;
  filed.b = (await fileReport(server.url, { category: 'fraud:phishing', description: 'Phishing email linking to lapor.pajak-contoh.go.id', language: 'en' })).body;
  filed.spam = (await fileReport(server.url, { category: 'other:other', description: 'jual pulsa murah', language: 'id' })).body;
});
// Opens the desk and signs in with a name and password.
async function signIn(page, username, password) {
  await page.goto(`${server.url}/desk`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

after(async () => { await browser?.close(); await server?.stop(); server?.cleanup(); await sink?.stop(); sink?.cleanup(); });

test('an analyst turns two reports into an incident and tells the reporters', async () => {
  const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await signIn(page, 'analis', 'kata-sandi-analis-panjang');
  await page.getByRole('heading', { name: 'Received reports' }).waitFor();

  await page.getByLabel(`Pick report ${filed.a.tracking_code}`).check();
  await page.getByLabel(`Pick report ${filed.b.tracking_code}`).check();
  await page.getByLabel('Incident title').fill('Phishing: fake tax refund site');
  await page.getByLabel('Severity').selectOption('high');
  await shot(page, '11-triage-picked-reports');
  await noSeriousViolations(page, 'the report list with triage');
  await page.getByRole('button', { name: 'Open incident' }).click();

  const heading = page.getByRole('heading', { level: 1 });
  await heading.filter({ hasText: 'Phishing: fake tax refund site' }).waitFor();
  const reference = (await page.locator('h1 .mono').textContent()).trim();
  assert.match(reference, /^INC-\d{4}-\d{6}$/);
  assert.match(page.url(), new RegExp(`/desk/incidents/${reference}$`));
  await page.getByRole('link', { name: filed.a.tracking_code }).first().waitFor();
  const affected = page.locator('#organisations li');
  await affected.first().waitFor();
  assert.match(await affected.first().textContent(), /Direktorat Jenderal Pajak Contoh — found from its indicators\s*lapor\.pajak-contoh\.go\.id is under pajak-contoh\.go\.id/);

  // The organisation was written to when routing found it; the email arrives
  // at the mail server and the incident page says it was sent.
  const [first] = await sink.waitFor((m) => m.rcpt_tos.includes('admin@pajak-contoh.go.id') && m.reference === reference);
  assert.equal(first.subject, `[${reference}] Insiden siber yang melibatkan Direktorat Jenderal Pajak Contoh`, 'in the organisation\'s language');
  assert.match(first.body, /- url: https:\/\/lapor\.pajak-contoh\.go\.id\/restitusi/);
  await sink.waitFor((m) => m.rcpt_tos.includes('sari@example.org'));
  await page.reload();
  const sent = page.locator('#notifications tr', { hasText: 'admin@pajak-contoh.go.id' });
  await sent.locator('.delivery-sent').waitFor();
  await page.getByRole('button', { name: 'Send the summary to the organisations' }).click();
  const [again] = await sink.waitFor((m) => m.rcpt_tos.includes('admin@pajak-contoh.go.id') && m.reference === reference && m.message_id !== first.message_id);
  assert.equal(again.subject, first.subject);
  await page.reload();
  await page.locator('#notifications tr', { hasText: 'admin@pajak-contoh.go.id' }).nth(1).locator('.delivery-sent').waitFor();
  assert.equal(await page.locator('#notifications tbody tr').count(), 3, 'the reporter, the organisation, and the organisation again');
  await shot(page, '11b-incident-notifications-sent');
  await noSeriousViolations(page, 'the incident with its notifications');

  await page.getByLabel('Status', { exact: true }).selectOption('triaged');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await page.locator('.tag', { hasText: 'Triaged' }).waitFor();
  await page.getByLabel('Text').fill('The fake site has been reported to the registrar for takedown. Thank you for your report.');
  await page.getByLabel('Public note: also the reporters of the linked reports').check();
  await page.getByRole('button', { name: 'Add to timeline' }).click();
  await page.locator('ol.timeline li.public').waitFor();
  const kinds = await page.locator('ol.timeline li strong').allTextContents();
  assert.equal(kinds.filter((k) => k.startsWith('Notification queued')).length, 5, 'reporter, organisation, summary again, status, public note');
  assert.equal(kinds.filter((k) => !k.startsWith('Notification queued')).length, 6, 'opened, two reports linked, organisation found, triaged, public note');
  await sink.waitFor((m) => m.rcpt_tos.includes('sari@example.org') && m.body.startsWith('The fake site has been reported'));
  await shot(page, '12-incident-triaged-with-public-note');
  await noSeriousViolations(page, 'the incident');

  await page.getByRole('link', { name: 'Incidents' }).click();
  await page.getByRole('link', { name: reference }).waitFor();
  await shot(page, '13-incident-queue');
  await noSeriousViolations(page, 'the incident queue');
  await page.getByRole('link', { name: 'Assigned to me' }).click();
  await page.getByText('No incidents in this view.').waitFor();

  await page.getByRole('link', { name: 'Dashboard' }).click();
  await page.locator('#open-now').waitFor();
  assert.equal(await page.locator('#open-now').textContent(), '1');
  assert.equal(await page.locator('#response-in-time').textContent(), '100%', 'triaged within its 4 hours');
  assert.match(await page.locator('svg.chart').nth(2).getAttribute('aria-label'), /Direktorat Jenderal Pajak Contoh 1/);
  await shot(page, '13b-dashboard');
  await noSeriousViolations(page, 'the dashboard');

  await page.getByRole('link', { name: 'Received reports' }).click();
  await page.getByLabel(`Pick report ${filed.spam.tracking_code}`).check();
  await page.getByRole('button', { name: 'Mark as spam' }).click();
  await page.locator('tr', { hasText: filed.spam.tracking_code }).getByText('Not processed').waitFor();
  await context.close();

  const reporter = await browser.newContext({ locale: 'en-GB', viewport: { width: 360, height: 800 } });
  const status = await reporter.newPage();
  await status.goto(`${server.url}/status/${filed.b.tracking_code}#${filed.b.secret}`);
  await status.getByText('The fake site has been reported to the registrar for takedown.', { exact: false }).waitFor();
  assert.equal(await status.locator('#status-value').textContent(), 'Being handled');
  await shot(status, '14-reporter-sees-public-note');
  await noSeriousViolations(status, "the reporter's status page");
  await reporter.close();
});

test('the analyst turns on the second factor and then needs a code to sign in', async () => {
  const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const signInWithCode = async (code) => {
    await signIn(page, 'analis', 'kata-sandi-analis-panjang');
    if (code !== undefined) {
      await page.getByLabel('Code').fill(code());
      await page.getByRole('button', { name: 'Sign in' }).click();
    }
    await page.getByRole('heading', { name: 'Received reports' }).waitFor();
  };
  await signInWithCode();
  await page.getByRole('link', { name: 'My account' }).click();
  await page.getByRole('button', { name: 'Set up the second factor' }).click();
  const secret = (await page.locator('#totp-secret').textContent()).replace(/\s/g, '');
  assert.match(secret, /^[A-Z2-7]{32}$/);
  await shot(page, '15-second-factor-set-up');
  await noSeriousViolations(page, 'the second factor set-up');
  await page.getByLabel('Code').fill(totp(secret));
  await page.getByRole('button', { name: 'Turn on' }).click();
  await page.locator('#recovery-codes li').first().waitFor();
  assert.equal(await page.locator('#recovery-codes li').count(), 10);
  await shot(page, '16-recovery-codes');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('heading', { name: 'Sign in to the desk' }).waitFor();
  await signInWithCode(() => totp(secret, Date.now() + 30000));
  await context.close();
});

test('an administrator reads the audit log and checks its chain', async () => {
  addUser(server.dataDir, 'kepala', 'administrator', 'kata-sandi-kepala-panjang');
  const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await signIn(page, 'kepala', 'kata-sandi-kepala-panjang');
  await page.getByRole('link', { name: 'Audit log' }).click();
  await page.getByRole('heading', { name: 'Audit log' }).waitFor();
  await page.getByLabel('Who').fill('analis');
  await page.getByRole('button', { name: 'Apply' }).click();
  await page.locator('td', { hasText: 'incident.create' }).first().waitFor();
  assert.ok(await page.locator('td', { hasText: 'user.totp_enabled' }).count() >= 1, 'the second factor set-up is recorded');
  await page.getByRole('button', { name: 'Check the chain' }).click();
  await page.locator('#audit-check', { hasText: 'The audit log is intact.' }).waitFor();
  await shot(page, '17-audit-log');
  await noSeriousViolations(page, 'the audit log');

  // The template editor: a field that does not exist is refused with a
  // clear message; a good edit is used by the next message.
  await page.getByRole('link', { name: 'Email templates' }).click();
  await page.getByLabel('Template').selectOption('status_changed/organisation/id');
  await page.locator('form[data-template="status_changed/organisation/id"]').waitFor();  // the chosen template is loaded
  await page.getByLabel('Subject').fill('[{{reference}}] Status {{stauts}}');
  await page.getByRole('button', { name: 'Save template' }).click();
  await page.locator('.error-summary', { hasText: '{{stauts}} is not a field of this message' }).waitFor();
  await page.getByLabel('Subject').fill('[{{reference}}] Status insiden: {{status}}');
  await page.getByRole('button', { name: 'Save template' }).click();
  await page.locator('#tpl-saved', { hasText: 'Template saved' }).waitFor();
  assert.match(await page.getByLabel('Template').locator('option:checked').textContent(), /edited/);
  await shot(page, '18-email-template-edited');
  await noSeriousViolations(page, 'the template editor');
  const incidents = await (await fetch(`${server.url}/api/v1/incidents`, { headers: { cookie: (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ') } })).json();
  const reference = incidents.items[0].reference;
  await page.goto(`${server.url}/desk/incidents/${reference}`);
  await page.getByLabel('Status', { exact: true }).selectOption('in_progress');
  await page.getByRole('button', { name: 'Save changes' }).click();
  const [edited] = await sink.waitFor((m) => m.subject === `[${reference}] Status insiden: sedang ditangani`);
  assert.deepEqual(edited.rcpt_tos, ['admin@pajak-contoh.go.id']);

  // A mailbox that refuses: the failure shows in the outbox, with a badge in
  // the navigation, and a retry.
  const token = spawnSync(jagaBin, ['token', 'create', 'analis', '--data-dir', server.dataDir], { encoding: 'utf8' }).stdout.trim();
  const medan = (await fileReport(server.url, { category: 'intrusions:application-compromise', description: 'Situs https://layanan.medan-contoh.go.id/ berisi iklan judi' })).body;
  const opened = await fetch(`${server.url}/api/v1/incidents`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ title: 'Deface situs Pemkot Medan', category: 'intrusions:application-compromise', reports: [medan.tracking_code] }) });
  assert.equal(opened.status, 201);
  await page.getByRole('link', { name: 'Outbox' }).click();
  await page.locator('#outbox tbody tr').first().waitFor();
  assert.ok(await page.locator('#outbox .delivery-sent').count() >= 5);
  for (let i = 0; i < 50 && !(await page.locator('#outbox .delivery-failed').count()); ++i) {
    await new Promise((r) => setTimeout(r, 200));
    await page.reload();
  }
  const failed = page.locator('#outbox tr.failed', { hasText: 'diskominfo@medan-contoh.go.id' });
  assert.equal(await failed.locator('.error-text').textContent(), 'the mail server answered 550 5.1.1 No such mailbox here');
  await page.locator('#failed-count', { hasText: 'Failed messages: 1' }).waitFor();
  await page.locator('#nav-outbox .badge', { hasText: '1' }).waitFor();
  await shot(page, '19-outbox-with-a-failure');
  // Retry queues it again for an attempt now (the mailbox still refuses, so
  // it will fail again; when is the delivery worker's business).
  const retried = page.waitForResponse((r) => r.url().includes('/api/v1/outbox/') && r.url().endsWith('/retry'), { timeout: 15000 });
  await failed.getByRole('button', { name: 'Retry' }).click();
  assert.equal((await retried).status(), 200);
  await noSeriousViolations(page, 'the outbox');
  await context.close();
});

// Opens a saved view of the incident queue and waits until it is the one
// shown: until then the rows and filters on the page are the last view's,
// and a filter chosen there is lost when the new view is drawn.
async function openView(page, name) {
  await page.getByRole('link', { name }).click();
  await page.locator('nav.tabs a[aria-current="page"]', { hasText: name }).waitFor();
}

test('the queue filters by organisation and class; an organisation contact sees only its own incident', async () => {
  const analyst = await browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 900 } });
  const page = await analyst.newPage();
  await signIn(page, 'kepala', 'kata-sandi-kepala-panjang');  // analis has a second factor by now
  await page.getByRole('heading', { name: 'Received reports' }).waitFor();
  await page.getByRole('link', { name: 'Incidents' }).click();
  await openView(page, 'All');
  await page.locator('tbody tr').nth(1).waitFor();
  await page.getByLabel('Organisation').selectOption({ label: 'Kota Medan Contoh' });
  await page.getByRole('button', { name: 'Search' }).click();
  await page.waitForURL(/organisation=\d+/);
  await page.locator('tbody tr', { hasText: 'Phishing: fake tax refund site' }).waitFor({ state: 'detached' });
  await page.locator('tbody tr', { hasText: 'Deface situs Pemkot Medan' }).waitFor();
  assert.equal(await page.locator('tbody tr').count(), 1, 'only the incident affecting Kota Medan Contoh');
  await page.getByLabel('Class (RSIT)').selectOption('fraud');
  await page.getByRole('button', { name: 'Search' }).click();
  await page.getByText('No incidents in this view.').waitFor();
  await page.getByLabel('Organisation').selectOption({ label: 'Any' });
  await page.getByRole('button', { name: 'Search' }).click();
  await page.waitForURL(/category=fraud(?!.*organisation)/);
  await page.locator('tbody tr', { hasText: 'Phishing: fake tax refund site' }).waitFor();
  assert.equal(await page.locator('tbody tr').count(), 1, 'only the fraud incident');
  await shot(page, '20-queue-filtered-by-class');
  await noSeriousViolations(page, 'the filtered incident queue');
  await analyst.close();

  addUser(server.dataDir, 'kontak-pajak', 'organisation-contact', 'kata-sandi-kontak-panjang', ['--organisation', 'Direktorat Jenderal Pajak Contoh']);
  const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 900 } });
  const contact = await context.newPage();
  await signIn(contact, 'kontak-pajak', 'kata-sandi-kontak-panjang');
  await contact.getByRole('heading', { name: 'Incidents' }).waitFor();
  assert.equal(new URL(contact.url()).pathname, '/desk/incidents');
  await openView(contact, 'All');
  await contact.locator('tbody tr').first().waitFor();
  assert.equal(await contact.locator('tbody tr').count(), 1, 'only the incident affecting its organisation');
  assert.match(await contact.locator('tbody tr').textContent(), /Phishing: fake tax refund site/);
  assert.equal(await contact.getByRole('link', { name: 'Received reports' }).count(), 0, 'no report list for a contact');
  await shot(contact, '21-contact-incident-list');
  await noSeriousViolations(contact, "the organisation contact's incident list");

  await contact.locator('tbody tr a.mono').click();
  await contact.getByRole('heading', { name: 'Phishing: fake tax refund site' }).waitFor();
  await contact.getByText('The fake site has been reported to the registrar for takedown.', { exact: false }).waitFor();
  assert.equal(await contact.getByRole('button', { name: 'Save changes' }).count(), 0, 'a contact cannot change the incident');
  assert.equal(await contact.locator('ol.timeline li:not(.public)').count(), 0, 'no internal entries');
  assert.match(await contact.locator('#organisations').textContent(), /Direktorat Jenderal Pajak Contoh/);
  await shot(contact, '22-contact-incident-page');
  await noSeriousViolations(contact, "the organisation contact's incident page");

  // Another organisation's incident answers like one that does not exist.
  const all = (await (await fetch(`${server.url}/api/v1/incidents`, { headers: { authorization: `Bearer ${adminToken()}` } })).json()).items;
  const medan = all.find((i) => i.title === 'Deface situs Pemkot Medan');
  await contact.goto(`${server.url}/desk/incidents/${medan.reference}`);
  await contact.locator('.error-summary', { hasText: `no incident ${medan.reference}` }).waitFor();
  await context.close();
});

function adminToken() {
  return spawnSync(jagaBin, ['token', 'create', 'kepala', '--data-dir', server.dataDir], { encoding: 'utf8' }).stdout.trim();
}
