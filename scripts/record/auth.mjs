// The key carriers of a profile ("auth"): what the recording showed, labelled with the client settings that
// scripts/record/clients.mjs names for them.
import { AUTH_HEADERS, FAKE_KEY } from './normalize.mjs';

// Every way the fake key reached the recorder, in order of first appearance: each header that carried it (a client
// may send it in two headers at once) and each query parameter.
export function detectCarriers(reqs) {
  const seen = new Map();
  for (const r of reqs) {
    const names = [...AUTH_HEADERS, ...Object.keys(r.headers).filter((h) => !AUTH_HEADERS.includes(h))];
    for (const h of names) {
      const v = r.headers[h];
      if (v && v.includes(FAKE_KEY) && !seen.has(`h:${h}`)) seen.set(`h:${h}`, { header: h, prefix: v.slice(0, v.indexOf(FAKE_KEY)) });
    }
    const m = new RegExp(`(?:^|&)([^=&]+)=${FAKE_KEY}`).exec(r.query || '');
    if (m && !seen.has(`q:${m[1]}`)) seen.set(`q:${m[1]}`, { query: m[1] });
  }
  return [...seen.values()];
}

// The profile's "auth": the recorded carriers with the client setting that sent the key (cfg.auth.settings maps a
// header to it; cfg.auth.setting is the default), then carriers the client documents but this run did not show.
export function buildAuth(cfg, recorded) {
  const a = cfg.auth || {};
  const carriers = recorded.filter((c) => c.header).map((c) => ({
    header: c.header, prefix: c.prefix, setting: (a.settings && a.settings[c.header]) || a.setting || '', seen: 'recorded' }));
  for (const d of a.documented || []) {
    // (a documented setting may share its header with a recorded one: both settings then send the key there)
    if (!carriers.some((c) => c.header === d.header && c.setting === d.setting)) carriers.push({ prefix: '', ...d, seen: 'documented' });
  }
  const auth = { carriers };
  if (a.note) auth.note = a.note;
  return auth;
}

