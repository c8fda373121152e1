// The TAXII client against servers that differ within what the
// specification allows: each test starts a TAXII server of our own that
// behaves one way (no page size, more without next, next tokens that
// expire, HTML error pages, statuses that complete later), points a jaga
// node at it with `jaga partner remote`, syncs, and checks that every
// object arrived once, with its provenance, and that the node's own
// objects went the other way within the agreement.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { startOddTaxii } from '../lib/odd_taxii.mjs';
import { addUser, jagaBin, startServer } from '../lib/server.mjs';

const TAXII = 'application/taxii+json;version=2.1';
const GREEN = 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb';
const RED = 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1';

const jaga = (dataDir, args, input) => spawnSync(jagaBin, [...args, '--data-dir', dataDir], { encoding: 'utf8', input });

function indicator(n, markings) {
  const t = `2026-11-${String(1 + (n % 28)).padStart(2, '0')}T08:00:00.000Z`;
  return {
    type: 'indicator', spec_version: '2.1', id: `indicator--${randomUUID()}`, created: t, modified: t,
    name: `c2-${n}.partner.example`, pattern: `[domain-name:value = 'c2-${n}.partner.example']`,
    pattern_type: 'stix', valid_from: t, ...(markings ? { object_marking_refs: markings } : {}),
  };
}

// A node with the odd server as its partner "peer", pulling into from-peer
// and pushing from to-peer; the server is started with the remote set.
async function nodeFor(odd, { push = false } = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'jaga-sync-'));
  let r = jaga(dataDir, ['partner', 'add', 'peer', '--password-stdin', '--collection', 'to-peer:rw'], 'kata-sandi-peer-panjang\n');
  assert.equal(r.status, 0, r.stderr);
  r = jaga(dataDir, ['partner', 'remote', 'peer', '--api-root', odd.apiRoot, '--remote-collection', 'shared',
    '--username', odd.username, '--password-stdin', '--pull-into', 'from-peer', '--interval', '3600',
    ...(push ? ['--push-from', 'to-peer'] : [])], `${odd.password}\n`);
  assert.equal(r.status, 0, r.stderr);
  addUser(dataDir, 'analis1', 'analyst', 'kata-sandi-analis-panjang');
  const token = jaga(dataDir, ['token', 'create', 'analis1']).stdout.trim();
  const server = await startServer({ dataDir });
  const call = (method, path, body) => fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, accept: `${TAXII}, application/json`, ...(body ? { 'content-type': TAXII } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { server, call, dataDir };
}

// Syncs now (after whatever the schedule already did) and answers the
// partner's sync state.
async function syncNow(node) {
  const r = await node.call('POST', '/api/v1/partners/peer/sync');
  const text = await r.text();
  assert.equal(r.status, 200, text);
  const report = JSON.parse(text);
  const partners = await (await node.call('GET', '/api/v1/partners')).json();
  return { report, state: partners.items.find((p) => p.name === 'peer').sync };
}

async function localObjects(node, collection) {
  const all = [];
  let next = '';
  for (;;) {
    const r = await node.call('GET', `/taxii2/api/collections/${collection}/objects/?limit=10${next ? `&next=${next}` : ''}`);
    assert.equal(r.status, 200);
    const page = await r.json();
    all.push(...(page.objects ?? []));
    if (!page.more) return all;
    next = encodeURIComponent(page.next);
  }
}

async function pullsEverythingOnce(quirks, expectNote) {
  const odd = await startOddTaxii({ quirks });
  const sent = Array.from({ length: 23 }, (_, n) => indicator(n));
  odd.add(sent);
  const node = await nodeFor(odd);
  try {
    const { report, state } = await syncNow(node);
    assert.equal(report.ok, true, report.error);
    assert.equal(state.last_error, '');
    assert.ok(state.last_success, 'the success is recorded');
    const got = await localObjects(node, 'from-peer');
    assert.deepEqual(got.map((o) => o.id).sort(), sent.map((o) => o.id).sort(), 'every object once');
    if (expectNote) {
      const notes = [...report.notes, ...(state.notes ?? [])].join('\n');
      // The schedule may have run the first sync; then this one had nothing to cope with.
      if (report.pulled > 0) assert.match(notes, expectNote);
    }
    // Provenance: the partner is the source of the received indicators and in the transfer log.
    // (The lookup's matcher is rebuilt in the background, at a lower priority: it may take a moment.)
    let lookup;
    for (const deadline = Date.now() + 15000; Date.now() < deadline;) {
      lookup = await (await node.call('GET', `/api/v1/lookup?value=c2-3.partner.example`)).json();
      if (lookup.listed) break;
      await new Promise((done) => setTimeout(done, 100));
    }
    assert.equal(lookup.listed, true);
    const transfers = jaga(node.dataDir, ['transfers', 'export', '--format', 'jsonl', '--direction', 'received']).stdout
      .trim().split('\n').map((l) => JSON.parse(l));
    assert.ok(transfers.every((t) => t.partner === 'peer' && t.channel === 'pull'));
    assert.equal(new Set(transfers.flatMap((t) => t.objects.map((o) => o.id))).size, sent.length);

    // The cursor: what the server adds later comes, and nothing twice.
    const later = [indicator(100), indicator(101)];
    odd.add(later);
    const again = await syncNow(node);
    assert.equal(again.report.ok, true, again.report.error);
    if (!quirks.noHeaders) assert.equal(again.report.pulled, later.length, 'only what is new');
    assert.equal((await localObjects(node, 'from-peer')).length, sent.length + later.length);
    return { odd, node };
  } finally {
    await node.server.stop();
    node.server.cleanup();
    await odd.stop();
  }
}

