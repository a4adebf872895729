// wirescope web UI: the search page's facets, active filters, highlighted snippets and downloads
// (issue 20, "exploration like datasette"). Uses the DOM helpers of app.js (el, link, cleanParams),
// which are defined by the time pageSearch calls these. Same safety rule as app.js: text reaches
// the DOM only as text; highlights are <mark> elements built from the API's character offsets.
"use strict";

// The facets the API counts, in the order shown, and the query parameter each one sets.
const SEARCH_FACETS = [
  ["outlet", "Outlet"], ["year", "Year"], ["country", "Country"], ["language", "Language"],
  ["type", "Event type"], ["actor", "Actor"], ["story", "Story"],
];
// The filters a search URL may carry, with the words that name an active one. A country or box
// filter keeps the documents with a resolved place there (an entity's place, an event's location).
const SEARCH_FILTERS = [
  ["q", "words"], ["outlet", "outlet"], ["language", "language"], ["type", "event type"],
  ["actor", "actor"], ["story", "story"], ["country", "place in"], ["bbox", "place in box"],
  ["since", "from"], ["until", "to"],
];
// The filters the search form has no field for: kept as hidden fields when the form is sent.
const SEARCH_KEPT = ["language", "story", "type", "country", "bbox"];

// The filters of the search page's address ``params``, as /documents takes them.
function searchFilters(params) {
  return Object.fromEntries(SEARCH_FILTERS.map(([name]) => [name, params[name]]));
}

// The search page's address for the parameters ``params`` changed by ``changes`` (null removes
// one); a new choice starts again at the first page.
function searchHref(params, changes) {
  const next = { ...params, ...changes };
  delete next.offset;
  return "/ui/?" + new URLSearchParams(cleanParams(next)).toString();
}

// The parameters one facet value sets: a year is a published-date range.
function facetChoice(name, value) {
  if (name === "year") return { since: `${value}-01-01`, until: `${value}-12-31` };
  return { [name]: value };
}

function facetIsChosen(params, name, value) {
  if (name === "year") return params.since === `${value}-01-01` && params.until === `${value}-12-31`;
  return String(params[name] || "").toLowerCase() === String(value).toLowerCase();
}

// One facet's values with their counts, each a link that sets (or, when chosen, clears) it.
function facetSection(params, name, title, values) {
  const items = values.map((v) => {
    const count = el("span", { class: "count" }, String(v.count));
    if (v.value === null) return el("li", { class: "muted" }, "undated ", count);
    const chosen = facetIsChosen(params, name, v.value);
    const clearing = name === "year" ? { since: null, until: null } : { [name]: null };
    return el("li", {}, link(searchHref(params, chosen ? clearing : facetChoice(name, v.value)),
      chosen ? "✓ " : "", String(v.label), " ", count));
  });
  return el("section", { class: "facet", "data-facet": name },
    el("h2", {}, title), items.length ? el("ul", {}, items) : el("p", { class: "muted" }, "none"));
}

function facetsPanel(params, facets) {
  return el("aside", { class: "facets", id: "facets", "aria-label": "Refine the search" },
    SEARCH_FACETS.map(([name, title]) => facetSection(params, name, title, (facets && facets[name]) || [])));
}

// The label of an active filter's value: the facet's label (an actor's name, a story's headline).
function filterLabel(facets, name, value) {
  const found = ((facets && facets[name]) || []).find((v) => String(v.value) === value);
  return found ? String(found.label) : value;
}

// The active filters, each a link that removes it.
function activeFilters(params, facets) {
  const chips = SEARCH_FILTERS.filter(([name]) => params[name]).map(([name, words]) => {
    const label = `${words}: ${filterLabel(facets, name, params[name])}`;
    return el("li", {}, link(searchHref(params, { [name]: null }), label, el("span", { "aria-hidden": "true" }, " ×")));
  });
  if (!chips.length) return null;
  return el("div", { class: "active-filters", id: "active-filters" },
    el("span", { class: "muted" }, "Filters (follow one to remove it):"), el("ul", {}, chips),
    link("/ui/", "clear all"));
}

// JSON and CSV of the whole list as the API gives it (CSV: every match; JSON: up to 500).
function searchDownloads(filters) {
  const query = (extra) => new URLSearchParams(cleanParams({ ...filters, ...extra })).toString();
  return el("span", { class: "downloads" },
    el("a", { class: "button secondary", id: "search-json", href: `/documents?${query({ limit: 500, facets: "false" })}`,
      download: "documents.json" }, "Download JSON"),
    el("a", { class: "button secondary", id: "search-csv", href: `/documents?${query({ format: "csv" })}`,
      download: "documents.csv" }, "Download CSV"));
}

// ``item``'s snippet with the query's words in <mark>, cut from the snippet text at the offsets
// the API gives (JavaScript strings index UTF-16 units, Python's characters: code points; the
// snippet is split into code points so the two agree).
function markSnippet(item, d) {
  const box = item.querySelector(".snippet");
  if (!box || !d.snippet || !d.highlights || !d.highlights.length) return item;
  const chars = Array.from(d.snippet);
  const parts = [];
  let at = 0;
  for (const h of d.highlights) {
    if (h.start < at || h.end > chars.length) continue;
    parts.push(chars.slice(at, h.start).join(""), el("mark", {}, chars.slice(h.start, h.end).join("")));
    at = h.end;
  }
  parts.push(chars.slice(at).join(""));
  append(clear(box), parts);
  return item;
}
