// Two agencies federated, and a regional hub: three jaga nodes on loopback,
// each with its own store and port. "ID" shares an incident's indicators at
// TLP:GREEN; "CN" pulls them on its schedule within seconds, with their
// provenance, and never receives the TLP:RED item or the reporter's email
// address; CN's sighting goes back to ID and appears on the incident. The
// "HUB" node serves a region-wide collection that both read and write.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { addUser, fileReport, freePort, jagaBin, startServer } from '../lib/server.mjs';

const TAXII = 'application/taxii+json;version=2.1';
const RED = 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1';
const REPORTER_EMAIL = 'pelapor.siti@contoh-warga.id';
const nodes = {};

function jaga(node, args, input) {
  const r = spawnSync(jagaBin, [...args, '--data-dir', node.dataDir], { encoding: 'utf8', input });
  assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

async function prepare(name) {
  const node = { name, dataDir: mkdtempSync(join(tmpdir(), `jaga-${name}-`)), port: await freePort() };
  node.apiRoot = `http://127.0.0.1:${node.port}/taxii2/api/`;
  return node;
}

// `node` lets `partner` in with rights on collections.
const account = (node, partner, ...collections) =>
  jaga(node, ['partner', 'add', partner, '--password-stdin', '--max-tlp', 'green', ...collections.flatMap((c) => ['--collection', c])],
    `sandi-${partner}-di-${node.name}\n`);
// `node` syncs with `partner`'s server, where it signs in as `as`.
const remote = (node, partner, as, remoteCollection, pullInto, pushFrom) =>
  jaga(node, ['partner', 'remote', partner, '--api-root', nodes[partner].apiRoot, '--remote-collection', remoteCollection,
    '--username', as, '--password-stdin', '--pull-into', pullInto, '--interval', '5', ...(pushFrom ? ['--push-from', pushFrom] : [])],
  `sandi-${as}-di-${partner}\n`);

async function call(node, method, path, body, type = 'application/json') {
  const r = await fetch(`${node.server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${node.token}`, accept: `${TAXII}, application/json`, ...(body ? { 'content-type': type } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await r.text();
  return { status: r.status, body: text ? JSON.parse(text) : undefined };
}

async function objects(node, collection) {
  const r = await call(node, 'GET', `/taxii2/api/collections/${collection}/objects/?limit=10000`);
  assert.equal(r.status, 200);
  return r.body.objects ?? [];
}

async function eventually(what, check, seconds = 30) {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) assert.fail(`${what} did not happen within ${seconds} s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

before(async () => {
  for (const name of ['id', 'cn', 'hub']) nodes[name] = await prepare(name);
  const { id, cn, hub } = nodes;
  // Bilateral: CN reads ID's id-cn collection and writes its sightings there.
  account(id, 'cn', 'id-cn:rw');
  account(cn, 'id', 'to-id:rw');
  remote(cn, 'id', 'cn', 'id-cn', 'from-id', 'to-id');
  // Region-wide: the hub's asean collection, read and written by both.
  account(hub, 'id', 'asean:rw');
  account(hub, 'cn', 'asean:rw');
  account(id, 'hub');
  account(cn, 'hub');
  remote(id, 'hub', 'id', 'asean', 'asean', 'to-asean');
  remote(cn, 'hub', 'cn', 'asean', 'asean');
  for (const node of [id, cn, hub]) {
    addUser(node.dataDir, 'analis1', 'analyst', 'kata-sandi-analis-panjang');
    node.token = jaga(node, ['token', 'create', 'analis1']).trim();
    node.server = await startServer({ dataDir: node.dataDir, port: node.port });
  }
});

after(async () => {
  for (const node of Object.values(nodes)) {
    await node.server?.stop();
    node.server?.cleanup();
  }
});

let reference;
let sharedIndicators;

test('ID shares an incident at TLP:GREEN and CN has it within seconds, with provenance', async () => {
  const { id, cn } = nodes;
  const filed = await fileReport(id.server.url, {
    category: 'fraud:phishing', language: 'id', anonymous: false, consent: true,
    contact: { name: 'Siti', email: REPORTER_EMAIL },
    description: 'SMS palsu dari pajak: klik hxxps://pajak-refund-fed[.]top/klaim atau balas ke admin@pajak-refund-fed.top',
  });
  assert.equal(filed.status, 201, JSON.stringify(filed.body));
  const created = await call(id, 'POST', '/api/v1/incidents', {
    title: 'Phishing pengembalian pajak', category: 'fraud:phishing', severity: 'high', tlp: 'amber', reports: [filed.body.tracking_code],
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  reference = created.body.reference;

  const shared = await call(id, 'POST', `/api/v1/incidents/${reference}/shares`, { collection: 'id-cn', tlp: 'TLP:GREEN', indicators: 'all' });
  assert.equal(shared.status, 201, JSON.stringify(shared.body));
  assert.equal(shared.body.state, 'published');
  assert.match(shared.body.summary, /^[2-9] indicators and the incident$/);
  // A RED item in the same collection, written by the desk itself.
  const red = {
    type: 'indicator', spec_version: '2.1', id: `indicator--${randomUUID()}`, created: '2026-12-01T00:00:00.000Z',
    modified: '2026-12-01T00:00:00.000Z', pattern: "[domain-name:value = 'sumber-rahasia.example']", pattern_type: 'stix',
    valid_from: '2026-12-01T00:00:00Z', object_marking_refs: [RED],
  };
  assert.equal((await call(id, 'POST', '/taxii2/api/collections/id-cn/objects/', { objects: [red] }, TAXII)).status, 202);

  const started = Date.now();
  const arrived = await eventually('the indicators reaching CN', async () => {
    const got = await objects(cn, 'from-id');
    return got.some((o) => o.type === 'incident') && got.filter((o) => o.type === 'indicator').length >= 2 ? got : null;
  });
  assert.ok(Date.now() - started < 20000, 'within seconds, on the schedule');
  sharedIndicators = arrived.filter((o) => o.type === 'indicator');
  assert.ok(sharedIndicators.some((o) => o.pattern.includes('pajak-refund-fed.top')));
  assert.ok(!arrived.some((o) => o.id === red.id), 'TLP:RED never arrives');
  assert.ok(!JSON.stringify(arrived).includes(REPORTER_EMAIL), "the reporter's email address never arrives");
  const incident = arrived.find((o) => o.type === 'incident');
  assert.equal(incident.name, 'Phishing pengembalian pajak');
  assert.equal(incident.x_jaga_reference, reference);
  assert.ok(arrived.some((o) => o.type === 'marking-definition' && o.name === 'TLP:GREEN'), 'the TLP 2.0 definition travels along');

  // Provenance: the partner as the indicators' source, and the transfer logs on both sides.
  const lookup = await eventually('the indicator in CN\'s lookup', async () => {
    const r = await call(cn, 'GET', `/api/v1/lookup?value=${encodeURIComponent('pajak-refund-fed.top')}`);
    return r.body.listed ? r.body : null;
  });
  const indicator = await call(cn, 'GET', `/api/v1/indicators/${lookup.match.id}`);
  assert.equal(indicator.status, 200);
  assert.ok(indicator.body.sources.some((s) => s.kind === 'partner' && s.name === 'id'), JSON.stringify(indicator.body.sources));
  assert.equal(indicator.body.tlp, 'TLP:GREEN');
  const received = jaga(cn, ['transfers', 'export', '--format', 'jsonl', '--partner', 'id', '--direction', 'received']);
  assert.match(received, /"channel":"pull"/);
  const sent = jaga(id, ['transfers', 'export', '--format', 'jsonl', '--partner', 'cn', '--direction', 'sent']);
  assert.ok(sent.includes(sharedIndicators[0].id), 'ID logged what left for CN');
  assert.ok(!sent.includes(red.id));
});

test("CN's sighting flows back to ID and appears on the incident", async () => {
  const { id, cn } = nodes;
  const target = sharedIndicators[0];
  const sighting = {
    type: 'sighting', spec_version: '2.1', id: `sighting--${randomUUID()}`, created: '2026-12-03T01:00:00.000Z',
    modified: '2026-12-03T01:00:00.000Z', sighting_of_ref: target.id, count: 12,
    first_seen: '2026-12-02T00:00:00.000Z', last_seen: '2026-12-03T00:00:00.000Z',
    object_marking_refs: ['marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb'],
  };
  assert.equal((await call(cn, 'POST', '/taxii2/api/collections/to-id/objects/', { objects: [sighting] }, TAXII)).status, 202);
  const event = await eventually('the sighting on ID\'s incident', async () => {
    const incident = await call(id, 'GET', `/api/v1/incidents/${reference}`);
    return incident.body.timeline.find((e) => e.kind === 'partner_sighting');
  });
  assert.match(event.text, /cn sighted a shared indicator/);
  assert.match(JSON.stringify(event), new RegExp(target.id));
  const received = jaga(id, ['transfers', 'export', '--format', 'jsonl', '--partner', 'cn', '--direction', 'received']);
  assert.ok(received.includes(sighting.id), 'the sighting is in ID\'s transfer log');
});

test('the hub serves a region-wide collection to both', async () => {
  const { id, cn, hub } = nodes;
  const advisory = {
    type: 'indicator', spec_version: '2.1', id: `indicator--${randomUUID()}`, created: '2026-12-02T00:00:00.000Z',
    modified: '2026-12-02T00:00:00.000Z', name: 'regional botnet C2', pattern: "[ipv4-addr:value = '198.51.100.77']",
    pattern_type: 'stix', valid_from: '2026-12-02T00:00:00Z',
  };
  assert.equal((await call(hub, 'POST', '/taxii2/api/collections/asean/objects/', { objects: [advisory] }, TAXII)).status, 202);
  // And ID's own contribution, pushed to the hub, reaches CN through it.
  const fromId = { ...advisory, id: `indicator--${randomUUID()}`, name: 'ID contribution', pattern: "[domain-name:value = 'kontribusi-id.example']" };
  assert.equal((await call(id, 'POST', '/taxii2/api/collections/to-asean/objects/', { objects: [fromId] }, TAXII)).status, 202);
  for (const node of [id, cn])
    await eventually(`the hub's advisory at ${node.name}`, async () => (await objects(node, 'asean')).some((o) => o.id === advisory.id));
  await eventually('ID\'s contribution at CN through the hub', async () => (await objects(cn, 'asean')).some((o) => o.id === fromId.id));
  const partners = await call(cn, 'GET', '/api/v1/partners');
  const hubSync = partners.body.items.find((p) => p.name === 'hub').sync;
  assert.ok(hubSync.last_success, 'sync status per partner');
  assert.equal(hubSync.last_error, '');
});
