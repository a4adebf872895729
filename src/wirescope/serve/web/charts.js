// wirescope web UI: event families and timelines on a real date axis. Loaded before app.js, whose
// helpers (el, svg, main...) these functions call when a page is drawn. Hand-written SVG: a dozen
// bars and an axis do not need a charting library, and the UI must work offline with no build step.
"use strict";

// PLOVER's event types grouped by the QuadClass of their CAMEO root, as GDELT groups them
// (src/wirescope/data/plover_cameo.tsv, column quad: 1 to 4; tests/test_web.py checks the two agree).
// Colours: blue for cooperation, orange for conflict, light for words and dark for deeds: told apart
// with every kind of colour blindness, each at least 3:1 against white.
const FAMILIES = [
  { key: "vcoop", name: "verbal cooperation", colour: "#4a90d9", types: ["AGREE", "CONSULT", "SUPPORT"] },
  { key: "mcoop", name: "material cooperation", colour: "#1b4f8f", types: ["AID", "CONCEDE", "COOPERATE", "RETREAT"] },
  { key: "vconf", name: "verbal conflict", colour: "#d0781f", types: ["DEMAND", "DISAPPROVE", "INVESTIGATE", "REJECT", "THREATEN"] },
  { key: "mconf", name: "material conflict", colour: "#8f3a10", types: ["ASSAULT", "COERCE", "FIGHT", "MOBILIZE", "PROTEST", "SANCTION"] },
];
const OTHER_FAMILY = { key: "other", name: "other", colour: "#6b7280", types: [] };

function eventFamily(type) { return FAMILIES.find((f) => f.types.includes(type)) || OTHER_FAMILY; }

// ---- Days and bins (UTC throughout: a day of the API is a calendar day, not a moment) -------------
const DAY_MS = 86400000;
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

