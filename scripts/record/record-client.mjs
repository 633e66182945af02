// scripts/record-client: record a real AI API client's request sequence at every Base URL variant and
// write fixtures/clients/<id>.json. Run `scripts/record-client --help`.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { clients } from './clients.mjs';
import { compareProfiles, installNpmGroup, installPythonVenv } from './drift.mjs';
import { sources } from './sources.mjs';
import { baseUrlSettings } from './base-url-settings.mjs';
import { endpointFromRoot, joinSpec, joinTarget } from './join.mjs';
import { buildAuth, detectCarriers } from './auth.mjs';
import { FAKE_KEY, Normalizer, findSecrets, stableStringify } from './normalize.mjs';

const scriptsDir = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(scriptsDir, '../..');

const HELP = `usage: scripts/record-client [options] <client-id>... | --all | --list

Records what a real client sends, at every Base URL variant of fixtures/variants.json (except closed-port),
and writes fixtures/clients/<id>.json. For each variant it starts the recorder (routecheck's mock upstream in
record mode, which answers every client protocol by path suffix whatever the prefix), runs the client pointed
at http://127.0.0.1:<recorder port><variant path> under timeout with a throwaway HOME/XDG dirs, an empty
cwd, the fake key ${FAKE_KEY}, HTTP(S)_PROXY at a dead local port (NO_PROXY=127.0.0.1,localhost,::1)
and TZ=UTC, then reads the recorder's journal (GET /__routecheck/journal).

The profile's steps come from the root variant's recording (normalized: secrets redacted, ids, dates,
machine paths and ports replaced by placeholders, long strings trimmed, volatile headers dropped). The
client's join rule (a hypothesis in scripts/record/clients.mjs) must reproduce every request the client sent
at every variant: if it does not, nothing is written and record-client exits 1. Profiles of clients that
cannot run here (scripts/record/sources.mjs) are derived from their public source: their recordings are
computed with the join rule, and their provenance says so.

Re-recording an unchanged client gives a byte-identical file (recorded_at is kept when nothing else changed).

options:
  --all                 every client in clients.mjs and sources.mjs
  --list                list client ids and exit
  --check               record, then compare with the committed file instead of writing it (exit 1 if different)
  --drift               install the NEWEST published version of each named recorded client (npm view / pip index
                        versions; npm install / pip install into a scratch folder, not the pinned dirs), re-record
                        it there and print which profiles' paths (request lines per variant) or key headers
                        changed; writes nothing under fixtures/ (exit 1 if any changed or could not be checked).
                        Needs the registries: a maintainer's command, not part of .ci/run
  --scratch DIR         --drift's install and output folder (default: a new temp dir, kept and printed)
  --out-dir DIR         write profiles there (default: fixtures/clients)
  --variants a,b        only these variants (the profile is then written to --out-dir only if given)
  --clients-dir DIR     where npm/clients is installed (default: $ROUTECHECK_CLIENTS_DIR or npm/clients;
                        install with: (cd npm/clients && npm ci))
  --python-dir DIR      where the Python clients' venvs are (default: $ROUTECHECK_PYTHON_CLIENTS_DIR or
                        python/clients/venv; install with: python/clients/install)
  --recorder CMD        recorder command (default: $ROUTECHECK_RECORDER or build-rec/mock_upstream/mock-upstream,
                        built with: cmake -S . -B build-rec && cmake --build build-rec --target mock-upstream);
                        it is run as CMD --record --port 0 --port-file FILE
  --keep                keep the throwaway dirs and logs (printed at the end)
  --verbose             print each request line as it is recorded
  -h, --help            this text

exit status: 0 written (or --check identical), 1 join rule or check failed / client error, 2 usage or setup error`;

function die(msg, code = 2) { console.error(`record-client: ${msg}`); process.exit(code); }

