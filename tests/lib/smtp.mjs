// Starts the SMTP sink (tests/lib/smtp_sink.py, Debian's python3-aiosmtpd)
// on 127.0.0.1 and a free port, and reads what arrived.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './server.mjs';

const sinkScript = join(dirname(fileURLToPath(import.meta.url)), 'smtp_sink.py');

export async function startSmtpSink({ port, reject = '^reject' } = {}) {
  port ??= await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'jaga-smtp-'));
  const output = join(dir, 'messages.jsonl');
  // Debian's interpreter, where python3-aiosmtpd is installed.
  const child = spawn('/usr/bin/python3', [sinkScript, String(port), output, reject], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  await new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => { log += d; if (log.includes('listening')) resolve(); });
    child.stderr.on('data', (d) => { log += d; });
    child.on('exit', (code) => reject(new Error(`the SMTP sink exited (${code}):\n${log}`)));
  });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  const messages = () => (existsSync(output) ? readFileSync(output, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) : []);
  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    messages,
    // Waits until a message matching `match` has arrived (at most `ms`).
    async waitFor(match, ms = 15000) {
      const deadline = Date.now() + ms;
      while (Date.now() < deadline) {
        const found = messages().filter(match);
        if (found.length) return found;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`no such message arrived in ${ms} ms; arrived: ${JSON.stringify(messages().map((m) => [m.rcpt_tos, m.subject]))}`);
    },
    async stop() { if (child.exitCode === null) child.kill('SIGTERM'); await exited; },
    cleanup() { rmSync(dir, { recursive: true, force: true }); },
  };
}
