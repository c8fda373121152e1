// Sharing from incidents as analysts do it: a closed incident's indicators
// shared with one action, a four-eyes agreement that holds a share until a
// second analyst approves it (never the one who asked), a rejection with its
// reason, reporters' contacts only where the agreement lets personal data
// leave, and the partners, collections and transfer log the console shows,
// each answer checked against docs/api/openapi.yaml.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { loadSpec } from '../lib/openapi.mjs';
import { addUser, fileReport, jagaBin, startServer } from '../lib/server.mjs';

const sourceDir = process.env.JAGA_SOURCE_DIR ?? process.cwd();
const TAXII = 'application/taxii+json;version=2.1';
const EMAIL = 'warga.pelapor@contoh-warga.id';
let server, conforms;
const tokens = {};

const jaga = (args, input) => {
  const r = spawnSync(jagaBin, [...args, '--data-dir', server.dataDir], { encoding: 'utf8', input });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
};
const api = (who, method, path, body) => fetch(`${server.url}${path}`, {
  method, headers: { authorization: `Bearer ${tokens[who]}`, ...(body ? { 'content-type': 'application/json' } : {}) },
  body: body ? JSON.stringify(body) : undefined,
});
const partnerRead = async (name, collection) => {
  const r = await fetch(`${server.url}/taxii2/api/collections/${collection}/objects/`, {
    headers: { accept: TAXII, authorization: `Basic ${Buffer.from(`${name}:sandi-mitra-yang-panjang`).toString('base64')}` },
  });
  assert.equal(r.status, 200);
  return (await r.json()).objects ?? [];
};

async function closedIncident(title) {
  const filed = await fileReport(server.url, {
    category: 'fraud:phishing', language: 'id', anonymous: false, consent: true, contact: { name: 'Warga', email: EMAIL },
    description: `Phishing ${title}: hxxp://${title}-login[.]top/masuk dan http://${title}-verify.top/akun`,
  });
  assert.equal(filed.status, 201);
  const created = await (await api('analis1', 'POST', '/api/v1/incidents', {
    title: `Phishing ${title}`, category: 'fraud:phishing', severity: 'medium', tlp: 'amber', reports: [filed.body.tracking_code],
  })).json();
  for (const status of ['triaged', 'in_progress', 'resolved', 'closed']) {
    const r = await api('analis1', 'PATCH', `/api/v1/incidents/${created.reference}`, { status });
    assert.equal(r.status, 200, await r.text());
  }
  return created.reference;
}

before(async () => {
  ({ conforms } = await loadSpec(join(sourceDir, 'docs/api/openapi.yaml')));
  server = await startServer();
  for (const [name, role] of [['analis1', 'analyst'], ['analis2', 'analyst'], ['liaison1', 'partner_liaison']]) {
    addUser(server.dataDir, name, role, `kata-sandi-${name}-panjang`);
    tokens[name] = jaga(['token', 'create', name]).trim();
  }
  jaga(['partner', 'add', 'plain', '--password-stdin', '--collection', 'bilateral:r'], 'sandi-mitra-yang-panjang\n');
  jaga(['partner', 'add', 'trusted', '--password-stdin', '--collection', 'trusted:r', '--personal-data', '--agreement', 'MoU 2026/07'],
    'sandi-mitra-yang-panjang\n');
  jaga(['partner', 'add', 'careful', '--password-stdin', '--collection', 'careful:r', '--four-eyes'], 'sandi-mitra-yang-panjang\n');
});
after(async () => { await server?.stop(); server?.cleanup(); });

