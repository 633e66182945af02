// A stand-in proxy for ProxyInstance tests. Modes (argv[2]):
//   serve        listen on PORT (no host) and answer 200 to everything
//   busy-once    the first start in this STATE_DIR fails like a taken port (EADDRINUSE), later starts serve
//   exit         print a message and exit 4 without listening
//   all          listen on PORT without the preload's help (preload disabled by the profile): 0.0.0.0
//   setup        like serve, but GET /health answers 503 until POST /api/setup has been received (as better-ccflare
//                does until an account exists); GET /setup-state answers the body that POST carried
const fs = require('node:fs');
const http = require('node:http');
const mode = process.argv[2];
const port = Number(process.env.PORT);
if (mode === 'exit') { console.error('fake proxy: giving up'); process.exit(4); }
if (mode === 'busy-once') {
  const marker = `${process.env.STATE_DIR}/started-once`;
  if (!fs.existsSync(marker)) {
    fs.writeFileSync(marker, 'x');
    console.error(`Error: listen EADDRINUSE: address already in use :::${port}`);
    process.exit(1);
  }
}
const cfg = process.env.CONFIG_FILE ? fs.readFileSync(process.env.CONFIG_FILE, 'utf8') : '';
let setupBody = null;
const server = http.createServer((req, res) => {
  if (mode !== 'setup') return res.end(JSON.stringify({ path: req.url, cfg }));
  if (req.method === 'POST' && req.url === '/api/setup') {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => { setupBody = body; res.end('{"ok":true}'); });
    return undefined;
  }
  if (req.url === '/health') { res.statusCode = setupBody === null ? 503 : 200; return res.end(); }
  if (req.url === '/setup-state') return res.end(setupBody === null ? 'none' : setupBody);
  res.statusCode = 404;
  return res.end('no such route');
});
if (mode === 'all') server.listen(port, '0.0.0.0'); else server.listen(port);
