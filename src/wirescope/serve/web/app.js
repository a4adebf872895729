// wirescope web UI: vanilla JS, no build step, no CDN.
// Safety rule: text from pages and the database only ever reaches the DOM as text (textContent,
// createTextNode, setAttribute of a plain attribute); never parsed as HTML. Links are made only for
// http(s) URLs and for the UI's own addresses.
"use strict";

const COOPERATION = new Set(["AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT"]);
const SVG_NS = "http://www.w3.org/2000/svg";
const main = () => document.getElementById("main");

// ---- DOM helpers ---------------------------------------------------------------------------------
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  setAttrs(node, attrs);
  append(node, children);
  return node;
}

function svg(tag, attrs, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  setAttrs(node, attrs);
  append(node, children);
  return node;
}

function setAttrs(node, attrs) {
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith("on")) node.addEventListener(key.slice(2), value);  // functions, never strings
    else if (key === "href") node.setAttribute("href", safeHref(value));
    else if (key === "text") node.textContent = value;
    else if (key === "style") node.style.cssText = value;  // CSSOM: allowed by the page's CSP, unlike a style attribute
    else node.setAttribute(key, value === true ? "" : String(value));
  }
}

function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

// Only http(s) URLs and the UI's own paths become links; anything else (javascript:, data:) is inert.
function safeHref(value) {
  const text = String(value);
  if (text.startsWith("/") && !text.startsWith("//")) return text;
  try {
    const url = new URL(text);
    if (url.protocol === "http:" || url.protocol === "https:") return url.href;
  } catch (e) { /* not a URL */ }
  return "#";
}

function link(path, ...children) { return el("a", { href: path, "data-nav": true }, ...children); }
function docLink(id, title) { return link(`/ui/doc/${encodeURIComponent(id)}`, title || id); }
// An actor's page by its id when known, else by the name (the API resolves a name or alias to the id).
function actorLink(name, id) { return link(`/ui/actors/${encodeURIComponent(id || name)}`, name); }
function polarity(type) { return COOPERATION.has(type) ? "cooperation" : "conflict"; }
function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); return node; }
function show(...children) { append(clear(main()), children); }
function errorBox(message) { return el("div", { class: "error", role: "alert" }, message); }
// An undated page shows "undated" where its date would be: never the day it was stored.
function dayLabel(day) { return day ? String(day).slice(0, 10) : "undated"; }
function seenLabel(first, last) { return `${dayLabel(first)} – ${dayLabel(last)}`; }

// ---- API -----------------------------------------------------------------------------------------
class ApiError extends Error {
  constructor(status, message, detail) { super(message); this.status = status; this.detail = detail; }
}

async function api(path, params, options) { return (await apiResponse(path, params, options)).body; }

// The answer's body and the server's clock when it answered (its Date header; this machine's clock
// when there is none): live lists ask for what was stored after a moment of the server's clock.
async function apiResponse(path, params, options) {
  const query = params ? "?" + new URLSearchParams(cleanParams(params)).toString() : "";
  const response = await fetch(path + query, options);
  let body = null;
  try { body = await response.json(); } catch (e) { body = null; }
  if (!response.ok) throw new ApiError(response.status, (body && body.error) || `HTTP ${response.status}`, body && body.detail);
  const date = new Date(response.headers.get("Date") || Date.now());
  return { body, date: Number.isNaN(date.getTime()) ? new Date() : date };
}

function cleanParams(params) {
  const out = [];
  for (const [key, value] of Object.entries(params)) {
    if (value === null || value === undefined || value === "") continue;
    for (const v of Array.isArray(value) ? value : [value]) out.push([key, String(v)]);
  }
  return out;
}

function queryParams() { return Object.fromEntries(new URLSearchParams(location.search)); }

