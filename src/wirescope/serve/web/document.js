// wirescope web UI: a document's page (/ui/doc/ID, and the analyse page's result). The text is drawn
// with one style per layer, each with its toggle; every marked span is a button (click, tap, or the
// keyboard: Tab into the text, arrow keys between marks, Enter) that fills a side panel explaining
// it. Loaded before app.js, whose helpers (el, link, actorLink...) it calls; the same safety rule:
// page text reaches the DOM as text only.
"use strict";

// The layers, in the order of their toggles; ``cls``: the class of a mark of the layer (segments
// style whole blocks instead).
const LAYERS = [
  { key: "segments", label: "segments", cls: "seg-sample" },
  { key: "entities", label: "entities", cls: "mention" },
  { key: "quotes", label: "quotes", cls: "quote" },
  { key: "events", label: "events", cls: "trigger fam-vconf" },
  { key: "loaded", label: "loaded terms", cls: "loaded" },
  { key: "attribution", label: "attribution verbs", cls: "attribution" },
  { key: "claims", label: "narrator claims", cls: "claim" },
  { key: "biased", label: "biased sentences", cls: "biased" },
];
const FRAMING_LAYER = { loaded_term: "loaded", loaded_attribution: "attribution", unattributed_claim: "claims", biased_sentence: "biased" };
const FRAMING_CLASS = { loaded: "loaded", attribution: "attribution", claims: "claim", biased: "biased" };
const FRAMING_NAME = { loaded_term: "Loaded term", loaded_attribution: "Loaded attribution verb", unattributed_claim: "Narrator's claim",
  biased_sentence: "Biased sentence" };
const FRAMING_WHAT = {
  loaded_term: "A word or phrase that takes a side where a neutral one exists.",
  loaded_attribution: "A verb that reports what someone said while judging it (“admitted”, “claimed”) where a neutral one (“said”) exists.",
  unattributed_claim: "Something the outlet states or concludes in its own voice, with no source named for it.",
  biased_sentence: "A whole sentence that a bias classifier scores as one-sided.",
};

function speakerName(speaker) { return speaker ? (speaker.name || speaker.text) : null; }
// A neutral of "" means: drop the word ("so-called"); null means there is no alternative.
function hasAlternative(f) { return f.neutral !== null && f.neutral !== undefined; }
function substitutable(f) { return !f.in_quote && hasAlternative(f) && (f.kind === "loaded_term" || f.kind === "loaded_attribution"); }
function framingLayer(f) { return FRAMING_LAYER[f.kind] || "loaded"; }
function clip(text, most) { return text.length > most ? `${text.slice(0, most - 1)}…` : text; }

// The actor id of a document's entity (e3 -> "person:pavel-marek"); undefined when it has none.
function entityActor(a, entityId) {
  const found = a.entities.find((e) => e.id === entityId);
  return found ? found.actor : undefined;
}

// Every marked span of the page: {start, end, layer, cls, key} and the record it marks.
function annotations(a) {
  const out = [];
  for (const e of a.entities) {
    for (const m of e.mentions) out.push({ start: m.start, end: m.end, layer: "entities", cls: "mention", key: e.id, entity: e });
  }
  for (const q of a.quotes) {
    out.push({ start: q.content.start, end: q.content.end, layer: "quotes", cls: "quote", key: q.id, quote: q });
    if (q.speaker) out.push({ start: q.speaker.start, end: q.speaker.end, layer: "quotes", cls: "speaker", key: `${q.id}-speaker`, quote: q, speaker: true });
  }
  for (const v of a.events) {
    for (const m of v.mentions && v.mentions.length ? v.mentions : [v.trigger]) {
      out.push({ start: m.start, end: m.end, layer: "events", cls: `trigger fam-${eventFamily(v.type).key}`, key: v.id, event: v });
    }
  }
  a.framing.forEach((f, i) => {
    const layer = framingLayer(f);
    out.push({ start: f.start, end: f.end, layer, cls: FRAMING_CLASS[layer] + (f.in_quote ? " in-quote" : ""), key: `f${i}`, framing: f });
  });
  return out.filter((x) => x.end > x.start);
}

