// The store of indicators as the desk uses it: `jaga import` of a plain
// list, a STIX bundle and a real MISP event from the command line, a CSV
// through the API; re-imports that do not grow the store; lookups for a
// resolver (parent domain, network, URL prefix, warninglisted, unknown);
// correlation with a citizen's report; feeds filtered by TLP; and every
// import and export in the audit log.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { loadSpec } from '../lib/openapi.mjs';
import { addUser, fileReport, jagaBin, startServer } from '../lib/server.mjs';

const sourceDir = process.env.JAGA_SOURCE_DIR ?? process.cwd();
const fixtures = join(sourceDir, 'tests', 'fixtures');
const dir = mkdtempSync(join(tmpdir(), 'jaga-indicators-'));
let server, conforms;
const auth = {};

const jaga = (...args) => spawnSync(jagaBin, [...args, '--data-dir', server.dataDir], { encoding: 'utf8' });
const send = (who, method, path, body, type) => fetch(`${server.url}${path}`, {
  method, headers: { ...auth[who], ...(body === undefined ? {} : { 'content-type': type }) },
  body: body === undefined ? undefined : (type === 'application/json' ? JSON.stringify(body) : body),
});
// The imports run with spawnSync, which stops this process's event loop: a
// kept-alive connection the server closed meanwhile (after 15 s idle, when
// an import is slow on a loaded machine) is not noticed, and the next
// request is written to it. The server never read that request, so it is
// sent once more on a fresh connection.
const call = async (who, method, path, body, type = 'application/json') => {
  try {
    return await send(who, method, path, body, type);
  } catch (error) {
    if (error.cause?.code !== 'UND_ERR_SOCKET') throw error;
    return send(who, method, path, body, type);
  }
};
const lookup = async (value) => (await call('operator', 'GET', `/api/v1/lookup?value=${encodeURIComponent(value)}`)).json();

// The lookup matcher is rebuilt in the background; wait until it knows `value`.
async function waitListed(value) {
  const deadline = Date.now() + 15000;
  while (Date.now() < deadline) {
    const r = await call('operator', 'GET', `/api/v1/lookup?value=${encodeURIComponent(value)}`);
    if (r.status === 200 && (await r.json()).listed) return;
    await new Promise((done) => setTimeout(done, 100));
  }
  assert.fail(`${value} never became listed`);
}

before(async () => {
  ({ conforms } = await loadSpec(join(sourceDir, 'docs/api/openapi.yaml')));
  server = await startServer();
  for (const [name, role] of [['analis1', 'analyst'], ['operator1', 'operator'], ['admin1', 'administrator']]) {
    addUser(server.dataDir, name, role, `kata-sandi-${role}-panjang`);
    auth[role] = { authorization: `Bearer ${jaga('token', 'create', name).stdout.trim()}` };
  }
});
after(async () => { await server?.stop(); server?.cleanup(); rmSync(dir, { recursive: true, force: true }); });

