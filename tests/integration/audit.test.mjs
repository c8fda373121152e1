// The audit log as an administrator and an auditor meet it: privileged
// actions are recorded with who, what and from where; `jaga audit verify`
// passes on an intact log and names the first broken entry once somebody
// edits or removes a row behind the server's back.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { addUser, jagaBin, startServer } from '../lib/server.mjs';

let server;
before(async () => { server = await startServer(); });
after(async () => { await server?.stop(); server?.cleanup(); });

const jaga = (...args) => spawnSync(jagaBin, [...args, '--data-dir', server.dataDir], { encoding: 'utf8' });
const sql = (statement) => {
  const r = spawnSync('sqlite3', [join(server.dataDir, 'jaga.db'), statement], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
};

test('privileged actions are in the audit log, and verify passes then fails on tampering', async () => {
  addUser(server.dataDir, 'operator7', 'operator', 'kata-sandi-panjang-7');
  const signIn = (username, password) => fetch(`${server.url}/api/v1/session`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }),
  });
  assert.equal((await signIn('operator7', 'salah sekali')).status, 401);
  assert.equal((await signIn('tidak-ada', 'salah sekali')).status, 401);
  const ok = await signIn('operator7', 'kata-sandi-panjang-7');
  assert.equal(ok.status, 200);
  const { csrf_token } = await ok.json();
  const desk = { cookie: ok.headers.get('set-cookie').split(';')[0], 'x-csrf-token': csrf_token, 'content-type': 'application/json' };
  const created = await fetch(`${server.url}/api/v1/desk/reports`, {
    method: 'POST', headers: desk,
    body: JSON.stringify({ channel: 'phone', category: 'fraud:phishing', description: 'Penelepon meminta kode OTP', contact: { name: 'Ibu Rina', email: 'rina@example.id' } }),
  });
  assert.equal(created.status, 201);
  const { tracking_code } = await created.json();
  const note = await fetch(`${server.url}/api/v1/desk/reports/${tracking_code}/notes`, {
    method: 'POST', headers: desk, body: JSON.stringify({ text: 'Sedang kami periksa', status: 'in_review' }),
  });
  assert.equal(note.status, 201);
  assert.equal((await fetch(`${server.url}/api/v1/session`, { method: 'DELETE', headers: desk })).status, 204);

  // An administrator browses and checks the log over the API.
  const admin = { authorization: `Bearer ${spawnSync(jagaBin, ['token', 'create', 'admin', '--data-dir', server.dataDir], { encoding: 'utf8' }).stdout.trim()}` };
  const page = await (await fetch(`${server.url}/api/v1/audit?action=session.&limit=10`, { headers: admin })).json();
  assert.deepEqual(page.items.map((e) => e.action), ['session.sign_out', 'session.sign_in', 'session.sign_in_failed', 'session.sign_in_failed']);
  assert.equal(page.items[2].details.reason, 'unknown user');
  const check = await (await fetch(`${server.url}/api/v1/audit/verify`, { headers: admin })).json();
  assert.deepEqual(check, { intact: true, entries: 9 }, 'the token creation is the ninth entry');
  assert.equal((await fetch(`${server.url}/api/v1/audit`, { headers: { cookie: desk.cookie } })).status, 401, 'the operator signed out');
  await server.stop();

  const listed = jaga('audit', 'list', '--limit', '100');
  assert.equal(listed.status, 0, listed.stderr);
  const lines = listed.stdout.trim().split('\n').reverse();  // oldest first
  const actions = lines.map((l) => l.trim().split(/\s+/).slice(2, 4).join(' '));
  assert.deepEqual(actions, [
    'system user.create', 'cli user.create', 'operator7 session.sign_in_failed', 'tidak-ada session.sign_in_failed',
    'operator7 session.sign_in', 'operator7 report.create', 'operator7 report.public_note', 'operator7 session.sign_out',
    'cli token.create',
  ]);
  assert.match(lines[5], new RegExp(`report ${tracking_code} \\{"channel":"phone"\\}`));
  assert.match(lines[6], /"status":"in_review"/);
  assert.ok(!listed.stdout.includes('rina@example.id') && !listed.stdout.includes('Rina'), 'no reporter personal data in the audit log');
  assert.equal(sql("SELECT remote_address FROM audit_log WHERE action = 'session.sign_in'"), '127.0.0.1');

  const intact = jaga('audit', 'verify');
  assert.equal(intact.status, 0, intact.stderr);
  assert.equal(intact.stdout.trim(), 'the audit log is intact: 9 entries');

  // The application cannot change the log at all ...
  const refused = spawnSync('sqlite3', [join(server.dataDir, 'jaga.db'), "UPDATE audit_log SET actor = 'someone' WHERE id = 5"], { encoding: 'utf8' });
  assert.notEqual(refused.status, 0);
  assert.match(refused.stderr, /append-only/);
  // ... and whoever drops the guard and edits a row is caught.
  sql("DROP TRIGGER audit_log_no_update; UPDATE audit_log SET actor = 'someone' WHERE id = 5");
  const edited = jaga('audit', 'verify');
  assert.equal(edited.status, 1);
  assert.equal(edited.stderr.trim(), 'jaga: the audit log is broken at entry 5: its hash does not match its contents (the 4 entries before it are intact)');
});

test('a removed entry is named too', () => {
  sql('DROP TRIGGER IF EXISTS audit_log_no_delete; DELETE FROM audit_log WHERE id = 3');
  const removed = jaga('audit', 'verify');
  assert.equal(removed.status, 1);
  assert.match(removed.stderr, /^jaga: the audit log is broken at entry 4: entry 3 is missing/);
});
