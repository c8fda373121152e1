// Notifications by email, end to end: jaga writes to a real SMTP server
// (Debian's python3-aiosmtpd, started here on 127.0.0.1) and the test reads
// what arrived: the affected organisation and the reporter, each in their
// language, with what TLP allows; retries after a temporary refusal; failures
// kept and shown; nothing lost while the mail server or jaga itself is down;
// templates edited by an administrator; SLA reminders sent once.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { loadSpec } from '../lib/openapi.mjs';
import { addUser, fileReport, jagaBin, startServer } from '../lib/server.mjs';
import { startSmtpSink } from '../lib/smtp.mjs';

const sourceDir = process.env.JAGA_SOURCE_DIR ?? process.cwd();
let server;
let sink;
let conforms;
const auth = {};
let env;

before(async () => {
  ({ conforms } = await loadSpec(join(sourceDir, 'docs/api/openapi.yaml')));
  sink = await startSmtpSink();
  env = {
    JAGA_SMTP_URL: sink.url,
    JAGA_SMTP_FROM: 'desk@csirt-contoh.go.id',
    JAGA_SMTP_TLS: 'none',
    JAGA_DESK_NAME: 'Pusat Kontak Siber Contoh',
    JAGA_PUBLIC_URL: 'https://lapor.csirt-contoh.go.id',
    JAGA_NOTIFICATION_RETRY_SECONDS: '1',
    JAGA_NOTIFICATION_ATTEMPTS: '4',
    JAGA_REMINDER_INTERVAL_SECONDS: '1',
    JAGA_REMINDER_HOURS: '2',  // only incidents due within two hours (critical ones: 1 h in this test's SLA)
    JAGA_CRITICAL_RESOLUTION_HOURS: '1',
  };
  server = await startServer({ env });
  addUser(server.dataDir, 'admin1', 'administrator', 'kata-sandi-admin-1');
  addUser(server.dataDir, 'analis1', 'analyst', 'kata-sandi-analis-1');
  for (const who of ['admin1', 'analis1']) {
    const token = spawnSync(jagaBin, ['token', 'create', who, '--data-dir', server.dataDir], { encoding: 'utf8' }).stdout.trim();
    auth[who] = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  }
  const organisations = [
    { name: 'Direktorat Pajak Contoh', kind: 'agency', language: 'en', domains: ['pajak-contoh.go.id'],
      contacts: [{ name: 'CSIRT Pajak', email: 'csirt@pajak-contoh.go.id' }, { name: 'Ops Pajak', email: 'tempfail-ops@pajak-contoh.go.id' }] },
    { name: 'Dinas Kominfo Contoh', kind: 'province', language: 'zh', domains: ['kominfo-contoh.go.id'],
      contacts: [{ name: 'Tidak Ada', email: 'reject-me@kominfo-contoh.go.id' }] },
    { name: 'Badan Tanpa Kontak', kind: 'agency', domains: ['tanpa-kontak.go.id'], contacts: [] },
  ];
  for (const o of organisations) assert.equal((await call('admin1', 'POST', '/api/v1/organisations', o)).status, 201);
});
after(async () => { await server?.stop(); server?.cleanup(); await sink?.stop(); sink?.cleanup(); });

const call = (who, method, path, body) => fetch(`${server.url}${path}`, { method, headers: auth[who], body: body === undefined ? undefined : JSON.stringify(body) });
const analyst = (method, path, body) => call('analis1', method, path, body);

async function openIncident({ description, tlp = 'amber', severity = 'high', email = 'warga@example.org', language = 'zh' }) {
  const filed = (await fileReport(server.url, { category: 'fraud:phishing', description, language, contact: { name: 'Warga', email } })).body;
  const created = await analyst('POST', '/api/v1/incidents', { title: 'Phishing meniru portal pajak', category: 'fraud:phishing', severity, tlp, reports: [filed.tracking_code] });
  assert.equal(created.status, 201);
  return { filed, reference: (await created.json()).reference };
}

async function outboxOf(reference, until = () => true, ms = 15000) {
  const deadline = Date.now() + ms;
  while (true) {
    const list = await conforms(await analyst('GET', `/api/v1/outbox?incident=${reference}`), 'GET', '/api/v1/outbox');
    if (until(list.items) || Date.now() > deadline) return list;
    await new Promise((r) => setTimeout(r, 200));
  }
}

