// `jaga check URL --json` against test sites served by Debian's nginx, which
// this test starts on 127.0.0.1 with sites and certificates it makes itself
// (a test authority, an expired certificate, a self-signed one, TLS 1.0
// only). Each site must give what a desk would expect of it.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { addUser, freePort, jagaBin, startServer } from '../lib/server.mjs';
import { startSmtpSink } from '../lib/smtp.mjs';
import { loadSpec } from '../lib/openapi.mjs';

const dir = mkdtempSync(join(tmpdir(), 'jaga-monitor-'));
// nginx's workers run as another user when the test runs as root.
chmodSync(dir, 0o755);
let nginx, silent;
const port = {};

function openssl(args, cwd = dir) {
  const r = spawnSync('openssl', args, { cwd, encoding: 'utf8' });
  assert.equal(r.status, 0, `openssl ${args.join(' ')}: ${r.stderr}`);
}

// A test authority and its leaf certificates for 127.0.0.1: one current,
// one that expired in 2021; and a self-signed one.
function makeCertificates() {
  mkdirSync(join(dir, 'ca'));
  writeFileSync(join(dir, 'ca', 'index.txt'), '');
  writeFileSync(join(dir, 'ca', 'serial'), '1000\n');
  writeFileSync(join(dir, 'ca.cnf'), `[ca]
default_ca = test
[test]
dir = ${dir}/ca
database = $dir/index.txt
serial = $dir/serial
new_certs_dir = $dir
default_md = sha256
policy = any
copy_extensions = copy
unique_subject = no
[any]
commonName = supplied
[leaf]
subjectAltName = IP:127.0.0.1
basicConstraints = CA:FALSE
`);
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '30', '-subj', '/CN=Jaga Test Authority']);
  for (const [name, dates] of [['good', ['-days', '200']], ['expired', ['-startdate', '20200101000000Z', '-enddate', '20210101000000Z']]]) {
    openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', '/CN=127.0.0.1']);
    openssl(['ca', '-batch', '-config', 'ca.cnf', '-cert', 'ca.pem', '-keyfile', 'ca.key', '-in', `${name}.csr`, '-out', `${name}.pem`, '-extensions', 'leaf', ...dates]);
  }
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'self.key', '-out', 'self.pem', '-days', '30', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1']);
}

const page = (title, body) => `<!doctype html><html><head><title>${title}</title></head><body>${body}</body></html>`;
const goodBody = '<h1>Dinas Kesehatan Kota</h1><p>Layanan kesehatan untuk warga kota: puskesmas, rumah sakit dan vaksinasi.</p>';
const secure = `
    add_header Strict-Transport-Security "max-age=63072000; includeSubDomains" always;
    add_header Content-Security-Policy "default-src 'self'; frame-ancestors 'self'" always;
    add_header X-Content-Type-Options nosniff always;
    add_header Referrer-Policy strict-origin-when-cross-origin always;`;

function site(name, html, securityTxt) {
  mkdirSync(join(dir, 'www', name, '.well-known'), { recursive: true });
  writeFileSync(join(dir, 'www', name, 'index.html'), html);
  if (securityTxt) writeFileSync(join(dir, 'www', name, '.well-known', 'security.txt'), securityTxt);
}

function check(url, ...extra) {
  const r = spawnSync(jagaBin, ['check', url, '--json', '--timeout', '3', ...extra], { encoding: 'utf8' });
  assert.ok(r.status === 0 || r.status === 2, `jaga check ${url} exited ${r.status}: ${r.stderr}`);
  const result = JSON.parse(r.stdout);
  return { ...result, exit: r.status, ids: result.findings.map((f) => f.id) };
}

