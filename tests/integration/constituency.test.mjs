// The constituency registry and routing as an administrator and an analyst
// use them: import the sample registry as CSV, see an incident routed to the
// organisation that owns its domain (and why), override it, and an
// organisation contact who sees only their own organisation's incident, and
// only its public side.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { loadSpec } from '../lib/openapi.mjs';
import { addUser, fileReport, jagaBin, startServer } from '../lib/server.mjs';

const sourceDir = process.env.JAGA_SOURCE_DIR ?? process.cwd();
const sample = readFileSync(join(sourceDir, 'data/constituency/sample.csv'), 'utf8');
let server, conforms;
const auth = {};
const token = (user) => spawnSync(jagaBin, ['token', 'create', user, '--data-dir', server.dataDir], { encoding: 'utf8' }).stdout.trim();

before(async () => {
  ({ conforms } = await loadSpec(join(sourceDir, 'docs/api/openapi.yaml')));
  server = await startServer();
  addUser(server.dataDir, 'admin1', 'administrator', 'kata-sandi-admin-panjang');
  addUser(server.dataDir, 'analis1', 'analyst', 'kata-sandi-analis-panjang');
  auth.admin = { authorization: `Bearer ${token('admin1')}` };
  auth.analyst = { authorization: `Bearer ${token('analis1')}` };
});
after(async () => { await server?.stop(); server?.cleanup(); });

const call = (who, method, path, body, type = 'application/json') => fetch(`${server.url}${path}`, {
  method, headers: { ...auth[who], ...(body === undefined ? {} : { 'content-type': type }) },
  body: body === undefined ? undefined : (type === 'application/json' ? JSON.stringify(body) : body),
});

test('the registry is imported from CSV, checked, and exported again', async () => {
  const bad = await call('admin', 'POST', '/api/v1/organisations/import', 'name,domains\nKota X,bukan domain!\n', 'text/csv');
  assert.equal(bad.status, 400);
  assert.equal((await conforms(bad, 'POST', '/api/v1/organisations/import')).detail, "row 2: 'bukan' in domains is not a domain name");
  const imported = await conforms(await call('admin', 'POST', '/api/v1/organisations/import', sample, 'text/csv'), 'POST', '/api/v1/organisations/import');
  assert.deepEqual(imported, { added: 32, updated: 0 });
  const again = await (await call('admin', 'POST', '/api/v1/organisations/import', sample, 'text/csv')).json();
  assert.deepEqual(again, { added: 0, updated: 32 }, 'a second import updates by name');

  const { items } = await conforms(await call('analyst', 'GET', '/api/v1/organisations'), 'GET', '/api/v1/organisations');
  const bandung = items.find((o) => o.name === 'Kota Bandung Contoh');
  assert.equal(bandung.parent, 'Provinsi Jawa Barat Contoh');
  assert.deepEqual(bandung.domains, ['bandungkota-contoh.go.id']);
  assert.equal(bandung.contacts[0].email, 'diskominfo@bandungkota-contoh.go.id');

  const clash = await call('admin', 'POST', '/api/v1/organisations', { name: 'Kota Tiruan', kind: 'city', domains: ['bandungkota-contoh.go.id'] });
  assert.equal(clash.status, 409);
  assert.equal((await conforms(clash, 'POST', '/api/v1/organisations')).detail, 'the domain bandungkota-contoh.go.id already belongs to Kota Bandung Contoh');
  assert.equal((await call('analyst', 'POST', '/api/v1/organisations', { name: 'Tidak Boleh' })).status, 403, 'analysts read the registry, administrators change it');

  const csv = await call('analyst', 'GET', '/api/v1/organisations/export');
  const text = await conforms(csv, 'GET', '/api/v1/organisations/export');
  assert.match(csv.headers.get('content-disposition'), /attachment/);
  assert.equal(text.trim().split('\r\n').length, sample.trim().split('\r\n').length, 'the same rows come out as went in');
  assert.ok(text.includes('+62 21 5550'), 'phone numbers are not mangled by the formula guard');
});

