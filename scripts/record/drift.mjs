// scripts/record-client --drift: install the newest published version of each recorded client into a scratch
// folder, re-record it there, and report which profiles' paths (request lines per variant) or key headers changed.
// A maintainer's command: it needs the npm registry and PyPI, and is not part of .ci/run.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

function run(cmd, args, opts = {}) {
  return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 900_000, ...opts });
}

// The newest version a registry serves (`npm view`, `pip index versions`): one look-up per package used.
export function newestNpm(pkg) { return run('npm', ['view', pkg, 'version']).trim(); }
export function newestPypi(python, pkg) {
  const out = run(python, ['-m', 'pip', 'index', 'versions', '--disable-pip-version-check', pkg]);
  const m = /^\S+ \(([^)]+)\)/m.exec(out);
  if (!m) throw new Error(`pip index versions ${pkg}: no version in its answer`);
  return m[1];
}

// One install per package group (a client's package plus what its driver loads), so one package that fails to
// install (a platform binary missing from the registry) costs only its own clients. Returns {dir} or {error}.
export function installNpmGroup(scratch, pkgs) {
  const dir = path.join(scratch, 'npm', pkgs.join('+').replace(/[@/]/g, '_'));
  if (fs.existsSync(path.join(dir, 'node_modules'))) return { dir };
  fs.mkdirSync(dir, { recursive: true });
  const deps = {};
  try {
    for (const p of pkgs) deps[p] = newestNpm(p);
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'routecheck-drift', private: true, dependencies: deps }, null, 2));
    run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir });
    return { dir };
  } catch (e) {
    return { error: `npm install ${Object.entries(deps).map(([k, v]) => `${k}@${v}`).join(' ')} failed: ${String(e.stderr || e.message).trim().split('\n').slice(-3).join(' / ')}` };
  }
}

export function installPythonVenv(scratch, venvName, pkg, python = 'python3') {
  const venv = path.join(scratch, 'venv', venvName);
  if (fs.existsSync(path.join(venv, 'bin/python'))) return { dir: path.dirname(venv) };
  try {
    run(python, ['-m', 'venv', venv]);
    // Unpinned on purpose: drift asks what the newest release does; the committed requirements stay pinned.
    run(path.join(venv, 'bin/pip'), ['install', '--quiet', '--disable-pip-version-check', `${pkg}==${newestPypi(path.join(venv, 'bin/python'), pkg)}`]);
    return { dir: path.dirname(venv) };
  } catch (e) {
    return { error: `pip install ${pkg} failed: ${String(e.stderr || e.message).trim().split('\n').slice(-3).join(' / ')}` };
  }
}

// What a maintainer must look at: request lines per variant and the recorded key headers.
function carriersOf(profile) {
  return (profile.auth && profile.auth.carriers || []).filter((c) => c.seen === 'recorded').map((c) => `${c.header}: ${c.prefix}…`);
}

export function compareProfiles(oldP, newP) {
  const changes = [];
  const oldRec = new Map((oldP.recordings || []).map((r) => [r.variant, r.requests]));
  for (const r of newP.recordings || []) {
    const before = oldRec.get(r.variant);
    if (!before) { changes.push(`paths @ ${r.variant}: new variant: ${r.requests.join(', ') || '(nothing)'}`); continue; }
    if (JSON.stringify(before) !== JSON.stringify(r.requests)) {
      changes.push(`paths @ ${r.variant}: ${before.join(', ') || '(nothing)'}  ->  ${r.requests.join(', ') || '(nothing)'}`);
    }
  }
  const a = carriersOf(oldP).join(' + '), b = carriersOf(newP).join(' + ');
  if (a !== b) changes.push(`key headers: ${a || '(none)'}  ->  ${b || '(none)'}`);
  if (JSON.stringify(oldP.join) !== JSON.stringify(newP.join)) changes.push(`join: ${JSON.stringify(oldP.join)} -> ${JSON.stringify(newP.join)}`);
  return changes;
}
