// wirescope web UI: the actor network (issue 20, item 2). Loaded before app.js, whose helpers (el, svg,
// api, navigate, queryParams, stackTable...) these functions call when the page is drawn, and after
// charts.js (FAMILIES, typeSelect).
// Hand-written SVG: a few dozen nodes need no graph library, and the UI must work offline with no
// build step. Zoom is "semantic": positions are scaled, text and circles keep their size, so zooming
// in spreads a crowded part apart and makes room for more labels.
"use strict";

// The chart's viewBox: as wide as the page allows up to this, so that text keeps its size on a phone.
const NETWORK_MAX_WIDTH = 1100, NETWORK_MIN_WIDTH = 340;
const NETWORK_MAX_NODES = 60;
const ZOOM_STEP = 1.5, ZOOM_MIN = 0.5, ZOOM_MAX = 12;
const PAN_STEP = 120;  // viewBox units per press of a pan button
// Labels tried at zoom 1, best-linked actors first; zooming in tries more (the rest keep their title).
const LABELS_AT_ZOOM_1 = 25;
const LINE_COLOURS = { cooperation: "#1f8a4c", conflict: "#c0392b", both: "#8e6bbf" };

// ---- The page -------------------------------------------------------------------------------------
// The view's address holds its filters (family, type, since, until, min_count): a view can be shared.
function networkQuery(p) {
  const family = FAMILIES.find((f) => f.key === p.family);
  const type = p.type || (family ? family.types.join(",") : null);
  return { type, since: p.since, until: p.until, min_count: p.min_count, max_nodes: NETWORK_MAX_NODES };
}

async function pageNetwork() {
  const p = queryParams();
  const net = await api("/network", networkQuery(p));
  const chart = net.nodes.length ? networkChart(net, main().clientWidth) : null;
  show(el("h1", {}, "Actor network"), el("p", { class: "muted" }, "One node per actor id: every name an actor is written as counts for it. ",
    link("/ui/actors", "All actors →")), networkForm(p), networkLegend(),
  el("p", { class: "muted", id: "network-summary" }, networkSummary(net, p)),
  chart ? chart.element : el("p", { class: "muted" }, "No events between actors for these filters."),
  el("h2", {}, "Links"), networkTable(net));
  if (chart) chart.draw();  // labels are measured, so placed, once the chart is in the page
}

function networkForm(p) {
  const familySelect = el("select", { name: "family" }, el("option", { value: "" }, "any"),
    FAMILIES.map((f) => el("option", { value: f.key, selected: f.key === p.family }, f.name)));
  return el("form", { class: "filters", id: "network-filters", onsubmit: (e) => {
    e.preventDefault();
    navigate("/ui/network?" + new URLSearchParams(cleanParams(Object.fromEntries(new FormData(e.target)))).toString());
  } },
  el("label", {}, "event family", familySelect),
  el("label", {}, "event type", typeSelect("type", p.type)),
  el("label", {}, "from", el("input", { name: "since", type: "date", value: p.since || "" })),
  el("label", {}, "to", el("input", { name: "until", type: "date", value: p.until || "" })),
  el("label", {}, "min. events per link", el("input", { name: "min_count", type: "number", min: 1, value: p.min_count || 1, style: "width:6em" })),
  el("button", { type: "submit" }, "Show"),
  el("a", { class: "button secondary", href: "/ui/network", "data-nav": true }, "Clear filters"));
}

function networkLegend() {
  // The lines' colours as swatches beside words in the text colour (coloured words were under 4.5:1).
  const swatch = (colour, name) => el("span", {}, el("span", { class: "swatch-line", style: `background:${colour}` }), ` ${name}`);
  return el("div", { class: "legend" }, swatch(LINE_COLOURS.cooperation, "cooperation"), swatch(LINE_COLOURS.conflict, "conflict"),
    swatch(LINE_COLOURS.both, "both"),
    el("span", {}, "arrow: actor → recipient; width: number of events; click a name (or Tab to it and press Enter) for the actor's page; " +
      "drag a node to move it, drag the background or use the buttons to pan, the wheel or the buttons to zoom; " +
      "an unlabelled node shows its name when pointed at or focused"));
}

