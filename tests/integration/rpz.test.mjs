// The RPZ feed in its real consumer: `jaga export --format rpz` writes a
// zone from a plain list; Debian's unbound, started by this test on
// 127.0.0.1 with that zone, answers dig. A listed domain and its subdomain
// are blocked (NXDOMAIN), a name whose address is in a listed network is
// blocked, an unlisted name resolves. The names resolve from zones this test
// gives unbound itself (no network is used).
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { freePort, jagaBin } from '../lib/server.mjs';

const dir = mkdtempSync(join(tmpdir(), 'jaga-rpz-'));
let unbound, port;

const zone = (records) => `$TTL 60\n@ SOA localhost. hostmaster.localhost. 1 3600 600 86400 60\n@ NS localhost.\n${records.join('\n')}\n`;

function dig(name, type = 'A') {
  const r = spawnSync('dig', [`@127.0.0.1`, '-p', String(port), '+time=2', '+tries=1', name, type], { encoding: 'utf8' });
  const status = r.stdout.match(/status: (\w+)/)?.[1];
  const answers = [...r.stdout.matchAll(/^\S+\s+\d+\s+IN\s+A\s+(\S+)$/gm)].map((m) => m[1]);
  return { status, answers, text: r.stdout };
}

before(async () => {
  writeFileSync(join(dir, 'list.txt'), ['# phishing this week', 'evil-phish.xyz', '91.92.93.0/24', 'http://other-phish.xyz/login', 'google.com', ''].join('\n'));
  const exported = spawnSync(jagaBin, ['export', '--format', 'rpz', '--indicators', join(dir, 'list.txt'), '--zone', 'rpz.jaga'], { encoding: 'utf8' });
  assert.equal(exported.status, 0, exported.stderr);
  assert.match(exported.stderr, /2 indicators as rpz in the zone rpz\.jaga; 1 with no rpz form; 1 skipped as warninglisted/);
  // The same list through the store: imported at TLP:GREEN, exported at
  // GREEN, the zone holds the same triggers.
  const store = join(dir, 'store');
  const imported = spawnSync(jagaBin, ['import', '--data-dir', store, '--tlp', 'green', '--no-progress', join(dir, 'list.txt')], { encoding: 'utf8' });
  assert.equal(imported.status, 0, imported.stderr);
  const fromStore = spawnSync(jagaBin, ['export', '--format', 'rpz', '--data-dir', store, '--tlp', 'green', '--zone', 'rpz.jaga'], { encoding: 'utf8' });
  assert.equal(fromStore.status, 0, fromStore.stderr);
  const triggers = (text) => text.split('\n').filter((l) => l.endsWith(' CNAME .')).sort();
  assert.deepEqual(triggers(fromStore.stdout), triggers(exported.stdout));
  assert.equal(triggers(exported.stdout).length, 3, 'the domain, its subdomains and the network');
  writeFileSync(join(dir, 'rpz.zone'), fromStore.stdout);
  // What the names would resolve to without the policy.
  writeFileSync(join(dir, 'evil.zone'), zone(['@ A 198.51.100.20', 'www A 198.51.100.21']));
  writeFileSync(join(dir, 'example.zone'), zone(['good A 192.0.2.10', 'parked A 91.92.93.77']));
  port = await freePort();
  writeFileSync(join(dir, 'unbound.conf'), `server:
  interface: 127.0.0.1
  port: ${port}
  do-daemonize: no
  username: ""
  chroot: ""
  directory: "${dir}"
  pidfile: ""
  use-syslog: no
  logfile: ""
  verbosity: 1
  module-config: "respip validator iterator"
  access-control: 127.0.0.0/8 allow
  do-not-query-localhost: no
auth-zone:
  name: "evil-phish.xyz"
  zonefile: "${join(dir, 'evil.zone')}"
  for-downstream: no
  for-upstream: yes
auth-zone:
  name: "example.net"
  zonefile: "${join(dir, 'example.zone')}"
  for-downstream: no
  for-upstream: yes
rpz:
  name: "rpz.jaga"
  zonefile: "${join(dir, 'rpz.zone')}"
  rpz-log: yes
`);
  const checked = spawnSync('unbound-checkconf', [join(dir, 'unbound.conf')], { encoding: 'utf8' });
  assert.equal(checked.status, 0, checked.stdout + checked.stderr);
  unbound = spawn('unbound', ['-d', '-c', join(dir, 'unbound.conf')], { stdio: ['ignore', 'pipe', 'pipe'] });
  unbound.log = '';
  for (const stream of [unbound.stdout, unbound.stderr]) {
    stream.setEncoding('utf8');
    stream.on('data', (d) => { unbound.log += d; });
  }
  for (let i = 0; i < 50 && !dig('good.example.net').status; ++i) await new Promise((r) => setTimeout(r, 100));
});

after(async () => {
  if (unbound) {
    unbound.kill('SIGTERM');
    await new Promise((r) => unbound.once('exit', r));
  }
  rmSync(dir, { recursive: true, force: true });
});

test('an unlisted name resolves', () => {
  const r = dig('good.example.net');
  assert.equal(r.status, 'NOERROR', r.text + unbound.log);
  assert.deepEqual(r.answers, ['192.0.2.10']);
});

test('a listed domain and its subdomain are blocked', () => {
  for (const name of ['evil-phish.xyz', 'www.evil-phish.xyz', 'WWW.Evil-Phish.XYZ']) {
    const r = dig(name);
    assert.equal(r.status, 'NXDOMAIN', `${name}\n${r.text}`);
  }
  // Without the policy both names have addresses (evil.zone): the policy blocked them.
});

test('a name whose address is in a listed network is blocked', () => {
  const r = dig('parked.example.net');
  assert.equal(r.status, 'NXDOMAIN', r.text + unbound.log);
});