test('an incident is routed to the owner of its domain, and an analyst can override it', async () => {
  const a = (await fileReport(server.url, { category: 'intrusions:application-compromise', description: 'Halaman https://layanan.bandungkota-contoh.go.id/berita berisi iklan judi' })).body;
  const created = await (await call('analyst', 'POST', '/api/v1/incidents', { title: 'Deface situs Pemkot', category: 'intrusions:application-compromise', reports: [a.tracking_code] })).json();
  let incident = await conforms(await call('analyst', 'GET', `/api/v1/incidents/${created.reference}`), 'GET', '/api/v1/incidents/{reference}');
  assert.equal(incident.organisations.length, 1);
  assert.equal(incident.organisations[0].name, 'Kota Bandung Contoh');
  assert.equal(incident.organisations[0].source, 'routing');
  assert.equal(incident.organisations[0].reason, 'layanan.bandungkota-contoh.go.id is under bandungkota-contoh.go.id');

  const { items } = await (await call('analyst', 'GET', '/api/v1/organisations')).json();
  const jabar = items.find((o) => o.name === 'Provinsi Jawa Barat Contoh');
  incident = await conforms(await call('analyst', 'PUT', `/api/v1/incidents/${created.reference}/organisations`, { organisations: [jabar.id] }),
    'PUT', '/api/v1/incidents/{reference}/organisations');
  assert.deepEqual(incident.organisations.map((o) => [o.name, o.source]), [['Provinsi Jawa Barat Contoh', 'analyst']]);
  const b = (await fileReport(server.url, { category: 'intrusions:application-compromise', description: 'Situs pajak-contoh.go.id juga kena' })).body;
  await call('analyst', 'POST', `/api/v1/incidents/${created.reference}/reports`, { reports: [b.tracking_code] });
  incident = await (await call('analyst', 'GET', `/api/v1/incidents/${created.reference}`)).json();
  assert.deepEqual(incident.organisations.map((o) => o.name), ['Provinsi Jawa Barat Contoh'], "routing leaves an analyst's choice alone");
  incident = await (await call('analyst', 'PUT', `/api/v1/incidents/${created.reference}/organisations`, { organisations: [] })).json();
  assert.deepEqual(incident.organisations.map((o) => o.name).sort(), ['Direktorat Jenderal Pajak Contoh', 'Kota Bandung Contoh'], 'an empty choice hands back to routing');
  assert.equal((await call('analyst', 'PUT', `/api/v1/incidents/${created.reference}/organisations`, { organisations: [99999] })).status, 400);
});

test('an organisation contact sees only their organisation\'s incidents, and only the public side', async () => {
  addUser(server.dataDir, 'kontak-bdg', 'organisation-contact', 'kata-sandi-kontak-panjang', ['--organisation', 'Kota Bandung Contoh']);
  addUser(server.dataDir, 'kontak-bali', 'organisation-contact', 'kata-sandi-kontak-panjang', ['--organisation', 'Provinsi Bali Contoh']);
  auth.bandung = { authorization: `Bearer ${token('kontak-bdg')}` };
  auth.bali = { authorization: `Bearer ${token('kontak-bali')}` };
  const mine = await conforms(await call('bandung', 'GET', '/api/v1/incidents'), 'GET', '/api/v1/incidents');
  assert.equal(mine.items.length, 1);
  const ref = mine.items[0].reference;
  await call('analyst', 'POST', `/api/v1/incidents/${ref}/comments`, { text: 'Catatan internal: pelaku diduga dari grup X' });
  await call('analyst', 'POST', `/api/v1/incidents/${ref}/comments`, { text: 'Mohon pulihkan halaman dari cadangan.', visibility: 'public' });
  const seen = await conforms(await call('bandung', 'GET', `/api/v1/incidents/${ref}`), 'GET', '/api/v1/incidents/{reference}');
  assert.deepEqual(seen.timeline.map((e) => e.text), ['Mohon pulihkan halaman dari cadangan.']);
  assert.deepEqual(seen.reports, [], 'no tracking codes of reporters');
  assert.deepEqual((await (await call('bali', 'GET', '/api/v1/incidents')).json()).items, []);
  const other = await call('bali', 'GET', `/api/v1/incidents/${ref}`);
  assert.equal(other.status, 404, 'another organisation\'s incident looks like a missing one');
  assert.equal((await call('bandung', 'PATCH', `/api/v1/incidents/${ref}`, { status: 'triaged' })).status, 403);
});

test('the incident list filters by organisation; a contact cannot widen its view with the filter', async () => {
  const orgs = (await (await call('analyst', 'GET', '/api/v1/organisations')).json()).items;
  const id = (name) => orgs.find((o) => o.name === name).id;
  const bandung = await conforms(await call('analyst', 'GET', `/api/v1/incidents?organisation=${id('Kota Bandung Contoh')}`), 'GET', '/api/v1/incidents');
  assert.ok(bandung.items.length >= 1);
  for (const item of bandung.items) {
    const full = await (await call('analyst', 'GET', `/api/v1/incidents/${item.reference}`)).json();
    assert.ok(full.organisations.some((o) => o.name === 'Kota Bandung Contoh'), `${item.reference} affects Kota Bandung Contoh`);
  }
  assert.deepEqual((await (await call('analyst', 'GET', `/api/v1/incidents?organisation=${id('Provinsi Bali Contoh')}`)).json()).items, []);
  const bad = await call('analyst', 'GET', '/api/v1/incidents?organisation=bali');
  assert.equal(bad.status, 400);
  assert.equal((await bad.json()).field, 'organisation');
  const widened = await (await call('bali', 'GET', `/api/v1/incidents?organisation=${id('Kota Bandung Contoh')}`)).json();
  assert.deepEqual(widened.items, [], "a contact's own organisation always applies");
});
