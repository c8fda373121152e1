// The public API as an outside client uses it: the stable contract, the
// errors (problem+json, right 4xx, never a 500), health, metrics, desk sign-in.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, test } from 'node:test';
import { addUser, fileReport, jagaBin, startServer } from '../lib/server.mjs';

let server;
before(async () => { server = await startServer(); });
after(async () => { await server.stop(); server.cleanup(); });

test('a report is filed and read back with its secret', async () => {
  const { status, body } = await fileReport(server.url, {
    category: 'fraud:phishing', description: 'SMS dari +62 812-3456-7890: hxxps://bank-palsu[.]com/login', language: 'id',
    contact: { name: 'Budi', email: 'budi@example.id' },
  });
  assert.equal(status, 201);
  assert.match(body.tracking_code, /^JG-[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}$/);
  assert.ok(body.secret.length >= 32);
  assert.ok(body.status_url.endsWith(`/status/${body.tracking_code}#${body.secret}`), 'secret in the fragment');
  assert.ok(!body.status_url.includes('?'));
  const read = await fetch(`${server.url}/api/v1/reports/${body.tracking_code}`, { headers: { 'X-Report-Secret': body.secret } });
  assert.equal(read.status, 200);
  const report = await read.json();
  assert.equal(report.tracking_code, body.tracking_code);
  assert.equal(report.status, 'received');
  const values = report.indicators.map((i) => `${i.type}:${i.value}`);
  for (const want of ['url:https://bank-palsu.com/login', 'domain:bank-palsu.com', 'phone:+6281234567890']) assert.ok(values.includes(want), want);
  assert.ok(!JSON.stringify(report).includes('budi@example.id'), 'no personal data on the status API');
});

test('a wrong or missing secret is a 404 exactly like an unknown code', async () => {
  const { body } = await fileReport(server.url, { category: 'fraud:phishing', description: 'x' });
  const wrong = await fetch(`${server.url}/api/v1/reports/${body.tracking_code}`, { headers: { 'X-Report-Secret': 'nope' } });
  const missing = await fetch(`${server.url}/api/v1/reports/${body.tracking_code}`);
  const unknown = await fetch(`${server.url}/api/v1/reports/JG-2222-2222`, { headers: { 'X-Report-Secret': body.secret } });
  const bodies = await Promise.all([wrong, missing, unknown].map((r) => r.text()));
  for (const r of [wrong, missing, unknown]) {
    assert.equal(r.status, 404);
    assert.equal(r.headers.get('content-type'), 'application/problem+json');
  }
  assert.equal(bodies[0], bodies[1]);
  assert.equal(bodies[1], bodies[2]);
});

test('additions are accepted with the secret and relate reports', async () => {
  const a = await fileReport(server.url, { category: 'fraud:phishing', description: 'lihat http://sama-sama.example.com/a' });
  const b = await fileReport(server.url, { category: 'fraud:phishing', description: 'situs sama-sama.example.com menipu' });
  const add = await fetch(`${server.url}/api/v1/reports/${a.body.tracking_code}/additions`, {
    method: 'POST', headers: { 'content-type': 'application/json', 'X-Report-Secret': a.body.secret }, body: JSON.stringify({ text: 'Nomor baru 0813 1111 2222' }),
  });
  assert.equal(add.status, 201);
  const read = await (await fetch(`${server.url}/api/v1/reports/${a.body.tracking_code}`, { headers: { 'X-Report-Secret': a.body.secret } })).json();
  assert.equal(read.additions.length, 1);
  assert.ok(read.indicators.some((i) => i.value === '+6281311112222'));
  assert.ok(b.status === 201);
});

