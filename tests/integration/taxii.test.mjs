// The TAXII 2.1 server as a partner agency and the desk use it: a partner
// account made with `jaga partner add`, every endpoint of the specification
// with its media types, paging and filters, the TAXII error object on every
// error, versions and conflicts, rights per collection, and the sharing
// agreement enforced on what leaves (checked with random objects, markings
// and agreements over the real HTTP path), with every object sent or
// received in the transfer log.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { addUser, jagaBin, startServer } from '../lib/server.mjs';

const sourceDir = process.env.JAGA_SOURCE_DIR ?? process.cwd();
const sharedData = join(sourceDir, '..', 'shared', 'data');
const TAXII = 'application/taxii+json;version=2.1';
const PASSWORD = 'kata-sandi-mitra-panjang';

const TLP2 = {
  clear: 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487',
  green: 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb',
  amber: 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421',
  'amber+strict': 'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003',
  red: 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1',
};
const TLP1 = {
  clear: 'marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9',
  green: 'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da',
  amber: 'marking-definition--f88d31f6-486f-44da-b317-01333bde0b82',
  red: 'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed',
};
const RANK = { clear: 0, green: 1, amber: 2, 'amber+strict': 3, red: 4 };

let server;
let analyst;  // the desk's bearer token

const jaga = (args, input) => spawnSync(jagaBin, [...args, '--data-dir', server.dataDir], { encoding: 'utf8', input });
const basic = (name, password = PASSWORD) => `Basic ${Buffer.from(`${name}:${password}`).toString('base64')}`;

async function taxii(who, method, path, body, headers = {}) {
  const authorization = who === 'desk' ? `Bearer ${analyst}` : who ? basic(who) : undefined;
  const r = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      accept: TAXII,
      ...(authorization ? { authorization } : {}),
      ...(body === undefined ? {} : { 'content-type': TAXII }),
      ...headers,
    },
    body: body === undefined ? undefined : (typeof body === 'string' ? body : JSON.stringify(body)),
  });
  const text = await r.text();
  let json;
  try { json = JSON.parse(text); } catch { json = undefined; }
  return { status: r.status, headers: r.headers, json, text };
}

function addPartner(name, ...args) {
  const r = jaga(['partner', 'add', name, '--password-stdin', ...args], `${PASSWORD}\n`);
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

const objectsPath = (collection) => `/taxii2/api/collections/${collection}/objects/`;

// Every page of a collection, following `next`.
async function readAll(who, collection, query = '') {
  const objects = [];
  let next = '';
  for (let pages = 0; pages < 1000; ++pages) {
    const r = await taxii(who, 'GET', `${objectsPath(collection)}?limit=7${query}${next ? `&next=${next}` : ''}`);
    assert.equal(r.status, 200, r.text);
    objects.push(...(r.json.objects ?? []));
    if (!r.json.more) return objects;
    assert.ok(r.json.next, 'more comes with next');
    next = encodeURIComponent(r.json.next);
  }
  assert.fail('paging did not end');
}

function indicator({ id = `indicator--${randomUUID()}`, modified = '2026-11-30T08:00:00.000Z', markings, name = 'C2' } = {}) {
  return {
    type: 'indicator', spec_version: '2.1', id, created: '2026-11-30T08:00:00.000Z', modified, name,
    pattern: "[domain-name:value = 'c2.example.net']", pattern_type: 'stix', valid_from: '2026-11-30T08:00:00Z',
    ...(markings ? { object_marking_refs: markings } : {}),
  };
}

before(async () => {
  server = await startServer();
  addUser(server.dataDir, 'analis1', 'analyst', 'kata-sandi-analis-panjang');
  analyst = jaga(['token', 'create', 'analis1']).stdout.trim();
});
after(async () => { await server?.stop(); server?.cleanup(); });

test('jaga partner add makes an account that reads and writes its collection with HTTP Basic', async () => {
  const out = addPartner('cn-cac', '--collection', 'id-cn:rw');
  assert.match(out, /added partner cn-cac \(up to TLP:GREEN, id-cn:rw\)/);
  const list = jaga(['partner', 'list']);
  assert.match(list.stdout, /cn-cac\s+TLP:GREEN\s+redacted\s+no/);
  assert.match(jaga(['collection', 'list']).stdout, /id-cn\s+[0-9a-f-]{36}\s+TLP:GREEN/);

  const collections = await taxii('cn-cac', 'GET', '/taxii2/api/collections/');
  assert.equal(collections.status, 200);
  assert.equal(collections.headers.get('content-type'), TAXII);
  const [idcn] = collections.json.collections;
  assert.equal(idcn.alias, 'id-cn');
  assert.equal(idcn.can_read, true);
  assert.equal(idcn.can_write, true);
  assert.deepEqual(idcn.media_types, ['application/stix+json;version=2.1']);
  // By its TAXII id as well as its alias.
  assert.equal((await taxii('cn-cac', 'GET', `/taxii2/api/collections/${idcn.id}/`)).json.id, idcn.id);

  const wrote = await taxii('cn-cac', 'POST', objectsPath('id-cn'), { objects: [indicator()] });
  assert.equal(wrote.status, 202, wrote.text);
  assert.equal(wrote.json.success_count, 1);
  assert.equal((await readAll('cn-cac', 'id-cn')).length, 1);

  // Usage errors of the contract's command, each one line and nothing changed.
  for (const [args, message] of [
    [['partner', 'add', 'cn-cac', '--password-stdin', '--collection', 'id-cn:rw'], /A partner named cn-cac exists/],
    [['partner', 'add', 'kr', '--password-stdin', '--collection', 'id-kr:x'], /r, w or rw/],
    [['partner', 'add', 'kr', '--password-stdin', '--max-tlp', 'red'], /never leave/],
  ]) {
    const r = jaga(args, `${PASSWORD}\n`);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, message);
    assert.equal(r.stderr.trim().split('\n').length, 1);
  }
  assert.doesNotMatch(jaga(['partner', 'list']).stdout, /^kr /m);
  assert.match(jaga(['audit', 'list', '--action', 'partner.']).stdout, /partner\.create.*cn-cac/);
});