test('the affected organisation and the reporter hear of a new incident, each in their language, with what TLP allows', async () => {
  const { filed, reference } = await openIncident({ description: 'Tautan https://sso.pajak-contoh.go.id/login?next=x dan situs klaim-hadiah-pajak.com meminta NPWP' });
  const [org] = await sink.waitFor((m) => m.rcpt_tos.includes('csirt@pajak-contoh.go.id') && m.reference === reference);
  assert.equal(org.subject, `[${reference}] Cyber incident involving Direktorat Pajak Contoh`, 'English, the organisation\'s language');
  assert.equal(org.from, 'Pusat Kontak Siber Contoh <desk@csirt-contoh.go.id>');
  assert.equal(org.mail_from, 'desk@csirt-contoh.go.id');
  assert.equal(org.auto_submitted, 'auto-generated');
  assert.equal(org.charset, 'utf-8');
  assert.match(org.body, /^Dear Direktorat Pajak Contoh,/);
  assert.match(org.body, /Indicators \(TLP:AMBER\):\n/);
  assert.match(org.body, /- domain: klaim-hadiah-pajak\.com\n/);
  assert.match(org.body, /- url: https:\/\/sso\.pajak-contoh\.go\.id\/login\?next=x\n/);
  assert.match(org.body, /-- Pusat Kontak Siber Contoh\n$/);

  const [reporter] = await sink.waitFor((m) => m.rcpt_tos.includes('warga@example.org') && m.subject.includes(filed.tracking_code));
  assert.equal(reporter.subject, `您的报告 ${filed.tracking_code} 正在处理`, 'Chinese, the language the report was filed in');
  assert.ok(reporter.body.includes(`https://lapor.csirt-contoh.go.id/status/${filed.tracking_code}`));
  assert.ok(!reporter.body.includes('sso.pajak-contoh.go.id'), 'reporters are not sent indicators');
  assert.ok(!reporter.body.includes(filed.secret), 'nor their secret');

  // The second contact was refused once (451) and is retried after a second.
  const [retried] = await sink.waitFor((m) => m.rcpt_tos.includes('tempfail-ops@pajak-contoh.go.id') && m.reference === reference);
  assert.equal(retried.message_id, org.message_id.replace(/^<outbox-(\d+)\./, (_, id) => `<outbox-${Number(id) + 1}.`), 'one Message-ID per outbox entry');
  const outbox = await outboxOf(reference, (items) => items.every((m) => m.status === 'sent'));
  const ops = outbox.items.find((m) => m.recipient === 'tempfail-ops@pajak-contoh.go.id');
  assert.equal(ops.status, 'sent');
  assert.equal(ops.attempts, 2);
  assert.equal(outbox.delivery.configured, true);

  const incident = await conforms(await analyst('GET', `/api/v1/incidents/${reference}`), 'GET', '/api/v1/incidents/{reference}');
  assert.equal(incident.notifications.length, 3);
  assert.ok(incident.timeline.some((e) => e.kind === 'notification'));
});

test('status changes reach the organisation, and the end reaches the reporter too; public notes reach both', async () => {
  const { filed, reference } = await openIncident({ description: 'Halaman palsu di http://pajak-contoh.go.id.verifikasi.com/ meniru https://pajak-contoh.go.id/masuk', email: 'ani@example.org', language: 'id' });
  await sink.waitFor((m) => m.rcpt_tos.includes('csirt@pajak-contoh.go.id') && m.reference === reference);
  await conforms(await analyst('PATCH', `/api/v1/incidents/${reference}`, { status: 'triaged' }), 'PATCH', '/api/v1/incidents/{reference}');
  await sink.waitFor((m) => m.rcpt_tos.includes('csirt@pajak-contoh.go.id') && m.subject === `[${reference}] Status: triaged`);
  await analyst('PATCH', `/api/v1/incidents/${reference}`, { status: 'resolved' });
  const [done] = await sink.waitFor((m) => m.rcpt_tos.includes('ani@example.org') && m.subject.includes('selesai ditangani'));
  assert.equal(done.subject, `Laporan ${filed.tracking_code}: selesai ditangani`);
  assert.ok(!sink.messages().some((m) => m.rcpt_tos.includes('ani@example.org') && m.subject.includes('ditelaah')), 'not every step');

  await analyst('POST', `/api/v1/incidents/${reference}/comments`, { text: 'Cek log server dulu (internal).' });
  await analyst('POST', `/api/v1/incidents/${reference}/comments`, { text: 'Situs palsu sudah diblokir.', visibility: 'public' });
  const notes = await sink.waitFor((m) => m.body.startsWith('Situs palsu sudah diblokir.') && (m.rcpt_tos.includes('ani@example.org') || m.rcpt_tos.includes('csirt@pajak-contoh.go.id')));
  await sink.waitFor((m) => m.body.startsWith('Situs palsu sudah diblokir.') && m.rcpt_tos.includes('ani@example.org'));
  assert.ok(notes.length >= 1);
  assert.ok(!sink.messages().some((m) => m.body.includes('internal')), 'internal comments are never sent');
});