function parseArgs(argv) {
  const o = { ids: [], all: false, list: false, check: false, outDir: null, variants: null, keep: false, verbose: false,
    clientsDir: process.env.ROUTECHECK_CLIENTS_DIR || path.join(repo, 'npm/clients'),
    pythonDir: process.env.ROUTECHECK_PYTHON_CLIENTS_DIR || path.join(repo, 'python/clients/venv'),
    recorder: process.env.ROUTECHECK_RECORDER || null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => { if (i + 1 >= argv.length) die(`${a} needs a value`); return argv[++i]; };
    if (a === '-h' || a === '--help') { console.log(HELP); process.exit(0); }
    else if (a === '--all') o.all = true;
    else if (a === '--list') o.list = true;
    else if (a === '--check') o.check = true;
    else if (a === '--drift') o.drift = true;
    else if (a === '--scratch') o.scratch = path.resolve(val());
    else if (a === '--keep') o.keep = true;
    else if (a === '--verbose') o.verbose = true;
    else if (a === '--out-dir') o.outDir = path.resolve(val());
    else if (a === '--variants') o.variants = val().split(',');
    else if (a === '--clients-dir') o.clientsDir = path.resolve(val());
    else if (a === '--python-dir') o.pythonDir = path.resolve(val());
    else if (a === '--recorder') o.recorder = val();
    else if (a.startsWith('-')) die(`unknown option ${a} (see --help)`);
    else o.ids.push(a);
  }
  return o;
}

function findRecorder() {
  for (const p of ['build-rec/mock_upstream/mock-upstream', 'build-rec/mock-upstream', 'build/mock_upstream/mock-upstream',
    'build/mock-upstream']) {
    const abs = path.join(repo, p);
    if (fs.existsSync(abs)) return abs;
  }
  return null;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Process groups we started (recorder, client): ended on our own exit or interruption.
const groups = new Set();
function killGroups() { for (const pgid of groups) { try { process.kill(-pgid, 'SIGKILL'); } catch { /* gone */ } } }
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => { killGroups(); process.exit(130); });
process.on('exit', killGroups);

async function startRecorder(cmd, dir) {
  const portFile = path.join(dir, 'recorder.port');
  const argv = [...cmd.split(' ').filter(Boolean), '--record', '--port', '0', '--port-file', portFile];
  const log = fs.openSync(path.join(dir, 'recorder.log'), 'w');
  const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', log, log], detached: true });
  groups.add(child.pid);
  let exited = null;
  child.on('exit', (c, s) => { exited = `exit ${c ?? s}`; });
  for (let i = 0; i < 200; i++) {
    if (exited) die(`recorder ${argv.join(' ')} ${exited}; see ${path.join(dir, 'recorder.log')}`);
    const txt = fs.existsSync(portFile) ? fs.readFileSync(portFile, 'utf8').trim() : '';
    if (/^\d+$/.test(txt)) {
      const port = Number(txt);
      try {
        const r = await fetch(`http://127.0.0.1:${port}/__routecheck/journal`);
        if (r.ok) { await r.text(); return { child, port }; }
      } catch { /* not yet */ }
    }
    await sleep(50);
  }
  try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ }
  die(`recorder did not become ready in 10 s: ${argv.join(' ')}`);
}

async function stopRecorder(rec) {
  try { process.kill(-rec.child.pid, 'SIGTERM'); } catch { return; }
  for (let i = 0; i < 40 && rec.child.exitCode === null && rec.child.signalCode === null; i++) await sleep(50);
  try { process.kill(-rec.child.pid, 'SIGKILL'); } catch { /* gone */ }
  groups.delete(rec.child.pid);
}

async function readJournal(port) {
  const r = await fetch(`http://127.0.0.1:${port}/__routecheck/journal`);
  if (!r.ok) die(`GET /__routecheck/journal answered ${r.status}`);
  const j = await r.json();
  const entries = Array.isArray(j) ? j : j.entries;
  return entries.filter((e) => !String(e.path).startsWith('/__routecheck/')).sort((a, b) => a.seq - b.seq)
    .map((e) => {
      let body = e.body;
      if (typeof body === 'string') {
        if (body === '') body = null;
        else { try { body = JSON.parse(body); } catch { /* keep the text */ } }
      }
      const headers = {};
      for (const [k, v] of Object.entries(e.headers || {})) headers[k.toLowerCase()] = String(v);
      const query = e.query ?? (e.target && e.target.includes('?') ? e.target.split('?').slice(1).join('?') : '');
      return { method: e.method, path: e.path, query, headers, body, status: e.status };
    });
}

