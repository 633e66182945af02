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

// Request target (path + query) the rule gives for endpoint + query at baseUrl.
export function joinTarget(rule, baseUrl, endpoint, query = '') {
  const { path, query: bq } = basePath(baseUrl);
  switch (rule) {
    case 'concat': {
      const p = path.replace(/\/+$/, '') + endpoint;
      return withQuery(p || '/', bq, query);
    }
    case 'concat_raw': {
      const p = path + endpoint;
      return withQuery(p || '/', bq, query);
    }
    case 'resolve': {
      const u = new URL(endpoint, baseUrl.replace(/\{(port|closed_port)\}/g, '1'));
      return withQuery(u.pathname, '', [u.search.slice(1), query].filter(Boolean).join('&'));
    }
    default:
      throw new Error(`unknown join rule ${rule}`);
  }
}

// Endpoint as the rule spells it, from the path a client sent at the root Base URL (path "").
export function endpointFromRoot(rule, rootPath) {
  if (rule === 'resolve') return rootPath.replace(/^\//, '');
  return rootPath;
}