test('a TLP:RED incident is emailed without its indicators, and says so', async () => {
  const { reference } = await openIncident({ description: 'Akses tidak sah dari https://admin.pajak-contoh.go.id/panel', tlp: 'red' });
  const [org] = await sink.waitFor((m) => m.rcpt_tos.includes('csirt@pajak-contoh.go.id') && m.reference === reference);
  assert.ok(!org.body.includes('admin.pajak-contoh.go.id'), org.body);
  assert.match(org.body, /Indicators labelled TLP:RED are not sent by email; please call us\./);
});

test('a refused address and an organisation without one are failures kept in view, not dropped', async () => {
  const { reference } = await openIncident({ description: 'Deface di https://kominfo-contoh.go.id/ dan https://tanpa-kontak.go.id/' });
  const outbox = await outboxOf(reference, (items) => items.filter((m) => m.status === 'failed').length === 2);
  const refused = outbox.items.find((m) => m.recipient === 'reject-me@kominfo-contoh.go.id');
  assert.equal(refused.status, 'failed');
  assert.equal(refused.attempts, 1, 'a 5xx answer is final: no pointless retries');
  assert.equal(refused.last_error, 'the mail server answered 550 5.1.1 No such mailbox here', 'the server\'s own words');
  assert.match(refused.subject, /涉及Dinas Kominfo Contoh的网络安全事件/);
  const nobody = outbox.items.find((m) => m.organisation === 'Badan Tanpa Kontak');
  assert.equal(nobody.status, 'failed');
  assert.equal(nobody.last_error, 'Badan Tanpa Kontak has no contact with an email address: add one in the registry, then notify again.');
  assert.ok(outbox.counts.failed >= 2);
  const failedOnly = await conforms(await analyst('GET', '/api/v1/outbox?status=failed'), 'GET', '/api/v1/outbox');
  assert.ok(failedOnly.items.every((m) => m.status === 'failed'));

  // Retrying puts it back in the queue; the server refuses it again, visibly.
  const retry = await analyst('POST', `/api/v1/outbox/${refused.id}/retry`);
  assert.equal((await conforms(retry, 'POST', '/api/v1/outbox/{id}/retry')).status, 'queued');
  const again = await outboxOf(reference, (items) => items.find((m) => m.id === refused.id).status === 'failed');
  assert.equal(again.items.find((m) => m.id === refused.id).status, 'failed');
  const noAddress = await analyst('POST', `/api/v1/outbox/${nobody.id}/retry`);
  assert.equal(noAddress.status, 409);
  assert.ok(outbox.items.filter((m) => m.recipient_kind === 'organisation').every((m) => m.status === 'failed'), 'no organisation here could be written to');
  assert.equal((await analyst('POST', '/api/v1/outbox/999999/retry')).status, 404);
  assert.equal((await analyst('GET', '/api/v1/outbox?status=lost')).status, 400);

  // Sending the summary again needs an affected organisation.
  const lonely = await openIncident({ description: 'Tidak ada organisasi di sini: https://situs-acak.example/' });
  const refusedNotify = await analyst('POST', `/api/v1/incidents/${lonely.reference}/notify`);
  assert.equal(refusedNotify.status, 409);
  assert.match((await conforms(refusedNotify, 'POST', '/api/v1/incidents/{reference}/notify')).detail, /has no affected organisation to notify/);
  const audit = await (await call('admin1', 'GET', '/api/v1/audit?action=notification.retry')).json();
  assert.equal(audit.items[0].target, String(refused.id), 'retries are audited');
});

test('nothing is lost while the mail server is down, nor when jaga is killed with messages waiting', async () => {
  const { reference } = await openIncident({ description: 'Phishing: https://login.pajak-contoh.go.id/ dialihkan ke akun-aman-pajak.com' });
  await sink.waitFor((m) => m.rcpt_tos.includes('csirt@pajak-contoh.go.id') && m.reference === reference);
  const port = sink.port;
  await sink.stop();
  await analyst('POST', `/api/v1/incidents/${reference}/comments`, { text: 'Pemberitahuan saat server surat mati.', visibility: 'public' });
  const waiting = await outboxOf(reference, (items) => items.some((m) => m.subject.includes('update') && m.attempts >= 1));
  const pending = waiting.items.find((m) => m.subject === `[${reference}] An update` && m.recipient === 'csirt@pajak-contoh.go.id');
  assert.equal(pending.status, 'queued', 'waiting for another attempt, not dropped');
  assert.notEqual(pending.last_error, '');
  assert.ok(waiting.counts.retrying >= 1);

  await server.kill();  // SIGKILL with the message still waiting
  sink.cleanup();
  sink = await startSmtpSink({ port });
  server = await startServer({ env, dataDir: server.dataDir });
  const [arrived] = await sink.waitFor((m) => m.rcpt_tos.includes('csirt@pajak-contoh.go.id') && m.body.startsWith('Pemberitahuan saat server surat mati.'));
  assert.equal(arrived.reference, reference);
});

