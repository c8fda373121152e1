// The access matrix: every operation of docs/api/openapi.yaml, called by
// nobody, by each role with an API token and by a signed-in session, is
// allowed or refused exactly as the policy below says. The policy is written
// out here on purpose: widening a role's reach must change this file, and the
// document's x-jaga-roles must say the same.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import SwaggerParser from '@apidevtools/swagger-parser';
import { addUser, jagaBin, startServer } from '../lib/server.mjs';

const ROLES = ['administrator', 'analyst', 'operator', 'organisation-contact', 'partner-liaison'];
const EVERYONE = 'anyone';
const SIGNED_IN = ROLES;
const DESK = ['administrator', 'analyst', 'operator'];
const INCIDENTS = ['administrator', 'analyst'];
const INCIDENT_READERS = ['administrator', 'analyst', 'organisation-contact'];
const ADMIN = ['administrator'];
const INTEL = ['administrator', 'analyst', 'partner-liaison'];
const LOOKUP = ['administrator', 'analyst', 'operator', 'partner-liaison'];

// operation -> who may call it
const POLICY = {
  'GET /api/v1/public/challenge': EVERYONE,
  'POST /api/v1/reports': EVERYONE,
  'GET /api/v1/reports/{code}': EVERYONE,
  'POST /api/v1/reports/{code}/additions': EVERYONE,
  'POST /api/v1/session': EVERYONE,
  'GET /api/v1/session': SIGNED_IN,
  'DELETE /api/v1/session': SIGNED_IN,
  'POST /api/v1/session/password': SIGNED_IN,
  'POST /api/v1/session/totp': SIGNED_IN,
  'DELETE /api/v1/session/totp': SIGNED_IN,
  'POST /api/v1/session/totp/confirm': SIGNED_IN,
  'GET /api/v1/desk/reports': DESK,
  'POST /api/v1/desk/reports': DESK,
  'GET /api/v1/desk/reports/{code}': DESK,
  'POST /api/v1/desk/reports/{code}/notes': DESK,
  'GET /api/v1/desk/attachments/{id}': DESK,
  'POST /api/v1/desk/reports/triage': INCIDENTS,
  'GET /api/v1/incidents': INCIDENT_READERS,
  'POST /api/v1/incidents': INCIDENTS,
  'GET /api/v1/incidents/{reference}': INCIDENT_READERS,
  'PATCH /api/v1/incidents/{reference}': INCIDENTS,
  'POST /api/v1/incidents/{reference}/comments': INCIDENTS,
  'POST /api/v1/incidents/{reference}/reports': INCIDENTS,
  'PUT /api/v1/incidents/{reference}/organisations': INCIDENTS,
  'GET /api/v1/stats/incidents': INCIDENTS,
  'POST /api/v1/incidents/{reference}/notify': INCIDENTS,
  'GET /api/v1/outbox': INCIDENTS,
  'POST /api/v1/outbox/{id}/retry': INCIDENTS,
  'GET /api/v1/notification-templates': ADMIN,
  'PUT /api/v1/notification-templates/{event}/{recipient}/{language}': ADMIN,
  'DELETE /api/v1/notification-templates/{event}/{recipient}/{language}': ADMIN,
  'GET /api/v1/audit': ADMIN,
  'GET /api/v1/audit/verify': ADMIN,
  'GET /api/v1/indicators': INTEL,
  'POST /api/v1/indicators/import': INTEL,
  'GET /api/v1/indicators/export': INTEL,
  'GET /api/v1/indicators/{id}': INTEL,
  'GET /api/v1/lookup': LOOKUP,
  'POST /api/v1/lookup': LOOKUP,
  'GET /api/v1/organisations': INCIDENTS,
  'POST /api/v1/organisations': ADMIN,
  'POST /api/v1/organisations/import': ADMIN,
  'GET /api/v1/organisations/export': INCIDENTS,
  'GET /api/v1/organisations/{id}': INCIDENTS,
  'PUT /api/v1/organisations/{id}': ADMIN,
  'DELETE /api/v1/organisations/{id}': ADMIN,
  'POST /api/v1/incidents/{reference}/shares': INCIDENTS,
  'GET /api/v1/shares': INTEL,
  'POST /api/v1/shares/{id}/approve': INCIDENTS,
  'POST /api/v1/shares/{id}/reject': INCIDENTS,
  'GET /api/v1/partners': INTEL,
  'POST /api/v1/partners/{name}/sync': INTEL,
  'GET /api/v1/collections': INTEL,
  'GET /api/v1/transfers': INTEL,
  'GET /api/v1/transfers/export': INTEL,
  'GET /api/v1/sites': DESK,
  'POST /api/v1/sites': INCIDENTS,
  'POST /api/v1/sites/import': INCIDENTS,
  'GET /api/v1/sites/export': INCIDENTS,
  'GET /api/v1/sites/{id}': DESK,
  'DELETE /api/v1/sites/{id}': INCIDENTS,
  'DELETE /api/v1/sites/{id}/baseline': INCIDENTS,
  'GET /api/v1/site-evidence/{id}': DESK,
  'GET /healthz': EVERYONE,
  'GET /readyz': EVERYONE,
  'GET /metrics': EVERYONE,
};