// ---- Router --------------------------------------------------------------------------------------
const ROUTES = [
  [/^\/ui\/?$/, pageSearch],
  [/^\/ui\/search\/?$/, pageSearch],
  [/^\/ui\/doc\/([^/]+)$/, pageDocument],
  [/^\/ui\/analyse\/?$/, pageAnalyse],
  [/^\/ui\/actors\/?$/, pageActors],  // web/actors.js
  [/^\/ui\/actors\/(.+)$/, pageActor],
  [/^\/ui\/network\/?$/, pageNetwork],
  [/^\/ui\/events\/?$/, pageEvents],
  [/^\/ui\/stories\/?$/, pageStories],
  [/^\/ui\/stories\/([^/]+)$/, pageStory],
  [/^\/ui\/collector\/?$/, pageCollector],  // web/live.js
  [/^\/ui\/alerts\/?$/, pageAlerts],
  [/^\/ui\/alerts\/(\d+)$/, pageAlert],
];

// Follow a link of the UI: the new view is drawn and, as a new page would, takes the keyboard focus
// (unless the reader already moved it into the new view).
async function navigate(path) {
  history.pushState(null, "", path);
  await route();
  const active = document.activeElement;
  if (!active || active === document.body || active.closest("header.top")) main().focus({ preventScroll: true });
}

async function route() {
  hideTip();
  stopPolls();  // the view left stops asking the server
  const path = location.pathname;
  markNav(path);
  for (const [pattern, page] of ROUTES) {
    const match = path.match(pattern);
    if (match) {
      show(el("p", { class: "muted" }, "Loading…"));
      try {
        await page(...match.slice(1).map(decodeURIComponent));
      } catch (error) {
        show(errorBox(error.message || String(error)));
      }
      nameView();
      return;
    }
  }
  show(errorBox(`No page at ${path}.`), link("/ui/", "Back to search"));
  nameView();
}

// The tab's title names the view: its heading (or the fuller name a heading gives in data-title),
// else the error it shows.
function nameView() {
  const heading = main().querySelector("h1") || main().querySelector(".error");
  const name = heading ? (heading.getAttribute("data-title") || heading.textContent).trim().slice(0, 80) : "";
  document.title = name ? `${name} · wirescope` : "wirescope";
}

