// Incident coordination through the API as an analyst's script would use it
// (with an API token): triage reports into an incident, run it through its
// lifecycle, tell the reporters, find it in the queue. Every answer is also
// checked against docs/api/openapi.yaml.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { loadSpec } from '../lib/openapi.mjs';
import { addUser, fileReport, jagaBin, startServer } from '../lib/server.mjs';

const sourceDir = process.env.JAGA_SOURCE_DIR ?? process.cwd();
let server;
let conforms;
let auth;

before(async () => {
  ({ conforms } = await loadSpec(join(sourceDir, 'docs/api/openapi.yaml')));
  server = await startServer();
  addUser(server.dataDir, 'analis1', 'analyst', 'kata-sandi-analis-1');
  addUser(server.dataDir, 'operator1', 'operator', 'kata-sandi-operator-1');
  const token = spawnSync(jagaBin, ['token', 'create', 'analis1', '--data-dir', server.dataDir], { encoding: 'utf8' }).stdout.trim();
  auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
});
after(async () => { await server?.stop(); server?.cleanup(); });

const api = (method, path, body) => fetch(`${server.url}${path}`, { method, headers: auth, body: body === undefined ? undefined : JSON.stringify(body) });
const reporterView = async (filed) => (await fetch(`${server.url}/api/v1/reports/${filed.tracking_code}`, { headers: { 'X-Report-Secret': filed.secret } })).json();

test('two reports become one incident that runs its course, and the reporters hear of it', async () => {
  const a = (await fileReport(server.url, { category: 'fraud:phishing', description: 'SMS: hxxps://klaim-bansos[.]com/daftar minta NIK' })).body;
  const b = (await fileReport(server.url, { category: 'fraud:phishing', description: 'Situs klaim-bansos.com meminta PIN' })).body;

  const created = await conforms(await api('POST', '/api/v1/incidents', {
    title: 'Phishing bansos palsu', category: 'fraud:phishing', severity: 'high', tlp: 'amber', assignee: 'analis1',
    reports: [a.tracking_code, b.tracking_code.toLowerCase()],
  }), 'POST', '/api/v1/incidents');
  assert.match(created.reference, /^INC-\d{4}-\d{6}$/);
  const ref = created.reference;

  let incident = await conforms(await api('GET', `/api/v1/incidents/${ref}`), 'GET', '/api/v1/incidents/{reference}');
  assert.deepEqual(incident.reports, [a.tracking_code, b.tracking_code]);
  assert.deepEqual(incident.indicators.filter((i) => i.type === 'domain').map((i) => i.value), ['klaim-bansos.com']);
  assert.equal(incident.status, 'new');
  assert.deepEqual(incident.next_statuses, ['triaged']);
  assert.equal(incident.tlp, 'TLP:AMBER');
  assert.equal((await reporterView(a)).status, 'incident_opened');

  const refused = await api('PATCH', `/api/v1/incidents/${ref}`, { status: 'closed' });
  const problem = await conforms(refused, 'PATCH', '/api/v1/incidents/{reference}');
  assert.equal(refused.status, 409);
  assert.equal(problem.detail, 'An incident that is new cannot become closed; it can become triaged.');

  for (const status of ['triaged', 'in_progress', 'waiting_on_organisation']) {
    incident = await conforms(await api('PATCH', `/api/v1/incidents/${ref}`, { status }), 'PATCH', '/api/v1/incidents/{reference}');
    assert.equal(incident.status, status);
  }
  assert.notEqual(incident.first_response_at, '');
  await conforms(await api('POST', `/api/v1/incidents/${ref}/comments`, { text: 'Registrar sudah dihubungi (internal).' }), 'POST', '/api/v1/incidents/{reference}/comments');
  await conforms(await api('POST', `/api/v1/incidents/${ref}/comments`, { text: 'Situs penipuan sudah diblokir. Terima kasih atas laporan Anda.', visibility: 'public' }),
    'POST', '/api/v1/incidents/{reference}/comments');
  for (const filed of [a, b]) {
    const view = await reporterView(filed);
    assert.deepEqual(view.notes.map((n) => n.text), ['Situs penipuan sudah diblokir. Terima kasih atas laporan Anda.'], 'only the public note reaches the reporter');
  }
  incident = await conforms(await api('PATCH', `/api/v1/incidents/${ref}`, { status: 'resolved', severity: 'medium' }), 'PATCH', '/api/v1/incidents/{reference}');
  assert.notEqual(incident.resolved_at, '');
  incident = await conforms(await api('PATCH', `/api/v1/incidents/${ref}`, { status: 'closed' }), 'PATCH', '/api/v1/incidents/{reference}');
  incident = await conforms(await api('PATCH', `/api/v1/incidents/${ref}`, { status: 'in_progress' }), 'PATCH', '/api/v1/incidents/{reference}');
  assert.equal(incident.resolved_at, '', 'reopened');
  const kinds = incident.timeline.map((e) => e.kind);
  assert.deepEqual(kinds, ['created', 'report_linked', 'report_linked', 'status', 'status', 'status', 'comment', 'public_note', 'status', 'severity', 'status', 'status']);
  assert.deepEqual(incident.timeline[3].details, { from: 'new', to: 'triaged' });
  assert.ok(incident.timeline.every((e) => e.actor === 'analis1'));
});