// The page's blocks: its segments, and the text between them.
function textBlocks(a) {
  const text = a.document.text;
  const blocks = [];
  let cursor = 0;
  for (const s of [...a.segments].sort((x, y) => x.start - y.start)) {
    if (s.start > cursor) blocks.push({ start: cursor, end: s.start, kind: null });
    blocks.push(s);
    cursor = Math.max(cursor, s.end);
  }
  if (cursor < text.length) blocks.push({ start: cursor, end: text.length, kind: null });
  // The line breaks between segments are shown by the blocks themselves.
  return blocks.filter((b) => b.kind || text.slice(b.start, b.end).trim());
}

// The text with the marks of the layers shown; in the neutral reading, the outlet's loaded words
// replaced by their neutral alternative (whatever layers are shown).
function renderText(a, state, id = "pagetext", label = "The page's text; marked spans are buttons") {
  const text = a.document.text;
  const all = annotations(a);
  const shown = all.filter((x) => state.layers.has(x.layer));
  const swaps = state.neutral ? all.filter((x) => x.framing && substitutable(x.framing)) : [];
  const container = el("div", { class: "pagetext", id, role: "group", "aria-label": label });
  for (const block of textBlocks(a)) {
    const styled = block.kind && state.layers.has("segments");
    const node = block.kind ? el("div", { class: styled ? `seg seg-${block.kind}` : "seg seg-plain", "data-kind": block.kind }) : el("span", { class: "gap" });
    const inside = [...shown, ...swaps].filter((x) => x.start < block.end && x.end > block.start);
    const cuts = new Set([block.start, block.end]);
    for (const x of inside) { cuts.add(Math.max(x.start, block.start)); cuts.add(Math.min(x.end, block.end)); }
    const points = [...cuts].sort((x, y) => x - y);
    let dropSpace = false;  // after a dropped word, its following space goes too
    for (let i = 0; i + 1 < points.length; i++) {
      const [from, to] = [points[i], points[i + 1]];
      const swap = swaps.find((x) => x.start <= from && x.end >= to);
      if (swap) {
        if (from === swap.start) {
          node.appendChild(neutralMark(swap));
          dropSpace = swap.framing.neutral === "";
        }
        continue;
      }
      let piece = text.slice(from, to);
      if (dropSpace) { piece = piece.replace(/^ /, ""); dropSpace = false; }
      const over = shown.filter((x) => x.start <= from && x.end >= to).sort((x, y) => (y.end - y.start) - (x.end - x.start));
      node.appendChild(over.length ? mark(over, from, piece) : document.createTextNode(piece));
    }
    container.appendChild(node);
  }
  const first = container.querySelector(".mk");
  if (first) first.tabIndex = 0;  // one stop for Tab; the arrow keys move between the marks
  return container;
}

// A marked piece of text: the classes of every layer over it, the keys of what it marks (widest first).
function mark(over, start, piece) {
  // Blank between two marks of one span: styled as the span, but not a stop of its own.
  if (!piece.trim()) return el("span", { class: `mk-space ${over.map((x) => x.cls).join(" ")}`, "data-ann": over.map((x) => x.key).join(" ") }, piece);
  const node = el("span", { class: `mk ${over.map((x) => x.cls).join(" ")}`, "data-ann": over.map((x) => x.key).join(" "),
    "data-start": start, role: "button", tabindex: -1, "aria-controls": "explain" }, piece);
  const quote = over.find((x) => x.cls === "quote");
  if (quote) node.setAttribute("data-speaker", speakerName(quote.quote.speaker) || "unknown speaker");
  return node;
}

function neutralMark(swap) {
  const dropped = swap.framing.neutral === "";
  return el("span", { class: dropped ? "mk neutralised dropped" : "mk neutralised", "data-ann": swap.key, "data-start": swap.start,
    role: "button", tabindex: -1, "aria-controls": "explain", "aria-label": dropped ? `“${swap.framing.text}” dropped` : null }, swap.framing.neutral);
}

