// docs/api/openapi.yaml is a valid OpenAPI document, names every route the
// server has, and describes what the server really answers: each operation
// is called on a running server and its answer is checked against the
// documented status codes and schema.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { loadSpec } from '../lib/openapi.mjs';
import { addUser, fileReport, startServer } from '../lib/server.mjs';

const sourceDir = process.env.JAGA_SOURCE_DIR ?? process.cwd();
const specPath = join(sourceDir, 'docs/api/openapi.yaml');

let spec;
let conforms;
let server;
before(async () => {
  ({ spec, conforms } = await loadSpec(specPath));  // throws with the reason when the document is invalid
  server = await startServer();
});
after(async () => { await server?.stop(); server?.cleanup(); });

test('every route of the server is documented, and nothing else is', () => {
  const routes = new Set();
  const apiDir = join(sourceDir, 'src/api');
  for (const file of readdirSync(apiDir).filter((f) => f.endsWith('.cpp'))) {
    for (const m of readFileSync(join(apiDir, file), 'utf8').matchAll(/router\.add\(\{"([A-Z]+)", "([^"]+)"/g)) {
      const [, method, path] = m;
      if (path.startsWith('/api/') || ['/healthz', '/readyz', '/metrics'].includes(path)) routes.add(`${method} ${path}`);
    }
  }
  assert.ok(routes.size >= 16, `found the routes in the source (${routes.size})`);
  const documented = new Set();
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const method of ['get', 'post', 'put', 'patch', 'delete']) if (item[method]) documented.add(`${method.toUpperCase()} ${path}`);
  }
  assert.deepEqual([...routes].filter((r) => !documented.has(r)), [], 'routes missing from docs/api/openapi.yaml');
  assert.deepEqual([...documented].filter((r) => !routes.has(r)), [], 'documented operations the server does not have');
});

test('public operations answer what the document says', async () => {
  await conforms(await fetch(`${server.url}/api/v1/public/challenge`), 'GET', '/api/v1/public/challenge');
  const filed = await fetch(`${server.url}/api/v1/reports`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ category: 'fraud:phishing', description: 'Email dari hxxp://pajak-refund[.]example.net/klaim, pengirim admin@pajak-refund.example.net', language: 'id' }),
  });
  const report = await conforms(filed, 'POST', '/api/v1/reports');
  const { tracking_code: code, secret } = report;
  await conforms(await fetch(`${server.url}/api/v1/reports`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"category": 5}' }), 'POST', '/api/v1/reports');

  const form = new FormData();
  form.set('addition', JSON.stringify({ text: 'Tangkapan layar terlampir' }));
  form.append('files', new Blob(['%PDF-1.4 bukti']), 'bukti.pdf');
  await conforms(await fetch(`${server.url}/api/v1/reports/${code}/additions`, { method: 'POST', headers: { 'X-Report-Secret': secret }, body: form }),
    'POST', '/api/v1/reports/{code}/additions');
  const view = await conforms(await fetch(`${server.url}/api/v1/reports/${code}`, { headers: { 'X-Report-Secret': secret } }), 'GET', '/api/v1/reports/{code}');
  assert.equal(view.additions[0].attachments.length, 1, 'the addition with its file is in the view that was checked');
  await conforms(await fetch(`${server.url}/api/v1/reports/${code}`, { headers: { 'X-Report-Secret': 'salah' } }), 'GET', '/api/v1/reports/{code}');
  await conforms(await fetch(`${server.url}/api/v1/reports/${code}/additions`, { method: 'POST', headers: { 'content-type': 'application/json', 'X-Report-Secret': secret }, body: '{"text": []}' }),
    'POST', '/api/v1/reports/{code}/additions');

  await conforms(await fetch(`${server.url}/healthz`), 'GET', '/healthz');
  await conforms(await fetch(`${server.url}/readyz`), 'GET', '/readyz');
  await conforms(await fetch(`${server.url}/metrics`), 'GET', '/metrics');
});

