// A tiny "proxy" for the preload tests. ESM on purpose (like antigravity-claude-proxy): the CJS preload must
// already be active for named imports of node:http/https. It listens without a host (or LISTEN_HOST), and for
// every request calls: a listed origin with fetch and with https.request, the upstream directly, itself, and an
// unlisted external origin (which must fail at once). It answers with a JSON summary.
import http from 'node:http';
import { request as httpsRequest } from 'node:https';

const upstream = process.env.ROUTECHECK_UPSTREAM;
const listed = process.env.TARGET_ORIGIN || 'https://api.example.test';

function viaHttps(url) {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      let body = '';
      res.on('data', (c) => { body += c; });
      res.on('end', () => resolve({ status: res.statusCode, body }));
    });
    req.on('error', reject);
    req.end('{"via":"https.request"}');
  });
}

async function handle(req, res) {
  const out = {};
  // Read the body in chunks first: the correlation context must survive stream events.
  let incoming = '';
  for await (const chunk of req) incoming += chunk;
  out.incoming_length = incoming.length;
  await new Promise((r) => setTimeout(r, 5));  // and timers
  const f = await fetch(`${listed}/v1/echo?x=1`, { method: 'POST', body: '{"via":"fetch"}' });
  out.fetch_status = f.status;
  out.https = (await viaHttps(`${listed}/v1internal:generateContent?alt=sse`)).status;
  out.direct = (await fetch(`${upstream}/direct`)).status;
  // The proxy calling itself (claude-code-router does): the nested request keeps the step.
  out.self = (await fetch(`http://127.0.0.1:${server.address().port}/self`)).status;
  const t0 = Date.now();
  try {
    await fetch('https://blocked.example.com/x');
    out.blocked = 'reached';
  } catch (e) {
    out.blocked = (e.cause && e.cause.code) || e.message;
  }
  try {
    await viaHttps('https://blocked.example.com/y');
    out.blocked_https = 'reached';
  } catch (e) {
    out.blocked_https = e.code || e.message;
  }
  out.blocked_ms = Date.now() - t0;
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify(out));
}

const server = http.createServer((req, res) => {
  if (req.url === '/health') return res.end('ok');
  if (req.url === '/self') {
    return fetch(`${upstream}/from-self`).then((r) => { res.statusCode = r.status; res.end(); });
  }
  handle(req, res).catch((e) => { res.statusCode = 500; res.end(String(e && e.stack)); });
});
const port = Number(process.env.PORT);
const host = process.env.LISTEN_HOST;
if (host === undefined || host === 'none') server.listen(port);
else if (host === 'options') server.listen({ port });
else server.listen(port, host);
console.log(`preload_target listening, asked for host ${host}`);
