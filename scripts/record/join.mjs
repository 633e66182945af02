// The join rules of docs/design.md, in JS, so record-client can check a rule against what a client sent.
// (harness/join is the C++ implementation the replay uses; both follow the same text.)

// Path of a Base URL exactly as typed ("" for "http://h:p", "/" for "http://h:p/"), and its query.
export function basePath(baseUrl) {
  const m = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*([^?#]*)(\?[^#]*)?/i.exec(baseUrl);
  if (!m) throw new Error(`not a URL: ${baseUrl}`);
  return { path: m[1] || '', query: m[2] ? m[2].slice(1) : '' };
}

function withQuery(path, baseQuery, query) {
  const q = [baseQuery, query].filter(Boolean).join('&');
  return q ? `${path}?${q}` : path;
}

// A profile's "join" object from a client entry's `join` (a rule name, or an object with the rule and its options).
export function joinSpec(join) { return typeof join === 'string' ? { rule: join } : join; }

// strip_suffix: the first listed suffix the base path ends with is removed once; version_if_missing: the
// endpoint's leading version segment is left out when the base path ends in one; endpoint_if_missing: nothing is
// appended to a base path that already ends with the endpoint (harness/join/join.cpp, JoinSpec).
const VERSION = /^v\d+(?:alpha|beta)?\d*$/i;
function append(spec, base, endpoint) {
  for (const s of spec.strip_suffix || []) {
    if (base.endsWith(s)) { base = base.slice(0, base.length - s.length); break; }
  }
  if (spec.version_if_missing) {
    const first = endpoint.split('/')[1] || '';
    if (VERSION.test(first) && VERSION.test(base.slice(base.lastIndexOf('/') + 1))) endpoint = endpoint.slice(first.length + 1);
  }
  if (spec.endpoint_if_missing && endpoint && base.endsWith(endpoint)) return base;
  return base + endpoint;
}

// Request target (path + query) the join gives for endpoint + query at baseUrl.
export function joinTarget(join, baseUrl, endpoint, query = '') {
  const spec = joinSpec(join);
  const { path, query: bq } = basePath(baseUrl);
  switch (spec.rule) {
    case 'concat': {
      const p = append(spec, path.replace(/\/+$/, ''), endpoint);
      return withQuery(p || '/', bq, query);
    }
    case 'concat_raw': {
      const p = append(spec, path, endpoint);
      return withQuery(p || '/', bq, query);
    }
    case 'resolve': {
      const u = new URL(endpoint, baseUrl.replace(/\{(port|closed_port)\}/g, '1'));
      return withQuery(u.pathname, '', [u.search.slice(1), query].filter(Boolean).join('&'));
    }
    default:
      throw new Error(`unknown join rule ${spec.rule}`);
  }
}

// Endpoint as the rule spells it, from the path a client sent at the root Base URL (path "").
export function endpointFromRoot(rule, rootPath) {
  if (rule === 'resolve') return rootPath.replace(/^\//, '');
  return rootPath;
}