// The neutral reading (``reading``, the #pagetext the view works on) beside the page as published,
// so what was changed is read next to what the outlet wrote; stacked on a narrow screen (style.css).
function sideBySide(a, state, reading, view) {
  const original = textEvents(renderText(a, { ...state, neutral: false }, "pagetext-original",
    "The page's text as published; marked spans are buttons"), view);
  const column = (id, title, text) => el("section", { class: "reading", "aria-labelledby": id },
    el("h2", { class: "reading-title", id }, title), text);
  return el("div", { class: "readings", id: "readings" },
    column("reading-original", "As published", original), column("reading-neutral", "Neutral reading", reading));
}

// ---- The view: text, layer toggles, the explaining panel and the lists beside the text ----------
function documentView(a) {
  const d = a.document;
  const state = { layers: new Set(LAYERS.map((l) => l.key)), neutral: false, selected: null };
  const index = new Map();
  for (const x of annotations(a)) if (!index.has(x.key)) index.set(x.key, x);
  const textHolder = el("div", { class: "text-col" });
  const panel = explainPanel(() => view.close());
  const view = {
    text: () => textHolder.querySelector("#pagetext"),
    redraw() {
      const reading = textEvents(renderText(a, state), view);
      clear(textHolder).appendChild(state.neutral ? sideBySide(a, state, reading, view) : reading);
      const selector = state.selected && `.mk[data-ann="${CSS.escape(state.selected)}"]`;
      const again = selector && (view.text().querySelector(selector) || textHolder.querySelector(selector));
      if (again) view.select(again, false); else if (state.selected) view.close();
    },
    select(node, focusPanel) {
      for (const old of textHolder.querySelectorAll(".mk.selected")) old.classList.remove("selected");
      for (const part of markParts(node)) part.classList.add("selected");
      state.selected = node.getAttribute("data-ann");
      state.node = node;
      panel.show(explanation(a, index, node));
      keepAboveSheet(node, panel.node);
      if (focusPanel) panel.heading.focus();
    },
    close() {
      const selected = state.node && state.node.isConnected ? state.node : null;
      const hadFocus = panel.node.contains(document.activeElement);
      for (const part of textHolder.querySelectorAll(".mk.selected")) part.classList.remove("selected");
      state.selected = null;
      state.node = null;
      panel.empty();
      if (selected && hadFocus) selected.focus();
    },
    reveal(key) { revealMark(view, state, index, key); },
    setLayer(key, on) { if (on) state.layers.add(key); else state.layers.delete(key); view.redraw(); },
  };
  const hasNeutral = a.framing.some(substitutable);
  const neutralToggle = el("label", { class: "toggle", title: "Replace the outlet's loaded wording by its neutral alternative" },
    el("input", { type: "checkbox", id: "neutral-toggle", disabled: !hasNeutral, onchange: (e) => { state.neutral = e.target.checked; view.redraw(); } }),
    "Neutral reading", hasNeutral ? null : el("span", { class: "muted" }, " (no loaded wording to replace)"));
  view.redraw();
  return el("div", { class: "docview" },
    el("h1", {}, d.title || "(no title)"),
    documentMeta(d),
    layerToggles(a, state, view, neutralToggle),
    el("p", { class: "muted keys-hint", id: "keys-hint" }, "Click or tap a marked span to see what it is. Keyboard: Tab into the text, ",
      el("kbd", {}, "←"), " ", el("kbd", {}, "→"), " move between marks, ", el("kbd", {}, "Enter"), " explains, ", el("kbd", {}, "Esc"), " closes."),
    el("div", { class: "docgrid" }, textHolder,
      el("aside", { class: "doc-side", "aria-label": "About this document" }, panel.node, quotesPanel(a, view), eventsPanel(a, view), framingPanel(a, view), entitiesPanel(a))));
}

