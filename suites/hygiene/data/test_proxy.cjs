// A stand-in proxy for the hygiene tests, launched by temp proxy profiles without an npm section.
// Mode (argv[2]):
//   serve         answer 200 JSON to everything on 127.0.0.1:PORT
//   crash         serve /health, then exit 3 on the first other request (a proxy that dies mid-run)
//   never-ready   run forever without listening (the readiness deadline must end it)
//   garbage       accept TCP on PORT, write bytes that are not HTTP, close
//   close         accept TCP on PORT and close at once
//   busy-once     the first start in this state dir hits a real EADDRINUSE (two listeners on one port)
//   busy-always   every start hits EADDRINUSE
//   log-keys      serve, and print every request's key headers to stdout (the log must be redacted)
//   log-keys-slow as log-keys, but every answer but /health takes 2 s (to SIGKILL a run after keys were logged)
//   spawn         serve, and start a grandchild (`sleep`) in the same process group
//   spawn-slow    as spawn, but every answer but /health takes 2 s (keeps a run busy for signal tests)
//   utf8-cut      404 to all but /health: '{"error": "' and 300 copies of 未找到路由 (the excerpt limit cuts a character)
//   bad-bytes     404 to all but /health with bytes that are no UTF-8 in the body and in two headers
//   echo-headers  prints $TEAM_API_KEY at start and every request's headers to stdout, and answers 401 to all but
//                 /health with the request headers quoted in the body (a proxy that shows the caller its own key)
//   stall         /health answers; every other request is accepted and never answered (a proxy that stopped
//                 answering while its health check stays fine)
//   huge-body     200 to all but /health: $BODY_MB MiB (default 48) of 'a' without a newline
//   endless       200 to all but /health: an event stream that never ends (64 KiB pieces without a newline)
//   no-upgrade    answers 200 JSON to everything but a websocket upgrade, which it never answers
//   flood         prints $FLOOD_MB MiB (default 160) of log lines, the key "rc-hyg-key-1" in each, then serves
//   relay         a streaming proxy: POST /v1/chat/completions waits $RELAY_DELAY_MS (default 0: a proxy busy
//                 with something else first, e.g. on a loaded machine), then sends the request to $UPSTREAM with its
//                 x-routecheck-step and x-routecheck-fault headers and writes each piece of the answer on as it comes
// Writes its pid to $PID_FILE when set, so tests can look for it in /proc afterwards.
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const { spawn } = require('node:child_process');

const mode = process.argv[2];
const port = Number(process.env.PORT);
if (process.env.PID_FILE) fs.appendFileSync(process.env.PID_FILE, `${process.pid}\n`);

function serve(onRequest) {
  const server = http.createServer((req, res) => {
    if (onRequest && onRequest(req, res) === false) return;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ ok: true, path: req.url }));
  });
  server.listen(port, '127.0.0.1');
  return server;
}

function eaddrinuse() {
  const first = net.createServer();
  first.listen(port, '127.0.0.1', () => {
    // The second listen fails with a real EADDRINUSE; unhandled, node prints it and exits 1.
    http.createServer().listen(port, '127.0.0.1');
  });
}

