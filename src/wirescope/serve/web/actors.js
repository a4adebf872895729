// wirescope web UI: the actor register (/ui/actors), one actor's page (/ui/actors/ID) and the
// corrections panel. Loaded before app.js, whose helpers (el, api, link, show...) these pages call
// when they are drawn; the same safety rule: data reaches the DOM as text only.
"use strict";

const ACTOR_TYPES = ["PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"];

function actorHref(id) { return `/ui/actors/${encodeURIComponent(id)}`; }
function countLabel(n, noun) { return `${n} ${noun}${n === 1 ? "" : "s"}`; }

// "Download JSON" and "Download CSV" of a list of the API with the filters shown (JSON: the first
// 500, the most one page gives; CSV: every match). ``name``: the files' name and the links' ids.
function listDownloads(path, filters, name) {
  const query = (extra) => new URLSearchParams(cleanParams({ ...filters, ...extra })).toString();
  return el("span", { class: "downloads", id: `${name}-downloads` },
    el("a", { class: "button secondary", id: `${name}-json`, href: `${path}?${query({ limit: 500 })}`, download: `${name}.json` }, "Download JSON"),
    el("a", { class: "button secondary", id: `${name}-csv`, href: `${path}?${query({ format: "csv" })}`, download: `${name}.csv` }, "Download CSV"));
}
// An alias of the register: {alias, mentions, documents}.
function aliasText(x) { return x.alias; }

// The code an actor was given last (by publication day): the chip shown next to its name.
function latestCodes(actor) {
  const codes = (actor.codes || []).filter((c) => c.code);
  const last = codes.reduce((day, c) => (c.last_seen && (!day || c.last_seen > day) ? c.last_seen : day), null);
  return [...new Set(codes.filter((c) => !last || c.last_seen === last).map((c) => c.code))];
}

// ---- The register --------------------------------------------------------------------------------
async function pageActors() {
  const p = queryParams();
  // The network's filters in an old address (/ui/actors was the network): draw the network.
  if (p.min_count) { history.replaceState(null, "", "/ui/network" + location.search); await pageNetwork(); return; }
  const limit = 50;
  const offset = Number(p.offset || 0);
  const found = await api("/actors", { q: p.q, type: p.type, limit, offset });
  const form = el("form", { class: "filters", id: "actor-search", onsubmit: (e) => {
    e.preventDefault();
    navigate("/ui/actors?" + new URLSearchParams(cleanParams(Object.fromEntries(new FormData(e.target)))).toString());
  } },
  el("label", {}, "name or alias", el("input", { name: "q", type: "search", value: p.q || "", size: 30 })),
  el("label", {}, "type", el("select", { name: "type" }, el("option", { value: "" }, "any"),
    ACTOR_TYPES.map((t) => el("option", { value: t, selected: t === p.type }, t)))),
  el("button", { type: "submit" }, "Find"),
  link("/ui/network", "Network of actors →"));
  const rows = found.items.map((a) => el("tr", { "data-actor": a.id },
    el("td", {}, el("div", { class: "actor-name" }, link(actorHref(a.id), a.name)), el("div", { class: "actor-id" }, a.id)),
    el("td", { class: "nowrap" }, a.type || ""),
    el("td", {}, latestCodes(a).map((c) => el("span", { class: "code" }, c))),
    el("td", { class: "aliases" }, aliasList(a.aliases, 4)),
    el("td", { class: "num" }, String(a.documents)),
    el("td", { class: "nowrap" }, seenLabel(a.first_seen, a.last_seen))));
  show(el("h1", {}, "Actors"),
    el("p", { class: "muted" }, "One row per actor, the same in every document that names them: the names it is written as, " +
      "its codes over time and where it was seen. Open an actor to correct it."),
    form,
    el("div", { class: "result-bar" }, el("p", { class: "muted", id: "actor-count" }, `${found.total} actor${found.total === 1 ? "" : "s"}`),
      listDownloads("/actors", { q: p.q, type: p.type }, "actors")),
    found.items.length ? stackTable(el("table", { class: "plain", id: "actor-table" },
      el("tr", {}, ["actor", "type", "code", "written as", "documents", "seen"].map((h) => el("th", {}, h))), rows))
      : el("p", { class: "muted" }, "No actor matches."),
    pager(found, (off) => "/ui/actors?" + new URLSearchParams(cleanParams({ ...p, offset: off })).toString()));
}