// A place of the document, linked to the events located around it (the events page's box filter).
function placeLink(p) {
  const area = p.admin1_name && p.admin1_name !== p.name ? `, ${p.admin1_name}` : "";
  return el("a", { href: `/ui/events?bbox=${placeBox(p)}`, "data-nav": true, title: `Events located around ${p.name}` },
    `${p.name}${area}, ${p.country || "?"}`);
}

function documentMeta(d) {
  return el("div", { class: "meta" }, d.outlet ? el("span", {}, d.outlet) : null, el("span", { class: "published" }, d.published || "undated"),
    d.url ? el("a", { href: d.url, rel: "noopener noreferrer", target: "_blank", class: "doc-url" }, d.url) : null,
    el("span", {}, `id ${d.id}`), d.language ? el("span", {}, d.language) : null,
    (d.places || []).length ? el("span", { class: "doc-places" }, "places: ", d.places.map((p, i) => [i ? "; " : "", placeLink(p)])) : null,
    d.status !== "analysed" ? el("span", {}, d.status_reason || d.status) : null,
    d.id ? el("a", { href: `/documents/${encodeURIComponent(d.id)}` }, "JSON") : null);
}

function layerCounts(a) {
  const counts = Object.fromEntries(LAYERS.map((l) => [l.key, 0]));
  counts.segments = a.segments.length;
  counts.entities = a.entities.length;
  counts.quotes = a.quotes.length;
  counts.events = a.events.length;
  for (const f of a.framing) counts[framingLayer(f)] += 1;
  return counts;
}

// One checkbox a layer, its label drawn in the layer's own style, with how many of it the page has.
function layerToggles(a, state, view, neutralToggle) {
  const counts = layerCounts(a);
  return el("fieldset", { class: "layers", id: "layers" }, el("legend", {}, "Show"),
    LAYERS.map((l) => el("label", { class: "layer-toggle", "data-layer": l.key },
      el("input", { type: "checkbox", id: `layer-${l.key}`, checked: state.layers.has(l.key), onchange: (e) => view.setLayer(l.key, e.target.checked) }),
      el("span", { class: `layer-sample ${l.cls}` }, l.label), el("span", { class: "count" }, String(counts[l.key])))),
    neutralToggle);
}

// Clicks, taps and keys on the text: a mark's explanation; arrows from mark to mark.
function textEvents(container, view) {
  container.addEventListener("click", (e) => {
    const node = e.target.closest(".mk");
    if (node) view.select(node, false);
  });
  container.addEventListener("focusin", (e) => {
    const node = e.target.closest(".mk");
    if (!node) return;
    for (const other of container.querySelectorAll(".mk[tabindex='0']")) other.tabIndex = -1;
    node.tabIndex = 0;  // Tab comes back to where the reader left the text
  });
  container.addEventListener("keydown", (e) => {
    const node = e.target.closest(".mk");
    if (!node || e.altKey || e.ctrlKey || e.metaKey) return;
    const marks = [...container.querySelectorAll(".mk")];
    const at = marks.indexOf(node);
    const to = { ArrowRight: at + 1, ArrowDown: at + 1, ArrowLeft: at - 1, ArrowUp: at - 1, Home: 0, End: marks.length - 1 }[e.key];
    if (to !== undefined) {
      e.preventDefault();
      const next = marks[Math.max(0, Math.min(marks.length - 1, to))];
      next.focus();
      if (container.querySelector(".mk.selected")) view.select(next, false);  // an open panel follows the focus
    } else if (e.key === "Enter" || e.key === " ") {
      e.preventDefault();
      view.select(node, true);
    } else if (e.key === "Escape") {
      view.close();
    }
  });
  return container;
}

// The pieces of the narrowest thing marked at ``node``: it and its neighbours that share it (a
// phrase cut in two by a name in it is outlined whole).
function markParts(node) {
  const narrowest = node.getAttribute("data-ann").split(" ").pop();
  const has = (n) => n && n.nodeType === Node.ELEMENT_NODE && (n.classList.contains("mk") || n.classList.contains("mk-space")) && n.getAttribute("data-ann").split(" ").includes(narrowest);
  const parts = [node];
  for (let n = node.previousSibling; has(n); n = n.previousSibling) parts.push(n);
  for (let n = node.nextSibling; has(n); n = n.nextSibling) parts.push(n);
  return parts;
}