function runClient(argv, env, cwd, timeoutS, logPrefix) {
  return new Promise((resolve) => {
    const out = fs.openSync(`${logPrefix}.stdout`, 'w'), err = fs.openSync(`${logPrefix}.stderr`, 'w');
    // `timeout` (coreutils) as the brief asks, plus our own kill of the process group as a backstop.
    const child = spawn('timeout', ['-k', '5', String(timeoutS), ...argv], { cwd, env, stdio: ['ignore', out, err], detached: true });
    groups.add(child.pid);
    const backstop = setTimeout(() => { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ } }, (timeoutS + 15) * 1000);
    child.on('exit', (code, sig) => {
      clearTimeout(backstop);
      try { process.kill(-child.pid, 'SIGKILL'); } catch { /* group already gone */ }
      groups.delete(child.pid);
      resolve(code ?? 128);
    });
  });
}

// Processes a client left behind outside its process group (Cline 3.x starts a hub daemon in its own session):
// found by the run's unique ROUTECHECK_CALLS_FILE in their environment, and killed, so nothing outlives the run.
function killStragglers(marker) {
  let killed = 0;
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    if (Number(pid) === process.pid) continue;
    let environ;
    try { environ = fs.readFileSync(`/proc/${pid}/environ`, 'latin1'); } catch { continue; }  // gone, or not ours
    if (environ.split('\0').includes(marker)) {
      try { process.kill(Number(pid), 'SIGKILL'); killed++; } catch { /* gone */ }
    }
  }
  return killed;
}

function writeFiles(files) {
  for (const [p, content] of Object.entries(files || {})) {
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content, null, 2) + '\n');
  }
}

// Step name from what the request is, e.g. "messages", "count-tokens", "stream-generate-content".
function stepName(req) {
  const p = req.path;
  if (req.headers.upgrade && /websocket/i.test(req.headers.upgrade)) {
    return `${p.split('/').filter(Boolean).pop() || 'root'}-websocket`;
  }
  const action = /:([A-Za-z]+)$/.exec(p);
  if (action) return action[1].replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase();
  if (/\/count_tokens$/.test(p)) return 'count-tokens';
  if (/\/chat\/completions$/.test(p)) return 'chat-completions';
  if (/\/models$/.test(p)) return 'models';
  if (/\/models\/[^/]+$/.test(p)) return 'model';
  const last = p.split('/').filter(Boolean).pop() || 'root';
  return last.replace(/[^A-Za-z0-9]+/g, '-').toLowerCase();
}

function isStream(req) {
  return (req.body && typeof req.body === 'object' && req.body.stream === true) || /:streamGenerateContent$/.test(req.path)
    || /(^|&)alt=sse(&|$)/.test(req.query) || (req.headers.upgrade ? true : false);
}

function spendsQuota(req) {
  return /(\/messages|\/chat\/completions|\/completions|\/responses|:generateContent|:streamGenerateContent)$/.test(req.path);
}

function requestLine(req, norm) {
  const q = norm.query(req.query);
  return `${req.method} ${req.path}${q ? `?${q}` : ''}`;
}

function today() { return new Date().toISOString().slice(0, 10); }

function loadVariants() {
  const v = JSON.parse(fs.readFileSync(path.join(repo, 'fixtures/variants.json'), 'utf8')).variants;
  return v.filter((x) => !x.base_url.includes('{closed_port}'));
}

// A Python client's venv (python/clients/install makes one per requirements file) and the version pip put there.
function pythonVenv(opts, name) {
  const venv = path.join(opts.pythonDir, name);
  if (!fs.existsSync(path.join(venv, 'bin/python'))) die(`${venv} missing: install it with python/clients/install ${name}`);
  return venv;
}

function pythonPackageVersion(venv, pkg) {
  return execFileSync(path.join(venv, 'bin/python'), ['-c', 'import importlib.metadata,sys; print(importlib.metadata.version(sys.argv[1]))', pkg],
    { encoding: 'utf8' }).trim();
}

function packageVersion(clientsDir, pkg) {
  const p = path.join(clientsDir, 'node_modules', pkg, 'package.json');
  if (!fs.existsSync(p)) die(`${pkg} is not installed in ${clientsDir} (run: (cd npm/clients && npm ci), or pass --clients-dir)`);
  return JSON.parse(fs.readFileSync(p, 'utf8')).version;
}

