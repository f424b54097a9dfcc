// Open EPUBs in epub.js (a browser reading engine) in headless Chromium, load every
// spine document, turn every page, and report anything that failed to load.
//
//   READER_ENGINE_MODULES=<dir with node_modules> node read_book.mjs BOOK.epub...
//
// Prints one JSON object per book on stdout: {book, ok, failures, pages, spine}.
// Exit: 0 all books read cleanly, 1 a book has problems, 2 the harness failed.
// Everything is served from 127.0.0.1; any other request is blocked and is a failure.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

const modules = process.env.READER_ENGINE_MODULES;
if (!modules) { console.error('READER_ENGINE_MODULES is not set'); process.exit(2); }
const require = createRequire(path.join(modules, 'package.json'));
const JSZip = require('jszip');
const { chromium } = require('playwright-core');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const MAX_PAGES = 3000;
const books = process.argv.slice(2);

const TYPES = {
  xhtml: 'application/xhtml+xml', html: 'text/html', opf: 'application/oebps-package+xml', ncx: 'application/x-dtbncx+xml',
  xml: 'application/xml', css: 'text/css', js: 'text/javascript', png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg',
  gif: 'image/gif', svg: 'image/svg+xml', webp: 'image/webp', otf: 'font/otf', ttf: 'font/ttf', woff: 'font/woff', woff2: 'font/woff2',
};
const typeOf = (name) => TYPES[name.split('.').pop().toLowerCase()] || 'application/octet-stream';

