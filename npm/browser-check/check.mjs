// The report page in a real browser (Debian's chromium, driven by puppeteer-core): a filter chosen in the page is
// kept in its URL and survives a reload and a fresh open of the copied link; at a 1024 px window the page does not
// scroll sideways (the grid scrolls inside its own box, its header row sticky). With --screenshots DIR it also
// takes the pictures a reviewer looks at (header with versions, a grid, a drill-down, the diff view) at 1024 and
// 1600 px.
//
// usage: node check.mjs --report DIR [--screenshots OUT] [--diff FILE.html] [--chromium PATH]
// exit: 0 every check held; 1 a check failed (each failure printed); 2 usage or no browser.
import { existsSync, mkdirSync } from 'node:fs';
import { resolve, join } from 'node:path';
import { pathToFileURL } from 'node:url';

function args() {
  const out = {};
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    if (!['--report', '--screenshots', '--diff', '--chromium'].includes(k) || i + 1 >= argv.length) {
      console.error(`check.mjs: unknown or incomplete argument '${k}'`);
      process.exit(2);
    }
    out[k.slice(2)] = argv[++i];
  }
  if (!out.report) {
    console.error('check.mjs: --report DIR is required');
    process.exit(2);
  }
  return out;
}

const opt = args();
const index = resolve(opt.report, 'index.html');
if (!existsSync(index)) {
  console.error(`check.mjs: no ${index}: write a report first (routecheck matrix --out DIR)`);
  process.exit(2);
}
const chromium = opt.chromium || ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
if (!chromium) {
  console.error('check.mjs: chromium is not installed (scripts/setup installs the Debian package `chromium`)');
  process.exit(2);
}

let puppeteer;
try {
  puppeteer = (await import('puppeteer-core')).default;
} catch (e) {
  console.error(`check.mjs: puppeteer-core is not installed in npm/browser-check (scripts/setup runs npm ci there): ${e.message}`);
  process.exit(2);
}

const failures = [];
function check(ok, what) {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures.push(what);
}

// Every wait below has its own deadline; the whole run has one too.
const deadline = setTimeout(() => {
  console.error('check.mjs: did not finish within 120 s');
  process.exit(1);
}, 120000);

const browser = await puppeteer.launch({
  executablePath: chromium,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--disable-background-networking',
         '--disable-component-update', '--disable-sync'],
  timeout: 60000,
});

// The cells a reader sees: in a shown section, a shown row, not dimmed by the class filter.
const visibleCells = (page) => page.$$eval('details.cell', (ds) => ds.filter((d) => {
  const td = d.closest('td'), tr = d.closest('tr'), sec = d.closest('section');
  return !td.classList.contains('dim') && !tr.classList.contains('hide') && !sec.classList.contains('hide');
}).map((d) => d.dataset.cell));
const filterValues = (page) => page.$eval('#filters', (f) => ({
  proxy: f.elements.proxy.value, client: f.elements.client.value, class: f.elements['class'].value,
  shown: !f.hidden, count: document.getElementById('filter-count').textContent,
}));