before(async () => {
  makeCertificates();
  const future = new Date(Date.now() + 180 * 86400e3).toISOString();
  const validTxt = `Contact: mailto:csirt@dinkes.example.go.id\nExpires: ${future}\n`;
  site('good', page('Dinas Kesehatan', goodBody), validTxt);
  site('defaced', page('Hacked by Cyber Team', '<h1>HACKED BY xX_Team_Xx</h1><p>your security is low, greetz to all</p>'), validTxt);
  site('spam', page('Dinas Kesehatan', goodBody + '<div style="position:absolute;left:-9999px"><a href="https://gacor.example/">slot gacor hari ini</a> <a href="https://togel.example/">bandar togel</a></div>'), validTxt);
  site('badtxt', page('Dinas Kesehatan', goodBody), 'Contact: mailto:csirt@dinkes.example.go.id\nExpires: 2021-01-01T00:00:00Z\n');
  site('plain', page('Dinas Kesehatan', goodBody));
  site('flip', page('Hacked by Cyber Team', '<h1>HACKED BY xX_Team_Xx</h1><p>Dinas Kesehatan</p>'));
  for (const name of ['good', 'defaced', 'spam', 'badtxt', 'plain', 'expired', 'self', 'legacy', 'legacyonly', 'loop', 'flip']) port[name] = await freePort();
  port.down = await freePort();
  port.silent = await freePort();
  const tls = (cert) => `ssl_certificate ${dir}/${cert}.pem; ssl_certificate_key ${dir}/${cert}.key;`;
  const server = (name, { ssl = true, cert = 'good', root = name, extra = '' } = {}) => `
  server {
    listen 127.0.0.1:${port[name]}${ssl ? ' ssl' : ''};
    ${ssl ? tls(cert) : ''}
    root ${dir}/www/${root};
    location = /.well-known/security.txt { default_type text/plain; }
    ${extra}
  }`;
  writeFileSync(join(dir, 'nginx.conf'), `
daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path ${dir}/tmp; proxy_temp_path ${dir}/tmp; fastcgi_temp_path ${dir}/tmp;
  uwsgi_temp_path ${dir}/tmp; scgi_temp_path ${dir}/tmp;
  default_type text/html;
  ssl_protocols TLSv1.2 TLSv1.3;
  ${server('good', { extra: secure + '\n    server_tokens off;' })}
  ${server('defaced', { extra: secure })}
  ${server('spam', { extra: secure })}
  ${server('badtxt', { extra: secure })}
  ${server('plain', { ssl: false })}
  ${server('expired', { cert: 'expired', root: 'good' })}
  ${server('self', { cert: 'self', root: 'good' })}
  ${server('legacy', { root: 'good', extra: 'ssl_protocols TLSv1 TLSv1.1 TLSv1.2; ssl_ciphers DEFAULT:@SECLEVEL=0;' })}
  ${server('legacyonly', { root: 'good', extra: 'ssl_protocols TLSv1; ssl_ciphers DEFAULT:@SECLEVEL=0;' })}
  ${server('flip', { ssl: false })}
  ${server('loop', { ssl: false, root: 'good', extra: 'location = / { return 302 /a; } location = /a { return 302 /; }' })}
}
`);
  mkdirSync(join(dir, 'tmp'));
  nginx = spawn('/usr/sbin/nginx', ['-c', join(dir, 'nginx.conf'), '-p', dir, '-e', join(dir, 'error.log')], { stdio: 'inherit' });
  // A server that accepts connections and never answers (a process of its
  // own: this one blocks while jaga runs).
  silent = spawn('python3', ['-c', `import socket, time
s = socket.socket(); s.bind(('127.0.0.1', ${port.silent})); s.listen(64); time.sleep(600)`], { stdio: 'inherit' });
  for (let i = 0; i < 100; i++) {
    const r = spawnSync('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', `http://127.0.0.1:${port.plain}/`], { encoding: 'utf8' });
    if (r.stdout === '200') return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`nginx did not start: ${readFileSync(join(dir, 'error.log'), 'utf8')}`);
});

after(() => {
  nginx?.kill();
  silent?.kill();
  if (!process.env.JAGA_KEEP_TEST_DIR) rmSync(dir, { recursive: true, force: true });
});

const ca = () => ['--ca-file', join(dir, 'ca.pem')];

test('a healthy HTTPS site is up with a valid certificate, its timings and a full baseline score', () => {
  const r = check(`https://127.0.0.1:${port.good}/`, ...ca());
  assert.equal(r.exit, 0);
  assert.equal(r.up, true);
  assert.equal(r.status, 200);
  for (const phase of ['dns', 'connect', 'tls', 'first_byte', 'total']) assert.equal(typeof r.timings_ms[phase], 'number', phase);
  assert.ok(r.timings_ms.tls > 0, 'a TLS handshake took time');
  assert.ok(r.timings_ms.total >= r.timings_ms.first_byte);
  assert.equal(r.certificate.valid, true, r.certificate.error);
  assert.ok(r.certificate.days_left >= 198 && r.certificate.days_left <= 200, `days_left ${r.certificate.days_left}`);
  assert.match(r.certificate.issuer, /Jaga Test Authority/);
  assert.match(r.tls.version, /^TLSv1\.[23]$/);
  assert.equal(r.tls.legacy_accepted, false);
  assert.equal(r.content.title, 'Dinas Kesehatan');
  assert.deepEqual(r.ids, []);
  assert.equal(r.score, 100);
});