// The page: epub.js plus the two functions the driver calls. Only public epub.js API.
const READER_PAGE = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>reader</title>
<style>html,body{margin:0;height:100%;overflow:hidden}#viewer{position:absolute;inset:0}</style>
<script src="/lib/jszip.min.js"></script><script src="/lib/epub.min.js"></script></head>
<body><div id="viewer"></div><script>
window.loadSpine = async (url) => {
  const book = window.book = ePub(url);
  await book.ready;
  const items = [];
  book.spine.each((s) => items.push(s));
  const out = [];
  const ids = {};
  for (const s of items) {
    const r = { href: s.href, linear: s.linear !== 'no', error: null, chars: 0 };
    try {
      const doc = await book.load(s.url);
      const bad = doc.getElementsByTagName('parsererror');
      if (bad.length) r.error = 'XML parse error: ' + bad[0].textContent.replace(/\\s+/g, ' ').slice(0, 300);
      const body = doc.getElementsByTagName('body')[0];
      r.chars = body ? body.textContent.trim().length : 0;
      ids[s.index] = new Set(Array.from(doc.querySelectorAll('[id]')).map((e) => e.getAttribute('id')));
    } catch (e) { r.error = 'load failed: ' + (e && (e.message || e.status) || e); }
    out.push(r);
  }
  // What a tap on each table-of-contents entry would open: a spine document, and the
  // element its #fragment names.
  const tocErrors = [];
  const walk = (entries) => {
    for (const t of entries || []) {
      const [file, fragment] = String(t.href || '').split('#');
      const section = book.spine.get(file);
      if (!section) tocErrors.push('TOC entry "' + (t.label || '').trim() + '" -> ' + t.href + ': not in the spine');
      else if (fragment && ids[section.index] && !ids[section.index].has(decodeURIComponent(fragment))) {
        tocErrors.push('TOC entry "' + (t.label || '').trim() + '" -> ' + t.href + ': no such fragment');
      }
      walk(t.subitems);
    }
  };
  walk(book.navigation && book.navigation.toc);
  if (!(book.navigation && book.navigation.toc && book.navigation.toc.length)) tocErrors.push('no table of contents');
  return { spine: out, tocErrors };
};
window.pageThrough = async (maxPages) => {
  const errors = [];
  const rendition = book.renderTo('viewer', { width: '100%', height: '100%', flow: 'paginated', spread: 'none' });
  rendition.on('displayerror', (e) => errors.push('display error: ' + (e && e.message || e)));
  await rendition.display();
  const pages = {};
  let last = null, stuck = 0, turns = 0;
  for (;;) {
    const loc = await rendition.currentLocation();
    if (!loc || !loc.start) { errors.push('no location after page ' + turns); break; }
    pages[loc.start.href] = (pages[loc.start.href] || 0) + 1;
    for (const c of rendition.getContents()) {
      for (const img of Array.from(c.document.images)) {
        if (img.complete && img.naturalWidth === 0) errors.push('image did not load: ' + img.getAttribute('src'));
      }
    }
    if (loc.atEnd || turns >= maxPages) break;
    if (loc.start.cfi === last) { if (++stuck > 2) { errors.push('paging stuck at ' + last); break; } } else stuck = 0;
    last = loc.start.cfi;
    await rendition.next();
    turns++;
  }
  return { pages, turns, errors: [...new Set(errors)] };
};
</script></body></html>`;

async function serve(zips) {
  const server = http.createServer(async (req, res) => {
    const url = decodeURIComponent(new URL(req.url, 'http://127.0.0.1').pathname);
    const send = (status, type, body) => { res.writeHead(status, { 'content-type': type }); res.end(body); };
    try {
      if (url === '/reader.html') return send(200, 'text/html', READER_PAGE);
      if (url === '/lib/epub.min.js') return send(200, TYPES.js, fs.readFileSync(require.resolve('epubjs/dist/epub.min.js')));
      if (url === '/lib/jszip.min.js') return send(200, TYPES.js, fs.readFileSync(require.resolve('jszip/dist/jszip.min.js')));
      const m = /^\/book\/(\d+)\/(.*)$/.exec(url);
      const entry = m && zips[+m[1]] && zips[+m[1]].file(m[2]);
      if (entry) return send(200, typeOf(m[2]), await entry.async('nodebuffer'));
      return send(404, 'text/plain', 'not found');
    } catch (e) { return send(500, 'text/plain', String(e)); }
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return server;
}

async function readBook(context, origin, index, bookPath, zip) {
  const failures = [];
  const page = await context.newPage();
  page.on('pageerror', (e) => failures.push('JavaScript error: ' + String(e.message || e).split('\n')[0]));
  // Failed loads are reported once, by the response handler, not again as console noise.
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) failures.push('console error: ' + m.text());
  });
  page.on('response', (r) => {
    // epub.js probes for this optional Apple file in every book; its absence is normal.
    if (r.status() >= 400 && !r.url().endsWith('/META-INF/com.apple.ibooks.display-options.xml')) {
      failures.push(`HTTP ${r.status()} for ${r.url().replace(origin, '')}`);
    }
  });
  page.on('requestfailed', (r) => failures.push(`request failed: ${r.url().replace(origin, '')} (${r.failure()?.errorText})`));
  const report = { book: bookPath, ok: false, failures, pages: 0, spine: [] };
  if (!zip) { failures.push('not a readable zip'); return report; }
  await page.goto(`${origin}/reader.html`);
  try {
    const loaded = await page.evaluate((u) => window.loadSpine(u), `${origin}/book/${index}/`);
    report.spine = loaded.spine;
    for (const s of report.spine) {
      if (s.error) failures.push(`${s.href}: ${s.error}`);
    }
    failures.push(...loaded.tocErrors);
    const paged = await page.evaluate((n) => window.pageThrough(n), MAX_PAGES);
    failures.push(...paged.errors);
    report.pages = paged.turns + 1;
    for (const s of report.spine) {
      s.pages = paged.pages[s.href] || 0;
      if (s.linear && s.pages === 0) failures.push(`${s.href}: never shown while paging through the book`);
    }
  } catch (e) {
    failures.push('reader failed: ' + String(e.message || e).split('\n')[0]);
  }
  await page.close();
  report.ok = failures.length === 0;
  return report;
}

if (!books.length) { console.error('usage: read_book.mjs BOOK.epub...'); process.exit(2); }
const zips = await Promise.all(books.map((b) => JSZip.loadAsync(fs.readFileSync(b)).catch(() => null)));
const server = await serve(zips);
const origin = `http://127.0.0.1:${server.address().port}`;
let browser;
try {
  browser = await chromium.launch({
    executablePath: CHROMIUM, headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1'],
  });
} catch (e) {
  console.error(`cannot start Chromium at ${CHROMIUM}: ${String(e.message).split('\n')[0]}`);
  server.close();
  process.exit(2);
}
const context = await browser.newContext({ viewport: { width: 600, height: 800 } });
await context.route('**/*', (route) => {
  const u = route.request().url();
  if (u.startsWith(origin + '/') || u.startsWith('blob:') || u.startsWith('data:')) return route.continue();
  return route.abort('blockedbyclient');
});
let allOk = true;
for (let i = 0; i < books.length; i++) {
  const report = await readBook(context, origin, i, books[i], zips[i]);
  report.failures = [...new Set(report.failures)];
  allOk &&= report.ok;
  process.stdout.write(JSON.stringify(report) + '\n');
}
await browser.close();
server.close();
process.exit(allOk ? 0 : 1);
