// routecheck Node preload: loaded into every launched proxy with NODE_OPTIONS=--require <abs path> (a Bun
// proxy loads it with `bun --preload <abs path>`: see the Bun.serve part of (d)).
// CommonJS on purpose: a --require'd CJS file runs before an ESM entry point too, so every patch below is in
// place before the proxy imports anything.
//
// Configuration (environment):
//   ROUTECHECK_UPSTREAM  http://127.0.0.1:M  the mock upstream every listed origin is redirected to
//   ROUTECHECK_REDIRECT  comma-separated origins (https://host[:port]) whose requests go to the upstream
//   ROUTECHECK_ALLOW_EXTERNAL=1   do not block non-loopback requests (debugging only)
//   ROUTECHECK_PRELOAD_DEBUG=1    log every rewrite/block decision on stderr
//
// What it does:
//   (a) fetch (undici) and http(s).request/get to a listed origin go to the upstream instead, keeping
//       path+query, with `x-routecheck-origin: <original origin>`.
//   (b) server.listen() without a host (or 0.0.0.0, ::, localhost) listens on 127.0.0.1 only.
//   (c) any other non-loopback connection fails at once (ECONNREFUSED) so offline runs never wait on DNS.
//   (d) the incoming `x-routecheck-step` header is kept in an AsyncLocalStorage for the life of the request
//       handling and copied onto every redirected or loopback request made in that context: the upstream
//       reached directly (proxies whose upstream URL is config) and the proxy calling itself (whose nested
//       upstream calls then keep the step). `x-routecheck-fault` travels the same way, so a client can script
//       the mock upstream's answer to the upstream requests its own request causes.
'use strict';

const http = require('node:http');
const https = require('node:https');
const net = require('node:net');
const { AsyncLocalStorage } = require('node:async_hooks');

const STEP_HEADER = 'x-routecheck-step';
// A fault the client asks the mock upstream to play for this request (behaviour grids): carried like the step,
// so each request scripts its own fault and concurrent requests never share one.
const FAULT_HEADER = 'x-routecheck-fault';
const ORIGIN_HEADER = 'x-routecheck-origin';
const LOOPBACK = '127.0.0.1';

const debug = process.env.ROUTECHECK_PRELOAD_DEBUG === '1';
const log = (msg) => { if (debug) process.stderr.write(`[routecheck-preload] ${msg}\n`); };

function normalizeOrigin(text) {
  try {
    return new URL(text).origin;  // drops default ports and trailing slashes
  } catch {
    return null;
  }
}

const upstream = process.env.ROUTECHECK_UPSTREAM ? new URL(process.env.ROUTECHECK_UPSTREAM) : null;
const upstreamOrigin = upstream ? upstream.origin : null;
const redirects = new Set((process.env.ROUTECHECK_REDIRECT || '')
  .split(',').map((s) => s.trim()).filter(Boolean).map(normalizeOrigin).filter(Boolean));
const blockExternal = process.env.ROUTECHECK_ALLOW_EXTERNAL !== '1';

if (redirects.size > 0 && !upstream) {
  // A redirect list without a target would silently send traffic nowhere; fail loudly instead.
  throw new Error('routecheck preload: ROUTECHECK_REDIRECT is set but ROUTECHECK_UPSTREAM is not');
}

const als = new AsyncLocalStorage();
const currentStep = () => { const s = als.getStore(); return s ? s.step : undefined; };
const currentFault = () => { const s = als.getStore(); return s ? s.fault : undefined; };

function isLoopbackHost(host) {
  if (!host) return true;  // no host means localhost for net.connect
  const h = String(host).replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || h === '0:0:0:0:0:0:0:1' || /^127\.\d+\.\d+\.\d+$/.test(h) ||
    /^::ffff:127\.\d+\.\d+\.\d+$/.test(h);
}

function blockedError(what) {
  const err = new Error(`routecheck preload: outbound connection to ${what} blocked (offline run; ` +
    'add the origin to launch.redirect_origins to send it to the mock upstream)');
  err.code = 'ECONNREFUSED';
  err.syscall = 'connect';
  return err;
}

// Headers we add to a redirected or loopback request: the original origin (if redirected) and the step.
function extraHeaders(origin, redirected) {
  const extra = {};
  if (redirected) extra[ORIGIN_HEADER] = origin;
  const step = currentStep();
  if (step) extra[STEP_HEADER] = step;
  const fault = currentFault();
  if (fault) extra[FAULT_HEADER] = fault;
  return extra;
}