test('session and desk operations answer what the document says', async () => {
  addUser(server.dataDir, 'analis', 'analyst', 'kata-sandi-panjang-2');
  await conforms(await fetch(`${server.url}/api/v1/session`), 'GET', '/api/v1/session');
  const signIn = await fetch(`${server.url}/api/v1/session`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'analis', password: 'kata-sandi-panjang-2' }),
  });
  const session = await conforms(signIn, 'POST', '/api/v1/session');
  const cookie = signIn.headers.get('set-cookie').split(';')[0];
  const desk = { cookie, 'x-csrf-token': session.csrf_token };
  await conforms(await fetch(`${server.url}/api/v1/session`, { headers: desk }), 'GET', '/api/v1/session');

  const a = await fileReport(server.url, { category: 'fraud:phishing', description: 'Situs palsu https://sso-kemenkeu.example.org/login' });
  const form = new FormData();
  form.set('report', JSON.stringify({ channel: 'walk-in', category: 'fraud:phishing', description: 'Warga datang: situs sso-kemenkeu.example.org meminta NIK', contact: { name: 'Pak Hadi', phone: '0812 7777 8888' }, consent: true }));
  form.append('files', new Blob(['foto layar']), 'foto.png');
  const entered = await conforms(await fetch(`${server.url}/api/v1/desk/reports`, { method: 'POST', headers: desk, body: form }), 'POST', '/api/v1/desk/reports');
  await conforms(await fetch(`${server.url}/api/v1/desk/reports`, { method: 'POST', headers: { ...desk, 'content-type': 'application/json' }, body: '{"channel":"web","category":"fraud:phishing","description":"x"}' }),
    'POST', '/api/v1/desk/reports');

  const list = await conforms(await fetch(`${server.url}/api/v1/desk/reports?limit=10`, { headers: desk }), 'GET', '/api/v1/desk/reports');
  assert.ok(list.items.length >= 2);
  await conforms(await fetch(`${server.url}/api/v1/desk/reports?limit=lots`, { headers: desk }), 'GET', '/api/v1/desk/reports');
  await conforms(await fetch(`${server.url}/api/v1/desk/reports`), 'GET', '/api/v1/desk/reports');

  const full = await conforms(await fetch(`${server.url}/api/v1/desk/reports/${entered.tracking_code}`, { headers: desk }), 'GET', '/api/v1/desk/reports/{code}');
  assert.deepEqual(full.related, [a.body.tracking_code], 'related reports are in the view that was checked');
  await conforms(await fetch(`${server.url}/api/v1/desk/reports/JG-2222-2222`, { headers: desk }), 'GET', '/api/v1/desk/reports/{code}');
  await conforms(await fetch(`${server.url}/api/v1/desk/reports/${entered.tracking_code}/notes`, {
    method: 'POST', headers: { ...desk, 'content-type': 'application/json' }, body: JSON.stringify({ text: 'Sedang kami periksa.', status: 'in_review' }),
  }), 'POST', '/api/v1/desk/reports/{code}/notes');
  await conforms(await fetch(`${server.url}/api/v1/desk/reports/${entered.tracking_code}/notes`, {
    method: 'POST', headers: { ...desk, 'content-type': 'application/json' }, body: JSON.stringify({ status: 'lost' }),
  }), 'POST', '/api/v1/desk/reports/{code}/notes');

  const download = await fetch(`${server.url}/api/v1/desk/attachments/${full.attachments[0].id}`, { headers: desk });
  assert.equal(await conforms(download, 'GET', '/api/v1/desk/attachments/{id}'), 'foto layar');
  await conforms(await fetch(`${server.url}/api/v1/desk/attachments/999999`, { headers: desk }), 'GET', '/api/v1/desk/attachments/{id}');

  await conforms(await fetch(`${server.url}/api/v1/session/password`, {
    method: 'POST', headers: { ...desk, 'content-type': 'application/json' }, body: JSON.stringify({ current_password: 'kata-sandi-panjang-2', new_password: 'pendek' }),
  }), 'POST', '/api/v1/session/password');
  await conforms(await fetch(`${server.url}/api/v1/session`, { method: 'DELETE', headers: desk }), 'DELETE', '/api/v1/session');
  await conforms(await fetch(`${server.url}/api/v1/session`, { headers: desk }), 'GET', '/api/v1/session');
  await conforms(await fetch(`${server.url}/api/v1/session`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'analis', password: 'salah' }),
  }), 'POST', '/api/v1/session');
});