// The navigation link of the view shown is marked for screen readers (and underlined).
function markNav(path) {
  for (const a of document.querySelectorAll("header.top nav a[data-nav]")) {
    const href = a.getAttribute("href");
    const here = href === "/ui/" ? path === "/ui/" || path === "/ui" || path.startsWith("/ui/search") || path.startsWith("/ui/doc/")
      : path === href || path.startsWith(`${href}/`);
    if (here) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
}

document.addEventListener("click", (event) => {
  const a = event.target.closest && event.target.closest("a[data-nav]");
  if (!a || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
  event.preventDefault();
  navigate(a.getAttribute("href"));
});
window.addEventListener("popstate", route);

// ---- Tooltip -------------------------------------------------------------------------------------
function showTip(event) {
  const target = event.target.closest && event.target.closest("[data-tip]");
  const tip = document.getElementById("tooltip");
  if (!target) { tip.hidden = true; return; }
  tip.textContent = target.getAttribute("data-tip");
  tip.hidden = false;
  const x = Math.min(event.clientX + 14, window.innerWidth - 400);
  tip.style.left = `${Math.max(4, x)}px`;
  tip.style.top = `${event.clientY + 16}px`;
}
function hideTip() { const tip = document.getElementById("tooltip"); if (tip) tip.hidden = true; }
document.addEventListener("mouseover", showTip);
document.addEventListener("mousemove", (e) => { if (!document.getElementById("tooltip").hidden) showTip(e); });

// ---- Search --------------------------------------------------------------------------------------
async function pageSearch() {
  const p = queryParams();
  const limit = 20;
  const offset = Number(p.offset || 0);
  const filters = searchFilters(p);  // web/search.js: every filter the address carries
  const dated = await apiResponse("/stats");
  const stats = dated.body;
  // What is stored from now on is shown at the top (web/live.js); what the first look finds was there.
  const arrivals = new Arrivals((since) => api("/documents", { ...filters, stored_since: since, limit: ARRIVALS_LIMIT, facets: "false" })
    .then((page) => page.items), lookBack(dated.date));
  const [found] = await Promise.all([api("/documents", { ...filters, limit, offset }), arrivals.seed()]);
  const outletSelect = el("select", { name: "outlet" }, el("option", { value: "" }, "any outlet"),
    stats.outlets.map((o) => el("option", { value: o.outlet, selected: o.outlet === p.outlet }, `${o.outlet} (${o.documents})`)));
  const form = el("form", { class: "filters", onsubmit: (e) => {
    e.preventDefault();
    const data = Object.fromEntries(new FormData(e.target));
    navigate("/ui/?" + new URLSearchParams(cleanParams(data)).toString());
  } },
  el("label", {}, "words in title or text", el("input", { name: "q", type: "search", value: p.q || "", size: 30 })),
  el("label", {}, "outlet", outletSelect),
  el("label", {}, "actor", el("input", { name: "actor", value: p.actor || "", placeholder: "name or code" })),
  el("label", {}, "from", el("input", { name: "since", type: "date", value: p.since || "" })),
  el("label", {}, "to", el("input", { name: "until", type: "date", value: p.until || "" })),
  SEARCH_KEPT.map((name) => el("input", { type: "hidden", name, value: p[name] || "" })),  // facet choices kept (web/search.js)
  el("button", { type: "submit" }, "Search"));
  const items = found.items.map((d) => markSnippet(documentItem(d, false), d));  // web/search.js
  const statsLine = el("p", { class: "muted", id: "stats-line" }, statsSentence(stats));
  const countLine = el("p", { class: "muted", id: "result-count" }, `${found.total} matching`);
  const results = el("div", { class: "results", id: "results" }, items.length ? items : el("p", { class: "muted empty" }, "Nothing found."));
  show(el("h1", { "data-title": p.q ? `Documents with “${p.q}”` : null }, "Documents"), statsLine, form,
    activeFilters(p, found.facets),
    el("div", { class: "result-bar" }, countLine, searchDownloads(filters)),
    el("div", { class: "search-layout" }, facetsPanel(p, found.facets), el("div", { class: "search-results" }, results,
      pager(found, (off) => "/ui/?" + new URLSearchParams(cleanParams({ ...p, offset: off })).toString()))));
  watchDocuments(stats, arrivals, results, statsLine, countLine, found.total);
}

function statsSentence(stats) {
  return `${stats.documents} documents, ${stats.entities} entities, ${stats.quotes} quotes, ` +
    `${stats.events} events, ${stats.framing} framing spans in this database.`;
}

// A document of a list; ``arrived``: stored while the list was open (marked new, with the time).
function documentItem(d, arrived) {
  return el("div", { class: arrived ? "item is-new" : "item", "data-doc": d.id },
    el("div", { class: "title" }, arrived ? newBadge() : null, docLink(d.id, d.title || "(no title)")),
    el("div", { class: "meta" }, d.outlet ? el("span", {}, d.outlet) : null, el("span", { class: "published" }, dayLabel(d.published)),
      el("span", {}, d.id), d.status !== "analysed" ? el("span", {}, d.status) : null,
      arrived ? el("span", {}, "stored ", timeLabel(d.stored_at, "just now")) : null),
    d.snippet ? el("div", { class: "snippet" }, d.snippet) : null);
}

function pager(page, hrefFor) {
  const { total, limit, offset } = page;
  if (total <= limit) return null;
  return el("div", { class: "pager" },
    offset > 0 ? link(hrefFor(Math.max(0, offset - limit)), "← previous") : null,
    el("span", { class: "muted" }, `${offset + 1}–${Math.min(total, offset + limit)} of ${total}`),
    offset + limit < total ? link(hrefFor(offset + limit), "next →") : null);
}

// ---- Document page -------------------------------------------------------------------------------
async function pageDocument(id) {
  const analysis = await api(`/documents/${encodeURIComponent(id)}`);
  show(documentView(analysis));
}

// An event as "who → TYPE → whom". ``action``: {href} makes its type a link there; {onclick, label}
// a button (both reachable by keyboard; the actors' names are links of their own).
function eventChip(v, action) {
  const family = eventFamily(v.type);
  const side = (list) => (list && list.length ? list : [{ text: "?" }]).map((x, i) => [i ? ", " : "",
    x.name ? actorLink(x.name, x.actor) : (x.text || "?")]);
  const type = action && action.href ? el("a", { href: action.href, "data-nav": true, class: "type", title: action.label || null }, v.type)
    : action && action.onclick ? el("button", { type: "button", class: "type linklike", onclick: action.onclick, title: action.label || null, "aria-label": action.label || null }, v.type)
      : el("span", { class: "type" }, v.type);
  return el("span", { class: `chip ${polarity(v.type)} fam-${family.key}`, "data-event": v.id, "data-family": family.name, "data-tip": v.sentence && v.sentence.text ? v.sentence.text : null },
    el("span", { class: "who" }, side(v.actors)), el("span", { class: "arrow", "aria-hidden": "true" }, "→"),
    type, el("span", { class: "arrow", "aria-hidden": "true" }, "→"),
    el("span", { class: "whom" }, side(v.recipients)),
    v.negated ? el("span", { class: "badge" }, "negated") : null,
    v.hypothetical ? el("span", { class: "badge" }, "hypothetical") : null,
    v.quote ? el("span", { class: "badge" }, `in ${v.quote}`) : null,
    v.mention_count > 1 ? el("span", { class: "badge" }, `×${v.mention_count}`) : null);
}

function docPath(id) { return `/ui/doc/${encodeURIComponent(id)}`; }

// Tables that become one block a row on a phone: each cell is labelled with its column's heading.
function stackTable(table) {
  const headings = [...table.querySelectorAll("tr:first-child th")].map((th) => th.textContent);
  for (const row of table.querySelectorAll("tr")) [...row.children].forEach((cell, i) => { if (cell.tagName === "TD" && headings[i]) cell.setAttribute("data-label", headings[i]); });
  table.classList.add("stack");
  return table;
}

// ---- Analyse -------------------------------------------------------------------------------------
async function pageAnalyse() {
  const stats = await api("/stats");
  const output = el("div", { id: "analysis-output" });
  const form = el("form", { class: "card", id: "analyse-form", onsubmit: async (e) => {
    e.preventDefault();
    const data = Object.fromEntries(new FormData(e.target));
    const body = { store: data.store === "on" };
    const content = (data.content || "").trim();
    if (content) body[data.kind === "auto" ? (/^\s*</.test(content) ? "html" : "text") : data.kind] = data.content;
    for (const key of ["url", "outlet", "title", "published"]) if (data[key]) body[key] = data[key];
    const headers = { "Content-Type": "application/json" };
    if (data.token) headers.Authorization = `Bearer ${data.token}`;
    clear(output).appendChild(el("p", { class: "muted" }, "Analysing…"));
    try {
      const analysis = await api("/analyze", null, { method: "POST", headers, body: JSON.stringify(body) });
      if (body.store) navigate(`/ui/doc/${encodeURIComponent(analysis.document.id)}`);
      else clear(output).appendChild(documentView(analysis));
    } catch (error) {
      clear(output).appendChild(errorBox(error.message));
    }
  } },
  el("label", {}, el("div", {}, "Page text or HTML"), el("textarea", { name: "content", rows: 10, style: "width:100%", placeholder: "Paste an article, or a whole HTML page…" })),
  el("div", { class: "filters" },
    el("label", {}, "as", el("select", { name: "kind" }, el("option", { value: "auto" }, "detect"), el("option", { value: "text" }, "text"), el("option", { value: "html" }, "HTML"))),
    el("label", {}, "URL (fetched when no text is given)", el("input", { name: "url", type: "url", size: 40 })),
    el("label", {}, "outlet", el("input", { name: "outlet" })),
    el("label", {}, "published", el("input", { name: "published", type: "date" })),
    stats.read_only ? null : el("label", { class: "toggle" }, el("input", { type: "checkbox", name: "store" }), "store it"),
    stats.token_required ? el("label", {}, "API token", el("input", { name: "token", type: "password" })) : null,
    el("button", { type: "submit" }, "Analyse")));
  show(el("h1", {}, "Analyse a page"), form, output);
}

// ---- The actor network: pageNetwork and its chart are in web/network.js (the register and actor pages
// in web/actors.js); ROUTES above calls it. -------------------------------------------------------

// ---- Events --------------------------------------------------------------------------------------
async function pageEvents() {
  const p = queryParams();
  const filters = { type: p.type, actor: p.actor, recipient: p.recipient, since: p.since, until: p.until, story: p.story,
                    country: p.country, bbox: p.bbox, happened_since: p.happened_since, happened_until: p.happened_until };
  const offset = Number(p.offset || 0);
  const [timeline, events, located, outline] = await Promise.all([api("/events/timeline", filters),
    api("/events", { ...filters, limit: 50, offset }), api("/events/places", filters), loadWorldOutline()]);
  const form = el("form", { class: "filters", onsubmit: (e) => {
    e.preventDefault();
    navigate("/ui/events?" + new URLSearchParams(cleanParams(Object.fromEntries(new FormData(e.target)))).toString());
  } },
  el("label", {}, "type", typeSelect("type", p.type)),
  el("label", {}, "actor", el("input", { name: "actor", value: p.actor || "", placeholder: "name or code" })),
  el("label", {}, "recipient", el("input", { name: "recipient", value: p.recipient || "" })),
  el("label", {}, "from", el("input", { name: "since", type: "date", value: p.since || "" })),
  el("label", {}, "to", el("input", { name: "until", type: "date", value: p.until || "" })),
  el("label", {}, "country", el("input", { name: "country", value: p.country || "", placeholder: "ISO code: US", maxlength: 2, size: 4 })),
  p.story ? el("input", { type: "hidden", name: "story", value: p.story }) : null,
  p.bbox ? el("input", { type: "hidden", name: "bbox", value: p.bbox }) : null,
  el("button", { type: "submit" }, "Filter"),
  el("a", { class: "button secondary", id: "csv-link", href: "/events?" + new URLSearchParams(cleanParams({ ...filters, format: "csv" })).toString(), download: "events.csv" }, "Download CSV"));
  const rows = events.items.map((v) => el("tr", {}, el("td", { class: "nowrap" }, dayLabel(v.day)),
    el("td", {}, eventChip(v, { href: docPath(v.doc_id), label: "open the document" })),
    el("td", {}, v.trigger), el("td", {}, docLink(v.doc_id, v.title || v.doc_id)), el("td", {}, v.outlet || "")));
  // A bar of the timeline filters the list to its days (an undated bar has no day to filter on).
  // A place on the map filters the list to the events around it.
  const placeHref = (place) => "/ui/events?" + new URLSearchParams(cleanParams({ ...p, bbox: placeBox(place), offset: null })).toString();
  const barHref = (since, until) => "/ui/events?" + new URLSearchParams(cleanParams({ ...p, since, until, offset: null })).toString();
  show(el("h1", {}, "Events"), form,
    el("p", { class: "muted", id: "event-summary" }, familySummary(timeline.types, events.total)),
    el("div", { id: "timeline" }, timeChart(familyRows(timeline.days), familySeries(), { what: "events", hrefFor: barHref })),
    el("h2", {}, "Where"), el("p", { class: "muted", id: "map-summary" }, mapSummary(located.places, p.bbox)),
    el("div", { id: "map" }, worldMap(located.places, outline, placeHref)),
    stackTable(el("table", { class: "plain", id: "event-table" }, el("tr", {}, el("th", {}, "day"), el("th", {}, "who → what → whom"), el("th", {}, "trigger"), el("th", {}, "document"), el("th", {}, "outlet")), rows)),
    pager(events, (off) => "/ui/events?" + new URLSearchParams(cleanParams({ ...p, offset: off })).toString()));
}

function mapSummary(places, bbox) {
  const events = places.reduce((sum, place) => sum + place.events, 0);
  const where = bbox ? ` inside ${bbox} (west,south,east,north)` : "";
  return `${events} located event${events === 1 ? "" : "s"} at ${places.length} place${places.length === 1 ? "" : "s"}${where}; ` +
    "an event is placed where its sentence says it happened, and events with no such place are not on the map.";
}

// ---- Stories -------------------------------------------------------------------------------------
async function pageStories() {
  const p = queryParams();
  const offset = Number(p.offset || 0);
  const [page, stats] = await Promise.all([api("/stories", { limit: 50, offset }), api("/stats")]);
  const shown = new Map();  // story id -> {size: its documents when the page opened, node}
  const items = page.items.map((s) => {
    const node = storyItem(s, null);
    shown.set(s.id, { size: (s.documents || []).length, node });
    return node;
  });
  const results = el("div", { class: "results", id: "results" }, items.length ? items : el("p", { class: "muted empty" }, "No stories yet."));
  show(el("h1", {}, "Stories"), el("div", { class: "result-bar" }, listDownloads("/stories", {}, "stories")), results,
    el("div", { class: "pager" }, offset > 0 ? link(`/ui/stories?offset=${Math.max(0, offset - 50)}`, "← previous") : null,
      page.items.length === 50 ? link(`/ui/stories?offset=${offset + 50}`, "next →") : null));
  // New stories come first: the first page takes them in while it is shown (web/live.js).
  if (offset === 0) watchStories(stats, shown, results);
}

// A story of the list; ``mark``: "new" for one formed while the list was open, "+2 documents" for one that grew.
function storyItem(s, mark) {
  return el("div", { class: mark ? "item story-item is-new" : "item story-item", "data-story": s.id },
    el("div", { class: "title" }, mark ? newBadge(mark) : null, link(`/ui/stories/${encodeURIComponent(s.id)}`, s.headline || s.id)),
    el("div", { class: "meta" }, el("span", {}, seenLabel(s.first_seen, s.last_seen)), el("span", {}, `${(s.documents || []).length} document(s)`),
      el("span", {}, (s.outlets || []).join(", "))),
    el("div", { class: "meta" }, (s.key_actors || []).slice(0, 8).map((a) => el("span", {}, actorLink(a.name), a.code ? ` ${a.code}` : ""))));
}

// Items of a story's lists may be strings or objects: show the most telling field as text.
function describe(item) {
  if (item === null || item === undefined) return "";
  if (typeof item !== "object") return String(item);
  if (Array.isArray(item)) return item.map(describe).join(", ");
  if (Array.isArray(item.actors)) return `${item.actors.map(describe).join(", ")} → ${item.type || "?"} → ${(item.recipients || []).map(describe).join(", ")}`;
  if (typeof item.text === "string" && item.neutral) return `${item.text} → ${item.neutral}`;
  for (const key of ["text", "name", "speaker", "type", "title", "id"]) {
    if (typeof item[key] === "string") {
      const extra = item.speaker && key === "text" ? ` — ${item.speaker}` : item.type && key === "name" ? ` (${item.type})` : "";
      return item[key] + extra;
    }
  }
  return JSON.stringify(item);
}

// ``sources`` counts independent documents (wire copies excluded); older payloads had doc ids only.
function sourcesLabel(event) {
  const n = typeof event.sources === "number" ? event.sources : (event.doc_ids || []).length;
  return `${n} source${n === 1 ? "" : "s"}`;
}

// A sentence only one outlet has, labelled as what it is (the label is text, not a colour).
function statementLabel(x) {
  if (x.kind === "quote") return `quote — ${x.speaker || "unattributed"}`;
  return x.kind === "claim" ? "claim" : x.kind === "fact" ? "fact stated by the outlet" : "sentence";
}

function statementItem(x) {
  return el("li", { class: `statement statement-${x.kind || "sentence"}` }, el("span", { class: "statement-kind" }, statementLabel(x)), " ", x.text || "");
}

// One bar per outlet: of the story's merged events (its own sentences when no event was coded),
// how many it covers, split shared / only here. The numbers are in the text; the bar repeats them.
function coverageBars(coverage, eventCount) {
  const byEvents = eventCount > 0;
  const rows = coverage.map((c) => {
    const share = c.share || {};
    const part = byEvents ? share.events || {} : share.sentences || {};
    const total = byEvents ? part.story || 0 : part.outlet || 0;
    const only = part.only_here || 0;
    const shared = (byEvents ? part.covered || 0 : part.outlet || 0) - only;
    const pct = (n) => (total ? `${(100 * n) / total}%` : "0%");
    const text = byEvents
      ? `covers ${shared + only} of ${total} events: ${shared} shared, ${only} only here`
      : `${total} sentences: ${shared} shared, ${only} only here`;
    return el("div", { class: "coverage-row", "data-outlet": c.outlet },
      el("div", { class: "coverage-name" }, c.outlet || "(unknown outlet)"),
      el("div", { class: "coverage-bar", "aria-hidden": "true" },
        el("span", { class: "coverage-shared", style: `width:${pct(shared)}` }),
        el("span", { class: "coverage-only", style: `width:${pct(only)}` })),
      el("div", { class: "coverage-text" }, text));
  });
  return el("div", { class: "card", id: "story-coverage" },
    el("h2", {}, "Coverage by outlet"),
    el("p", { class: "muted" }, byEvents ? "Share of the story's merged events each outlet reports: solid, shared with another outlet; striped, only this outlet."
      : "No events coded: each outlet's own sentences, solid shared, striped only this outlet."),
    rows);
}

async function pageStory(id) {
  const story = await api(`/stories/${encodeURIComponent(id)}`);
  const docs = new Map((story.documents || []).map((d) => [d.id, d]));
  const columns = (story.coverage || []).map((c) => {
    const only = c.only_here || {};
    const framing = c.framing || {};
    return el("div", { class: "outlet-col", "data-outlet": c.outlet },
      el("h3", {}, c.outlet || "(unknown outlet)"),
      el("ul", {}, (c.documents || []).map((docId) => el("li", {}, docLink(docId, (docs.get(docId) || {}).title || docId),
        docs.get(docId) && docs.get(docId).duplicate_of ? el("span", { class: "badge" }, "duplicate") : null))),
      ["quotes", "speakers", "events", "entities"].map((key) => (only[key] && only[key].length
        ? [el("h3", {}, `Only here: ${key}`), el("ul", {}, only[key].map((x) => el("li", {}, describe(x))))] : null)),
      only.sentences && only.sentences.length ? [el("h3", {}, "Only here: what it says"), el("ul", { class: "statements" }, only.sentences.map(statementItem))] : null,
      el("h3", {}, "Framing"),
      el("div", { class: "kv" }, Object.entries(framing).filter(([k]) => k !== "terms").map(([k, v]) => el("div", {}, el("span", {}, k.replace(/_/g, " ") + ": "), describe(v)))),
      framing.terms && framing.terms.length ? el("ul", {}, framing.terms.map((t) => el("li", {}, describe(t)))) : null,
      c.rating ? [el("h3", {}, "Rating"), el("div", { class: "kv" }, Object.entries(c.rating).map(([k, v]) => el("div", {}, el("span", {}, k + ": "), describe(v))))] : null);
  });
  const quotes = Object.entries(story.quotes_by_speaker || {}).map(([who, list]) => el("div", { class: "speaker-group" },
    el("div", { class: "name" }, actorLink(who)),
    list.map((q) => el("div", { class: "qitem" }, el("span", { class: "kind" }, q.kind || ""), q.text, el("span", { class: "muted" }, ` — ${q.outlet || ""}`)))));
  const events = (story.events || []).map((v) => el("div", { class: `chip ${polarity(v.type)}` },
    el("span", {}, (v.actors || []).join(", ") || "?"), el("span", { class: "arrow" }, "→"), el("span", { class: "type" }, v.type),
    el("span", { class: "arrow" }, "→"), el("span", {}, (v.recipients || []).join(", ") || "?"),
    el("span", { class: "badge" }, sourcesLabel(v))));
  show(el("h1", {}, story.headline || story.id),
    el("div", { class: "meta" }, el("span", {}, seenLabel(story.first_seen, story.last_seen)), el("span", {}, (story.outlets || []).join(", ")),
      link(`/ui/events?story=${encodeURIComponent(story.id)}`, "events timeline")),
    coverageBars(story.coverage || [], (story.events || []).length),
    el("h2", {}, "Outlets side by side"), el("div", { class: "outlets", id: "story-outlets" }, columns),
    el("div", { class: "two" },
      el("div", { class: "card" }, el("h2", {}, "Events"), events.length ? events : el("p", { class: "muted" }, "No events.")),
      el("div", { class: "card" }, el("h2", {}, "Quotes by speaker"), quotes.length ? quotes : el("p", { class: "muted" }, "No quotes."))),
    el("div", { class: "card" }, el("h2", {}, "Key actors"), (story.key_actors || []).map((a) => el("span", { class: "chip cooperation" }, actorLink(a.name), a.code ? ` ${a.code}` : "",
      ` · ${Array.isArray(a.documents) ? a.documents.length : describe(a.documents)} document(s)`))));
}

route();