const sourceDir = process.env.JAGA_SOURCE_DIR ?? process.cwd();
let spec;
let server;
const tokens = {};

before(async () => {
  spec = await SwaggerParser.dereference(join(sourceDir, 'docs/api/openapi.yaml'));
  server = await startServer();
  const imported = spawnSync(jagaBin, ['organisation', 'import', join(sourceDir, 'data/constituency/sample.csv'), '--data-dir', server.dataDir], { encoding: 'utf8' });
  assert.equal(imported.status, 0, imported.stderr);
  for (const role of ROLES) {
    addUser(server.dataDir, `user-${role}`, role, `kata-sandi-${role}-panjang`, role === 'organisation-contact' ? ['--organisation', 'Kota Bandung Contoh'] : []);
    const created = spawnSync(jagaBin, ['token', 'create', `user-${role}`, '--data-dir', server.dataDir], { encoding: 'utf8' });
    assert.equal(created.status, 0, created.stderr);
    tokens[role] = created.stdout.trim();
    assert.match(tokens[role], /^jaga_[A-Za-z0-9_-]{40,}$/, 'token create prints only the token');
  }
});
after(async () => { await server?.stop(); server?.cleanup(); });

function operations() {
  const out = [];
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const method of ['get', 'post', 'put', 'patch', 'delete']) if (item[method]) out.push({ method: method.toUpperCase(), path, op: item[method] });
  }
  return out;
}

// A request that reaches the handler: path parameters filled in, a JSON
// body that is usually invalid (the answer only has to show whether the
// caller got past the access check).
function call({ method, path }, headers) {
  const url = server.url + path.replace('{code}', 'JG-2222-2222').replace('{id}', '1').replace('{reference}', 'INC-2026-000001')
    .replace('{event}', 'public_note').replace('{recipient}', 'reporter').replace('{language}', 'en');
  const init = { method, headers: { ...headers } };
  if (method !== 'GET' && method !== 'DELETE') {  // POST, PATCH
    init.headers['content-type'] = 'application/json';
    init.body = '{}';
  }
  return fetch(url, init);
}

const roleRefusal = (body) => /^The role .+ may not use this\.$/.test(body.detail ?? '');

test('the document declares the same policy as this test', () => {
  const declared = {};
  for (const { method, path, op } of operations()) declared[`${method} ${path}`] = op['x-jaga-roles'] ?? EVERYONE;
  assert.deepEqual(declared, POLICY);
});