function networkSummary(net, p) {
  const family = FAMILIES.find((f) => f.key === p.family);
  const parts = [p.type ? `type ${p.type}` : family ? family.name : null, p.since ? `from ${p.since}` : null,
    p.until ? `to ${p.until}` : null, Number(p.min_count) > 1 ? `at least ${p.min_count} events per link` : null].filter(Boolean);
  return `${net.nodes.length} actor${net.nodes.length === 1 ? "" : "s"}, ${net.edges.length} link${net.edges.length === 1 ? "" : "s"}` +
    (parts.length ? ` (${parts.join(", ")})` : "");
}

function networkTable(net) {
  const label = new Map(net.nodes.map((node) => [node.id, nodeLabel(node)]));
  return stackTable(el("table", { class: "plain", id: "edge-table" }, el("tr", {}, el("th", {}, "actor"), el("th", {}, "recipient"),
    el("th", {}, "cooperation"), el("th", {}, "conflict"), el("th", {}, "types")),
  net.edges.slice(0, 100).map((e) => el("tr", {}, el("td", {}, actorLink(label.get(e.source), e.source)), el("td", {}, actorLink(label.get(e.target), e.target)),
    el("td", {}, String(e.cooperation)), el("td", {}, String(e.conflict)),
    el("td", {}, Object.entries(e.types).map(([t, n]) => `${t} ${n}`).join(", "))))));
}

// A node is keyed by an actor id and labelled by its canonical name (a side with no actor id: by its name).
function nodeLabel(node) { return node.name || node.id; }

// ---- Layout ---------------------------------------------------------------------------------------
// A small force layout (a few dozen nodes): repulsion between all nodes, springs along edges, a pull
// to the centre, from a deterministic circle start; then scaled to fit the chart (clamping nodes to
// its edges while they moved lined them up along the borders).
function forceLayout(nodes, edges, width, height) {
  const n = nodes.length;
  const pos = nodes.map((_, i) => ({ x: width / 2 + Math.cos(2 * Math.PI * i / n) * width / 3, y: height / 2 + Math.sin(2 * Math.PI * i / n) * height / 3 }));
  const index = new Map(nodes.map((node, i) => [node.id, i]));
  const k = Math.sqrt(width * height / Math.max(1, n)) * 0.6;
  for (let step = 0; step < 300; step++) {
    const force = pos.map(() => ({ x: 0, y: 0 }));
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const dx = pos[i].x - pos[j].x, dy = pos[i].y - pos[j].y;
        const dist = Math.max(1, Math.hypot(dx, dy));
        const push = k * k / dist;
        force[i].x += dx / dist * push; force[i].y += dy / dist * push;
        force[j].x -= dx / dist * push; force[j].y -= dy / dist * push;
      }
    }
    for (const e of edges) {
      const i = index.get(e.source), j = index.get(e.target);
      const dx = pos[i].x - pos[j].x, dy = pos[i].y - pos[j].y;
      const dist = Math.max(1, Math.hypot(dx, dy));
      const pull = dist * dist / k;
      force[i].x -= dx / dist * pull; force[i].y -= dy / dist * pull;
      force[j].x += dx / dist * pull; force[j].y += dy / dist * pull;
    }
    const temperature = 30 * (1 - step / 300) + 1;
    pos.forEach((p, i) => {
      // Gravity strong enough to keep unlinked groups on the canvas (wider than tall).
      force[i].x += (width / 2 - p.x) * 0.3; force[i].y += (height / 2 - p.y) * 0.6;
      const f = Math.max(1, Math.hypot(force[i].x, force[i].y));
      p.x += force[i].x / f * Math.min(f, temperature);
      p.y += force[i].y / f * Math.min(f, temperature);
    });
  }
  const side = Math.min(90, width * 0.15);  // room for a label beside the outermost nodes
  return fitInto(pos, { left: side, right: width - side, top: 30, bottom: height - 30 });
}

// Positions scaled and moved, each axis on its own, to fill a box (one node: its centre).
function fitInto(pos, box) {
  const axis = (key, low, high) => {
    const values = pos.map((p) => p[key]);
    const min = Math.min(...values), span = Math.max(...values) - min;
    for (const p of pos) p[key] = span > 0 ? low + (p[key] - min) / span * (high - low) : (low + high) / 2;
  };
  axis("x", box.left, box.right);
  axis("y", box.top, box.bottom);
  return pos;
}