test('jaga import reads a plain list, a STIX bundle and a MISP event, and says what it did', () => {
  writeFileSync(join(dir, 'feed.txt'), [
    '# phishing seen this week', 'bank-login-verify.xyz', 'http://Secure-Pay.top/./account/../login?id=1#frag',
    '0.0.0.0 malware-drop.click', '45.61.136.0/24', 'google.com', 'report.pdf', 'not a domain!', '',
  ].join('\n'));
  const first = jaga('import', '--tlp', 'green', '--source', 'phishing-weekly', '--no-progress', join(dir, 'feed.txt'));
  assert.equal(first.status, 0, first.stderr);
  assert.equal(first.stdout.split('\n')[0],
    '7 read: 5 added, 0 updated, 1 skipped as warninglisted (kept, flagged), 2 rejected');
  assert.match(first.stdout, /rejected line 7: 'report\.pdf' does not end in a known top-level domain/);
  assert.match(first.stdout, /rejected line 8: .*not a domain/);
  assert.match(first.stdout, /warninglisted google\.com \(/);

  const again = jaga('import', '--tlp', 'green', '--source', 'phishing-weekly', '--no-progress', join(dir, 'feed.txt'));
  assert.match(again.stdout, /^7 read: 0 added, 5 updated,/, 'a re-import updates, it does not add');

  const stix = jaga('import', '--source-kind', 'partner', '--source', 'CN-CERT', '--no-progress',
    join(fixtures, 'stix-indicator-for-c2-ip-address.json'));
  assert.equal(stix.status, 0, stix.stderr);
  assert.match(stix.stdout, /^\d+ read: \d+ added/);

  const misp = jaga('import', '--no-progress', join(fixtures, 'misp-event-mozi.json'));
  assert.equal(misp.status, 0, misp.stderr);
  assert.match(misp.stdout, /^79 read: 79 added, 0 updated, 0 skipped as warninglisted \(kept, flagged\), 0 rejected; 72 entries were not indicators/);

  const broken = jaga('import', '--format', 'stix', '--no-progress', join(dir, 'feed.txt'));
  assert.equal(broken.status, 1);
  assert.match(broken.stderr, /^jaga import: .*feed\.txt: not a STIX bundle: the JSON cannot be read/);
  const missing = jaga('import', join(dir, 'nowhere.txt'));
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /^jaga import: cannot read .*nowhere\.txt: No such file or directory\n$/);
});

test('the API lists indicators with their sources; a CSV import through the API', async () => {
  const listed = await conforms(await call('analyst', 'GET', '/api/v1/indicators?q=bank-login'), 'GET', '/api/v1/indicators');
  assert.equal(listed.items.length, 1);
  const bank = listed.items[0];
  assert.equal(bank.value, 'bank-login-verify.xyz');
  assert.equal(bank.tlp, 'TLP:GREEN');
  assert.equal(bank.registrable_domain, 'bank-login-verify.xyz');
  const one = await conforms(await call('analyst', 'GET', `/api/v1/indicators/${bank.id}`), 'GET', '/api/v1/indicators/{id}');
  assert.deepEqual(one.sources.map((s) => [s.kind, s.name, s.count]), [['feed', 'phishing-weekly', 2]]);

  const flagged = (await (await call('analyst', 'GET', '/api/v1/indicators?q=google.com')).json()).items[0];
  assert.match(flagged.warninglist, /\S/, 'a warninglisted value is kept, flagged');

  const csv = 'Indicator,Type,TLP,Confidence\nc2.bank-login-verify.xyz,domain,red,90\n185.234.216.0/24,cidr,amber,\nwho-knows,colour,,\n';
  const r = await call('analyst', 'POST', '/api/v1/indicators/import?source=regional-sharing&source_kind=partner', csv, 'text/csv');
  const summary = await conforms(r, 'POST', '/api/v1/indicators/import');
  assert.equal(summary.format, 'csv');
  assert.equal(summary.added, 2);
  assert.deepEqual(summary.rejected, [{ where: 'row 4', reason: 'unknown kind colour' }]);
  const bad = await call('analyst', 'POST', '/api/v1/indicators/import?tlp=purple', csv, 'text/csv');
  assert.equal(bad.status, 400);
  assert.equal((await bad.json()).field, 'tlp');
  const noValue = await call('analyst', 'POST', '/api/v1/indicators/import?format=csv', 'name,kind\nx,domain\n', 'text/csv');
  assert.equal(noValue.status, 400);
  assert.match((await noValue.json()).detail, /names no value column/);
});