// "Pavel Marek ×3, Marek ×2, +1 more": the aliases as written, most frequent first.
function aliasList(aliases, most) {
  const list = aliases || [];
  const shown = list.slice(0, most).map((x, i) => [i ? ", " : "", el("span", { class: "alias" }, aliasText(x)), el("span", { class: "muted" }, ` ×${x.mentions}`)]);
  return [shown, list.length > most ? el("span", { class: "muted" }, `, +${list.length - most} more`) : null];
}

// ---- One actor -----------------------------------------------------------------------------------
async function pageActor(key) {
  let actor;
  try {
    actor = await api(`/actors/${encodeURIComponent(key)}`);
  } catch (error) {
    if (error.status === 404 && error.detail && error.detail.length) { show(ambiguousActor(key, error)); return; }
    throw error;
  }
  if (!actor.id) { show(unregisteredActor(actor)); return; }
  // An alias or an old name in the address: the page's own address is the actor's id.
  if (actor.id !== key) history.replaceState(null, "", actorHref(actor.id));
  const stats = await api("/stats");
  show(actorHeader(actor),
    el("div", { class: "two" }, aliasesCard(actor), codesCard(actor)),
    activity(actor),
    el("div", { class: "two" }, documentsCard(actor), correctionsPanel(actor, stats)));
}

// Okabe and Ito's colours, told apart with every kind of colour blindness.
const ACTIVITY_SERIES = [{ name: "said", colour: "#0072b2" }, { name: "did", colour: "#d55e00" }, { name: "had done to them", colour: "#009e73" }];

// Over time, and what the actor said, did and had done to them.
function activity(actor) {
  return [el("h2", {}, "Over time"),
    timeChart(actor.timeline.map((t) => ({ day: t.day, parts: { said: t.said, did: t.did, "had done to them": t.received } })), ACTIVITY_SERIES, { what: "quotes and events" }),
    el("div", { class: "three" }, saidCard(actor), eventsCard("actor-did", "What they did", actor.did, actor.did_total),
      eventsCard("actor-received", "What was done to them", actor.received, actor.received_total))];
}

// A name no actor id has (stored before the register, or never identified): what goes by that name.
function unregisteredActor(actor) {
  const entityLine = (actor.entities || []).map((e) => `${e.type}${e.code ? " " + e.code : ""} in ${countLabel(e.documents, "document")}`).join("; ");
  return [el("h1", { id: "actor-name" }, actor.name),
    el("div", { class: "meta actor-meta" }, el("span", {}, entityLine || "not an entity of any document"), el("span", {}, countLabel(actor.documents, "document")),
      link(`/ui/events?actor=${encodeURIComponent(actor.name)}`, "events")),
    el("p", { class: "muted", id: "not-registered" }, "No actor id goes by this name (documents analysed before actor ids, " +
      "or a name not identified across documents): what is shown is matched by the name alone, and it cannot be corrected here. " +
      "Re-analysing the documents registers their actors. ", link(`/ui/actors?q=${encodeURIComponent(actor.name)}`, "Find it in the register →")),
    activity(actor)];
}

function ambiguousActor(key, error) {
  return el("div", {}, el("h1", {}, key), errorBox(error.message),
    el("ul", { id: "actor-candidates" }, error.detail.map((a) => el("li", {}, link(actorHref(a.id), a.name),
      el("span", { class: "muted" }, ` ${a.id} · ${a.type} · ${countLabel(a.documents, "document")}`)))));
}

function actorHeader(actor) {
  const query = encodeURIComponent(actor.id);
  return [el("h1", { id: "actor-name" }, actor.name),
    el("div", { class: "meta actor-meta" }, el("span", { class: "actor-id", id: "actor-id" }, actor.id), el("span", {}, actor.type || ""),
      latestCodes(actor).map((c) => el("span", { class: "code" }, c)),
      el("span", {}, countLabel(actor.documents, "document")), el("span", {}, `seen ${seenLabel(actor.first_seen, actor.last_seen)}`),
      link(`/ui/events?actor=${query}`, "events"), el("a", { href: `/actors/${query}` }, "JSON"))];
}

function aliasesCard(actor) {
  const aliases = actor.aliases || [];
  return el("div", { class: "card", id: "actor-aliases" }, el("h2", {}, `Written as (${aliases.length})`),
    aliases.length ? el("table", { class: "plain" }, el("tr", {}, el("th", {}, "as written"), el("th", {}, "mentions"), el("th", {}, "documents")),
      aliases.map((x) => el("tr", {}, el("td", {}, aliasText(x)), el("td", { class: "num" }, String(x.mentions)), el("td", { class: "num" }, String(x.documents)))))
      : el("p", { class: "muted" }, "No mention stored."));
}

