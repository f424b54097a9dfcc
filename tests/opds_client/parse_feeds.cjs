// Parse OPDS documents the way Thorium does, with Readium's r2-opds-js:
// OPDS 1 (Atom) -> r2 OPDS model -> OPDS 2 JSON; OPDS 2 JSON -> r2 model -> JSON again.
// Usage: node parse_feeds.cjs URL... ; prints one JSON object {url: result} on stdout.
"use strict";
const xmldom = require("@xmldom/xmldom");
const { initGlobalConverters_OPDS, initGlobalConverters_GENERIC } = require("r2-opds-js/dist/es8-es2017/src/opds/init-globals");
const { convertOpds1ToOpds2, convertOpds1ToOpds2_EntryToPublication } = require("r2-opds-js/dist/es8-es2017/src/opds/converter");
const { OPDS } = require("r2-opds-js/dist/es8-es2017/src/opds/opds1/opds");
const { Entry } = require("r2-opds-js/dist/es8-es2017/src/opds/opds1/opds-entry");
const { OPDSFeed } = require("r2-opds-js/dist/es8-es2017/src/opds/opds2/opds2");
const { OPDSPublication } = require("r2-opds-js/dist/es8-es2017/src/opds/opds2/opds2-publication");
const { XML } = require("r2-utils-js/dist/es8-es2017/src/_utils/xml-js-mapper");
const { TaJsonDeserialize, TaJsonSerialize } = require("r2-lcp-js/dist/es8-es2017/src/serializable");

initGlobalConverters_OPDS();
initGlobalConverters_GENERIC();

async function parse(url) {
  const response = await fetch(url, { headers: { Accept: "application/atom+xml, application/opds+json" } });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  const text = await response.text();
  if (text.trimStart().startsWith("{")) {
    const json = JSON.parse(text);
    const isPublication = !json.publications && !json.navigation && json.metadata;
    const model = TaJsonDeserialize(json, isPublication ? OPDSPublication : OPDSFeed);
    return { kind: isPublication ? "opds2-publication" : "opds2", feed: TaJsonSerialize(model) };
  }
  const dom = new xmldom.DOMParser().parseFromString(text, "application/xml");
  if (dom.documentElement.localName === "entry") {
    const entry = XML.deserialize(dom, Entry);
    return { kind: "opds1-entry", feed: TaJsonSerialize(convertOpds1ToOpds2_EntryToPublication(entry)) };
  }
  const opds1 = XML.deserialize(dom, OPDS);
  return { kind: "opds1", feed: TaJsonSerialize(convertOpds1ToOpds2(opds1)) };
}

(async () => {
  const out = {};
  for (const url of process.argv.slice(2)) {
    out[url] = await parse(url);
  }
  process.stdout.write(JSON.stringify(out));
})().catch((err) => {
  process.stderr.write(String(err && err.stack || err) + "\n");
  process.exit(1);
});