test('without the extra authority the same certificate is not trusted, and the page is still read', () => {
  const r = check(`https://127.0.0.1:${port.good}/`);
  assert.equal(r.up, true);
  assert.equal(r.certificate.valid, false);
  assert.ok(r.ids.includes('certificate-invalid'));
  assert.equal(r.content.title, 'Dinas Kesehatan');
});

test('a defaced page is a defacement finding', () => {
  const r = check(`https://127.0.0.1:${port.defaced}/`, ...ca());
  assert.equal(r.up, true);
  const defacement = r.findings.filter((f) => f.id.startsWith('defacement'));
  assert.ok(defacement.length >= 1, JSON.stringify(r.findings));
  assert.equal(defacement[0].severity, 'critical');
  assert.match(defacement[0].message, /hacked by/i);
});

test('gambling links hidden in a page are a spam finding', () => {
  const r = check(`https://127.0.0.1:${port.spam}/`, ...ca());
  const spam = r.findings.filter((f) => f.id.startsWith('spam'));
  assert.deepEqual(spam.map((f) => f.id).sort(), ['spam-bandar-togel', 'spam-gacor-hari-ini', 'spam-slot-gacor']);
  assert.match(spam[0].message, /hidden from visitors/);
  assert.ok(!r.ids.some((id) => id.startsWith('defacement')));
});

test('an expired certificate and a self-signed one', () => {
  const expired = check(`https://127.0.0.1:${port.expired}/`, ...ca());
  assert.ok(expired.ids.includes('certificate-expired'), JSON.stringify(expired.findings));
  assert.ok(expired.certificate.days_left < -600);
  assert.equal(expired.certificate.valid, false);
  const self = check(`https://127.0.0.1:${port.self}/`, ...ca());
  assert.ok(self.ids.includes('certificate-invalid'));
  assert.match(self.certificate.error, /self.signed/);
  assert.ok(self.score < 100);
});

test('a server that still accepts TLS 1.0 is flagged, one that offers nothing newer is down', () => {
  const r = check(`https://127.0.0.1:${port.legacy}/`, ...ca());
  assert.equal(r.up, true);
  assert.equal(r.tls.version, 'TLSv1.2');
  assert.equal(r.tls.legacy_accepted, true);
  assert.ok(r.ids.includes('baseline-tls-version'), JSON.stringify(r.findings));
  const only = check(`https://127.0.0.1:${port.legacyonly}/`, ...ca());
  assert.equal(only.up, false);
  assert.equal(only.tls.legacy_accepted, true);
  assert.deepEqual(only.ids, ['tls-legacy-only', 'availability-down']);
});

test('missing headers, disclosed versions and no HTTPS are baseline findings with fixes', () => {
  const r = check(`http://127.0.0.1:${port.plain}/`);
  assert.equal(r.up, true);
  assert.equal(r.certificate, null);
  for (const id of ['baseline-https', 'baseline-hsts', 'baseline-csp', 'baseline-content-type-options', 'baseline-frame-protection', 'baseline-referrer-policy', 'baseline-security-txt', 'baseline-server-version'])
    assert.ok(r.ids.includes(id), `${id} in ${r.ids}`);
  for (const f of r.findings.filter((f) => f.id.startsWith('baseline'))) assert.ok(f.fix, f.id);
  assert.ok(r.score < 40, `score ${r.score}`);
});

test('an expired security.txt is named', () => {
  const r = check(`https://127.0.0.1:${port.badtxt}/`, ...ca());
  const finding = r.findings.find((f) => f.id === 'baseline-security-txt');
  assert.ok(finding, JSON.stringify(r.findings));
  assert.match(finding.message, /expired on 2021-01-01/);
});

test('a redirect loop, a site that is down and one that never answers', () => {
  const loop = check(`http://127.0.0.1:${port.loop}/`);
  assert.equal(loop.up, false);
  assert.equal(loop.exit, 2);
  assert.ok(loop.ids.includes('availability-redirect-loop'));
  assert.ok(loop.redirects.length >= 2);
  const down = check(`http://127.0.0.1:${port.down}/`);
  assert.equal(down.up, false);
  assert.deepEqual(down.ids, ['availability-down']);
  const started = Date.now();
  const slow = check(`http://127.0.0.1:${port.silent}/`);
  assert.equal(slow.up, false);
  assert.match(slow.error, /timed out/i);
  assert.ok(Date.now() - started < 10000, 'the timeout held');
});