// ---------------------------------------------------------------------------------------------- (a) fetch
const originalFetch = globalThis.fetch;
if (typeof originalFetch === 'function') {
  globalThis.fetch = function routecheckFetch(input, init) {
    let url;
    try {
      url = new URL(input instanceof Request ? input.url : (input instanceof URL ? input.href : String(input)));
    } catch {
      return originalFetch.call(this, input, init);  // let fetch report its own error for a bad URL
    }
    const redirected = redirects.has(url.origin);
    if (!redirected) {
      if (blockExternal && !isLoopbackHost(url.hostname)) {
        log(`fetch blocked ${url.origin}`);
        return Promise.reject(new TypeError('fetch failed', { cause: blockedError(url.origin) }));
      }
      if (!currentStep() || !isLoopbackHost(url.hostname)) return originalFetch.call(this, input, init);
    }
    const target = redirected ? new URL(url.pathname + url.search, upstream).href : url.href;
    const extra = extraHeaders(url.origin, redirected);
    if (redirected) log(`fetch ${url.href} -> ${target}`);
    if (input instanceof Request) {
      // new Request(target, input) copies method, headers and body; init (if any) still applies on top.
      const req = new Request(target, input);
      if (init && init.headers) {
        const headers = new Headers(init.headers);
        for (const [k, v] of Object.entries(extra)) headers.set(k, v);
        return originalFetch.call(this, req, { ...init, headers });
      }
      for (const [k, v] of Object.entries(extra)) req.headers.set(k, v);
      return originalFetch.call(this, req, init);
    }
    const headers = new Headers(init && init.headers ? init.headers : undefined);
    for (const [k, v] of Object.entries(extra)) headers.set(k, v);
    return originalFetch.call(this, target, { ...(init || {}), headers });
  };
}

// ------------------------------------------------------------------------------------ (a) http(s).request
// Normalises the (url, options, cb) / (options, cb) forms into one options object plus callback.
function splitRequestArgs(defaultProtocol, args) {
  let [a0, a1, a2] = args;
  let options = {};
  let cb;
  if (typeof a0 === 'string' || a0 instanceof URL) {
    const u = new URL(String(a0 instanceof URL ? a0.href : a0));
    options = { protocol: u.protocol, hostname: u.hostname.replace(/^\[|\]$/g, ''), port: u.port,
      path: u.pathname + u.search };
    if (u.username || u.password) options.auth = `${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`;
    if (typeof a1 === 'function') cb = a1;
    else { if (a1) options = { ...options, ...a1 }; cb = a2; }
  } else {
    options = { ...(a0 || {}) };
    cb = a1;
  }
  const protocol = options.protocol || defaultProtocol;
  const hostname = options.hostname || (options.host ? String(options.host).replace(/:\d+$/, '') : 'localhost');
  const defaultPort = protocol === 'https:' ? 443 : 80;
  const port = options.port ? Number(options.port) : defaultPort;
  const origin = normalizeOrigin(`${protocol}//${hostname.includes(':') ? `[${hostname}]` : hostname}:${port}`);
  return { options, cb, origin, hostname };
}

function withHeaders(headers, extra) {
  if (Array.isArray(headers)) {  // raw [name, value, ...] form
    const out = headers.slice();
    for (const [k, v] of Object.entries(extra)) out.push(k, v);
    return out;
  }
  const out = { ...(headers || {}) };
  for (const [k, v] of Object.entries(extra)) {
    for (const key of Object.keys(out)) if (key.toLowerCase() === k) delete out[key];
    out[k] = v;
  }
  return out;
}

const originalHttpRequest = http.request;
const originalHttpsRequest = https.request;

function patchedRequest(defaultProtocol, original) {
  return function routecheckRequest(...args) {
    if (args[0] && typeof args[0] === 'object' && !(args[0] instanceof URL) && args[0].socketPath) {
      return original.apply(this, args);  // unix socket: not network traffic
    }
    let parsed;
    try {
      parsed = splitRequestArgs(defaultProtocol, args);
    } catch {
      return original.apply(this, args);
    }
    const { options, cb, origin, hostname } = parsed;
    const redirected = origin !== null && redirects.has(origin);
    if (!redirected) {
      if (!isLoopbackHost(hostname)) {
        if (blockExternal) log(`http blocked ${origin}`);
        // Blocking itself happens in net.Socket#connect below, so the caller sees a normal 'error' event.
        return original.apply(this, args);
      }
      if (!currentStep()) return original.apply(this, args);
      return original.call(this, { ...options, headers: withHeaders(options.headers, extraHeaders(origin, false)) }, cb);
    }
    const extra = extraHeaders(origin, redirected);
    const next = { ...options, protocol: upstream.protocol, hostname: upstream.hostname.replace(/^\[|\]$/g, ''),
      port: upstream.port || (upstream.protocol === 'https:' ? 443 : 80), headers: withHeaders(options.headers, extra) };
    delete next.host;
    delete next.servername;
    // An https.Agent cannot carry an http: request; fall back to the default agent of the upstream protocol.
    if (next.agent && upstream.protocol === 'http:' && next.agent instanceof https.Agent) delete next.agent;
    if (next.createConnection && upstream.protocol === 'http:') delete next.createConnection;
    log(`http ${origin}${options.path || '/'} -> ${upstream.origin}${options.path || '/'}`);
    const via = upstream.protocol === 'https:' ? originalHttpsRequest : originalHttpRequest;
    return via.call(this, next, cb);
  };
}