test('an administrator edits a template, the next message uses it, and bad fields are refused', async () => {
  const templates = await conforms(await call('admin1', 'GET', '/api/v1/notification-templates'), 'GET', '/api/v1/notification-templates');
  assert.equal(templates.items.length, 21, '4 events for organisations and 3 for reporters, in 3 languages');
  assert.ok(templates.fields.organisation.includes('indicators'));
  assert.ok(!templates.fields.reporter.includes('indicators'));
  const path = '/api/v1/notification-templates/incident_opened/organisation/en';
  const edited = { subject: 'Security notice {{reference}} for {{organisation}}', body: 'To {{organisation}}:\n\n{{title}} ({{tlp}})\n{{indicators}}\n-- {{desk}}\n' };
  assert.equal((await call('analis1', 'PUT', path, edited)).status, 403, 'administrators only');
  const typo = await call('admin1', 'PUT', path, { ...edited, body: 'Hello {{organization}}' });
  assert.equal(typo.status, 400);
  assert.equal((await conforms(typo, 'PUT', '/api/v1/notification-templates/{event}/{recipient}/{language}')).detail,
    '{{organization}} is not a field of this message; use organisation, reference, title, category, severity, tlp, status, due, indicators, note, desk');
  assert.equal((await call('admin1', 'PUT', '/api/v1/notification-templates/sla_reminder/reporter/en', edited)).status, 404, 'reporters get no reminders');
  assert.equal((await call('admin1', 'PUT', path, { ...edited, subject: 'two\nlines' })).status, 400);
  await conforms(await call('admin1', 'PUT', path, edited), 'PUT', '/api/v1/notification-templates/{event}/{recipient}/{language}');

  const { reference } = await openIncident({ description: 'Situs https://pajak-contoh.go.id/ disusupi' });
  const [mail] = await sink.waitFor((m) => m.rcpt_tos.includes('csirt@pajak-contoh.go.id') && m.reference === reference);
  assert.equal(mail.subject, `Security notice ${reference} for Direktorat Pajak Contoh`);
  assert.match(mail.body, /^To Direktorat Pajak Contoh:\n\nPhishing meniru portal pajak \(TLP:AMBER\)\nIndicators/);

  await conforms(await call('admin1', 'DELETE', path), 'DELETE', '/api/v1/notification-templates/{event}/{recipient}/{language}');
  const after = await (await call('admin1', 'GET', '/api/v1/notification-templates')).json();
  const restored = after.items.find((t) => t.event === 'incident_opened' && t.recipient === 'organisation' && t.language === 'en');
  assert.equal(restored.custom, false);
  assert.equal(restored.subject, '[{{reference}}] Cyber incident involving {{organisation}}');
  const audit = await (await call('admin1', 'GET', '/api/v1/audit?action=template.update')).json();
  assert.equal(audit.items[0].target, 'incident_opened/organisation/en');
});

test('an SLA reminder goes to the organisation once per due time', async () => {
  const { reference } = await openIncident({ description: 'Ransomware di https://arsip.pajak-contoh.go.id/', severity: 'critical' });
  const [reminder] = await sink.waitFor((m) => m.rcpt_tos.includes('csirt@pajak-contoh.go.id') && m.reference === reference && m.subject.includes('Reminder'));
  assert.match(reminder.subject, new RegExp(`^\\[${reference}\\] Reminder: due \\d{4}-`));
  await new Promise((r) => setTimeout(r, 3000));  // three more scans
  const reminders = sink.messages().filter((m) => m.reference === reference && m.subject.includes('Reminder') && m.rcpt_tos.includes('csirt@pajak-contoh.go.id'));
  assert.equal(reminders.length, 1, 'once');
  const high = sink.messages().filter((m) => m.subject.includes('Reminder') && m.reference !== reference);
  assert.equal(high.length, 0, 'incidents due later (high: 72 h) are not reminded yet');
});