test('bad input is one line and exit 1', () => {
  const r = spawnSync(jagaBin, ['check', 'ftp://example.go.id/'], { encoding: 'utf8' });
  assert.equal(r.status, 1);
  assert.equal(r.stderr, 'jaga: only http:// and https:// sites can be checked, not ftp://\n');
  assert.equal(r.stdout, '');
});

test('the watched sites: a CSV file in, the list, the same CSV out, an organisation\'s domains, bad rows named', () => {
  const data = join(dir, 'store');
  const jaga = (...args) => spawnSync(jagaBin, [...args, '--data-dir', data], { encoding: 'utf8' });
  writeFileSync(join(dir, 'orgs.csv'), 'name,kind,domains\nDinas Kesehatan Kota Bandung,city,dinkes.bandung.go.id;puskesmas.bandung.go.id\n');
  assert.equal(jaga('organisation', 'import', join(dir, 'orgs.csv')).status, 0);
  writeFileSync(join(dir, 'sites.csv'), 'url,organisation,interval_seconds,keywords,tags\n' +
    `http://127.0.0.1:${port.plain}/,Dinas Kesehatan Kota Bandung,60,Dinas Kesehatan,test;nginx\n` +
    'www.jabarprov.go.id,,,Jawa Barat,pemda\n');
  const imported = jaga('site', 'import', join(dir, 'sites.csv'));
  assert.equal(imported.stdout, 'added 2, updated 0 sites\n', imported.stderr);
  const domains = jaga('site', 'add-domains', 'Dinas Kesehatan Kota Bandung', '--interval', '600');
  assert.equal(domains.stdout, 'added 2, updated 0 sites\n', domains.stderr);
  const listed = jaga('site', 'list', '--organisation', 'Dinas Kesehatan Kota Bandung');
  assert.match(listed.stdout, /https:\/\/dinkes\.bandung\.go\.id\/\s+-\s+-\s+600s/, 'never checked: no state, no score');
  assert.match(listed.stdout, /3 sites\n$/);
  assert.match(jaga('site', 'list', '--tag', 'pemda').stdout, /www\.jabarprov\.go\.id[\s\S]*1 site\n$/);
  const exported = jaga('site', 'export').stdout;
  assert.equal(exported.split('\r\n')[1], `http://127.0.0.1:${port.plain}/,Dinas Kesehatan Kota Bandung,60,Dinas Kesehatan,test;nginx,yes`);
  // What export wrote, import reads back as it was.
  writeFileSync(join(dir, 'again.csv'), exported);
  assert.equal(jaga('site', 'import', join(dir, 'again.csv')).stdout, 'added 0, updated 4 sites\n');
  assert.equal(jaga('site', 'export').stdout, exported);
  writeFileSync(join(dir, 'bad.csv'), 'url,interval_seconds\nok.go.id,300\nbad.go.id,5\n');
  const bad = jaga('site', 'import', join(dir, 'bad.csv'));
  assert.equal(bad.status, 1);
  assert.equal(bad.stderr, `jaga: ${join(dir, 'bad.csv')}: line 3: the interval must be from 30 to 86400 seconds, not 5\n`);
  assert.doesNotMatch(jaga('site', 'list').stdout, /ok\.go\.id/, 'nothing of a bad file is kept');
  const audit = jaga('audit', 'list', '--action', 'site.');
  assert.match(audit.stdout, /site\.import/);
});