test('a resolver asks: parent domains, networks, URL prefixes, warninglists', async () => {
  await waitListed('c2.bank-login-verify.xyz');
  const sub = await conforms(await call('operator', 'GET', '/api/v1/lookup?value=WWW.Bank-Login-Verify.xyz.'), 'GET', '/api/v1/lookup');
  assert.equal(sub.listed, true);
  assert.deepEqual({ indicator: sub.match.indicator, reason: sub.match.reason, tlp: sub.match.tlp },
    { indicator: 'bank-login-verify.xyz', reason: 'parent_domain', tlp: 'TLP:GREEN' });
  const exact = await lookup('c2.bank-login-verify.xyz');
  assert.equal(exact.match.reason, 'exact', 'the most specific listed domain answers');
  assert.equal(exact.match.tlp, 'TLP:RED');
  assert.equal((await lookup('45.61.136.200')).match.reason, 'cidr');
  const url = await lookup('http://www.secure-pay.top/login?id=1');
  assert.equal(url.match.reason, 'url_prefix');
  assert.equal(url.match.indicator, 'http://secure-pay.top/login?id=1');
  assert.equal((await lookup('mybank-login-verify.xyz')).listed, false, 'a longer name ending the same is not under it');
  const benign = await lookup('www.google.com');
  assert.equal(benign.listed, false);
  assert.match(benign.warninglist, /\S/);
  const bad = await call('operator', 'GET', '/api/v1/lookup?value=a.b.c');
  assert.equal(bad.status, 400);
  assert.deepEqual(await bad.json(), { type: 'about:blank', title: 'Bad Request', status: 400,
    detail: "'a.b.c' does not end in a known top-level domain", field: 'value' });

  const batch = await conforms(await call('operator', 'POST', '/api/v1/lookup',
    { values: ['malware-drop.click', '8.8.8.8', 'nonsense value', 'fe80::1'] }), 'POST', '/api/v1/lookup');
  assert.equal(batch.listed, 1);
  assert.deepEqual(batch.results.map((r) => r.listed ?? r.error), [true, false, "'nonsense value' has a character a domain may not have, or a hyphen at a label's end", false]);
  assert.equal((await call('operator', 'POST', '/api/v1/lookup', { values: [] })).status, 400);
  assert.equal((await call('operator', 'POST', '/api/v1/lookup', { values: Array(1001).fill('x.xyz') })).status, 400);
});

test('an indicator correlates with a report under the same registrable domain', async () => {
  const filed = await fileReport(server.url, {
    category: 'fraud:phishing', language: 'id',
    description: 'Saya menerima SMS dengan tautan http://promo.bank-login-verify.xyz/hadiah untuk klaim hadiah.',
  });
  assert.equal(filed.status, 201, JSON.stringify(filed.body));
  const code = filed.body.tracking_code;
  const bank = (await (await call('analyst', 'GET', '/api/v1/indicators?q=bank-login-verify.xyz&kind=domain')).json()).items[0];
  const one = await (await call('analyst', 'GET', `/api/v1/indicators/${bank.id}`)).json();
  const links = one.correlations.map((c) => `${c.link} ${c.object_kind} ${c.object === code ? 'CODE' : c.indicator}`);
  assert.ok(links.includes('same_registrable_domain report CODE'), links.join('\n'));
  assert.ok(links.includes('same_registrable_domain indicator c2.bank-login-verify.xyz'), links.join('\n'));
  const c2 = one.correlations.find((c) => c.indicator === 'c2.bank-login-verify.xyz');
  assert.equal(c2.title, 'partner: regional-sharing');

  // A value only a citizen's report names is never exported or looked up as listed.
  assert.equal((await lookup('http://promo.bank-login-verify.xyz/hadiah')).match.indicator, 'bank-login-verify.xyz');
  const plain = await (await call('analyst', 'GET', '/api/v1/indicators/export?format=plain&tlp=red')).text();
  assert.ok(!plain.includes('promo.bank-login-verify.xyz'));
});

