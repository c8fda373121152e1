// A TAXII 2.1 server of our own for the sync client's tests, on 127.0.0.1
// and a free port, that behaves as servers in the field do within what the
// specification allows. `quirks` chooses how:
//   noPaging     every object in one answer, whatever `limit` says
//   noNext       `more: true` without `next`: the client pages by added_after
//   noHeaders    with noNext: no X-TAXII-Date-Added headers either
//   expiringNext `next` tokens that stop working after `expiryMs`
//   htmlErrors   the first `htmlFailures` requests fail with an HTML 503 page
//   pendingPolls a POST's status is pending for this many status requests
import { createServer } from 'node:http';
import { randomUUID } from 'node:crypto';

const TAXII = 'application/taxii+json;version=2.1';

export async function startOddTaxii({ username = 'jaga', password = 'kata-sandi-server-lain', quirks = {} } = {}) {
  const objects = [];  // { added, object }
  const statuses = new Map();
  const tokens = new Map();
  const requests = [];
  let clock = Date.parse('2026-11-01T00:00:00Z');
  let htmlLeft = quirks.htmlFailures ?? 0;
  const stamp = () => new Date(clock += 1000).toISOString();  // a second apart: easy to page by

  const add = (list) => { for (const object of list) objects.push({ added: stamp(), object }); };

  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    requests.push(`${req.method} ${url.pathname}${url.search}`);
    const send = (status, body, headers = {}) => {
      res.writeHead(status, { 'content-type': TAXII, ...headers });
      res.end(typeof body === 'string' ? body : JSON.stringify(body));
    };
    if (quirks.htmlErrors && htmlLeft > 0) {
      htmlLeft -= 1;
      res.writeHead(503, { 'content-type': 'text/html' });
      res.end('<html><head><title>503 Service Temporarily Unavailable</title></head><body><h1>Maintenance</h1></body></html>');
      return;
    }
    const expected = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
    if (req.headers.authorization !== expected) return send(401, { title: 'Unauthorized', http_status: '401' });
    const m = url.pathname.match(/^\/api\/collections\/([^/]+)\/objects\/$/);
    const s = url.pathname.match(/^\/api\/status\/([^/]+)\/$/);
    if (m && req.method === 'GET') {
      let from = 0;
      const after = url.searchParams.get('added_after');
      const next = url.searchParams.get('next');
      let list = objects.filter((o) => !after || o.added > after);
      if (next) {
        const token = tokens.get(next);
        if (!token || (quirks.expiringNext && Date.now() > token.expires)) {
          return send(400, { title: 'Bad Request', description: 'The next token has expired.', http_status: '400' });
        }
        list = objects.filter((o) => o.added > token.after);
        from = 0;
      }
      const limit = quirks.noPaging ? list.length : Math.min(Number(url.searchParams.get('limit') ?? 100), quirks.pageSize ?? 5);
      const page = list.slice(from, from + limit);
      const more = list.length > page.length;
      const body = { more };
      if (more && !quirks.noNext) {
        const token = randomUUID();
        tokens.set(token, { after: page.at(-1).added, expires: Date.now() + (quirks.expiryMs ?? 60000) });
        body.next = token;
      }
      if (page.length) body.objects = page.map((o) => o.object);
      const headers = page.length && !quirks.noHeaders
        ? { 'x-taxii-date-added-first': page[0].added, 'x-taxii-date-added-last': page.at(-1).added } : {};
      return send(200, body, headers);
    }
    if (m && req.method === 'POST') {
      let text = '';
      req.on('data', (d) => { text += d; });
      req.on('end', () => {
        const envelope = JSON.parse(text);
        add(envelope.objects);
        const id = randomUUID();
        const done = {
          id, status: 'complete', total_count: envelope.objects.length, success_count: envelope.objects.length,
          failure_count: 0, pending_count: 0, successes: envelope.objects.map((o) => ({ id: o.id, version: o.modified })),
        };
        const pending = { ...done, status: 'pending', success_count: 0, pending_count: envelope.objects.length, successes: [] };
        statuses.set(id, { polls: quirks.pendingPolls ?? 0, pending, done });
        send(202, (quirks.pendingPolls ?? 0) > 0 ? pending : done);
      });
      return;
    }
    if (s) {
      const st = statuses.get(s[1]);
      if (!st) return send(404, { title: 'Not Found', http_status: '404' });
      if (st.polls > 0) { st.polls -= 1; return send(200, st.pending); }
      return send(200, st.done);
    }
    send(404, { title: 'Not Found', http_status: '404' });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    apiRoot: `http://127.0.0.1:${port}/api/`, username, password, objects, requests, add,
    stop: () => new Promise((resolve) => server.close(resolve)),
  };
}