test('a server with no page size: everything in one answer', async () => {
  const { odd } = await pullsEverythingOnce({ noPaging: true });
  assert.ok(odd.requests.filter((r) => r.startsWith('GET')).length <= 4);
});

test('a server that says more without next: paged by added_after and the date-added headers', async () => {
  const { odd } = await pullsEverythingOnce({ noNext: true, pageSize: 5 }, /added_after/);
  assert.ok(odd.requests.some((r) => r.includes('added_after=')), 'paged by added_after');
  assert.ok(!odd.requests.some((r) => r.includes('next=')));
});

test('a server whose next tokens expire: paging goes on from the last date added', async () => {
  const { odd } = await pullsEverythingOnce({ expiringNext: true, expiryMs: 0, pageSize: 4 }, /next token/);
  assert.ok(odd.requests.some((r) => r.includes('next=')), 'tried the token first');
});

test('a server that fails with HTML pages: retried with back-off, and a lasting failure is recorded readably', async () => {
  await pullsEverythingOnce({ htmlErrors: true, htmlFailures: 2 });

  const odd = await startOddTaxii({ quirks: { htmlErrors: true, htmlFailures: 1000 } });
  const node = await nodeFor(odd);
  try {
    const { report, state } = await syncNow(node);
    assert.equal(report.ok, false);
    assert.match(state.last_error, /HTTP 503: 503 Service Temporarily Unavailable/);
    assert.doesNotMatch(state.last_error, /<html>/);
    assert.ok(state.failures >= 1);
    // Not spawnSync: the server it syncs with runs in this process.
    const r = await new Promise((resolve) => {
      const child = spawn(jagaBin, ['partner', 'sync', 'peer', '--data-dir', node.dataDir]);
      let stderr = '';
      child.stderr.on('data', (d) => { stderr += d; });
      child.on('exit', (status) => resolve({ status, stderr }));
    });
    assert.notEqual(r.status, 0);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, /sync with peer failed: .*HTTP 503/);
  } finally {
    await node.server.stop();
    node.server.cleanup();
    await odd.stop();
  }
});

test('a push whose status completes later is polled; only what the agreement allows is pushed', async () => {
  const odd = await startOddTaxii({ quirks: { pendingPolls: 2 } });
  const node = await nodeFor(odd, { push: true });
  try {
    const green = Array.from({ length: 6 }, (_, n) => indicator(200 + n, [GREEN]));
    const red = indicator(300, [RED]);
    const wrote = await node.call('POST', '/taxii2/api/collections/to-peer/objects/', { objects: [...green, red] });
    assert.equal(wrote.status, 202);
    const { report, state } = await syncNow(node);
    assert.equal(report.ok, true, report.error);
    assert.equal(state.last_error, '');
    const pushedIds = odd.objects.map((o) => o.object.id);
    for (const o of green) assert.ok(pushedIds.includes(o.id), `${o.id} was pushed`);
    assert.ok(!pushedIds.includes(red.id), 'TLP:RED never leaves');
    assert.ok(odd.requests.some((r) => r.startsWith('GET /api/status/')), 'the status was asked for');
    const sent = jaga(node.dataDir, ['transfers', 'export', '--format', 'jsonl', '--direction', 'sent']).stdout
      .trim().split('\n').map((l) => JSON.parse(l));
    assert.ok(sent.some((t) => t.channel === 'push' && t.objects.length === green.length));
    // Nothing twice: a second sync pushes nothing new.
    const before = odd.objects.length;
    await syncNow(node);
    assert.equal(odd.objects.length, before);
  } finally {
    await node.server.stop();
    node.server.cleanup();
    await odd.stop();
  }
});