function parseDay(text) {
  const [y, m, d] = String(text).slice(0, 10).split("-").map(Number);
  return Date.UTC(y, m - 1, d);
}
function isoDay(time) { return new Date(time).toISOString().slice(0, 10); }
function monthStart(time, add = 0) { const d = new Date(time); return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + add, 1); }
function yearStart(time, add = 0) { return Date.UTC(new Date(time).getUTCFullYear() + add, 0, 1); }
function dayText(time) { const d = new Date(time); return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`; }
function monthText(time) { const d = new Date(time); return `${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`; }

// The units a bar may stand for, finest first: where a bin starts, where the next one starts, its name.
const BIN_UNITS = [
  { key: "day", floor: (t) => t, next: (t) => t + DAY_MS, label: dayText },
  { key: "week", floor: (t) => t - ((new Date(t).getUTCDay() + 6) % 7) * DAY_MS, next: (t) => t + 7 * DAY_MS, label: (t) => `week of ${dayText(t)}` },
  { key: "month", floor: (t) => monthStart(t), next: (t) => monthStart(t, 1), label: monthText },
  { key: "year", floor: (t) => yearStart(t), next: (t) => yearStart(t, 1), label: (t) => String(new Date(t).getUTCFullYear()) },
];

// The finest unit with at most ``slots`` bins between the first and the last day.
function binUnit(first, last, slots) {
  for (const unit of BIN_UNITS) {
    let count = 0;
    for (let t = unit.floor(first); t <= last && count <= slots; t = unit.next(t)) count += 1;
    if (count <= slots) return unit;
  }
  return BIN_UNITS[BIN_UNITS.length - 1];
}

// Rows {day, parts: {series: value}} summed into bins of ``unit``: [{start, end, parts}], by start.
function binRows(rows, unit) {
  const bins = new Map();
  for (const row of rows) {
    const start = unit.floor(parseDay(row.day));
    if (!bins.has(start)) bins.set(start, { start, end: unit.next(start), parts: {} });
    const parts = bins.get(start).parts;
    for (const [name, value] of Object.entries(row.parts)) parts[name] = (parts[name] || 0) + value;
  }
  return [...bins.values()].sort((a, b) => a.start - b.start);
}

// ---- The axis ------------------------------------------------------------------------------------
// Labels under the axis: row 1 the finest unit that has room (days, months or years), row 2 what
// it is part of (the month and year, or the year) at the start and at every change: years always show.
function axisLabels(from, to, x) {
  const perDay = (x(to) - x(from)) / ((to - from) / DAY_MS);
  const labels = [];
  const walk = (first, next, text, row, centred) => {
    for (let t = first; t < to; t = next(t)) {
      const start = Math.max(t, from), end = Math.min(next(t), to);
      labels.push({ x: centred ? (x(start) + x(end)) / 2 : x(start) + 3, text: text(t), row, anchor: centred ? "middle" : "start", tick: x(start) });
    }
  };
  const year = (t) => String(new Date(t).getUTCFullYear());
  if (perDay >= 24) {
    walk(from, (t) => t + DAY_MS, (t) => String(new Date(t).getUTCDate()), 1, true);
    walk(from, (t) => monthStart(t, 1), monthText, 2, false);
  } else if (perDay * 30.4 >= 30) {
    walk(monthStart(from), (t) => monthStart(t, 1), (t) => MONTHS[new Date(t).getUTCMonth()], 1, true);
    walk(yearStart(from), (t) => yearStart(t, 1), year, 2, false);
  } else {
    const every = Math.max(1, Math.ceil(44 / (perDay * 365)));  // a year's label needs about 44 px
    walk(yearStart(from), (t) => yearStart(t, every), year, 1, every === 1);
  }
  return labels;
}

// ---- The chart -----------------------------------------------------------------------------------
// A stacked bar chart over time. ``rows``: [{day: "YYYY-MM-DD" or null, parts: {series: value}}];
// ``series``: [{name, colour}] in stacking order; ``options.what``: what is counted ("events");
// ``options.hrefFor(fromDay, toDay)``: where a bar leads (null: bars are not links). Days without a
// row are gaps; rows without a day are counted apart, in a bar of their own right of the axis.
function timeChart(rows, series, options = {}) {
  const what = options.what || "items";
  const dated = rows.filter((r) => r.day);
  const undated = sumParts(rows.filter((r) => !r.day));
  if (!dated.length && !total(undated)) return el("p", { class: "muted" }, "Nothing to chart.");
  const width = options.width || chartWidth();
  const height = 210;
  const left = 40, right = width - (total(undated) ? 84 : 12), top = 10, bottom = height - 44;
  const first = dated.length ? Math.min(...dated.map((r) => parseDay(r.day))) : Date.UTC(2000, 0, 1);
  const last = dated.length ? Math.max(...dated.map((r) => parseDay(r.day))) : first;
  const unit = binUnit(first, last, Math.max(1, Math.floor((right - left) / 6)));
  const bins = binRows(dated, unit);
  const from = unit.floor(first), to = unit.next(unit.floor(last));
  const x = (t) => left + (right - left) * (t - from) / Math.max(1, to - from);
  const step = niceStep(Math.max(1, ...bins.map((b) => total(b.parts)), total(undated)));
  const max = step * Math.ceil(Math.max(1, ...bins.map((b) => total(b.parts)), total(undated)) / step);
  const y = (v) => bottom - (bottom - top) * v / max;
  const items = [yAxis(max, step, y, left, width)];
  for (const bin of bins) {
    const slot = x(bin.end) - x(bin.start);
    const barWidth = Math.max(2, Math.min(48, slot - 2));
    items.push(bar(bin.parts, series, x(bin.start) + (slot - barWidth) / 2, barWidth, y, `${unit.label(bin.start)}: ${partsText(bin.parts, series, what)}`,
      options.hrefFor ? options.hrefFor(isoDay(bin.start), isoDay(bin.end - DAY_MS)) : null));
  }
  items.push(svg("line", { x1: left, x2: right, y1: bottom, y2: bottom, stroke: "#5f6873" }));
  for (const label of dated.length ? axisLabels(from, to, x) : []) {
    items.push(svg("line", { x1: label.tick, x2: label.tick, y1: bottom, y2: bottom + (label.row === 2 ? 22 : 5), stroke: "#5f6873" }));
    items.push(svg("text", { x: label.x, y: bottom + (label.row === 1 ? 15 : 31), "text-anchor": label.anchor, class: label.row === 2 ? "axis-major" : null, text: label.text }));
  }
  if (total(undated)) items.push(undatedBar(undated, series, right, width, y, bottom, what));
  const chart = svg("svg", { width, height, class: "timechart-svg", role: "group", "aria-label": `${what} over time, in bars of one ${unit.key}` }, items);
  return el("div", { class: "chart timechart", "data-unit": unit.key }, chart,
    el("div", { class: "legend" }, series.filter((s) => s.name !== OTHER_FAMILY.name || rows.some((r) => r.parts[s.name]))
      .map((s) => el("span", { class: "legend-item" }, el("span", { class: "swatch-box", style: `background:${s.colour}` }), ` ${s.label || s.name}`))),
    el("p", { class: "muted chart-note" }, dated.length ? `One bar per ${unit.key}, at its place in time: gaps are ${unit.key}s with no ${what}.` : `No dated ${what}.`,
      total(undated) ? el("span", { class: "undated-count" }, ` Undated: ${total(undated)} ${what} from pages with no date, counted apart (right).`) : null));
}

function total(parts) { return Object.values(parts).reduce((s, v) => s + v, 0); }
function sumParts(rows) {
  const out = {};
  for (const row of rows) for (const [name, value] of Object.entries(row.parts)) out[name] = (out[name] || 0) + value;
  return out;
}
function partsText(parts, series, what) {
  const named = series.filter((s) => parts[s.name]).map((s) => `${s.name} ${parts[s.name]}`);
  return `${total(parts)} ${what}` + (named.length ? ` (${named.join(", ")})` : "");
}

// The drawing width: the main column's, less its padding and the chart's frame.
function chartWidth() {
  const box = main();
  const style = getComputedStyle(box);
  return Math.max(280, Math.floor(box.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 20));
}

// Whole-number ticks 1, 2 or 5 times a power of ten apart, at most about four of them.
function niceStep(max) {
  const rough = Math.max(1, max / 4);
  const power = 10 ** Math.floor(Math.log10(rough));
  return [1, 2, 5, 10].map((m) => m * power).find((step) => step >= rough);
}

function yAxis(top, step, y, left, width) {
  const out = [];
  for (let value = 0; value <= top; value += step) {
    out.push(svg("line", { x1: left, x2: width, y1: y(value), y2: y(value), stroke: "#e3e6ea" }),
      svg("text", { x: left - 6, y: y(value) + 4, "text-anchor": "end", text: String(value) }));
  }
  return out;
}

// One bar: its parts stacked in the order of ``series``; a link (focusable, Enter follows it) when
// ``href`` is given, else a group that names what it counts.
function bar(parts, series, x, width, y, name, href) {
  let base = 0;
  const rects = [];
  for (const s of series) {
    const value = parts[s.name] || 0;
    if (!value) continue;
    rects.push(svg("rect", { x, y: y(base + value), width, height: y(base) - y(base + value), fill: s.colour, stroke: "#fff", "stroke-width": 1, "data-series": s.name }));
    base += value;
  }
  const title = svg("title", { text: name });
  if (href) return svg("a", { href, "data-nav": true, class: "bin", "aria-label": `${name}: show them` }, title, rects);
  return svg("g", { class: "bin", role: "img", "aria-label": name }, title, rects);
}

function undatedBar(parts, series, right, width, y, bottom, what) {
  const x = right + 22, barWidth = Math.min(40, width - right - 34);
  return svg("g", { class: "undated" },
    svg("line", { x1: right + 10, x2: right + 10, y1: 4, y2: bottom + 30, stroke: "#5f6873", "stroke-dasharray": "3 3" }),
    bar(parts, series, x, barWidth, y, `undated: ${partsText(parts, series, what)}`, null),
    svg("line", { x1: x - 4, x2: x + barWidth + 4, y1: bottom, y2: bottom, stroke: "#5f6873" }),
    svg("text", { x: x + barWidth / 2, y: bottom + 15, "text-anchor": "middle", text: "undated" }));
}

// ---- Event charts --------------------------------------------------------------------------------
// /events/timeline's rows (day, type, count) as chart rows of family counts.
function familyRows(days) {
  const byDay = new Map();
  for (const row of days) {
    const key = row.day || "";
    if (!byDay.has(key)) byDay.set(key, { day: row.day, parts: {} });
    const parts = byDay.get(key).parts;
    const family = eventFamily(row.type).name;
    parts[family] = (parts[family] || 0) + row.count;
  }
  return [...byDay.values()];
}

function familySeries() {
  return [...FAMILIES, OTHER_FAMILY].map((f) => ({ name: f.name, colour: f.colour, label: f.types.length ? `${f.name} (${f.types.join(", ")})` : f.name }));
}

// "12 events: verbal conflict 7 (THREATEN 4, REJECT 3), material cooperation 5 (AID 5)".
function familySummary(types, total) {
  const groups = [...FAMILIES, OTHER_FAMILY].map((f) => ({ f, list: types.filter((t) => eventFamily(t.type) === f) })).filter((g) => g.list.length);
  const text = groups.map(({ f, list }) => `${f.name} ${list.reduce((s, t) => s + t.count, 0)} (${list.map((t) => `${t.type} ${t.count}`).join(", ")})`);
  return `${total} event${total === 1 ? "" : "s"}` + (text.length ? `: ${text.join("; ")}` : "");
}

// A select of event types, grouped by family.
function typeSelect(name, selected) {
  return el("select", { name }, el("option", { value: "" }, "any"),
    FAMILIES.map((f) => el("optgroup", { label: f.name }, f.types.map((t) => el("option", { value: t, selected: t === selected }, t)))));
}

// ---- The map of events (issue 18): where the located events happened -----------------------------
// Equirectangular on Natural Earth's 1:110m land (world-110m.json, shipped: no tile server). A place
// is a circle whose area grows with its events; each is a link to the events within half a degree.
const MAP_WIDTH = 720;
const MAP_HEIGHT = 360;
let worldOutline = null;

async function loadWorldOutline() {
  if (!worldOutline) worldOutline = (await fetch("/static/world-110m.json")).json();
  return worldOutline;
}

function mapPoint(lon, lat) { return [(lon + 180) / 360 * MAP_WIDTH, (90 - lat) / 180 * MAP_HEIGHT]; }

// A ring that crosses the antimeridian (Russia, Fiji, Antarctica) jumps from one edge to the other:
// the path moves there instead of drawing a line across the world.
function landPath(rings) {
  return rings.map((ring) => ring.map(([lon, lat], i) => {
    const jump = i === 0 || Math.abs(lon - ring[i - 1][0]) > 180;
    return (jump ? "M" : "L") + mapPoint(lon, lat).map((v) => v.toFixed(1)).join(",");
  }).join("") + "Z").join("");
}

function placeBox(p) {
  const round = (v) => Math.round(v * 100) / 100;
  return [round(p.longitude - 0.5), round(p.latitude - 0.5), round(p.longitude + 0.5), round(p.latitude + 0.5)].join(",");
}

function worldMap(places, outline, hrefFor) {
  const most = Math.max(1, ...places.map((p) => p.events));
  const marks = places.slice().reverse().map((p) => {  // the largest drawn last, on top
    const [x, y] = mapPoint(p.longitude, p.latitude);
    const label = `${p.name}${p.country ? ", " + p.country : ""}: ${p.events} event${p.events === 1 ? "" : "s"} in ${p.documents} document${p.documents === 1 ? "" : "s"}`;
    return svg("a", { href: hrefFor(p), "data-nav": true, "aria-label": label, class: "map-place" },
      svg("circle", { cx: x.toFixed(1), cy: y.toFixed(1), r: (3 + 9 * Math.sqrt(p.events / most)).toFixed(1) }),
      svg("title", { text: label }));
  });
  return svg("svg", { viewBox: `0 0 ${MAP_WIDTH} ${MAP_HEIGHT}`, class: "world-map", role: "group",
                      "aria-label": `map of ${places.length} places where events happened` },
    svg("rect", { x: 0, y: 0, width: MAP_WIDTH, height: MAP_HEIGHT, class: "map-sea" }),
    svg("path", { d: landPath(outline.rings), class: "map-land" }), ...marks);
}