test('the server checks the watched sites on their schedule, keeps their state and reports its lag', async () => {
  const data = join(dir, 'monitored');
  const jaga = (...args) => spawnSync(jagaBin, [...args, '--data-dir', data], { encoding: 'utf8' });
  writeFileSync(join(dir, 'watched.csv'), 'url,interval_seconds,keywords\n' +
    `http://127.0.0.1:${port.plain}/,60,Dinas Kesehatan\n` +
    `http://127.0.0.1:${port.down}/,60,\n` +
    `https://127.0.0.1:${port.defaced}/,60,Dinas Kesehatan\n`);
  assert.equal(jaga('site', 'import', join(dir, 'watched.csv')).status, 0);
  const server = await startServer({ dataDir: data });
  try {
    // New sites are checked within seconds of being seen.
    let listed = '';
    for (let i = 0; i < 100 && !/(up|DOWN)[\s\S]*(up|DOWN)[\s\S]*(up|DOWN)/.test(listed); i++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      listed = jaga('site', 'list').stdout;
    }
    assert.match(listed, new RegExp(`http://127\\.0\\.0\\.1:${port.plain}/\\s+up 200\\s+\\d+\\s+60s`), listed);
    assert.match(listed, new RegExp(`http://127\\.0\\.0\\.1:${port.down}/\\s+DOWN`), listed);
    // The figures follow about once a second.
    let metrics = '';
    for (let i = 0; i < 30; i++) {
      metrics = await (await fetch(`${server.url}/metrics`)).text();
      if (/^jaga_monitor_checks_finished 3$/m.test(metrics)) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    assert.match(metrics, /^jaga_monitor_checks_finished 3$/m);
    assert.match(metrics, /^jaga_monitor_sites 3$/m);
    assert.match(metrics, /^jaga_monitor_sites_down 1$/m, 'the closed port; the defaced site answers');
    const lag = Number(metrics.match(/^jaga_monitor_lag_seconds_max_10s (\S+)$/m)?.[1]);
    assert.ok(lag >= 0 && lag < 1, `lag ${lag}`);
    // Nothing is checked twice in quick succession.
    const before = Number(metrics.match(/^jaga_monitor_checks_finished (\S+)$/m)[1]);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const later = await (await fetch(`${server.url}/metrics`)).text();
    assert.equal(Number(later.match(/^jaga_monitor_checks_finished (\S+)$/m)[1]), before);
  } finally {
    await server.stop();
    server.cleanup();
  }
});

test('a defacement becomes one incident for the site\'s organisation, which is told by email; recovery closes the alert', async () => {
  const sink = await startSmtpSink();
  const data = join(dir, 'alerts');
  const jaga = (...args) => spawnSync(jagaBin, [...args, '--data-dir', data], { encoding: 'utf8' });
  writeFileSync(join(dir, 'owner.csv'), 'name,kind,domains,contact_name,contact_email\n' +
    'Dinas Kesehatan Kota Contoh,city,dinkes.contoh.go.id,CSIRT Dinkes,csirt@dinkes.contoh.go.id\n' +
    'Dinas Lain,city,lain.contoh.go.id,Orang Lain,someone@lain.contoh.go.id\n');
  assert.equal(jaga('organisation', 'import', join(dir, 'owner.csv')).status, 0);
  const url = `http://127.0.0.1:${port.flip}/`;
  assert.equal(jaga('site', 'add', url, '--organisation', 'Dinas Kesehatan Kota Contoh', '--interval', '30').status, 0);
  const server = await startServer({ dataDir: data, env: { JAGA_SMTP_URL: sink.url, JAGA_SMTP_TLS: 'none', JAGA_SMTP_FROM: 'desk@csirt.contoh.go.id' } });
  try {
    addUser(data, 'analis1', 'analyst', 'kata-sandi-analis-1');
    const token = jaga('token', 'create', 'analis1').stdout.trim();
    const get = async (path) => (await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${token}` } })).json();
    let incidents = [];
    for (let i = 0; i < 100 && incidents.length === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      incidents = (await get('/api/v1/incidents')).items.filter((x) => x.title === `Website defaced: ${url}`);
    }
    assert.equal(incidents.length, 1, 'an incident was opened');
    const incident = await get(`/api/v1/incidents/${incidents[0].reference}`);
    assert.equal(incident.severity, 'critical');
    assert.equal(incident.category, 'intrusions:application-compromise');
    assert.deepEqual(incident.organisations.map((o) => o.name), ['Dinas Kesehatan Kota Contoh']);
    const evidence = incident.timeline.find((e) => e.kind === 'monitor');
    assert.match(evidence.text, /defacement-hacked-by: Defacement signature "hacked by"/);
    assert.match(evidence.text, /HACKED BY xX_Team_Xx/, 'the page\'s text is kept as evidence');
    // The same through the API, as the document describes it.
    const { conforms } = await loadSpec(join(process.env.JAGA_SOURCE_DIR ?? process.cwd(), 'docs/api/openapi.yaml'));
    const call = (path) => fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    const listed = await conforms(await call('/api/v1/sites?organisation=Dinas%20Kesehatan%20Kota%20Contoh'), 'GET', '/api/v1/sites');
    assert.equal(listed.items.length, 1);
    assert.equal(listed.items[0].state.up, true);
    assert.ok(listed.items[0].state.findings.some((f) => f.id === 'defacement-hacked-by'));
    const siteId = listed.items[0].id;
    const one = await conforms(await call(`/api/v1/sites/${siteId}`), 'GET', '/api/v1/sites/{id}');
    assert.ok(one.history.length >= 1 && one.history[0].checks >= 1);
    assert.equal(one.baseline, null, 'a defaced page is never learnt as the baseline');
    // The alert on the site's page, with the page kept as it was served.
    assert.equal(one.alerts.length, 1);
    assert.equal(one.alerts[0].kind, 'defacement');
    assert.equal(one.alerts[0].open, true);
    assert.equal(one.alerts[0].incident.reference, incident.reference);
    assert.equal(one.alerts[0].evidence.length, 1);
    const kept = await call(one.alerts[0].evidence[0].href);
    assert.equal(kept.status, 200);
    assert.equal(kept.headers.get('content-type'), 'application/octet-stream');
    assert.match(kept.headers.get('content-disposition'), /^attachment/);
    assert.match(kept.headers.get('content-security-policy'), /sandbox/);
    assert.equal(await kept.text(), page('Hacked by Cyber Team', '<h1>HACKED BY xX_Team_Xx</h1><p>Dinas Kesehatan</p>'));
    assert.match(evidence.text, new RegExp(`A copy of the page as it was served \\(\\d+ bytes, SHA-256 ${one.alerts[0].evidence[0].sha256}\\) is kept as evidence`));
    assert.equal((await call('/api/v1/sites/999999')).status, 404);
    const mail = await sink.waitFor((m) => m.reference === incident.reference);
    assert.deepEqual(mail.map((m) => m.rcpt_tos).flat(), ['csirt@dinkes.contoh.go.id'], 'only the owner is told');
    // The page is restored: the next check closes the alert, and the incident stays the one incident.
    writeFileSync(join(dir, 'www', 'flip', 'index.html'), page('Dinas Kesehatan', goodBody));
    let recovered;
    for (let i = 0; i < 120 && !recovered; i++) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      recovered = (await get(`/api/v1/incidents/${incident.reference}`)).timeline.find((e) => /^Recovered/.test(e.text));
    }
    assert.ok(recovered, 'the recovery is on the timeline');
    // The restored page is clean: it became the site's content baseline.
    const restored = await get(`/api/v1/sites/${siteId}`);
    assert.equal(restored.baseline?.title, 'Dinas Kesehatan');
    assert.equal(restored.alerts[0].open, false);
    // Now the page is replaced without a defacer's words, and loads a script
    // from a host it never used: the baseline catches both, and the same
    // incident hears of it again (within the hour), with the text's change.
    writeFileSync(join(dir, 'www', 'flip', 'index.html'), page('Dinas Kesehatan',
      '<script src="https://cdn-stat.example.net/a.js"></script><h1>Promo spesial</h1><p>Daftar sekarang dan dapatkan bonus besar setiap hari.</p>'));
    let back;
    for (let i = 0; i < 120 && !back; i++) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      back = (await get(`/api/v1/incidents/${incident.reference}`)).timeline.find((e) => /^The problem is back/.test(e.text));
    }
    assert.ok(back, 'the replaced page reopened the alert');
    assert.match(back.text, /content-new-script-host: The page loads a script from cdn-stat\.example\.net/);
    assert.match(back.text, /defacement-content-replaced/);
    assert.match(back.text, /Removed from the baseline \(\d+ passages?\):\n- Dinas Kesehatan Kota Layanan kesehatan untuk warga kota/);
    assert.match(back.text, /Added to the page \(\d+ passages?\):\n- Promo spesial Daftar sekarang/);
    const reopened = await get(`/api/v1/sites/${siteId}`);
    assert.equal(reopened.alerts.length, 1, 'one alert, reopened');
    assert.equal(reopened.alerts[0].evidence.length, 2, 'a second copy of the page is kept');
    // An analyst who accepts the new page resets the baseline.
    const csrfless = await fetch(`${server.url}/api/v1/sites/${siteId}/baseline`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } });
    assert.equal(csrfless.status, 200);
    assert.deepEqual(await csrfless.json(), { reset: true });
    assert.equal((await get(`/api/v1/sites/${siteId}`)).baseline, null);
    assert.match(jaga('audit', 'list', '--action', 'site.baseline_reset').stdout, /site\.baseline_reset/);
    const all = (await get('/api/v1/incidents')).items.filter((x) => x.title.startsWith('Website defaced'));
    assert.equal(all.length, 1);
    assert.equal(sink.messages().filter((m) => m.reference === incident.reference).length, 1, 'no alert storm');
  } finally {
    await server.stop();
    server.cleanup();
    await sink.stop();
    sink.cleanup?.();
  }
});