function codesCard(actor) {
  const codes = actor.codes || [];
  return el("div", { class: "card", id: "actor-codes" }, el("h2", {}, "Codes over time"),
    codes.length ? el("table", { class: "plain" }, el("tr", {}, el("th", {}, "code"), el("th", {}, "first – last day given"), el("th", {}, "documents")),
      codes.map((c) => el("tr", {}, el("td", {}, el("span", { class: "code" }, c.code)), el("td", { class: "nowrap" }, seenLabel(c.first_seen, c.last_seen)),
        el("td", { class: "num" }, String(c.documents)))))
      : el("p", { class: "muted" }, "No code: nothing in the text or the gazetteer names a role for this actor."));
}

function saidCard(actor) {
  const said = actor.said.map((q) => el("div", { class: "qitem" }, el("span", { class: "kind" }, q.kind), q.content.text,
    el("div", { class: "meta" }, docLink(q.doc_id, q.title || q.doc_id), q.outlet ? el("span", {}, q.outlet) : null, el("span", {}, dayLabel(q.day)))));
  const total = typeof actor.quotes === "number" ? actor.quotes : actor.said.length;
  // The downloads list the quotes of this actor: of its id, else of speakers written with its name.
  const downloads = said.length ? listDownloads("/quotes", actor.id ? { actor: actor.id } : { speaker: actor.name }, "quotes") : null;
  return el("div", { class: "card", id: "actor-said" }, el("h2", {}, `What they said (${total})`), downloads, said.length ? said : el("p", { class: "muted" }, "No quotes."));
}

function eventsCard(id, title, list, total) {
  const items = list.map((v) => el("div", {}, eventChip(v, { href: docPath(v.doc_id), label: "open the document" }),
    el("div", { class: "meta" }, docLink(v.doc_id, v.title || v.doc_id), el("span", {}, dayLabel(v.day)))));
  return el("div", { class: "card", id }, el("h2", {}, `${title} (${total})`), items.length ? items : el("p", { class: "muted" }, "No events."));
}

function documentsCard(actor) {
  const docs = actor.document_list || [];
  return el("div", { class: "card", id: "actor-documents" }, el("h2", {}, `Documents (${actor.documents})`),
    docs.length ? el("table", { class: "plain" }, docs.map((d) => el("tr", {}, el("td", { class: "nowrap" }, dayLabel(d.day)),
      el("td", {}, docLink(d.id, d.title || d.id)), el("td", {}, d.outlet || ""))))
      : el("p", { class: "muted" }, "No document."));
}

// ---- Corrections ---------------------------------------------------------------------------------
// Merge, rename, recode, split: each posts to /actors/ID/ACTION, then the page is drawn again from
// the API with a line saying what was done. The token is kept in memory only, for the next one.
let correctionToken = "";

function correctionsPanel(actor, stats) {
  const card = el("div", { class: "card", id: "corrections" }, el("h2", {}, "Correct this actor"));
  if (stats.read_only) {
    card.appendChild(el("p", { class: "muted" }, "The database is open read-only: corrections are disabled."));
    return card;
  }
  const token = stats.token_required ? el("input", { name: "token", type: "password", id: "correction-token", autocomplete: "off",
    value: correctionToken, oninput: (e) => { correctionToken = e.target.value; } }) : null;
  const status = el("div", { id: "correction-status", role: "status" });
  const post = (id, action, body) => {
    const headers = { "Content-Type": "application/json" };
    if (token && token.value) headers.Authorization = `Bearer ${token.value}`;
    return api(`/actors/${encodeURIComponent(id)}/${action}`, null, { method: "POST", headers, body: JSON.stringify(body) });
  };
  // Run a correction, then draw the actor ``go(answer)`` names with ``done(answer)`` said above the panel.
  const run = async (work, go, done) => {
    clear(status).appendChild(el("p", { class: "muted" }, "Saving…"));
    let answer;
    try {
      answer = await work();
    } catch (error) {
      clear(status).appendChild(errorBox(error.message));
      return;
    }
    await redraw(actorHref(go(answer)), done(answer));
  };
  const self = () => actor.id;
  append(card, [
    token ? el("label", { class: "stacked" }, "API token (this server needs one for corrections)", token) : null,
    renameForm(actor, (name) => run(() => post(actor.id, "rename", { name }), self, (a) => `Renamed: ${a.name}.`)),
    recodeForm(actor, (body) => run(() => post(actor.id, "recode", body), self, () => `Coded ${body.code.toUpperCase()} from ${body.start || "the first day"} to ${body.end || "the last"}.`)),
    splitForm(actor, (body) => run(() => post(actor.id, "split", body), self,
      (a) => [`“${body.alias}” split off into `, link(actorHref(a.id), a.name), "."])),
    mergeForm(actor, (into) => run(() => post(into.id, "merge", { other: actor.id }), (a) => a.id,
      () => `${actor.name} (${actor.id}) merged into this actor.`)),
    status]);
  return card;
}

