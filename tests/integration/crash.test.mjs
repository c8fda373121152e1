// Durability: 32 clients file reports with attachments while the server is
// killed with SIGKILL; after a restart every report that got a tracking code is
// there with its attachments, and no half-written report exists. And a
// partner's envelopes answered "pending" (spooled, not yet written) are
// written after a SIGKILL and a restart, every object once, and their
// indicators follow.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { jagaBin, startServer } from '../lib/server.mjs';

test('every acknowledged report survives SIGKILL', async () => {
  const first = await startServer();
  const acknowledged = [];
  let stop = false;
  const client = async (n) => {
    for (let i = 0; !stop; i++) {
      const content = `bukti ${n}-${i} ${'x'.repeat(2000)}`;
      const form = new FormData();
      form.set('report', JSON.stringify({ category: 'fraud:phishing', description: `klien ${n} laporan ${i} http://evil-${n}.example.com/` }));
      form.append('files', new Blob([content]), `bukti-${n}-${i}.txt`);
      try {
        const r = await fetch(`${first.url}/api/v1/reports`, { method: 'POST', body: form });
        if (r.status === 201) acknowledged.push({ ...(await r.json()), sha256: createHash('sha256').update(content).digest('hex') });
      } catch { return; }
    }
  };
  const clients = Array.from({ length: 32 }, (_, n) => client(n));
  await new Promise((r) => setTimeout(r, 2500));
  await first.kill();
  stop = true;
  await Promise.all(clients);
  assert.ok(acknowledged.length > 32, `only ${acknowledged.length} reports were acknowledged before the kill`);

  const second = await startServer({ dataDir: first.dataDir });
  try {
    for (const report of acknowledged) {
      const r = await fetch(`${second.url}/api/v1/reports/${report.tracking_code}`, { headers: { 'X-Report-Secret': report.secret } });
      assert.equal(r.status, 200, `${report.tracking_code} was acknowledged but is missing`);
      const body = await r.json();
      assert.equal(body.attachments.length, 1);
      assert.equal(body.attachments[0].sha256, report.sha256);
      const blob = join(first.dataDir, 'blobs', report.sha256.slice(0, 2), report.sha256.slice(2, 4), report.sha256);
      assert.ok(existsSync(blob), `attachment of ${report.tracking_code} is missing on disk`);
    }
    // No half-written report: every report in the store has its attachment row and the blob.
    const admin = second.adminPassword();
    assert.equal(admin, undefined, 'the administrator exists from the first start');
    const metrics = await (await fetch(`${second.url}/readyz`)).json();
    assert.equal(metrics.status, 'ready');
  } finally {
    await second.stop();
    second.cleanup();
  }
  console.log(`${acknowledged.length} acknowledged reports all present after SIGKILL`);
});

test('a partner\'s envelopes answered pending are written after SIGKILL and a restart', async () => {
  const TAXII = 'application/taxii+json;version=2.1';
  const first = await startServer();
  const added = spawnSync(jagaBin, ['partner', 'add', 'peer', '--password-stdin', '--collection', 'bulk:rw', '--data-dir', first.dataDir],
    { input: 'kata-sandi-mitra-panjang\n', encoding: 'utf8' });
  assert.equal(added.status, 0, added.stderr);
  const headers = {
    authorization: `Basic ${Buffer.from('peer:kata-sandi-mitra-panjang').toString('base64')}`,
    accept: TAXII, 'content-type': TAXII,
  };
  const ids = [];
  const envelope = () => {
    const objects = Array.from({ length: 3000 }, () => {
      const id = `indicator--${randomUUID()}`;
      ids.push(id);
      return { type: 'indicator', spec_version: '2.1', id, created: '2026-11-01T00:00:00.000Z', modified: '2026-11-01T00:00:00.000Z',
        pattern: `[domain-name:value = '${id.slice(11, 23)}.example']`, pattern_type: 'stix', valid_from: '2026-11-01T00:00:00.000Z' };
    });
    return JSON.stringify({ objects });
  };
  const statuses = [];
  await Promise.all(Array.from({ length: 4 }, async () => {
    for (let i = 0; i < 4; i++) {
      const r = await fetch(`${first.url}/taxii2/api/collections/bulk/objects/`, { method: 'POST', headers, body: envelope() });
      const text = await r.text();
      assert.equal(r.status, 202, text);
      statuses.push(JSON.parse(text));
    }
  }));
  await first.kill();
  const pending = statuses.filter((s) => s.status === 'pending');
  assert.ok(pending.length > 0, 'no envelope was answered pending: the intake wrote each before answering');
  for (const s of pending) assert.equal(s.pending_count, 3000);
  // What the kill left unwritten is in the spool (else this proves nothing).
  const spooled = readdirSync(join(first.dataDir, 'taxii-spool')).filter((f) => f.endsWith('.envelope')).length;
  assert.ok(spooled > 0, 'every envelope was written before the kill: send more or larger ones');

  const second = await startServer({ dataDir: first.dataDir });
  try {
    for (const { id } of statuses) {
      let status;
      for (let tries = 0; tries < 600; tries++) {
        status = await (await fetch(`${second.url}/taxii2/api/status/${id}/`, { headers })).json();
        if (status.status === 'complete') break;
        await new Promise((r) => setTimeout(r, 50));
      }
      assert.equal(status.status, 'complete', `status ${id} did not complete after the restart`);
      assert.equal(status.success_count, 3000);
    }
    const held = [];
    let after = '';
    for (let pages = 0; pages < 10; pages++) {
      const r = await fetch(`${second.url}/taxii2/api/collections/bulk/manifest/?limit=10000${after ? `&added_after=${encodeURIComponent(after)}` : ''}`, { headers });
      const manifest = await r.json();
      held.push(...(manifest.objects ?? []).map((o) => o.id));
      if (!manifest.more) break;
      after = manifest.objects.at(-1).date_added;
    }
    assert.equal(held.length, ids.length, 'every object once');
    assert.deepEqual(new Set(held), new Set(ids));
    // The indicators follow the objects: every one is in, whether the kill
    // came before its envelope was written or between its objects and it.
    let waiting;
    for (let tries = 0; tries < 600; tries++) {
      const metrics = await (await fetch(`${second.url}/metrics`)).text();
      waiting = metrics.match(/^jaga_taxii_indicators_waiting_objects (\d+)$/m)?.[1];
      if (waiting === '0') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(waiting, '0', 'the indicators did not follow the objects after the restart');
    assert.deepEqual(readdirSync(join(first.dataDir, 'taxii-spool')).filter((f) => f.endsWith('.envelope')), []);
    const exported = spawnSync(jagaBin, ['export', '--format', 'plain', '--quiet', '--data-dir', first.dataDir], { encoding: 'utf8' });
    assert.equal(exported.status, 0, exported.stderr);
    // A plain list opens with a comment line saying when and at what TLP it was made.
    const values = exported.stdout.split('\n').filter((line) => line && !line.startsWith('#'));
    assert.equal(values.length, ids.length);
    assert.deepEqual(new Set(values), new Set(ids.map((id) => `${id.slice(11, 23)}.example`)));
  } finally {
    await second.stop();
    second.cleanup();
  }
  console.log(`${pending.length} of ${statuses.length} envelopes were answered pending, ${spooled} still spooled at the SIGKILL; all written after the restart`);
});