test('feeds out carry only what the label allows, and each export is audited', async () => {
  const green = await call('analyst', 'GET', '/api/v1/indicators/export?format=plain&tlp=green');
  const text = await conforms(green, 'GET', '/api/v1/indicators/export');
  const values = text.split('\n').filter((l) => l && !l.startsWith('#'));
  assert.ok(values.includes('bank-login-verify.xyz'));
  assert.ok(!values.includes('c2.bank-login-verify.xyz'), 'TLP:RED stays out of a GREEN feed');
  assert.ok(!values.includes('185.234.216.0/24'), 'TLP:AMBER stays out of a GREEN feed');
  assert.ok(!values.includes('google.com'), 'warninglisted values are never exported');
  assert.equal(Number(green.headers.get('x-jaga-indicators')), values.length);
  const red = (await (await call('analyst', 'GET', '/api/v1/indicators/export?format=plain&tlp=red')).text()).split('\n');
  assert.ok(red.includes('c2.bank-login-verify.xyz'));

  const bundle = JSON.parse(await (await call('analyst', 'GET', '/api/v1/indicators/export?format=stix&tlp=amber')).text());
  assert.equal(bundle.type, 'bundle');
  const cidr = bundle.objects.find((o) => o.name === '185.234.216.0/24');
  assert.equal(cidr.pattern, "[ipv4-addr:value = '185.234.216.0/24']");
  assert.deepEqual(cidr.object_marking_refs, ['marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421']);
  const again = JSON.parse(await (await call('analyst', 'GET', '/api/v1/indicators/export?format=stix&tlp=amber')).text());
  assert.equal(again.objects.find((o) => o.name === '185.234.216.0/24').id, cidr.id, 'the same indicator has the same id');
  // What jaga exports as STIX, jaga imports again without loss.
  writeFileSync(join(dir, 'bundle.json'), JSON.stringify(bundle));
  const reimported = jaga('import', '--no-progress', '--source', 'round-trip', join(dir, 'bundle.json'));
  assert.match(reimported.stdout, new RegExp(`^${bundle.objects.length} read: 0 added, ${bundle.objects.length} updated`));

  const rules = await (await call('analyst', 'GET', '/api/v1/indicators/export?format=suricata&tlp=green')).text();
  assert.match(rules, /alert dns \$HOME_NET any -> any any \(msg:"jaga: DNS query for listed domain bank-login-verify\.xyz \(TLP:GREEN\)"; dns\.query; dotprefix; content:"\.bank-login-verify\.xyz"; nocase; endswith; classtype:bad-unknown; sid:\d+; rev:1;\)/);
  assert.match(rules, /alert tls .* tls\.sni; dotprefix; content:"\.bank-login-verify\.xyz"/);
  assert.match(rules, /alert ip \$HOME_NET any -> \[45\.61\.136\.0\/24\] any/);
  const sids = [...rules.matchAll(/sid:(\d+);/g)].map((m) => m[1]);
  assert.equal(new Set(sids).size, sids.length, 'every rule has its own sid');

  const cli = jaga('export', '--format', 'csv', '--tlp', 'clear');
  assert.equal(cli.status, 0, cli.stderr);
  assert.match(cli.stderr, /^jaga export: \d+ indicators as csv, TLP:CLEAR and less restricted/);
  assert.equal(cli.stdout.split('\r\n')[0], 'kind,value,tlp,confidence,valid_until,first_seen,last_seen');

  const { items } = await (await call('administrator', 'GET', '/api/v1/audit?action=indicator.')).json();
  const actions = items.map((e) => `${e.actor} ${e.action}`);
  assert.ok(actions.includes('cli indicator.import'), actions.join('\n'));
  assert.ok(actions.includes('analis1 indicator.import'), actions.join('\n'));
  assert.ok(actions.includes('analis1 indicator.export'), actions.join('\n'));
  assert.ok(actions.includes('cli indicator.export'), actions.join('\n'));
  assert.equal((await call('analyst', 'GET', '/api/v1/indicators/export?format=xml')).status, 400);
  assert.equal((await call('operator', 'GET', '/api/v1/indicators/export?format=plain')).status, 403);
});