test("a closed incident's indicators go out with one action, without the reporter's contact", async () => {
  const reference = await closedIncident('bank');
  const share = await conforms(await api('analis1', 'POST', `/api/v1/incidents/${reference}/shares`, { collection: 'bilateral', tlp: 'TLP:GREEN' }),
    'POST', '/api/v1/incidents/{reference}/shares');
  assert.equal(share.state, 'published');
  assert.equal(share.summary, '4 indicators and the incident');
  const got = await partnerRead('plain', 'bilateral');
  const patterns = got.filter((o) => o.type === 'indicator').map((o) => o.pattern).sort();
  assert.deepEqual(patterns, ["[domain-name:value = 'bank-login.top']", "[domain-name:value = 'bank-verify.top']",
    "[url:value = 'http://bank-login.top/masuk']", "[url:value = 'http://bank-verify.top/akun']"]);
  // The agency's identity is public (CLEAR); what the incident says is GREEN.
  assert.ok(got.filter((o) => o.type !== 'marking-definition' && o.type !== 'identity')
    .every((o) => o.object_marking_refs?.includes('marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb')), 'every object carries TLP:GREEN');
  assert.ok(!JSON.stringify(got).includes(EMAIL), 'personal data stays home');
  assert.ok(got.some((o) => o.type === 'relationship' && o.relationship_type === 'related-to'));
  assert.ok(got.some((o) => o.type === 'report' && o.object_refs.length === 5));

  // The same share again is the same objects: nothing new for the partner.
  await api('analis1', 'POST', `/api/v1/incidents/${reference}/shares`, { collection: 'bilateral', tlp: 'TLP:GREEN' });
  const again = await partnerRead('plain', 'bilateral');
  assert.equal(again.filter((o) => o.type === 'indicator').length, 4);

  const incident = await (await api('analis1', 'GET', `/api/v1/incidents/${reference}`)).json();
  assert.ok(incident.timeline.some((e) => e.kind === 'shared' && /4 indicators and the incident shared to bilateral at TLP:GREEN/.test(e.text)));
});

test('personal data leaves only where the agreement allows it', async () => {
  const reference = await closedIncident('toko');
  const shared = await (await api('analis1', 'POST', `/api/v1/incidents/${reference}/shares`, { collection: 'trusted', tlp: 'TLP:GREEN', indicators: ['http://toko-verify.top/akun'] })).json();
  assert.equal(shared.summary, '1 indicator and the incident');
  const got = await partnerRead('trusted', 'trusted');
  const incident = got.find((o) => o.type === 'incident');
  assert.deepEqual(incident.x_jaga_reporters, [{ name: 'Warga', email: EMAIL }]);
  assert.equal(got.filter((o) => o.type === 'indicator').length, 1, 'only the chosen indicator');
});

test('a four-eyes agreement holds a share until a second analyst approves it', async () => {
  const reference = await closedIncident('pajak');
  const pending = await conforms(await api('analis1', 'POST', `/api/v1/incidents/${reference}/shares`, { collection: 'careful', tlp: 'TLP:GREEN' }),
    'POST', '/api/v1/incidents/{reference}/shares');
  assert.equal(pending.state, 'pending');
  assert.deepEqual(pending.approvers_for, ['careful']);
  assert.deepEqual(await partnerRead('careful', 'careful'), [], 'nothing leaves before the approval');
  const queue = await conforms(await api('liaison1', 'GET', '/api/v1/shares?state=pending'), 'GET', '/api/v1/shares');
  assert.deepEqual(queue.items.map((s) => s.id), [pending.id]);

  const self = await api('analis1', 'POST', `/api/v1/shares/${pending.id}/approve`);
  assert.equal(self.status, 403);
  assert.match((await self.json()).detail, /second analyst/);
  const approved = await conforms(await api('analis2', 'POST', `/api/v1/shares/${pending.id}/approve`), 'POST', '/api/v1/shares/{id}/approve');
  assert.equal(approved.state, 'published');
  assert.equal(approved.decided_by, 'analis2');
  assert.equal((await partnerRead('careful', 'careful')).filter((o) => o.type === 'indicator').length, 4);
  const twice = await api('analis2', 'POST', `/api/v1/shares/${pending.id}/approve`);
  assert.equal(twice.status, 409);

  const second = await (await api('analis1', 'POST', `/api/v1/incidents/${reference}/shares`, { collection: 'careful', tlp: 'TLP:CLEAR' })).json();
  const noReason = await api('analis2', 'POST', `/api/v1/shares/${second.id}/reject`, {});
  assert.equal(noReason.status, 400);
  const rejected = await conforms(await api('analis2', 'POST', `/api/v1/shares/${second.id}/reject`, { reason: 'CLEAR is too open for this one' }),
    'POST', '/api/v1/shares/{id}/reject');
  assert.equal(rejected.state, 'rejected');
  assert.equal((await api('analis1', 'POST', `/api/v1/shares/${second.id}/approve`)).status, 409);
  const audit = jaga(['audit', 'list', '--action', 'share.']);
  for (const action of ['share.request', 'share.approve', 'share.reject', 'share.publish']) assert.match(audit, new RegExp(action));
});