// Verify the join rule: every recorded request line at every variant must be the rule applied to the
// matching step. Returns a list of mismatch descriptions (empty = the rule holds).
function verifyJoin(rule, steps, recordings) {
  const bad = [];
  for (const rec of recordings) {
    if (rec.requests.length === 0) continue;  // the client sent nothing there: noted, nothing to check
    if (rec.requests.length !== steps.length) {
      bad.push(`${rec.variant}: ${rec.requests.length} requests, but the root recording has ${steps.length} steps:\n    ${rec.requests.join('\n    ')}`);
      continue;
    }
    steps.forEach((s, i) => {
      const want = `${s.method} ${joinTarget(rule, rec.base_url, s.endpoint, s.query)}`;
      if (want !== rec.requests[i]) bad.push(`${rec.variant} step ${s.id}: rule ${JSON.stringify(rule)} gives "${want}", the client sent "${rec.requests[i]}"`);
    });
  }
  return bad;
}

// A step is essential when the client cannot work without it: a call that reaches the model (messages, chat,
// responses, generate), unless it is a websocket attempt or one of the calls the client's entry names optional
// (e.g. the OpenAI SDKs' Responses calls, which an OpenAI-compatible proxy need not serve). Model listings and
// token counts are optional.
function isEssential(step, optionalCalls = []) {
  return step.spends_quota && !step.websocket && !optionalCalls.includes(step.call);
}

function buildSteps(rule, rootReqs, callOf, norm, optionalCalls) {
  const steps = [];
  const used = new Map();
  rootReqs.forEach((req, i) => {
    const call = callOf(i);
    let id = `${call}.${stepName(req)}`;
    const n = (used.get(id) || 0) + 1;
    used.set(id, n);
    if (n > 1) id = `${id}-${n}`;
    const step = {
      id, call, method: req.method, endpoint: endpointFromRoot(rule, req.path), query: norm.query(req.query),
      headers: norm.headers(req.headers), body: req.body === null ? null : norm.body(req.body), stream: isStream(req),
      spends_quota: spendsQuota(req),
    };
    if (req.headers.upgrade) step.websocket = true;
    step.essential = isEssential(step, optionalCalls);
    steps.push(step);
  });
  return steps;
}