// Show the mark of ``key`` in the text (its layer turned on if it was off), selected and focused.
function revealMark(view, state, index, key) {
  const found = index.get(key);
  if (found && !state.layers.has(found.layer)) {
    const box = document.getElementById(`layer-${found.layer}`);
    if (box) box.checked = true;
    view.setLayer(found.layer, true);
  }
  const node = [...view.text().querySelectorAll(".mk")].find((n) => n.getAttribute("data-ann").split(" ").includes(key));
  if (!node) return;
  node.scrollIntoView({ block: "center", behavior: "smooth" });
  node.focus({ preventScroll: true });
  view.select(node, false);
  node.classList.add("flash");
  setTimeout(() => node.classList.remove("flash"), 1600);
}

// On a narrow screen the panel is a sheet over the bottom of the screen: keep the mark above it.
function keepAboveSheet(node, sheet) {
  if (getComputedStyle(sheet).position !== "fixed") return;
  const mark = node.getBoundingClientRect();
  const top = sheet.getBoundingClientRect().top;
  if (mark.bottom > top - 8 || mark.top < 0) window.scrollBy(0, mark.top - Math.max(8, (top - mark.height) / 3));
}

// ---- The panel that explains the selected mark -----------------------------------------------------
const EXPLAIN_HINT = "Select a marked span in the text to see what it is and why it is marked: click or tap it, " +
  "or Tab into the text, move with the arrow keys and press Enter.";

function explainPanel(close) {
  const heading = el("h2", { id: "explain-title", tabindex: -1 }, "Selected span");
  const body = el("div", { id: "explain-body" }, el("p", { class: "muted" }, EXPLAIN_HINT));
  const closer = el("button", { type: "button", class: "secondary small", id: "explain-close", onclick: close, hidden: true }, "Close");
  const node = el("section", { class: "card explain", id: "explain", "aria-labelledby": "explain-title",
    onkeydown: (e) => { if (e.key === "Escape") close(); } },
  el("div", { class: "explain-head" }, heading, closer), body);
  return {
    node, heading,
    show(children) { append(clear(body), [children]); node.classList.add("open"); closer.hidden = false; },
    empty() { append(clear(body), [el("p", { class: "muted" }, EXPLAIN_HINT)]); node.classList.remove("open"); closer.hidden = true; },
  };
}

// What the mark ``node`` stands for: one section for each layer over it, the narrowest first.
function explanation(a, index, node) {
  const keys = node.getAttribute("data-ann").split(" ").reverse();
  const start = Number(node.getAttribute("data-start"));
  const segment = a.segments.find((s) => s.start <= start && start < s.end);
  return [keys.map((key) => index.get(key)).filter(Boolean).map((x) => explainOne(a, x)),
    segment ? el("p", { class: "muted explain-segment" }, `In the page's ${segment.kind} (segment).`) : null];
}

function explainOne(a, x) {
  if (x.framing) return explainFraming(a, x.framing);
  if (x.event) return explainEvent(a, x.event);
  if (x.speaker) return explainSpeaker(a, x.quote);
  if (x.quote) return explainQuote(a, x.quote);
  return explainEntity(x.entity);
}

function explainSection(layer, title, what, rows, extra) {
  return el("section", { class: "explain-item", "data-layer": layer },
    el("h3", {}, el("span", { class: "layer-dot", "data-layer": layer }), title),
    what ? el("p", { class: "explain-what" }, what) : null, extra || null,
    el("dl", { class: "explain-facts" }, rows.filter(Boolean).map(([name, value]) => [el("dt", {}, name), el("dd", {}, value)])));
}