test('nobody signed in: open operations answer, the others say 401', async () => {
  for (const operation of operations()) {
    const key = `${operation.method} ${operation.path}`;
    if (key === 'DELETE /api/v1/session' || key === 'POST /api/v1/reports') continue;  // covered below / files a report
    const r = await call(operation, {});
    const body = r.headers.get('content-type')?.includes('json') ? await r.json() : (await r.text(), {});
    if (POLICY[key] === EVERYONE) assert.notEqual(r.status, 401, `${key} is open to anyone`);
    else assert.equal(r.status, 401, `${key} needs a signed-in caller: ${JSON.stringify(body)}`);
  }
  assert.equal((await call({ method: 'DELETE', path: '/api/v1/session' }, {})).status, 401);
});

test('every role with its API token: allowed where the policy says, 403 elsewhere', async () => {
  const matrix = [];
  for (const role of ROLES) {
    for (const operation of operations()) {
      const key = `${operation.method} ${operation.path}`;
      if (POLICY[key] === EVERYONE) continue;
      const r = await call(operation, { authorization: `Bearer ${tokens[role]}` });
      const body = r.headers.get('content-type')?.includes('json') ? await r.json() : (await r.text(), {});
      const refused = r.status === 403 && roleRefusal(body);
      assert.notEqual(r.status, 401, `${role} ${key}: the token was not accepted: ${JSON.stringify(body)}`);
      assert.notEqual(r.status, 500, `${role} ${key}`);
      matrix.push(`${role} ${key} ${refused ? 'refused' : 'allowed'}`);
      assert.equal(refused, !POLICY[key].includes(role), `${role} ${key} answered ${r.status} ${JSON.stringify(body)}`);
    }
  }
  assert.equal(matrix.length, ROLES.length * Object.values(POLICY).filter((p) => p !== EVERYONE).length);
});

test('a session cookie is held to the same policy, and a token cannot change the password', async () => {
  for (const role of ['operator', 'organisation-contact']) {
    const signIn = await fetch(`${server.url}/api/v1/session`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: `user-${role}`, password: `kata-sandi-${role}-panjang` }),
    });
    assert.equal(signIn.status, 200);
    const { csrf_token } = await signIn.json();
    const headers = { cookie: signIn.headers.get('set-cookie').split(';')[0], 'x-csrf-token': csrf_token };
    const list = await call({ method: 'GET', path: '/api/v1/desk/reports' }, headers);
    assert.equal(list.status, role === 'operator' ? 200 : 403, role);
  }
  const viaToken = await fetch(`${server.url}/api/v1/session/password`, {
    method: 'POST', headers: { authorization: `Bearer ${tokens.analyst}`, 'content-type': 'application/json' },
    body: JSON.stringify({ current_password: 'kata-sandi-analyst-panjang', new_password: 'kata-sandi-baru-sekali' }),
  });
  assert.equal(viaToken.status, 403);
  assert.match((await viaToken.json()).detail, /needs a signed-in session/);
  const bad = await fetch(`${server.url}/api/v1/desk/reports`, { headers: { authorization: 'Basic YTpi' } });
  assert.equal(bad.status, 401);
  assert.equal((await bad.json()).detail, "Authorization must be 'Bearer <token>'.");
});

test('a revoked token stops working at once', async () => {
  const list = spawnSync(jagaBin, ['token', 'list', '--data-dir', server.dataDir], { encoding: 'utf8' });
  const line = list.stdout.split('\n').find((l) => l.includes('user-partner-liaison'));
  const id = line.trim().split(/\s+/)[0];
  const revoked = spawnSync(jagaBin, ['token', 'revoke', id, '--data-dir', server.dataDir], { encoding: 'utf8' });
  assert.equal(revoked.status, 0, revoked.stderr);
  const r = await fetch(`${server.url}/api/v1/session`, { headers: { authorization: `Bearer ${tokens['partner-liaison']}` } });
  assert.equal(r.status, 401);
  assert.equal((await r.json()).detail, 'The API token was revoked.');
});