test('multipart reports store attachments and read indicators from saved emails', async () => {
  const form = new FormData();
  form.set('report', JSON.stringify({ category: 'fraud:phishing', description: 'email terlampir' }));
  const eml = 'From: "Bank" <alert@phish-bank.example.net>\r\nSubject: verify\r\nReceived: from x ([198.51.100.9])\r\n\r\nKlik https://phish-bank.example.net/verify\r\n';
  form.append('files', new Blob([eml]), 'pesan.eml');
  form.append('files', new Blob([Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a5f1b1620000000049454e44ae426082', 'hex')]), 'bukti.png');
  const r = await fetch(`${server.url}/api/v1/reports`, { method: 'POST', body: form });
  assert.equal(r.status, 201);
  const created = await r.json();
  const values = created.indicators.map((i) => `${i.type}:${i.value}`);
  assert.ok(values.includes('email:alert@phish-bank.example.net'));
  assert.ok(values.includes('ipv4:198.51.100.9'));
  assert.ok(values.includes('url:https://phish-bank.example.net/verify'));
  const read = await (await fetch(`${server.url}/api/v1/reports/${created.tracking_code}`, { headers: { 'X-Report-Secret': created.secret } })).json();
  assert.deepEqual(read.attachments.map((a) => a.filename).sort(), ['bukti.png', 'pesan.eml']);
  assert.equal(read.attachments.find((a) => a.filename === 'bukti.png').media_type, 'image/png');
});

test('bad input gets the right 4xx as problem+json naming the field', async () => {
  const cases = [
    [{ method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"category":' }, 400, null],
    [{ method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"category":"fraud:phishing","description":5}' }, 400, '/description'],
    [{ method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"category":"nonsense","description":"x"}' }, 400, '/category'],
    [{ method: 'POST', headers: { 'content-type': 'application/json' }, body: Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]) }, 400, null],
    [{ method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello' }, 415, null],
    [{ method: 'POST', headers: { 'content-type': 'application/json' }, body: '[]' }, 400, '/'],
  ];
  for (const [init, status, field] of cases) {
    const r = await fetch(`${server.url}/api/v1/reports`, init);
    assert.equal(r.status, status, JSON.stringify(init.body));
    assert.equal(r.headers.get('content-type'), 'application/problem+json');
    const p = await r.json();
    assert.equal(p.status, status);
    assert.ok(p.detail);
    if (field) assert.equal(p.field, field);
  }
  const unknown = await fetch(`${server.url}/no/such/thing`);
  assert.equal(unknown.status, 404);
  const wrongMethod = await fetch(`${server.url}/api/v1/reports`, { method: 'PUT' });
  assert.equal(wrongMethod.status, 405);
  assert.equal(wrongMethod.headers.get('allow'), 'POST');
  const big = await fetch(`${server.url}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: 'x'.repeat(100000) });
  assert.equal(big.status, 413);
  const badUtf8Path = await fetch(`${server.url}/api/v1/reports/%ff%fe`);
  assert.equal(badUtf8Path.status, 400);
});

test('health, readiness, metrics and security headers', async () => {
  assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
  const ready = await fetch(`${server.url}/readyz`);
  assert.equal(ready.status, 200);
  assert.ok(ready.headers.get('x-request-id'));
  const metrics = await (await fetch(`${server.url}/metrics`)).text();
  assert.match(metrics, /jaga_http_requests_total\{route="reports_create",status="201"\} \d+/);
  assert.match(metrics, /jaga_reports_received_total\{channel="web"\} \d+/);
  assert.match(metrics, /jaga_http_request_duration_seconds_bucket/);
  const page = await fetch(`${server.url}/`);
  assert.match(page.headers.get('content-security-policy'), /script-src 'self';/);
  assert.equal(page.headers.get('x-content-type-options'), 'nosniff');
});

test('desk: sign-in, CSRF, lockout, phone intake and attachment download', async () => {
  addUser(server.dataDir, 'operator1', 'operator', 'kata-sandi-panjang-1');
  const dup = spawnSync(jagaBin, ['user', 'add', 'operator1', '--data-dir', server.dataDir], { input: 'kata-sandi-panjang-1\n', encoding: 'utf8' });
  assert.notEqual(dup.status, 0);
  assert.equal(dup.stderr.trim(), "jaga: a user named 'operator1' already exists");
  const signIn = (password) => fetch(`${server.url}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'operator1', password }) });
  const ok = await signIn('kata-sandi-panjang-1');
  assert.equal(ok.status, 200);
  const cookie = ok.headers.get('set-cookie');
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Strict/);
  const session = await ok.json();
  const headers = { cookie: cookie.split(';')[0] };
  const form = new FormData();
  form.set('report', JSON.stringify({ channel: 'phone', category: 'fraud:masquerade', description: 'Penelepon mengaku petugas bank, nomor 0812 5555 6666', contact: { name: 'Ibu Sari', phone: '0812 0000 1111' }, consent: true }));
  form.append('files', new Blob(['catatan telepon']), 'catatan.txt');
  const noCsrf = await fetch(`${server.url}/api/v1/desk/reports`, { method: 'POST', headers, body: form });
  assert.equal(noCsrf.status, 403);
  const created = await fetch(`${server.url}/api/v1/desk/reports`, { method: 'POST', headers: { ...headers, 'x-csrf-token': session.csrf_token }, body: form });
  assert.equal(created.status, 201);
  const { tracking_code } = await created.json();
  const list = await (await fetch(`${server.url}/api/v1/desk/reports?channel=phone`, { headers })).json();
  assert.equal(list.items[0].tracking_code, tracking_code);
  const full = await (await fetch(`${server.url}/api/v1/desk/reports/${tracking_code}`, { headers })).json();
  assert.equal(full.channel, 'phone');
  assert.equal(full.operator, 'operator1');
  assert.equal(full.contact.name, 'Ibu Sari');
  const download = await fetch(`${server.url}/api/v1/desk/attachments/${full.attachments[0].id}`, { headers });
  assert.equal(download.status, 200);
  assert.match(download.headers.get('content-disposition'), /^attachment;/);
  assert.equal(download.headers.get('content-type'), 'application/octet-stream');
  assert.equal(await download.text(), 'catatan telepon');
  assert.equal((await fetch(`${server.url}/api/v1/desk/reports`)).status, 401);
  for (let i = 0; i < 4; i++) assert.equal((await signIn('salah')).status, 401);
  const locked = await signIn('salah');
  assert.equal(locked.status, 403);
  assert.match((await locked.json()).detail, /locked until/);
  assert.equal((await signIn('kata-sandi-panjang-1')).status, 403, 'locked even with the right password');
});