// Draw the page at ``path`` (replacing the address when it is the same actor) and say ``notice``.
async function redraw(path, notice) {
  if (decodeURIComponent(path) === decodeURIComponent(location.pathname)) history.replaceState(null, "", path);
  else history.pushState(null, "", path);
  await route();
  const status = document.getElementById("correction-status");
  if (status) append(clear(status), [el("p", { class: "notice" }, notice)]);
}

function correctionForm(id, title, fields, button, submit) {
  return el("form", { class: "correction", id, onsubmit: (e) => {
    e.preventDefault();
    submit(Object.fromEntries(new FormData(e.target)));
  } }, el("h3", {}, title), el("div", { class: "filters" }, fields, el("button", { type: "submit" }, button)));
}

function renameForm(actor, rename) {
  return correctionForm("rename-form", "Rename", el("label", {}, "canonical name", el("input", { name: "name", value: actor.name, required: true, size: 32 })),
    "Rename", (data) => rename(data.name));
}

function recodeForm(actor, recode) {
  return correctionForm("recode-form", "Recode", [
    el("label", {}, "code", el("input", { name: "code", required: true, size: 10, placeholder: "e.g. USAGOV", value: latestCodes(actor)[0] || "" })),
    el("label", {}, "from", el("input", { name: "start", type: "date" })),
    el("label", {}, "to", el("input", { name: "end", type: "date" }))],
  "Set code", (data) => recode({ code: data.code, start: data.start || null, end: data.end || null }));
}

function splitForm(actor, split) {
  const aliases = actor.aliases || [];
  if (aliases.length < 2) return el("div", { class: "correction muted", id: "split-form" }, el("h3", {}, "Split"), "Only one alias: nothing to split off.");
  return correctionForm("split-form", "Split an alias off into a new actor", [
    el("label", {}, "alias", el("select", { name: "alias", required: true }, el("option", { value: "" }, "choose…"),
      aliases.map((x) => el("option", { value: aliasText(x) }, `${aliasText(x)} (×${x.mentions})`)))),
    el("label", {}, "new actor's name", el("input", { name: "name", required: true, size: 24 }))],
  "Split", (data) => split({ alias: data.alias, name: data.name }));
}

// Merge: find the other actor by name, pick it, then confirm: this actor and its id cease to exist.
function mergeForm(actor, merge) {
  const choices = el("div", { class: "merge-choices", id: "merge-choices" });
  const confirm = (into) => clear(choices).appendChild(el("p", { class: "merge-confirm" },
    `Merge ${actor.name} (${actor.id}) into ${into.name} (${into.id})? Every mention, event and quote of this actor goes to it. `,
    el("button", { type: "button", id: "merge-confirm", onclick: () => merge(into) }, "Merge"), " ",
    el("button", { type: "button", class: "secondary", onclick: () => clear(choices) }, "Cancel")));
  const find = async (q) => {
    let found;
    try {
      found = await api("/actors", { q, limit: 8 });
    } catch (error) {
      clear(choices).appendChild(errorBox(error.message));
      return;
    }
    const others = found.items.filter((a) => a.id !== actor.id);
    clear(choices).appendChild(others.length ? el("ul", {}, others.map((a) => el("li", {},
      el("button", { type: "button", class: "secondary", "data-merge-into": a.id, onclick: () => confirm(a) }, `Merge into ${a.name}`),
      el("span", { class: "muted" }, ` ${a.id} · ${countLabel(a.documents, "document")}`))))
      : el("p", { class: "muted" }, "No other actor matches."));
  };
  return el("form", { class: "correction", id: "merge-form", onsubmit: (e) => { e.preventDefault(); find(new FormData(e.target).get("q")); } },
    el("h3", {}, "Merge into another actor"),
    el("div", { class: "filters" }, el("label", {}, "find the actor", el("input", { name: "q", type: "search", required: true, size: 24 })),
      el("button", { type: "submit", class: "secondary" }, "Find")),
    choices);
}