test('discovery needs no account; the rest does, and every error is a TAXII error object', async () => {
  const discovery = await taxii(undefined, 'GET', '/taxii2/');
  assert.equal(discovery.status, 200);
  assert.equal(discovery.headers.get('content-type'), TAXII);
  assert.equal(discovery.json.default, `${server.url}/taxii2/api/`);
  assert.deepEqual(discovery.json.api_roots, [`${server.url}/taxii2/api/`]);
  assert.equal((await taxii(undefined, 'GET', '/taxii2')).status, 200, 'without the trailing slash too');

  const anonymous = await taxii(undefined, 'GET', '/taxii2/api/');
  assert.equal(anonymous.status, 401);
  assert.match(anonymous.headers.get('www-authenticate'), /^Basic realm=/);
  assert.equal(anonymous.headers.get('content-type'), TAXII);
  assert.equal(anonymous.json.http_status, '401');
  assert.ok(anonymous.json.title);

  const wrong = await fetch(`${server.url}/taxii2/api/`, { headers: { accept: TAXII, authorization: basic('cn-cac', 'salah-sekali-ini') } });
  assert.equal(wrong.status, 401);
  const root = await taxii('cn-cac', 'GET', '/taxii2/api/');
  assert.equal(root.status, 200);
  assert.deepEqual(root.json.versions, [TAXII]);
  assert.ok(root.json.max_content_length >= 1024 * 1024);

  const html = await taxii('cn-cac', 'GET', '/taxii2/api/collections/', undefined, { accept: 'text/html' });
  assert.equal(html.status, 406);
  assert.equal(html.json.http_status, '406');
  assert.equal((await taxii('cn-cac', 'GET', '/taxii2/api/collections/', undefined, { accept: 'application/taxii+json' })).status, 200);
  assert.equal((await taxii('cn-cac', 'GET', '/taxii2/api/collections/', undefined, { accept: '*/*' })).status, 200);

  const plainJson = await taxii('cn-cac', 'POST', objectsPath('id-cn'), { objects: [indicator()] }, { 'content-type': 'application/json' });
  assert.equal(plainJson.status, 415);
  assert.equal(plainJson.json.http_status, '415');

  const broken = await taxii('cn-cac', 'POST', objectsPath('id-cn'), { objects: [indicator(), { ...indicator(), modified: 'kemarin' }] });
  assert.equal(broken.status, 400);
  assert.match(broken.json.description, /\/objects\/1\/modified/);
  const notJson = await taxii('cn-cac', 'POST', objectsPath('id-cn'), '{"objects": [');
  assert.equal(notJson.status, 400);
  assert.equal(notJson.headers.get('content-type'), TAXII);

  assert.equal((await taxii('cn-cac', 'GET', '/taxii2/api/collections/tidak-ada/')).status, 404);
  assert.equal((await taxii('cn-cac', 'GET', `${objectsPath('id-cn')}indicator--${randomUUID()}/`)).status, 404);
  const badFilter = await taxii('cn-cac', 'GET', `${objectsPath('id-cn')}?added_after=yesterday`);
  assert.equal(badFilter.status, 400);
  assert.match(badFilter.json.description, /added_after/);
  assert.equal((await taxii('cn-cac', 'GET', `${objectsPath('id-cn')}?next=forged`)).status, 400);
  assert.equal((await taxii('cn-cac', 'GET', '/taxii2/api/status/00000000-0000-4000-8000-000000000000/')).status, 404);
});