try {
  const page = await browser.newPage();
  await page.setViewport({ width: 1024, height: 800 });
  const url = pathToFileURL(index).href;
  await page.goto(url, { waitUntil: 'load', timeout: 30000 });

  // 1024 px: no sideways scroll of the page; a wide grid scrolls inside its box with a sticky header row.
  const layout = await page.evaluate(() => {
    const wrap = document.querySelector('.gridwrap');
    const th = document.querySelector('table.grid thead th');
    return {
      page: document.documentElement.scrollWidth, window: window.innerWidth,
      wrapScrolls: wrap ? wrap.scrollWidth > wrap.clientWidth : null,
      headSticky: th ? getComputedStyle(th).position : null,
      firstColSticky: document.querySelector('table.grid tbody th') ? getComputedStyle(document.querySelector('table.grid tbody th')).position : null,
    };
  });
  check(layout.page <= layout.window, `at 1024 px the page is no wider than the window (${layout.page} <= ${layout.window})`);
  check(layout.wrapScrolls === true, 'a grid wider than the window scrolls inside its own box');
  check(layout.headSticky === 'sticky' && layout.firstColSticky === 'sticky', 'the header row and the client column are sticky');
  // Scrolling the grid's box keeps the header row in view.
  const stuck = await page.evaluate(() => {
    const wrap = document.querySelector('.gridwrap');
    wrap.scrollTop = 400;
    wrap.scrollLeft = 300;
    const th = wrap.querySelector('thead th:nth-child(3)').getBoundingClientRect();
    const first = wrap.querySelector('tbody th').getBoundingClientRect();
    const box = wrap.getBoundingClientRect();
    const out = { head: Math.abs(th.top - box.top) < 3, col: Math.abs(first.left - box.left) < 3 };
    wrap.scrollTop = 0;
    wrap.scrollLeft = 0;
    return out;
  });
  check(stuck.head && stuck.col, 'after scrolling the grid, its header row and client column are still in view');

  // Nothing is explained only by a hover: no title attribute anywhere in the body.
  const titles = await page.$$eval('body [title]', (els) => els.length);
  check(titles === 0, `no element relies on a title attribute (found ${titles})`);

  // Pick a filter from the page itself: the first proxy, a client of its grid, the class of a cell in that row.
  const pick = await page.evaluate(() => {
    const sec = document.querySelector('section.proxy');
    const tr = sec.querySelector('tbody tr');
    const cells = [...tr.querySelectorAll('details.cell')];
    const cell = cells.find((d) => d.dataset.verdict !== 'OK') || cells[0];
    return { proxy: sec.dataset.proxy, client: tr.dataset.client, class: cell.dataset.verdict };
  });
  const all = (await visibleCells(page)).length;
  await page.select('#filters select[name=proxy]', pick.proxy);
  await page.select('#filters select[name=client]', pick.client);
  await page.select('#filters select[name=class]', pick.class);
  const filtered = await visibleCells(page);
  const copied = page.url();
  check(filtered.length > 0 && filtered.length < all, `the filter ${JSON.stringify(pick)} shows ${filtered.length} of ${all} cells`);
  check(filtered.every((id) => id.startsWith(pick.proxy + '.' + pick.client + '.')), 'every cell shown is of the chosen proxy and client');
  check(copied.includes('#') && copied.includes(encodeURIComponent(pick.class)), `the page's URL holds the filter: ${copied.slice(copied.indexOf('#'))}`);

  // A reload, and the copied link opened in a fresh page, show the same view.
  await page.reload({ waitUntil: 'load', timeout: 30000 });
  const afterReload = await visibleCells(page);
  const values = await filterValues(page);
  check(JSON.stringify(afterReload) === JSON.stringify(filtered), 'after a reload the same cells are shown');
  check(values.proxy === pick.proxy && values.client === pick.client && values.class === pick.class, 'after a reload the filter controls show the filter');
  const fresh = await browser.newPage();
  await fresh.setViewport({ width: 1600, height: 900 });
  await fresh.goto(copied, { waitUntil: 'load', timeout: 30000 });
  const inFresh = await visibleCells(fresh);
  check(JSON.stringify(inFresh) === JSON.stringify(filtered), 'the copied link opened in a new page shows the same cells');
  check((await filterValues(fresh)).count === values.count, `the count line agrees: ${values.count}`);

  if (opt.screenshots) {
    mkdirSync(opt.screenshots, { recursive: true });
    const shot = async (p, name, options = {}) => {
      const file = join(opt.screenshots, name);
      await p.screenshot({ path: file, ...options });
      console.log(`screenshot ${file}`);
    };
    for (const width of [1024, 1600]) {
      const p = await browser.newPage();
      await p.setViewport({ width, height: 900 });
      await p.goto(url, { waitUntil: 'load', timeout: 30000 });
      await shot(p, `header-${width}.png`);
      await p.evaluate(() => document.querySelector('section.proxy').scrollIntoView());
      await shot(p, `grid-${width}.png`);
      // A drill-down: the first cell that is not OK, opened by its link (#cell-<id>).
      const id = await p.evaluate(() => (document.querySelector('details.cell:not([data-verdict=OK])') || document.querySelector('details.cell')).id);
      await p.goto(url + '#' + id, { waitUntil: 'load', timeout: 30000 });
      await p.evaluate((i) => { const d = document.getElementById(i); d.open = true; d.scrollIntoView({ block: 'center' }); }, id);
      await shot(p, `drilldown-${width}.png`);
      await p.keyboard.press('Escape');  // close the drill-down: the next pages differ only in their hash
      await p.goto(copied, { waitUntil: 'load', timeout: 30000 });
      await shot(p, `filtered-${width}.png`);
      if (await p.$('#changed')) {
        await p.goto(url + '#changed', { waitUntil: 'load', timeout: 30000 });
        await p.evaluate(() => document.getElementById('changed').scrollIntoView());
        await shot(p, `changed-${width}.png`);
      }
      if (await p.$('#versions-1')) {  // two versions of one client or proxy, compared like two runs
        await p.evaluate(() => document.getElementById('versions-1').scrollIntoView());
        await shot(p, `versions-${width}.png`);
      }
      if (opt.diff) {
        await p.goto(pathToFileURL(resolve(opt.diff)).href, { waitUntil: 'load', timeout: 30000 });
        await shot(p, `diff-${width}.png`);
      }
      await p.close();
    }
  }
} catch (e) {
  failures.push(String(e && e.stack || e));
  console.error(String(e && e.stack || e));
} finally {
  await browser.close();
  clearTimeout(deadline);
}
console.log(`${failures.length ? 'FAILED' : 'passed'}: ${failures.length} check(s) failed`);
process.exit(failures.length ? 1 : 0);