// ---- Labels that do not overlap -------------------------------------------------------------------
// Where a label may sit around its node (text-anchor and offset from the centre, r: the node's radius).
const LABEL_SPOTS = [
  (r) => ({ anchor: "start", dx: r + 4, dy: 4 }),
  (r) => ({ anchor: "end", dx: -r - 4, dy: 4 }),
  (r) => ({ anchor: "middle", dx: 0, dy: -r - 5 }),
  (r) => ({ anchor: "middle", dx: 0, dy: r + 14 }),
];

function boxesMeet(a, b) { return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h; }

function labelBox(size, x, y, anchor) {
  const left = anchor === "start" ? x : anchor === "end" ? x - size.w : x - size.w / 2;
  return { x: left - 1, y: y + size.top - 1, w: size.w + 2, h: size.h + 2 };
}

// Greedy placement, most linked actors first: each label takes the spot inside the chart that meets
// no label already placed and fewest other nodes (a hub's spots all meet its neighbours; the best
// linked are drawn last, over them); a label with no such spot, or past the budget of the zoom
// level, is hidden (its node keeps its title, and shows the label on hover and focus).
function placeLabels(items, budget, view) {
  const placed = [];
  const circles = items.map((it) => ({ x: it.x - it.r, y: it.y - it.r, w: 2 * it.r, h: 2 * it.r, owner: it }));
  const inside = (b) => b.x >= 0 && b.y >= 0 && b.x + b.w <= view.w && b.y + b.h <= view.h;
  const order = [...items].sort((a, b) => a.rank - b.rank);
  for (const it of order) {
    it.spot = null;
    if (it.rank >= budget || !inside({ x: it.x, y: it.y, w: 0, h: 0 })) continue;
    const spots = LABEL_SPOTS.map((make) => make(it.r)).map((s) => ({ ...s, box: labelBox(it.size, it.x + s.dx, it.y + s.dy, s.anchor) }))
      .filter((s) => inside(s.box) && !placed.some((b) => boxesMeet(b, s.box)));
    const crossed = (spot) => circles.filter((c) => c.owner !== it && boxesMeet(c, spot.box)).length;
    it.spot = spots.reduce((best, spot) => (best === null || crossed(spot) < crossed(best) ? spot : best), null);
    if (it.spot) placed.push(it.spot.box);
  }
}

// ---- The chart ------------------------------------------------------------------------------------
// The chart element and draw(), which places everything for the current view (call it once the
// element is in the page: labels are measured there). `room`: the page's width in CSS pixels.
function networkChart(net, room) {
  const w = Math.round(Math.min(NETWORK_MAX_WIDTH, Math.max(NETWORK_MIN_WIDTH, room || NETWORK_MAX_WIDTH)));
  const h = w < 700 ? Math.round(w * 1.25) : 560;  // a phone's chart taller than wide
  const pos = forceLayout(net.nodes, net.edges, w, h);
  const index = new Map(net.nodes.map((node, i) => [node.id, i]));
  const maxEvents = Math.max(1, ...net.nodes.map((node) => node.events));
  const degree = net.nodes.map(() => 0);
  for (const e of net.edges) { degree[index.get(e.source)] += 1; degree[index.get(e.target)] += 1; }
  const order = net.nodes.map((_, i) => i).sort((a, b) => degree[b] - degree[a] || net.nodes[b].events - net.nodes[a].events);
  const items = net.nodes.map((node, i) => ({ node, index: i, r: 6 + 10 * Math.sqrt(node.events / maxEvents), rank: order.indexOf(i), degree: degree[i] }));
  const view = { k: 1, x: 0, y: 0, w, h };
  const maxCount = Math.max(1, ...net.edges.map((e) => e.count));
  const edgeLines = net.edges.map((e) => networkEdge(e, net, index, maxCount));
  for (const it of items) it.g = networkNode(it);
  // The best linked last, so drawn over the others (SVG paints in document order).
  const painted = [...items].sort((a, b) => b.rank - a.rank).map((it) => it.g);
  const root = svg("svg", { viewBox: `0 0 ${w} ${h}`, width: "100%", id: "network-svg", role: "group",
    "aria-label": "Actor network: each actor is a link to its page, the least linked first; the links are listed in the table below" },
  networkMarkers(), svg("rect", { class: "network-bg", width: w, height: h }), edgeLines, painted);
  const zoomLabel = el("output", { id: "network-zoom", "aria-live": "polite" }, "100%");
  const draw = () => {
    for (const it of items) { it.x = pos[it.index].x * view.k + view.x; it.y = pos[it.index].y * view.k + view.y; }
    net.edges.forEach((e, j) => placeEdge(edgeLines[j], items[index.get(e.source)], items[index.get(e.target)]));
    for (const it of items) it.size = it.size || measureLabel(it.g.querySelector("text"));
    placeLabels(items, Math.ceil(LABELS_AT_ZOOM_1 * Math.max(1, view.k)), view);
    for (const it of items) placeNode(it);
    root.setAttribute("data-zoom", view.k.toFixed(3));
    zoomLabel.textContent = `${Math.round(view.k * 100)}%`;
  };
  const controls = networkControls(view, draw, zoomLabel);
  networkPointer(root, items, pos, view, draw);
  return { element: el("div", { class: "network" }, controls, root), draw };
}