// The speaker of a quote, linked to their actor page when they are a known entity.
function quoteSpeaker(a, q) {
  if (!q || !q.speaker) return "unknown speaker";
  const name = speakerName(q.speaker);
  return q.speaker.name ? actorLink(name, q.speaker.actor || entityActor(a, q.speaker.entity)) : name;
}

// The quote a framing span is in, or whose cue (its verb of saying) it is.
function framingQuote(a, f) {
  return a.quotes.find((q) => q.id === f.quote) || a.quotes.find((q) => q.cue && q.cue.start < f.end && q.cue.end > f.start);
}

function explainFraming(a, f) {
  const layer = framingLayer(f);
  const quote = framingQuote(a, f);
  const voice = f.in_quote ? ["inside a quote: the words of ", quote ? quoteSpeaker(a, quote) : (f.speaker || "the speaker"), " (a neutral reading never rewrites them)"]
    : "the outlet's own words";
  const neutral = f.neutral === "" ? "drop the word" : hasAlternative(f) ? `“${f.neutral}”` : null;
  return explainSection(layer, FRAMING_NAME[f.kind] || f.kind, FRAMING_WHAT[f.kind], [
    ["Why", f.explanation || "no explanation given"],
    f.kind === "loaded_term" || f.kind === "loaded_attribution" ? ["Neutral alternative", neutral || "none listed"] : null,
    ["Whose words", voice],
    f.kind === "loaded_attribution" && quote && !f.in_quote ? ["Speaker it reports", quoteSpeaker(a, quote)] : null,
    typeof f.score === "number" ? ["Classifier score", f.score.toFixed(2)] : null,
    f.category ? ["Category", f.category.replace(/_/g, " ")] : null,
  ], el("p", { class: "explain-text" }, el("q", {}, clip(f.text, 280))));
}

function eventSide(a, list) {
  if (!list || !list.length) return "not named";
  return list.map((x, i) => [i ? ", " : "", x.name ? actorLink(x.name, x.actor || entityActor(a, x.entity)) : (x.text || "?")]);
}

function explainEvent(a, v) {
  const family = eventFamily(v.type);
  const quote = v.quote ? a.quotes.find((q) => q.id === v.quote) : null;
  return explainSection("events", `Event: ${v.type}`, `Who did what to whom, coded with PLOVER's event types; ${v.type} is ${family.name}.`, [
    ["Actor", eventSide(a, v.actors)],
    ["Event", el("span", { class: `event-type fam-${family.key}` }, v.type)],
    ["Recipient", eventSide(a, v.recipients)],
    ["Trigger", `“${v.trigger.text}”`],
    v.negated ? ["Negated", "yes: the text says it did not happen"] : null,
    v.hypothetical ? ["Hypothetical", "yes: the text says it might happen"] : null,
    v.quote ? ["Reported in", ["a quote of ", quote ? quoteSpeaker(a, quote) : v.quote]] : null,
    typeof v.confidence === "number" ? ["Confidence", v.confidence.toFixed(2)] : null,
  ], el("p", { class: "event-line" }, eventSide(a, v.actors), " → ", el("strong", {}, v.type), " → ", eventSide(a, v.recipients)));
}

function explainQuote(a, q) {
  return explainSection("quotes", `Quote (${q.kind})`, "Words the page attributes to a speaker: direct in quotation marks, indirect as reported speech, mixed when both.", [
    ["Speaker", quoteSpeaker(a, q)],
    q.cue ? ["Introduced by", `“${q.cue.text}”`] : null,
  ], el("p", { class: "explain-text" }, el("q", {}, clip(q.content.text, 280))));
}

function explainSpeaker(a, q) {
  return explainSection("quotes", `Speaker: ${speakerName(q.speaker)}`, "The one the next or last quote is attributed to.", [
    ["Actor page", quoteSpeaker(a, q)],
    ["Quote", el("q", {}, clip(q.content.text, 160))],
  ]);
}

// Where a place name resolved (a GeoNames entry), or the country inferred for a name the gazetteer lacks.
function entityPlace(p) {
  if (p.inferred) return `somewhere in ${p.name} (inferred from the page's other places: the name is not in the gazetteer)`;
  return [placeLink(p), ` · ${p.feature}, ${p.latitude}, ${p.longitude}`];
}