http.request = patchedRequest('http:', originalHttpRequest);
https.request = patchedRequest('https:', originalHttpsRequest);
// get() in Node calls the module-internal request, not the exported one, so it needs its own wrapper.
http.get = function get(...args) { const req = http.request(...args); req.end(); return req; };
https.get = function get(...args) { const req = https.request(...args); req.end(); return req; };

// --------------------------------------------------------------------------------------- (c) block egress
// The catch-all: undici, http, tls and raw sockets all end up in net.Socket#connect.
const originalConnect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function routecheckConnect(...args) {
  if (blockExternal) {
    const normalized = net._normalizeArgs ? net._normalizeArgs(args) : [args[0]];
    const opts = normalized[0] || {};
    if (!opts.path && !isLoopbackHost(opts.host)) {
      const err = blockedError(`${opts.host}:${opts.port}`);
      log(err.message);
      // Fail asynchronously, like a real refused connection, so callers' error listeners are attached.
      process.nextTick(() => this.destroy(err));
      return this;
    }
  }
  return originalConnect.apply(this, args);
};

// ---------------------------------------------------------------------------------------- (b) listen host
const ANY_HOSTS = new Set(['', '0.0.0.0', '::', '[::]', 'localhost', '::0']);
const isPortArg = (v) => typeof v === 'number' || (typeof v === 'string' && /^\d+$/.test(v));

const originalListen = net.Server.prototype.listen;
net.Server.prototype.listen = function routecheckListen(...args) {
  const a0 = args[0];
  if (args.length === 0 || typeof a0 === 'function') {
    args = [0, LOOPBACK, ...args];  // listen() / listen(cb): random port on all interfaces by default
  } else if (isPortArg(a0) || a0 === null || a0 === undefined) {
    if (typeof args[1] === 'string') {
      if (ANY_HOSTS.has(args[1])) args[1] = LOOPBACK;
    } else {
      args.splice(1, 0, LOOPBACK);
    }
  } else if (a0 && typeof a0 === 'object' && !a0._handle && !a0.fd && !a0.path &&
             ('port' in a0 || 'host' in a0 || Object.keys(a0).length === 0)) {
    if (a0.host === undefined || ANY_HOSTS.has(String(a0.host))) args[0] = { ...a0, host: LOOPBACK };
  }
  return originalListen.apply(this, args);
};

// ----------------------------------------------------------------------------------------- (d) correlation
function wrapEmit(proto) {
  const originalEmit = proto.emit;
  proto.emit = function routecheckEmit(event, req, ...rest) {
    if ((event === 'request' || event === 'upgrade') && req && req.headers) {
      const first = (name) => { const raw = req.headers[name]; return (Array.isArray(raw) ? raw[0] : raw) || undefined; };
      // Always enter a fresh store (empty when there is no header) so nothing leaks from another context.
      return als.run({ step: first(STEP_HEADER), fault: first(FAULT_HEADER) },
        () => originalEmit.call(this, event, req, ...rest));
    }
    return originalEmit.call(this, event, req, ...rest);
  };
}
wrapEmit(http.Server.prototype);
if (https.Server.prototype.emit !== http.Server.prototype.emit) wrapEmit(https.Server.prototype);

// (d) under Bun (`bun --preload preload.cjs`): a proxy served by Bun.serve never emits 'request' on an
// http.Server, so its fetch handler is wrapped instead; (b) too: a Bun.serve without a hostname (or an any-host
// one) listens on 127.0.0.1 only.
if (typeof Bun !== 'undefined' && typeof Bun.serve === 'function') {
  const originalServe = Bun.serve;
  Bun.serve = function routecheckServe(options, ...rest) {
    if (!options || typeof options !== 'object') return originalServe.call(this, options, ...rest);
    const next = { ...options };
    if (next.hostname === undefined || ANY_HOSTS.has(String(next.hostname))) next.hostname = LOOPBACK;
    if (typeof options.fetch === 'function') {
      const handler = options.fetch;
      next.fetch = function routecheckBunFetch(req, server) {
        const store = { step: req.headers.get(STEP_HEADER) || undefined, fault: req.headers.get(FAULT_HEADER) || undefined };
        return als.run(store, () => handler.call(this, req, server));
      };
    }
    return originalServe.call(this, next, ...rest);
  };
}

// ESM `import { request } from 'node:http'` reads named exports from a snapshot; refresh it.
require('node:module').syncBuiltinESMExports();

log(`active: upstream=${upstreamOrigin || '-'} redirect=[${[...redirects].join(',')}] block=${blockExternal}`);
