// `jaga match` as a user runs it from the README: a plain list of
// indicators and a DNS log, no store. stdout holds one JSON object per hit
// and nothing else; the summary goes to stderr; the shipped warninglists
// apply unless --no-warninglists; gzip and stdin are read; bad input is one
// line on stderr and a non-zero exit.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, test } from 'node:test';
import { jagaBin } from '../lib/server.mjs';

const dir = mkdtempSync(join(tmpdir(), 'jaga-match-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const file = (name, text) => { const path = join(dir, name); writeFileSync(path, text); return path; };

const list = file('indicators.txt', [
  '# phishing seen this week',
  'lapor-pajak-restitusi.xyz',
  'Bank-Verifikasi.TOP.',
  'google.com',
  '91.92.93.0/24',
  'cdn.kampanye-judi.online',
  'this is not an indicator',
  '',
].join('\n'));
const log = [
  '1764633600.001 10.1.2.3 www.lapor-pajak-restitusi.xyz A',
  '1764633600.002 10.1.2.4 LAPOR-PAJAK-RESTITUSI.XYZ. AAAA',
  '1764633600.003 10.1.2.5 mylapor-pajak-restitusi.xyz A',
  '1764633600.004 10.1.2.6 www.google.com A',
  '1764633600.005 91.92.93.77 bank-verifikasi.top HTTPS',
  '1764633600.006 10.1.2.7 kampanye-judi.online A',
  'broken line',
  '1764633600.008 10.1.2.8 x.cdn.kampanye-judi.online A',
].join('\n') + '\n';
const dnsLog = file('dns.log', log);

function match(args, input) {
  return spawnSync(jagaBin, ['match', ...args], { input, encoding: 'utf8' });
}
const hits = (stdout) => stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));

test('matches a DNS log against a plain list, one JSON object per hit on stdout', () => {
  const run = match(['--indicators', list, '--format', 'dns', dnsLog]);
  assert.equal(run.status, 0, run.stderr);
  const found = hits(run.stdout).map((h) => [h.line, h.value, h.indicator, h.reason]);
  assert.deepEqual(found, [
    [1, 'www.lapor-pajak-restitusi.xyz', 'lapor-pajak-restitusi.xyz', 'parent_domain'],
    [2, 'LAPOR-PAJAK-RESTITUSI.XYZ.', 'lapor-pajak-restitusi.xyz', 'exact'],
    [5, '91.92.93.77', '91.92.93.0/24', 'cidr'],
    [5, 'bank-verifikasi.top', 'Bank-Verifikasi.TOP.', 'exact'],
    [8, 'x.cdn.kampanye-judi.online', 'cdn.kampanye-judi.online', 'parent_domain'],
  ]);
  for (const h of hits(run.stdout)) assert.deepEqual(Object.keys(h).slice(0, 2), ['line', 'field']);
  assert.match(run.stderr, /8 lines .* 5 hits; 1 lines not in the expected format/);
  assert.match(run.stderr, /1 skipped as warninglisted/);
  assert.match(run.stderr, /rejected .*indicators\.txt:7: 'this is not an indicator'/);
});

test('--no-warninglists matches what the shipped warninglists call benign', () => {
  const run = match(['--indicators', list, '--format', 'dns', '--no-warninglists', dnsLog]);
  assert.equal(run.status, 0, run.stderr);
  assert.ok(hits(run.stdout).some((h) => h.value === 'www.google.com' && h.indicator === 'google.com' && h.reason === 'parent_domain'));
});

test('reads gzip files and stdin, on one thread or two, with the same hits', () => {
  const expected = match(['--indicators', list, '--format', 'dns', '-q', dnsLog]).stdout;
  const gz = join(dir, 'dns.log.gz');
  writeFileSync(gz, gzipSync(log));
  assert.equal(match(['--indicators', list, '--format', 'dns', '-q', gz]).stdout, expected);
  assert.equal(match(['--indicators', list, '--format', 'dns', '-q', '--threads', '1'], log).stdout, expected);
  assert.equal(match(['--indicators', list, '--format', 'dns', '-q', '--threads', '2', '-'], log).stdout, expected);
});

test('line numbers stay right across chunks of a large log', () => {
  const lines = [];
  for (let i = 1; i <= 300000; ++i) lines.push(`1764633600.${i} 10.0.${i % 250}.1 ${i % 100000 === 0 ? 'a.lapor-pajak-restitusi.xyz' : `host${i}.example.net`} A`);
  const big = file('big.log', lines.join('\n') + '\n');
  const run = match(['--indicators', list, '--format', 'dns', '-q', big]);
  assert.deepEqual(hits(run.stdout).map((h) => h.line), [100000, 200000, 300000]);
});

test('bad input: one line on stderr and a non-zero exit', () => {
  const missing = match(['--indicators', list, join(dir, 'nope.log')]);
  assert.notEqual(missing.status, 0);
  assert.equal(missing.stdout, '');
  assert.match(missing.stderr, /^jaga match: cannot read .*nope\.log: No such file or directory\n$/);
  const noList = match(['--format', 'dns', dnsLog]);
  assert.notEqual(noList.status, 0);
  assert.match(noList.stderr, /name the indicators with --indicators FILE/);
  const badFormat = match(['--indicators', list, '--format', 'syslog', dnsLog]);
  assert.notEqual(badFormat.status, 0);
  assert.match(badFormat.stderr, /--format: syslog not in/);
});

test('--db matches against the store: what was imported, with its id and label', () => {
  const store = join(dir, 'store');
  const imported = spawnSync(jagaBin, ['import', '--data-dir', store, '--tlp', 'amber', '--no-progress', list], { encoding: 'utf8' });
  assert.equal(imported.status, 0, imported.stderr);
  const fromLists = hits(match(['--indicators', list, dnsLog]).stdout);
  const run = match(['--db', store, '--format', 'dns', dnsLog]);
  assert.equal(run.status, 0, run.stderr);
  const found = hits(run.stdout);
  assert.deepEqual(found.map((h) => [h.line, h.value, h.indicator, h.reason]),
    fromLists.map((h) => [h.line, h.value, h.indicator.toLowerCase().replace(/\.$/, ''), h.reason]),
    'the same hits as from the list (indicators in their canonical form)');
  assert.ok(found.every((h) => h.source === 'feed:indicators.txt' && Number.isInteger(h.indicator_id) && h.tlp === 'TLP:AMBER'), run.stdout);
  assert.ok(found.every((h) => Array.isArray(h.incidents)), 'and the incidents each is part of');
  assert.match(run.stderr, /indicators from the store/);

  // Indicators imported for an incident name it in their hits.
  const forIncident = join(dir, 'store-incident');
  const tagged = spawnSync(jagaBin, ['import', '--data-dir', forIncident, '--source-kind', 'incident', '--source', 'INC-2026-000042',
    '--no-progress', list], { encoding: 'utf8' });
  assert.equal(tagged.status, 0, tagged.stderr);
  const incidentHits = hits(match(['--db', forIncident, dnsLog]).stdout);
  assert.ok(incidentHits.length > 0);
  assert.ok(incidentHits.every((h) => h.source === 'incident:INC-2026-000042' && h.incidents.join() === 'INC-2026-000042'));

  const both = match(['--db', store, '--indicators', list, dnsLog]);
  assert.equal(both.status, 1);
  assert.equal(both.stderr, 'jaga: give --indicators or --db, not both\n');
  const empty = match(['--db', dir, dnsLog]);
  assert.equal(empty.status, 1);
  assert.match(empty.stderr, /^jaga: --db: .* holds no store \(jaga\.db\)\n$/);
});