test('a real bundle goes in through POST and comes back whole, page by page, with its filters', async () => {
  jaga(['collection', 'add', 'apt1', '--max-tlp', 'green']);
  addPartner('apt1-reader', '--collection', 'apt1:rw');
  const bundle = JSON.parse(readFileSync(join(sharedData, 'stix/examples/threat-reports/apt1.json'), 'utf8'));
  const posted = await taxii('apt1-reader', 'POST', objectsPath('apt1'), { objects: bundle.objects });
  assert.equal(posted.status, 202, posted.text);
  assert.equal(posted.json.status, 'complete');
  assert.equal(posted.json.success_count, bundle.objects.length);
  const status = await taxii('apt1-reader', 'GET', `/taxii2/api/status/${posted.json.id}/`);
  assert.equal(status.status, 200);
  assert.equal(status.json.total_count, bundle.objects.length);

  const back = await readAll('apt1-reader', 'apt1');
  assert.equal(back.length, bundle.objects.length, 'every object once');
  const byId = new Map(back.map((o) => [o.id, o]));
  for (const o of bundle.objects) assert.deepEqual(byId.get(o.id), o, `${o.id} comes back as it went in`);

  const first = await taxii('apt1-reader', 'GET', `${objectsPath('apt1')}?limit=10`);
  const firstAdded = first.headers.get('x-taxii-date-added-first');
  const lastAdded = first.headers.get('x-taxii-date-added-last');
  assert.match(firstAdded, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  assert.ok(lastAdded > firstAdded);
  // added_after with the last date of a page gives the rest.
  const rest = await readAll('apt1-reader', 'apt1', `&added_after=${lastAdded}`);
  assert.equal(rest.length, bundle.objects.length - 10);
  assert.ok(!rest.some((o) => first.json.objects.some((f) => f.id === o.id)));

  const types = [...new Set(bundle.objects.map((o) => o.type))];
  for (const type of types) {
    const only = await readAll('apt1-reader', 'apt1', `&match[type]=${type}`);
    assert.equal(only.length, bundle.objects.filter((o) => o.type === type).length, type);
  }
  const two = bundle.objects.slice(3, 5).map((o) => o.id);
  const picked = await taxii('apt1-reader', 'GET', `${objectsPath('apt1')}?match[id]=${two.join(',')}`);
  assert.deepEqual(picked.json.objects.map((o) => o.id).sort(), [...two].sort());
  assert.equal((await taxii('apt1-reader', 'GET', `${objectsPath('apt1')}?match[spec_version]=2.0`)).json.objects, undefined);

  const manifest = await taxii('apt1-reader', 'GET', '/taxii2/api/collections/apt1/manifest/?limit=1000');
  assert.equal(manifest.json.objects.length, bundle.objects.length);
  const entry = manifest.json.objects.find((m) => m.id === bundle.objects[0].id);
  assert.equal(entry.media_type, 'application/stix+json;version=2.1');
  assert.ok(entry.date_added && entry.version);

  const one = await taxii('apt1-reader', 'GET', `${objectsPath('apt1')}${bundle.objects[0].id}/`);
  assert.deepEqual(one.json.objects, [bundle.objects[0]]);
  // The same envelope again changes nothing.
  const again = await taxii('apt1-reader', 'POST', objectsPath('apt1'), { objects: bundle.objects });
  assert.equal(again.json.success_count, bundle.objects.length);
  assert.equal((await readAll('apt1-reader', 'apt1')).length, bundle.objects.length);
});

test('versions by modified: the last by default, every one on request, and a conflict keeps the held one', async () => {
  const id = `indicator--${randomUUID()}`;
  const v1 = indicator({ id, modified: '2026-11-30T08:00:00.000Z', name: 'v1' });
  const v2 = indicator({ id, modified: '2026-12-01T08:00:00.000Z', name: 'v2' });
  await taxii('cn-cac', 'POST', objectsPath('id-cn'), { objects: [v1, v2] });
  const last = await taxii('cn-cac', 'GET', `${objectsPath('id-cn')}${id}/`);
  assert.deepEqual(last.json.objects.map((o) => o.name), ['v2']);
  const all = await taxii('cn-cac', 'GET', `${objectsPath('id-cn')}${id}/?match[version]=all`);
  assert.deepEqual(all.json.objects.map((o) => o.name), ['v1', 'v2']);
  const firstVersion = await taxii('cn-cac', 'GET', `${objectsPath('id-cn')}${id}/?match[version]=first`);
  assert.deepEqual(firstVersion.json.objects.map((o) => o.name), ['v1']);
  const versions = await taxii('cn-cac', 'GET', `${objectsPath('id-cn')}${id}/versions/`);
  assert.deepEqual(versions.json.versions, ['2026-11-30T08:00:00.000000Z', '2026-12-01T08:00:00.000000Z']);

  const clash = await taxii('cn-cac', 'POST', objectsPath('id-cn'), { objects: [{ ...v2, name: 'rewritten' }] });
  assert.equal(clash.status, 202);
  assert.equal(clash.json.failure_count, 1);
  assert.match(clash.json.failures[0].message, /different object/);
  assert.deepEqual((await taxii('cn-cac', 'GET', `${objectsPath('id-cn')}${id}/`)).json.objects.map((o) => o.name), ['v2']);
});

test('rights per collection, and only the desk deletes', async () => {
  addPartner('reader-only', '--collection', 'id-cn:r');
  addPartner('elsewhere', '--collection', 'asean:rw');
  const denied = await taxii('reader-only', 'POST', objectsPath('id-cn'), { objects: [indicator()] });
  assert.equal(denied.status, 403);
  assert.equal(denied.json.http_status, '403');
  assert.equal((await taxii('elsewhere', 'GET', objectsPath('id-cn'))).status, 404, 'a collection without rights does not exist');
  const visible = (await taxii('elsewhere', 'GET', '/taxii2/api/collections/')).json.collections.map((c) => c.alias);
  assert.deepEqual(visible, ['asean']);

  const target = indicator();
  await taxii('desk', 'POST', objectsPath('id-cn'), { objects: [target] });
  assert.equal((await taxii('cn-cac', 'DELETE', `${objectsPath('id-cn')}${target.id}/`)).status, 403);
  const removed = await taxii('desk', 'DELETE', `${objectsPath('id-cn')}${target.id}/`);
  assert.equal(removed.status, 200, removed.text);
  assert.equal((await taxii('desk', 'GET', `${objectsPath('id-cn')}${target.id}/`)).status, 404);
  assert.equal((await taxii('desk', 'DELETE', `${objectsPath('id-cn')}${target.id}/`)).status, 404);
  assert.match(jaga(['audit', 'list', '--action', 'taxii.']).stdout, new RegExp(`taxii\\.object_delete.*${target.id}`));
});

// A small deterministic generator, so that a failure can be replayed.
function generator(seed) {
  let s = seed >>> 0;
  const next = () => { s = (s * 1664525 + 1013904223) >>> 0; return s / 2 ** 32; };
  return { pick: (list) => list[Math.floor(next() * list.length)], chance: (p) => next() < p };
}

test('property: nothing reaches a partner that its agreement and the collection do not allow', async () => {
  const labels = Object.keys(RANK);
  const random = generator(20261203);
  const collections = ['grp-a', 'grp-b', 'grp-c'];
  for (const c of collections) jaga(['collection', 'add', c, '--max-tlp', random.pick(['clear', 'green', 'amber', 'red'])]);
  const collectionTlp = Object.fromEntries(collections.map((c) => [c, jaga(['collection', 'list']).stdout.match(new RegExp(`^${c}\\s+\\S+\\s+TLP:(\\S+)`, 'm'))[1].toLowerCase()]));

  // Objects marked every way a peer marks them: TLP 2.0, TLP 1.0, several
  // markings at once, granular markings on a property, or none.
  const expected = {};
  for (const c of collections) {
    const objects = [];
    for (let i = 0; i < 60; ++i) {
      const o = indicator({ name: `obj-${c}-${i}` });
      const label = random.pick(labels);
      const style = random.pick(['tlp2', 'tlp1', 'two', 'granular', 'none']);
      let held = label;
      if (style === 'tlp2') o.object_marking_refs = [TLP2[label]];
      else if (style === 'tlp1') { held = label === 'amber+strict' ? 'amber' : label; o.object_marking_refs = [TLP1[held]]; }
      else if (style === 'two') { o.object_marking_refs = [TLP2.clear, TLP2[label]]; }
      else if (style === 'granular') { o.object_marking_refs = [TLP2.clear]; o.granular_markings = [{ marking_ref: TLP2[label], selectors: ['pattern'] }]; }
      else held = collectionTlp[c];
      objects.push(o);
      expected[o.id] = held;
    }
    const wrote = await taxii('desk', 'POST', objectsPath(c), { objects });
    assert.equal(wrote.json.success_count, objects.length, wrote.text);
  }

  for (let p = 0; p < 8; ++p) {
    const agreed = random.pick(['clear', 'green', 'amber']);
    const rights = collections.filter(() => random.chance(0.6)).map((c) => `${c}:r`);
    const name = `prop-${p}`;
    addPartner(name, '--max-tlp', agreed, ...rights.flatMap((r) => ['--collection', r]));
    for (const c of collections) {
      const r = await taxii(name, 'GET', objectsPath(c));
      if (!rights.includes(`${c}:r`)) { assert.equal(r.status, 404); continue; }
      const ceiling = Math.min(RANK[agreed], RANK[collectionTlp[c]], RANK.amber);
      const got = await readAll(name, c);
      for (const o of got) {
        assert.ok(RANK[expected[o.id]] <= ceiling, `${name} (${agreed}) got ${o.id} held at ${expected[o.id]} from ${c} (${collectionTlp[c]})`);
      }
      const allowed = Object.entries(expected).filter(([id, l]) => id && RANK[l] <= ceiling).map(([id]) => id);
      const inCollection = new Set((await readAll('desk', c)).map((o) => o.id));
      assert.deepEqual(got.map((o) => o.id).sort(), allowed.filter((id) => inCollection.has(id)).sort(), `${name} gets all it may from ${c}`);
    }
  }
  // The desk itself sees RED.
  assert.ok((await readAll('desk', 'grp-a')).some((o) => expected[o.id] === 'red'));
});

test('every object a partner receives or sends is in the transfer log, with the agreement', async () => {
  const jsonl = jaga(['transfers', 'export', '--format', 'jsonl', '--partner', 'cn-cac']);
  assert.equal(jsonl.status, 0, jsonl.stderr);
  const transfers = jsonl.stdout.trim().split('\n').map((l) => JSON.parse(l));
  const received = transfers.filter((t) => t.direction === 'received');
  const sent = transfers.filter((t) => t.direction === 'sent');
  assert.ok(received.length >= 1 && sent.length >= 1);
  assert.equal(received.at(-1).channel, 'taxii-post');
  assert.equal(sent[0].agreement.max_tlp, 'TLP:GREEN');
  assert.equal(sent[0].agreement.personal_data, false);
  assert.ok(sent.every((t) => t.objects.length >= 1 && t.objects.every((o) => /^[a-z-]+--/.test(o.id) && o.version)));

  const csv = jaga(['transfers', 'export', '--partner', 'apt1-reader']);
  const rows = csv.stdout.trim().split('\n');
  assert.equal(rows[0].trim(), 'transfer,at,direction,partner,collection,channel,agreement,stix_id,version');
  assert.ok(rows.length > 76, 'a row per object');
  // The desk's own reads are not cross-border transfers.
  assert.equal(jaga(['transfers', 'export', '--format', 'jsonl', '--partner', 'analis1']).stdout, '');
});