async function recordClient(id, cfg, opts, variants) {
  const venv = cfg.python ? pythonVenv(opts, cfg.python) : null;
  // A second version of a package is installed under an npm alias (`installedAs`); --drift installs the newest
  // under its own name.
  const pkg = opts.drift ? cfg.package : (cfg.installedAs || cfg.package);
  const version = venv ? pythonPackageVersion(venv, cfg.package) : packageVersion(opts.clientsDir, pkg);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), `routecheck-rec-${id}-`));
  const binDir = venv ? path.join(venv, 'bin') : path.join(opts.clientsDir, 'node_modules/.bin');
  const bin = (name) => {
    const p = path.join(binDir, name);
    if (!fs.existsSync(p)) die(`${p} missing: install npm/clients (see --help)`);
    return p;
  };
  const perVariant = [];
  const ports = [];
  const pathsSeen = {};
  for (const v of variants) {
    const vdir = path.join(work, v.id);
    const home = path.join(vdir, 'home'), cwd = path.join(vdir, 'cwd');
    fs.mkdirSync(home, { recursive: true }); fs.mkdirSync(cwd, { recursive: true });
    const rec = await startRecorder(opts.recorder, vdir);
    ports.push(rec.port);
    try {
      const base = v.base_url.replace('{port}', String(rec.port));
      const callsFile = path.join(vdir, 'calls.tsv');
      const ctx = { base, key: FAKE_KEY, home, cwd, bin, node: process.execPath, scriptsDir,
        python: venv ? path.join(venv, 'bin/python') : null, pkg };
      const r = cfg.run(ctx);
      writeFiles(r.files);
      const env = {
        PATH: [binDir, path.dirname(process.execPath), '/usr/local/bin', '/usr/bin', '/bin'].join(':'),
        HOME: home, XDG_CONFIG_HOME: `${home}/.config`, XDG_DATA_HOME: `${home}/.local/share`,
        XDG_CACHE_HOME: `${home}/.cache`, XDG_STATE_HOME: `${home}/.local/state`, TMPDIR: path.join(vdir, 'tmp'),
        HTTP_PROXY: 'http://127.0.0.1:9', HTTPS_PROXY: 'http://127.0.0.1:9', http_proxy: 'http://127.0.0.1:9',
        https_proxy: 'http://127.0.0.1:9', ALL_PROXY: 'http://127.0.0.1:9',
        NO_PROXY: '127.0.0.1,localhost,::1', no_proxy: '127.0.0.1,localhost,::1',
        TZ: 'UTC', LANG: 'C.UTF-8', TERM: 'dumb', NO_COLOR: '1', CI: '1',
        ROUTECHECK_CALLS_FILE: callsFile, ROUTECHECK_JOURNAL_URL: `http://127.0.0.1:${rec.port}/__routecheck/journal`,
        ROUTECHECK_CLIENTS_DIR: opts.clientsDir, PYTHONPATH: scriptsDir, PYTHONDONTWRITEBYTECODE: '1',
        ...r.env,
      };
      for (const [k, v] of Object.entries(env)) if (v === null) delete env[k];  // a client entry may unset a variable
      fs.mkdirSync(env.TMPDIR, { recursive: true });
      const code = await runClient(r.argv, env, cwd, cfg.timeout || 60, path.join(vdir, 'client'));
      const stragglers = killStragglers(`ROUTECHECK_CALLS_FILE=${callsFile}`);
      if (stragglers && opts.verbose) console.error(`  ${id} @ ${v.id}: killed ${stragglers} process(es) the client left running`);
      await sleep(300);  // let a last request finish landing in the journal
      const reqs = await readJournal(rec.port);
      let calls = null;
      if (r.calls === 'file') {
        calls = fs.existsSync(callsFile) ? fs.readFileSync(callsFile, 'utf8').trim().split('\n').filter(Boolean)
          .map((l) => { const [name, n] = l.split('\t'); return { name, from: Number(n) }; }) : [];
      }
      // The client's last stderr line (normalized) says why a client that sent nothing gave up.
      const errTail = fs.readFileSync(path.join(vdir, 'client.stderr'), 'utf8').trim().split('\n').pop() || '';
      perVariant.push({ variant: v, base, code, reqs, calls, vdir,
        stderr: reqs.length ? '' : new Normalizer({ ports: [rec.port] }).string(errTail).slice(0, 160) });
      Object.assign(pathsSeen, { [v.id]: { home, cwd, vdir } });
      if (opts.verbose || code !== 0) {
        console.error(`  ${id} @ ${v.id}: exit ${code}, ${reqs.length} requests`);
        if (opts.verbose) for (const q of reqs) console.error(`    ${q.method} ${q.path}${q.query ? '?' + q.query : ''} -> ${q.status}`);
        if (code !== 0) console.error(`    stderr: ${fs.readFileSync(path.join(vdir, 'client.stderr'), 'utf8').slice(-600).replace(/\n/g, '\n    ')}`);
      }
    } finally {
      await stopRecorder(rec);
    }
  }

  const root = perVariant.find((p) => p.variant.id === 'root') || perVariant[0];
  const paths = { '{home}': root.vdir ? path.join(root.vdir, 'home') : null, '{cwd}': path.join(root.vdir, 'cwd'),
    '{tmp}': path.join(root.vdir, 'tmp'), '{workdir}': root.vdir, '{install_dir}': opts.clientsDir, '{repo}': repo };
  const norm = new Normalizer({ paths, ports });
  const callOf = (i) => {
    if (!root.calls) return 'prompt';
    let name = 'prompt';
    for (const c of root.calls) if (c.from <= i) name = c.name;
    return name;
  };
  if (cfg.baseUrlIgnored) return ignoredProfile(id, cfg, version, perVariant, opts);
  if (root.reqs.length === 0) die(`${id} sent no request at ${root.variant.id}; see ${root.vdir}`, 1);
  const steps = buildSteps(cfg.join, root.reqs, callOf, norm, cfg.optional);
  const recordings = perVariant.map((p) => {
    const r = { variant: p.variant.id, base_url: p.variant.base_url, requests: p.reqs.map((q) => requestLine(q, norm)) };
    const notes = [];
    if (p.reqs.length === 0) notes.push(`the client sent no request at this Base URL (exit ${p.code})`);
    else if (p.code !== 0) notes.push(`the client exited ${p.code}`);
    if (notes.length) r.note = notes.join('; ');
    return r;
  });
  const bad = verifyJoin(cfg.join, steps, recordings);
  const recordedCarriers = detectCarriers(root.reqs);
  const auth = buildAuth(cfg, recordedCarriers);
  const profile = {
    id, name: cfg.name, protocol: cfg.protocol,
    provenance: { kind: 'recorded', ...(cfg.python ? { registry: 'pypi' } : {}), package: cfg.package, version,
      ...(cfg.needs ? { with: Object.fromEntries(cfg.needs.map((p) => [p, packageVersion(opts.clientsDir, p)])) } : {}),
      recorded_at: today(), command: cfg.command,
      how: `scripts/record-client ${id}`, ...(cfg.note ? { note: cfg.note } : {}) },
    join: joinSpec(cfg.join), auth, steps, recordings, ...baseUrlSetting(id),
  };
  return { profile, bad, work, noAuth: !recordedCarriers.some((c) => c.header), queryKey: recordedCarriers.find((c) => c.query) };
}

