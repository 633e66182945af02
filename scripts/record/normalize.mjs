// Normalization and redaction for recorded requests: re-recording an unchanged client must give a
// byte-identical profile, and no key or token may reach a fixture.

export const FAKE_KEY = 'sk-routecheck-fake-0000';
export const REDACTED = 'REDACTED';
const ZERO_UUID = '00000000-0000-0000-0000-000000000000';
const MAX_STRING = 240;    // longer strings (system prompts, tool descriptions) are trimmed
const KEEP_PREFIX = 120;   // ...to their first KEEP_PREFIX characters
export const TRIM_MARK = '…[trimmed by record-client]';

// Headers that matter to a proxy's routing or protocol handling. Everything else (auth headers, which go to
// `auth`; host, lengths, encodings; x-stainless-*; session/request ids; client telemetry) is dropped.
const KEEP_HEADERS = new Set([
  'content-type', 'accept', 'user-agent',
  'anthropic-version', 'anthropic-beta', 'anthropic-dangerous-direct-browser-access', 'x-app',
  'openai-beta', 'originator',
  'upgrade', 'sec-websocket-version',
]);
export const AUTH_HEADERS = ['authorization', 'x-api-key', 'x-goog-api-key', 'api-key'];

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October',
  'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

function escapeRe(s) { return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'); }

// Date strings clients embed in prompts (today's date in the formats seen), for the run's day and the
// next (a recording may cross midnight). TZ=UTC is set for every client.
function dateForms(d) {
  const y = d.getUTCFullYear(), m = d.getUTCMonth(), day = d.getUTCDate(), p = (n) => String(n).padStart(2, '0');
  return [
    `${DAYS[d.getUTCDay()]}, ${MONTHS[m]} ${day}, ${y}`, `${MONTHS[m]} ${day}, ${y}`,
    `${DAYS[d.getUTCDay()].slice(0, 3)} ${MONTHS[m].slice(0, 3)} ${p(day)} ${y}`,
    `${y}-${p(m + 1)}-${p(day)}`, `${y}/${p(m + 1)}/${p(day)}`, `${p(m + 1)}/${p(day)}/${y}`, `${m + 1}/${day}/${y}`,
  ];
}

export class Normalizer {
  // paths: {placeholder: absolutePath}; ports: recorder ports seen in this recording.
  constructor({ paths = {}, ports = [], now = new Date() } = {}) {
    this.replacements = [];
    const entries = Object.entries(paths).filter(([, p]) => p).sort((a, b) => b[1].length - a[1].length);
    for (const [ph, p] of entries) this.replacements.push([new RegExp(escapeRe(p), 'g'), ph]);
    for (const port of ports) this.replacements.push([new RegExp(`(127\\.0\\.0\\.1|localhost):${port}\\b`, 'g'), '$1:{port}']);
    const forms = new Set();
    for (const off of [0, 1]) for (const f of dateForms(new Date(now.getTime() + off * 86400000))) forms.add(f);
    for (const f of [...forms].sort((a, b) => b.length - a.length)) this.replacements.push([new RegExp(escapeRe(f), 'g'), '{date}']);
  }

  // Secrets first, then machine/run specifics, then volatile ids.
  string(s) {
    s = redactSecrets(s);
    // Timestamps before dates, or "2026-11-27T08:00:45Z" would become "{date}T08:00:45Z".
    s = s.replace(/\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?/g, '{timestamp}');
    for (const [re, ph] of this.replacements) s = s.replace(re, ph);
    s = s.replace(/\b\d{1,2}:\d{2}:\d{2}( ?[AP]M)?( (UTC|GMT|Z))?\b/g, '{time}');
    // (no \b: ids such as msg_<uuid> put a word character right before the uuid)
    s = s.replace(/(?<![0-9a-z])[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?![0-9a-z])/gi, ZERO_UUID);
    s = s.replace(/(?<![0-9a-z])[0-9a-f]{32,}(?![0-9a-z])/gi, (m) => '0'.repeat(m.length));
    // (ses, prt, per, que, usr, pty, wrk: opencode/Kilo Code ids, e.g. Kilo's prompt_cache_key "ses_<26 chars>")
    s = s.replace(/\b(msg|resp|req|call|toolu|session|conv|run|chatcmpl|ses|prt|per|que|usr|pty|wrk)_[A-Za-z0-9]{12,}\b/g, '$1_{id}');
    s = s.replace(/\bnode(?:\.js)?\/?v?\d+\.\d+\.\d+/gi, (m) => m.replace(/\d+\.\d+\.\d+/, '{node_version}'));
    s = s.replace(/\bgl-python\/\d+\.\d+\.\d+/g, 'gl-python/{python_version}');
    s = s.replace(/(OS Version: )[^\n"]*/g, '$1{os}');
    s = s.replace(/(Linux|Darwin) \d+\.\d+[\w.+-]*/g, '$1 {os_release}');
    return s;
  }

  // Bodies: normalize every string, trim long ones, zero timestamps held as numbers.
  body(v, key = '') {
    if (typeof v === 'string') {
      const s = this.string(v);
      // Strings that are JSON themselves (e.g. Claude Code's metadata.user_id) are normalized inside.
      if (/^[{[]/.test(s)) {
        try { return JSON.stringify(this.body(JSON.parse(s), key)); } catch { /* not JSON */ }
      }
      return s.length > MAX_STRING ? s.slice(0, KEEP_PREFIX) + TRIM_MARK : s;
    }
    if (typeof v === 'number') {
      if (/(^|_)(time|timestamp|ts|created|created_at|started_at|.*_ms)$/i.test(key) && v > 1e9) return 0;
      return v;
    }
    if (Array.isArray(v)) return v.map((x) => this.body(x, key));
    if (v && typeof v === 'object') {
      const o = {};
      for (const [k, x] of Object.entries(v)) o[k] = this.body(x, k);
      return o;
    }
    return v;
  }

  headers(h) {
    const o = {};
    for (const [k, v] of Object.entries(h || {})) {
      const name = k.toLowerCase();
      // connection only matters on a websocket attempt ("Upgrade"); sec-websocket-key is random, replay makes one.
      if (!KEEP_HEADERS.has(name) && !(name === 'connection' && h.upgrade)) continue;
      let val = this.string(String(v));
      // user-agent: the product tokens before the first comment "(...)" (which names the OS and machine).
      if (name === 'user-agent') {
        const toks = [];
        for (const t of val.split(' ')) { if (t.startsWith('(')) break; toks.push(t); }
        val = toks.join(' ');
      }
      o[name] = val;
    }
    return o;
  }

  // Query strings and request lines: redact key-like parameters.
  query(q) {
    if (!q) return '';
    return q.split('&').map((kv) => {
      const [k, ...rest] = kv.split('=');
      if (/^(key|api[-_]?key|access_token|token)$/i.test(k)) return `${k}=${REDACTED}`;
      return rest.length ? `${k}=${this.string(rest.join('='))}` : k;
    }).join('&');
  }
}

export function redactSecrets(s) {
  return s
    .split(FAKE_KEY).join(REDACTED)
    .replace(/\b(Bearer|Basic)\s+(?!REDACTED\b)[A-Za-z0-9._~+/=-]{8,}/g, `$1 ${REDACTED}`)
    .replace(/\bsk-(?!routecheck)[A-Za-z0-9_-]{16,}/g, REDACTED)
    .replace(/\bAIza[0-9A-Za-z_-]{20,}/g, REDACTED)
    .replace(/\bgh[pousr]_[A-Za-z0-9]{20,}/g, REDACTED)
    .replace(/\bya29\.[A-Za-z0-9._-]{10,}/g, REDACTED)
    .replace(/\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, REDACTED);
}

// What must never be in a written fixture.
export function findSecrets(text) {
  const hits = [];
  if (text.includes(FAKE_KEY)) hits.push(FAKE_KEY);
  for (const re of [/\bsk-[A-Za-z0-9_-]{16,}/g, /\bAIza[0-9A-Za-z_-]{20,}/g, /\bgh[pousr]_[A-Za-z0-9]{20,}/g,
    /\b(Bearer|Basic)\s+(?!REDACTED\b)[A-Za-z0-9._~+/=-]{8,}/g, /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g]) {
    for (const m of text.matchAll(re)) hits.push(m[0]);
  }
  return hits;
}

// JSON with keys sorted at every level, 2-space indent, trailing newline: the one form fixtures are written in.
export function stableStringify(v) {
  const sort = (x) => {
    if (Array.isArray(x)) return x.map(sort);
    if (x && typeof x === 'object') {
      const o = {};
      for (const k of Object.keys(x).sort()) o[k] = sort(x[k]);
      return o;
    }
    return x;
  };
  return JSON.stringify(sort(v), null, 2) + '\n';
}