test('the queue filters, and bad input is refused with the field named', async () => {
  const c = (await fileReport(server.url, { category: 'vulnerable:vulnerable-system', description: 'Server pemda membuka port 3389' })).body;
  const created = await (await api('POST', '/api/v1/incidents', { title: 'RDP terbuka', category: 'vulnerable:vulnerable-system', severity: 'low', reports: [c.tracking_code] })).json();
  const list = await conforms(await api('GET', '/api/v1/incidents?open=true&category=vulnerable'), 'GET', '/api/v1/incidents');
  assert.deepEqual(list.items.map((i) => i.reference), [created.reference]);
  assert.equal(list.items[0].reports, 1);
  assert.equal(list.items[0].assignee, '');
  const mine = await (await api('GET', '/api/v1/incidents?assignee=me')).json();
  assert.ok(mine.items.every((i) => i.assignee === 'analis1') && mine.items.length === 1);
  const overdue = await (await api('GET', '/api/v1/incidents?overdue=true')).json();
  assert.deepEqual(overdue.items, [], 'nothing is overdue yet');
  const searched = await conforms(await api('GET', '/api/v1/incidents?q=RDP'), 'GET', '/api/v1/incidents');
  assert.deepEqual(searched.items.map((i) => i.reference), [created.reference], 'full-text search over titles');
  const reports = await conforms(await api('GET', `/api/v1/desk/reports?q=${encodeURIComponent('port 3389')}&status=incident_opened`), 'GET', '/api/v1/desk/reports');
  assert.deepEqual(reports.items.map((r) => r.tracking_code), [c.tracking_code], 'full-text search over reports, with a status filter');
  const bySite = await (await api('GET', '/api/v1/desk/reports?q=bansos')).json();
  assert.equal(bySite.items.length, 2, 'a fragment of a domain finds both reports that name it');
  assert.equal((await api('GET', '/api/v1/incidents?q=ab')).status, 400, 'too short to search');
  const stats = await conforms(await api('GET', '/api/v1/stats/incidents?weeks=4'), 'GET', '/api/v1/stats/incidents');
  assert.equal(stats.opened_per_week.reduce((n, w) => n + w.count, 0), 2, 'both incidents were opened this month');
  assert.deepEqual(stats.by_class.map((c) => c.key).sort(), ['fraud', 'vulnerable']);
  assert.equal(stats.resolution.total, 0, 'the first one was reopened');
  assert.deepEqual(stats.first_response, { total: 1, in_time: 1 }, 'the first one was answered within its 4 hours');
  assert.equal(stats.open_now, 2);
  assert.equal((await api('GET', '/api/v1/stats/incidents?weeks=0')).status, 400);

  const cases = [
    [{ title: 'x', category: 'fraud:nope' }, '/category'],
    [{ title: '', category: 'fraud:phishing' }, '/title'],
    [{ title: 'x', category: 'fraud:phishing', severity: 'urgent' }, '/severity'],
    [{ title: 'x', category: 'fraud:phishing', tlp: 'white' }, '/tlp'],
    [{ title: 'x', category: 'fraud:phishing', reports: ['JG-9999-9999'] }, '/reports'],
    [{ title: 'x', category: 'fraud:phishing', reports: ['bukan kode'] }, '/reports/0'],
    [{ title: 'x', category: 'fraud:phishing', assignee: 'operator1' }, '/assignee'],
  ];
  for (const [body, field] of cases) {
    const r = await api('POST', '/api/v1/incidents', body);
    const p = await conforms(r, 'POST', '/api/v1/incidents');
    assert.equal(r.status, 400, JSON.stringify(body));
    assert.equal(p.field, field, JSON.stringify(body));
  }
  const before = await (await api('GET', '/api/v1/incidents?limit=500')).json();
  assert.equal(before.items.length, 2, 'no refused request created an incident');
  assert.equal((await api('GET', '/api/v1/incidents/INC-2026-999999')).status, 404);
  assert.equal((await api('GET', '/api/v1/incidents?status=done')).status, 400);
});

test('spam and duplicates are marked in bulk, politely, and audited', async () => {
  const x = (await fileReport(server.url, { category: 'other:other', description: 'asdfgh' })).body;
  const y = (await fileReport(server.url, { category: 'other:other', description: 'iklan pinjol' })).body;
  const bad = await api('POST', '/api/v1/desk/reports/triage', { reports: [x.tracking_code, 'JG-9999-9999'], action: 'spam' });
  assert.equal(bad.status, 400);
  assert.equal((await reporterView(x)).status, 'received', 'all or nothing');
  const done = await conforms(await api('POST', '/api/v1/desk/reports/triage', {
    reports: [x.tracking_code, y.tracking_code], action: 'spam', note: 'Laporan ini tidak berkaitan dengan insiden siber.',
  }), 'POST', '/api/v1/desk/reports/triage');
  assert.equal(done.marked, 2);
  const view = await reporterView(y);
  assert.equal(view.status, 'spam');
  assert.equal(view.notes[0].text, 'Laporan ini tidak berkaitan dengan insiden siber.');
  await server.stop();
  const audit = spawnSync(jagaBin, ['audit', 'list', '--action', 'incident.', '--limit', '100', '--data-dir', server.dataDir], { encoding: 'utf8' });
  const actions = audit.stdout.trim().split('\n').map((l) => l.trim().split(/\s+/)[3]);
  assert.ok(actions.includes('incident.create') && actions.includes('incident.update') && actions.includes('incident.public_note'), audit.stdout);
  const triage = spawnSync(jagaBin, ['audit', 'list', '--action', 'report.triage', '--data-dir', server.dataDir], { encoding: 'utf8' });
  assert.match(triage.stdout, /analis1 +report\.triage .*"token_id":1.*"action":"spam"/);
  const verify = spawnSync(jagaBin, ['audit', 'verify', '--data-dir', server.dataDir], { encoding: 'utf8' });
  assert.equal(verify.status, 0, verify.stderr);
});