// A client mode whose entry says it ignores the Base URL (`baseUrlIgnored`: what it does instead, and how that is
// known): the recording must show no request at any variant, or the hypothesis is wrong and nothing is written.
function ignoredProfile(id, cfg, version, perVariant, opts) {
  const bad = perVariant.filter((p) => p.reqs.length > 0)
    .map((p) => `${p.variant.id}: the entry says the client ignores the Base URL, but it sent ${p.reqs.map((q) => `${q.method} ${q.path}`).join(', ')}`);
  const recordings = perVariant.map((p) => ({ variant: p.variant.id, base_url: p.variant.base_url, requests: [],
    note: `the client sent no request to this Base URL (exit ${p.code}${p.stderr ? `: ${p.stderr}` : ''})` }));
  const profile = {
    id, name: cfg.name, protocol: cfg.protocol,
    provenance: { kind: 'recorded', package: cfg.package, version, recorded_at: today(), command: cfg.command,
      how: `scripts/record-client ${id}` },
    join: joinSpec(cfg.join), auth: buildAuth(cfg, []), base_url_ignored: cfg.baseUrlIgnored, steps: [], recordings,
    ...baseUrlSetting(id),
  };
  return { profile, bad, work: perVariant[0] && path.dirname(perVariant[0].vdir), noAuth: false };
}

// The profile's "base_url_setting" from base-url-settings.mjs; nothing when the table has no entry for the id.
function baseUrlSetting(id) {
  return baseUrlSettings[id] ? { base_url_setting: baseUrlSettings[id] } : {};
}

function deriveSource(id, cfg, variants) {
  const steps = cfg.steps.map((s) => ({ query: '', headers: {}, body: null, stream: false, ...s }))
    .map((s) => ({ ...s, essential: s.essential ?? isEssential(s, cfg.optional) }));
  const recordings = variants.map((v) => ({
    variant: v.id, base_url: v.base_url,
    requests: steps.map((s) => `${s.method} ${joinTarget(cfg.join, v.base_url, s.endpoint, s.query)}`),
    note: 'derived: the join rule applied to the steps (this client was not run)',
  }));
  const profile = { id, name: cfg.name, protocol: cfg.protocol, provenance: { kind: 'source', ...cfg.source },
    join: joinSpec(cfg.join), auth: cfg.auth, steps, recordings, ...baseUrlSetting(id) };
  return { profile, bad: [], work: null };
}

function sameExceptDate(a, b) {
  const strip = (t) => { const j = JSON.parse(t); if (j.provenance) delete j.provenance.recorded_at; return stableStringify(j); };
  try { return strip(a) === strip(b); } catch { return false; }
}