function explainEntity(e) {
  return explainSection("entities", `Entity: ${e.name}`, "A name the page mentions (a person, an organisation, a place), one actor across documents.", [
    ["Type", e.type],
    e.code ? ["Code", el("span", { class: "code" }, e.code)] : null,
    e.place ? ["Place", entityPlace(e.place)] : null,
    ["Mentions here", String(e.mentions.length)],
    ["Actor page", actorLink(e.name, e.actor)],
  ]);
}

// ---- The lists beside the text -------------------------------------------------------------------
function quotesPanel(a, view) {
  const groups = new Map();
  for (const q of a.quotes) {
    const who = speakerName(q.speaker) || "unknown speaker";
    if (!groups.has(who)) groups.set(who, []);
    groups.get(who).push(q);
  }
  return el("div", { class: "card", id: "panel-quotes" }, el("h2", {}, `Quotes by speaker (${a.quotes.length})`),
    groups.size ? [...groups].map(([who, list]) => el("div", { class: "speaker-group" },
      // Only a speaker resolved to an entity has an actor page; "officials" and the like do not.
      el("div", { class: "name" }, quoteSpeaker(a, list[0]), el("span", { class: "muted" }, ` · ${list.length}`)),
      list.map((q) => el("button", { type: "button", class: "qitem", "data-quote": q.id, onclick: () => view.reveal(q.id) },
        el("span", { class: "kind" }, q.kind), q.content.text))))
      : el("p", { class: "muted" }, "No quotes."));
}

function eventsPanel(a, view) {
  return el("div", { class: "card", id: "panel-events" }, el("h2", {}, `Events (${a.events.length})`),
    a.events.length ? a.events.map((v) => eventChip(v, { onclick: () => view.reveal(v.id), label: `Show the ${v.type} event in the text` }))
      : el("p", { class: "muted" }, "No events coded."));
}

function framingPanel(a, view) {
  const outletVoice = a.framing.filter((f) => !f.in_quote).length;
  return el("div", { class: "card", id: "panel-framing" }, el("h2", {}, `Framing (${a.framing.length})`),
    a.framing.length ? [
      el("div", { class: "kv" }, Object.entries(layerCounts(a)).filter(([k, n]) => FRAMING_CLASS[k] && n)
        .map(([k, n]) => el("div", {}, el("span", {}, `${LAYERS.find((l) => l.key === k).label}: `), String(n)))),
      el("div", { class: "kv" }, el("span", {}, "outlet's own words: "), String(outletVoice), el("span", {}, " · inside quotes: "), String(a.framing.length - outletVoice)),
      a.framing.map((f, i) => el("div", { class: "frame-item" },
        el("button", { type: "button", class: `linklike ${FRAMING_CLASS[framingLayer(f)]}${f.in_quote ? " in-quote" : ""}`, onclick: () => view.reveal(`f${i}`) }, clip(f.text, 90)),
        hasAlternative(f) ? [" → ", el("span", { class: "neutralised" }, f.neutral === "" ? "(drop it)" : f.neutral)] : null,
        f.in_quote ? el("span", { class: "muted" }, ` (${f.speaker || "speaker"}'s words)`) : null)),
    ] : el("p", { class: "muted" }, "No loaded wording found."));
}

function entitiesPanel(a) {
  return el("div", { class: "card", id: "panel-entities" }, el("h2", {}, `Who is in it (${a.entities.length})`),
    el("table", { class: "plain" }, el("tr", {}, el("th", {}, "name"), el("th", {}, "type"), el("th", {}, "code"), el("th", {}, "×")),
      a.entities.map((e) => el("tr", {}, el("td", {}, actorLink(e.name, e.actor)), el("td", { class: "nowrap" }, e.type), el("td", { class: "nowrap" }, e.code || ""), el("td", {}, String(e.mentions.length))))));
}