function networkMarkers() {
  return svg("defs", {}, Object.values(LINE_COLOURS).map((c) => svg("marker", { id: `arrow-${c.slice(1)}`, viewBox: "0 0 10 10", refX: 10, refY: 5,
    markerWidth: 9, markerHeight: 9, markerUnits: "userSpaceOnUse", orient: "auto" }, svg("path", { d: "M 0 0 L 10 5 L 0 10 z", fill: c }))));
}

function networkEdge(e, net, index, maxCount) {
  const c = e.cooperation && e.conflict ? LINE_COLOURS.both : e.cooperation ? LINE_COLOURS.cooperation : LINE_COLOURS.conflict;
  const name = (id) => nodeLabel(net.nodes[index.get(id)]);
  return svg("line", { stroke: c, "stroke-opacity": 0.8, "stroke-width": 1.5 + 4 * e.count / maxCount,
    "marker-end": `url(#arrow-${c.slice(1)})`, class: `edge ${e.cooperation >= e.conflict ? "cooperation" : "conflict"}`, "data-count": e.count,
    "data-tip": `${name(e.source)} → ${name(e.target)}\ncooperation ${e.cooperation}, conflict ${e.conflict}\n` + Object.entries(e.types).map(([t, n]) => `${t} ${n}`).join(", ") });
}

// Each actor is a link to its page: focusable, followed with Enter as with a click.
function networkNode(it) {
  const node = it.node, name = nodeLabel(node);
  const about = `${name}${node.code ? " (" + node.code + ")" : ""}, ${node.events} events, ${it.degree} link${it.degree === 1 ? "" : "s"}`;
  return svg("g", { class: "node", "data-id": node.id, "data-name": name },
    svg("a", { href: `/ui/actors/${encodeURIComponent(node.id)}`, "data-nav": true },
      svg("title", { text: `${about}: open the actor's page (${node.id})` }),
      svg("circle", { r: it.r, fill: "#2457a6" }),
      svg("text", { x: 0, y: 0, text: name.length > 40 ? name.slice(0, 39) + "…" : name })));
}

// The label's width, height and top (from its baseline), in viewBox units, at text-anchor start.
function measureLabel(text) {
  text.setAttribute("text-anchor", "start");
  text.setAttribute("x", 0); text.setAttribute("y", 0);
  text.classList.remove("label-off");
  const box = text.getBBox();
  return { w: box.width, h: box.height, top: box.y };
}

// The line ends at the recipient's circle so that the arrow head shows.
function placeEdge(line, a, b) {
  const dist = Math.max(1, Math.hypot(b.x - a.x, b.y - a.y));
  const cut = b.r + 2;
  setAttrs(line, { x1: a.x, y1: a.y, x2: b.x - (b.x - a.x) / dist * cut, y2: b.y - (b.y - a.y) / dist * cut });
}