// --drift: see --help. Returns the exit status.
async function drift(ids, opts, variants, committedDir) {
  const scratch = opts.scratch || fs.mkdtempSync(path.join(os.tmpdir(), 'routecheck-drift-'));
  console.error(`record-client --drift: scratch folder ${scratch}`);
  let status = 0;
  const report = [];
  for (const id of ids) {
    const cfg = clients[id];
    if (!cfg) { report.push(`${id}: derived from source, nothing to install (skipped)`); continue; }
    const inst = cfg.python ? installPythonVenv(scratch, cfg.python, cfg.package)
      : installNpmGroup(scratch, [cfg.package, ...(cfg.needs || [])]);
    if (inst.error) { report.push(`${id}: NOT CHECKED: ${inst.error}`); status = 1; continue; }
    const o = { ...opts, verbose: false, drift: true, ...(cfg.python ? { pythonDir: inst.dir } : { clientsDir: inst.dir }) };
    const res = await recordClient(id, cfg, o, variants);
    const file = path.join(committedDir, `${id}.json`);
    const old = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : { recordings: [], auth: {} };
    const versions = `${cfg.package} ${old.provenance ? old.provenance.version : '(new)'} -> ${res.profile.provenance.version}`;
    const changes = compareProfiles(old, res.profile);
    if (res.bad.length) changes.push(`the profile's join rule no longer reproduces what it sends (${res.bad.length} mismatches)`);
    fs.mkdirSync(path.join(scratch, 'profiles'), { recursive: true });
    fs.writeFileSync(path.join(scratch, 'profiles', `${id}.json`), stableStringify(res.profile));
    if (res.work) fs.rmSync(res.work, { recursive: true, force: true });
    if (changes.length) status = 1;
    report.push(`${id} (${versions}): ${changes.length ? 'CHANGED' : 'same paths and key headers'}`
      + changes.map((c) => `\n    ${c}`).join(''));
  }
  console.log(report.join('\n'));
  console.error(`record-client --drift: new recordings in ${path.join(scratch, 'profiles')}`);
  return status;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const all = { ...clients, ...sources };
  if (opts.list) {
    for (const [id, c] of Object.entries(all)) console.log(`${id}\t${c.source ? 'source' : 'recorded'}\t${c.name}`);
    return;
  }
  const ids = opts.all ? Object.keys(all) : opts.ids;
  if (!ids.length) die('name a client id, or --all (see --help)');
  for (const id of ids) if (!all[id]) die(`unknown client ${id}; known: ${Object.keys(all).join(', ')}`);
  let variants = loadVariants();
  if (opts.variants) {
    variants = variants.filter((v) => opts.variants.includes(v.id));
    if (!opts.outDir && !opts.check) die('--variants records a partial profile: give --out-dir too');
  }
  const needRecorder = ids.some((id) => clients[id]);
  if (needRecorder) {
    opts.recorder = opts.recorder || findRecorder();
    if (!opts.recorder) die('no recorder: build it (cmake -S . -B build-rec && cmake --build build-rec --target mock-upstream) or pass --recorder');
    if (!fs.existsSync(opts.clientsDir)) die(`clients dir ${opts.clientsDir} missing`);
  }
  const outDir = opts.outDir || path.join(repo, 'fixtures/clients');
  if (opts.drift) process.exit(await drift(ids, opts, variants, outDir));
  let failed = false;
  for (const id of ids) {
    console.error(`record-client: ${id}`);
    const res = clients[id] ? await recordClient(id, clients[id], opts, variants) : deriveSource(id, sources[id], variants);
    if (res.noAuth) { console.error(`record-client: ${id}: the fake key was not found in any request header or query`); failed = true; }
    if (res.bad.length) {
      console.error(`record-client: ${id}: join rule ${JSON.stringify(res.profile.join)} does NOT reproduce the recorded requests:`);
      for (const b of res.bad) console.error(`  - ${b}`);
      console.error(`  nothing written; work dir kept: ${res.work}`);
      failed = true;
      continue;
    }
    let text = stableStringify(res.profile);
    const secrets = findSecrets(text);
    if (secrets.length) {
      console.error(`record-client: ${id}: secret-looking strings survived normalization: ${[...new Set(secrets)].join(', ')}`);
      failed = true;
      continue;
    }
    const file = path.join(outDir, `${id}.json`);
    const old = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null;
    if (old && sameExceptDate(old, text)) text = old;  // unchanged client: keep the file byte-identical
    if (opts.check) {
      if (old === text) console.error(`record-client: ${id}: identical to ${path.relative(repo, file)}`);
      else {
        const tmp = path.join(os.tmpdir(), `routecheck-${id}.json`);
        fs.writeFileSync(tmp, text);
        console.error(`record-client: ${id}: DIFFERS from ${path.relative(repo, file)}; new recording in ${tmp}`);
        failed = true;
      }
    } else {
      fs.mkdirSync(outDir, { recursive: true });
      fs.writeFileSync(file, text);
      const r = res.profile.recordings;
      console.error(`record-client: ${id}: wrote ${path.relative(process.cwd(), file)} (${res.profile.steps.length} steps, join ${res.profile.join.rule}, ${r.length} variants${old === text ? ', unchanged' : ''})`);
    }
    if (res.work) {
      if (opts.keep) console.error(`  work dir kept: ${res.work}`);
      else fs.rmSync(res.work, { recursive: true, force: true });
    }
  }
  process.exit(failed ? 1 : 0);
}

main().catch((e) => { console.error(`record-client: ${e.stack || e}`); process.exit(2); });