switch (mode) {
  case 'serve': serve(); break;
  case 'crash':
    serve((req) => {
      if (req.url === '/health') return true;
      console.error('test proxy: crashing on ' + req.url);
      process.exit(3);
    });
    break;
  case 'never-ready': setInterval(() => {}, 1000); break;
  case 'garbage':
    net.createServer((s) => { s.end('\x00\x01garbage that is not HTTP\r\n\x7f\xff'); }).listen(port, '127.0.0.1');
    break;
  case 'close':
    net.createServer((s) => { s.destroy(); }).listen(port, '127.0.0.1');
    break;
  case 'busy-once': {
    const marker = 'started-once';  // cwd is the run's state dir, the same for every attempt
    if (!fs.existsSync(marker)) { fs.writeFileSync(marker, 'x'); eaddrinuse(); } else serve();
    break;
  }
  case 'busy-always': eaddrinuse(); break;
  case 'log-keys':
  case 'log-keys-slow':
    serve((req, res) => {
      console.log(`request ${req.method} ${req.url} authorization=${req.headers['authorization'] || ''} ` +
                  `x-api-key=${req.headers['x-api-key'] || ''} x-goog-api-key=${req.headers['x-goog-api-key'] || ''}`);
      if (mode === 'log-keys' || req.url === '/health') return true;
      setTimeout(() => res.end('{"ok":true}'), 2000);
      return false;
    });
    break;
  case 'spawn':
  case 'spawn-slow': {
    const child = spawn('sleep', ['600'], { stdio: 'ignore' });
    if (process.env.PID_FILE) fs.appendFileSync(process.env.PID_FILE, `${child.pid}\n`);
    if (mode === 'spawn') { serve(); break; }
    http.createServer((req, res) => {
      setTimeout(() => res.end('{}'), req.url === '/health' ? 0 : 2000);
    }).listen(port, '127.0.0.1');
    break;
  }
  case 'utf8-cut':
    serve((req, res) => {
      if (req.url === '/health') return true;
      res.writeHead(404, { 'content-type': 'application/json; charset=utf-8' });
      res.end('{"error": "' + '未找到路由'.repeat(300));
      return false;
    });
    break;
  case 'bad-bytes':
    serve((req, res) => {
      if (req.url === '/health') return true;
      // Latin-1 header strings go out byte for byte: 0xff and a lone 0xe6 are no UTF-8.
      res.writeHead(404, { 'content-type': 'text/plain; charset=\xff', 'x-note': 'cut \xe6' });
      res.end(Buffer.from([0x7b, 0xff, 0xfe, 0x20, 0xc3, 0x28, 0x20, 0xe6, 0x9c]));
      return false;
    });
    break;
  case 'echo-headers':
    if (process.env.TEAM_API_KEY) console.log(`env TEAM_API_KEY=${process.env.TEAM_API_KEY}`);
    serve((req, res) => {
      console.log(`request ${req.method} ${req.url} headers=${JSON.stringify(req.headers)}`);
      if (req.url === '/health') return true;
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'unauthorized', you_sent: req.headers }));
      return false;
    });
    break;
  case 'stall': {
    const held = [];
    serve((req, res) => {
      if (req.url === '/health') return true;
      held.push(res);  // never answered
      return false;
    });
    break;
  }
  case 'huge-body':
  case 'endless': {
    const piece = Buffer.alloc(1 << 16, 'a');
    serve((req, res) => {
      if (req.url === '/health') return true;
      res.writeHead(200, { 'content-type': mode === 'endless' ? 'text/event-stream' : 'text/plain' });
      let left = mode === 'endless' ? Infinity : Number(process.env.BODY_MB || 48) * 16;
      const pump = () => {
        while (left > 0) {
          left--;
          if (!res.write(piece)) { res.once('drain', pump); return; }
        }
        res.end();
      };
      res.on('close', () => { left = 0; });
      pump();
      return false;
    });
    break;
  }
  case 'relay':
    serve((req, res) => {
      if (req.method !== 'POST' || req.url !== '/v1/chat/completions') return true;
      const chunks = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => setTimeout(() => {
        const headers = { 'content-type': 'application/json' };
        for (const h of ['x-routecheck-step', 'x-routecheck-fault']) if (req.headers[h]) headers[h] = req.headers[h];
        const up = http.request(process.env.UPSTREAM + req.url, { method: 'POST', headers }, (answer) => {
          res.writeHead(answer.statusCode, { 'content-type': answer.headers['content-type'] || 'text/plain' });
          res.flushHeaders();
          answer.on('data', (piece) => res.write(piece));
          answer.on('end', () => res.end());
        });
        up.on('error', () => { res.writeHead(502); res.end(); });
        up.end(Buffer.concat(chunks));
      }, Number(process.env.RELAY_DELAY_MS || 0)));
      return false;
    });
    break;
  case 'no-upgrade': {
    const held = [];
    serve((req, res) => {
      if ((req.headers.upgrade || '').toLowerCase() !== 'websocket') return true;
      held.push(res);
      return false;
    });
    break;
  }
  case 'flood': {
    const line = 'flood rc-hyg-key-1 ' + 'x'.repeat(1004) + '\n';  // 1 KiB
    const block = line.repeat(1024);                                  // 1 MiB
    for (let i = 0; i < Number(process.env.FLOOD_MB || 160); i++) fs.writeSync(1, block);
    serve();
    break;
  }
  default:
    console.error('test proxy: unknown mode ' + mode);
    process.exit(2);
}