function placeNode(it) {
  const circle = it.g.querySelector("circle"), text = it.g.querySelector("text");
  setAttrs(circle, { cx: it.x, cy: it.y });
  // A hidden label still shows on hover and focus, to the right of its node.
  const spot = it.spot || LABEL_SPOTS[0](it.r);
  setAttrs(text, { x: it.x + spot.dx, y: it.y + spot.dy, "text-anchor": spot.anchor });
  text.classList.toggle("label-off", !it.spot);
}

// ---- Zoom and pan ---------------------------------------------------------------------------------
// Zoom by `factor` about a point of the viewBox (the centre by default), within ZOOM_MIN..ZOOM_MAX.
function zoomView(view, factor, cx = view.w / 2, cy = view.h / 2) {
  const k = Math.min(ZOOM_MAX, Math.max(ZOOM_MIN, view.k * factor));
  view.x = cx - (cx - view.x) * k / view.k;
  view.y = cy - (cy - view.y) * k / view.k;
  view.k = k;
}

function networkControls(view, draw, zoomLabel) {
  const button = (text, label, act) => el("button", { type: "button", class: "secondary", "aria-label": label, title: label,
    "data-act": label, onclick: () => { act(); draw(); } }, text);
  return el("div", { class: "network-controls", role: "toolbar", "aria-label": "Zoom and pan the network" },
    button("+", "Zoom in", () => zoomView(view, ZOOM_STEP)),
    button("−", "Zoom out", () => zoomView(view, 1 / ZOOM_STEP)),
    button("Reset", "Reset the view", () => Object.assign(view, { k: 1, x: 0, y: 0 })),
    button("←", "Pan left", () => { view.x += PAN_STEP; }),
    button("→", "Pan right", () => { view.x -= PAN_STEP; }),
    button("↑", "Pan up", () => { view.y += PAN_STEP; }),
    button("↓", "Pan down", () => { view.y -= PAN_STEP; }),
    el("span", { class: "muted" }, "zoom ", zoomLabel));
}

// The viewBox point under a pointer event.
function svgPoint(root, event) {
  const m = root.getScreenCTM();
  if (!m) return { x: 0, y: 0 };
  const p = new DOMPoint(event.clientX, event.clientY).matrixTransform(m.inverse());
  return { x: p.x, y: p.y };
}

// The wheel zooms about the pointer; dragging a node moves it, dragging the background pans. A drag
// that moved is not a click: the node's link is not followed.
function networkPointer(root, items, pos, view, draw) {
  let drag = null, moved = false;
  root.addEventListener("wheel", (e) => {
    e.preventDefault();
    const p = svgPoint(root, e);
    const pixels = e.deltaY * (e.deltaMode === 1 ? 16 : e.deltaMode === 2 ? 400 : 1);  // lines or pages as pixels
    zoomView(view, Math.exp(-pixels * 0.002), p.x, p.y);
    draw();
  }, { passive: false });
  root.addEventListener("dragstart", (e) => e.preventDefault());  // no native drag of the links
  root.addEventListener("pointerdown", (e) => {
    if (e.button !== 0) return;
    const g = e.target.closest("g.node");
    drag = { item: g ? items.find((it) => it.g === g) : null, start: svgPoint(root, e), view: { ...view }, id: e.pointerId };
    moved = false;
  });
  root.addEventListener("pointermove", (e) => {
    if (!drag || e.pointerId !== drag.id) return;
    const p = svgPoint(root, e);
    if (!moved && Math.hypot(p.x - drag.start.x, p.y - drag.start.y) < 4) return;
    if (!moved) root.setPointerCapture(e.pointerId);
    moved = true;
    if (drag.item) pos[drag.item.index] = { x: (p.x - view.x) / view.k, y: (p.y - view.y) / view.k };
    else { view.x = drag.view.x + p.x - drag.start.x; view.y = drag.view.y + p.y - drag.start.y; }
    draw();
  });
  const end = () => { drag = null; };
  root.addEventListener("pointerup", end);
  root.addEventListener("pointercancel", end);
  root.addEventListener("click", (e) => {
    if (moved) { e.preventDefault(); e.stopPropagation(); moved = false; }
  }, true);
}