test('what never leaves is refused with the reason, and nothing is written', async () => {
  const reference = await closedIncident('rahasia');
  for (const [body, field] of [
    [{ collection: 'bilateral', tlp: 'TLP:RED' }, '/tlp'],
    [{ collection: 'bilateral', tlp: 'TLP:AMBER+STRICT' }, '/tlp'],
    [{ collection: 'tidak-ada' }, '/collection'],
    [{ collection: 'bilateral', indicators: ['bukan-dari-insiden.top'] }, '/indicators'],
    [{ collection: 'bilateral', incident: false, indicators: [] }, undefined],
  ]) {
    const problem = await conforms(await api('analis1', 'POST', `/api/v1/incidents/${reference}/shares`, body), 'POST', '/api/v1/incidents/{reference}/shares');
    assert.equal(problem.status, 400, JSON.stringify(body));
    if (field) assert.equal(problem.field, field);
  }
  assert.equal((await api('analis1', 'POST', '/api/v1/incidents/INC-2026-999999/shares', { collection: 'bilateral' })).status, 404);
  const shares = await (await api('analis1', 'GET', `/api/v1/shares?incident=${reference}`)).json();
  assert.deepEqual(shares.items, []);
});

test('partners, collections and the transfer log as the console reads them', async () => {
  const partners = await conforms(await api('liaison1', 'GET', '/api/v1/partners'), 'GET', '/api/v1/partners');
  const trusted = partners.items.find((p) => p.name === 'trusted');
  assert.deepEqual(trusted.agreement, { reference: 'MoU 2026/07', max_tlp: 'TLP:GREEN', personal_data: true, four_eyes: false });
  assert.equal(trusted.sync, null);
  const collections = await conforms(await api('liaison1', 'GET', '/api/v1/collections'), 'GET', '/api/v1/collections');
  assert.deepEqual(collections.items.map((c) => c.alias).sort(), ['bilateral', 'careful', 'trusted']);
  const transfers = await conforms(await api('liaison1', 'GET', '/api/v1/transfers?partner=plain'), 'GET', '/api/v1/transfers');
  assert.ok(transfers.items.length >= 1);
  assert.ok(transfers.items.every((t) => t.partner === 'plain' && t.direction === 'sent'));
  assert.equal((await api('liaison1', 'GET', '/api/v1/transfers?direction=sideways')).status, 400);
  const csv = await api('liaison1', 'GET', '/api/v1/transfers/export?partner=careful');
  assert.equal(csv.status, 200);
  assert.match(csv.headers.get('content-type'), /text\/csv/);
  const rows = (await csv.text()).trim().split('\r\n');
  assert.equal(rows[0], 'transfer,at,direction,partner,collection,channel,agreement,stix_id,version');
  assert.ok(rows.slice(1).every((r) => r.includes(',careful,careful,taxii-get,')));
  assert.match(jaga(['audit', 'list', '--action', 'transfers.']), /transfers\.export/);
});
