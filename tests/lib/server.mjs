// Starts a jaga server for a test on 127.0.0.1 with a fresh data directory
// and a free port, waits until it is ready, and stops it afterwards.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const jagaBin = process.env.JAGA_BIN ?? 'build/asan/jaga';

export function freePort() {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

export async function startServer({ env = {}, dataDir, port } = {}) {
  dataDir ??= mkdtempSync(join(tmpdir(), 'jaga-test-'));
  port ??= await freePort();
  const child = spawn(jagaBin, ['serve', '--listen', `127.0.0.1:${port}`, '--data-dir', dataDir], {
    env: { ...process.env, JAGA_POW_DIFFICULTY: '0', JAGA_REPORT_RATE_PER_MINUTE: '0', JAGA_ACCESS_LOG: 'false', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => { output += d; });
  child.stderr.on('data', (d) => { output += d; });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20000;
  while (true) {
    if (child.exitCode !== null) throw new Error(`jaga exited early:\n${output}`);
    try { if ((await fetch(`${url}/readyz`)).ok) break; } catch { /* not up yet */ }
    if (Date.now() > deadline) { child.kill('SIGKILL'); throw new Error(`jaga did not become ready:\n${output}`); }
    await new Promise((r) => setTimeout(r, 50));
  }
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return {
    url, port, dataDir, child, output: () => output,
    adminPassword: () => output.match(/one-time password: (\S+)/)?.[1],
    async stop() { if (child.exitCode === null) child.kill('SIGTERM'); return exited; },
    async kill() { child.kill('SIGKILL'); return exited; },
    cleanup() { rmSync(dataDir, { recursive: true, force: true }); },
  };
}

export function addUser(dataDir, name, role, password, extra = []) {
  const r = spawnSync(jagaBin, ['user', 'add', name, '--role', role, '--data-dir', dataDir, ...extra], { input: `${password}\n`, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`user add failed: ${r.stderr}`);
}

export async function fileReport(url, body) {
  const r = await fetch(`${url}/api/v1/reports`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: r.status, body: await r.json() };
}
