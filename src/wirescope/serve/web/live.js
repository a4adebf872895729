// wirescope web UI: what changes while a page is open. The documents and stories lists take in what
// arrives, the collector page and the alerts pages redraw themselves. Same safety rule as app.js:
// server text reaches the DOM as text only. Loaded before app.js, whose helpers (el, api, link, ...)
// these functions call once the page is drawn.
"use strict";

// ---- Polling -------------------------------------------------------------------------------------
const POLL_MS = 5000;
const MIN_POLL_MS = 2000;  // never more often, whatever a caller asks for
let livePolls = [];  // the stop functions of the shown view's polls

// Stop the polls of the view being left (route() calls this before drawing the next view).
function stopPolls() {
  for (const stop of livePolls) stop();
  livePolls = [];
}

// Run ``tick`` every ``everyMs`` while ``note`` (the view's line about its updates) is on the page and
// the tab is visible; one tick at a time, each after the last one ended. A failed tick is said on the
// note and tried again at the next turn.
function poll(tick, note, everyMs = POLL_MS) {
  const interval = Math.max(MIN_POLL_MS, everyMs);
  const idle = note.textContent;
  let timer = null;
  let stopped = false;
  let busy = false;
  const say = (text, failing) => { note.textContent = text; note.classList.toggle("failing", failing); };
  const stop = () => { stopped = true; clearTimeout(timer); document.removeEventListener("visibilitychange", onVisibility); };
  const schedule = () => {
    clearTimeout(timer);
    if (!stopped && document.visibilityState === "visible") timer = setTimeout(run, interval);
  };
  async function run() {
    if (!note.isConnected) stop();  // the view was replaced without route(): nothing left to update
    if (stopped || busy) return;
    busy = true;
    try {
      await tick();
      if (note.classList.contains("failing")) say(idle, false);
    } catch (error) {
      say(`⚠ Live updates: the server did not answer (${error.message || error}); trying again in ${interval / 1000} s.`, true);
    } finally {
      busy = false;
    }
    schedule();
  }
  function onVisibility() {
    if (document.visibilityState === "visible") {
      say(idle, false);
      run();  // catch up at once
    } else {
      clearTimeout(timer);
      say("Live updates paused while this tab is hidden.", false);
    }
  }
  document.addEventListener("visibilitychange", onVisibility);
  livePolls.push(stop);
  schedule();
}

function liveNote(text) { return el("p", { class: "live-note muted", id: "live-note" }, text); }

// ---- Times ---------------------------------------------------------------------------------------
const RELATIVE = new Intl.RelativeTimeFormat("en", { numeric: "auto" });
const RELATIVE_UNITS = [["second", 60], ["minute", 60], ["hour", 24], ["day", 365], ["year", Infinity]];

// The API writes some times without a zone (the feeds' columns: UTC): every time is read as UTC.
function parseTime(text) {
  if (!text) return null;
  const time = new Date(/[zZ]$|[+-]\d\d:?\d\d$/.test(text) ? text : `${text}Z`);
  return Number.isNaN(time.getTime()) ? null : time;
}

function relativeTime(time) {
  let amount = (time.getTime() - Date.now()) / 1000;
  for (const [unit, size] of RELATIVE_UNITS) {
    if (Math.abs(amount) < size) return RELATIVE.format(Math.round(amount), unit);
    amount /= size;
  }
  return "";
}

function twoDigits(n) { return String(n).padStart(2, "0"); }

// Local clock time; with the day when it is not today.
function clockTime(time) {
  const hms = `${twoDigits(time.getHours())}:${twoDigits(time.getMinutes())}:${twoDigits(time.getSeconds())}`;
  if (time.toDateString() === new Date().toDateString()) return hms;
  return `${time.getFullYear()}-${twoDigits(time.getMonth() + 1)}-${twoDigits(time.getDate())} ${hms}`;
}

// A time from the API as a <time>: local clock time and how long ago (or ahead) it is; ``empty`` when none.
function timeLabel(text, empty = "never") {
  const time = parseTime(text);
  if (!time) return el("span", { class: "muted" }, empty);
  return el("time", { datetime: time.toISOString(), title: `${time.toISOString()} (UTC)` }, timeText(time));
}

function timeText(time) { return `${clockTime(time)} (${relativeTime(time)})`; }

// The "… ago" of every time under ``container`` told again, in place.
function refreshTimes(container) {
  for (const node of container.querySelectorAll("time[datetime]")) node.textContent = timeText(new Date(node.getAttribute("datetime")));
}

function durationLabel(seconds) {
  if (seconds < 120) return `${Math.round(seconds)} s`;
  if (seconds < 2 * 3600) return `${Math.round(seconds / 60)} min`;
  return `${Math.round(seconds / 360) / 10} h`;
}

function plural(n, one, many) { return `${n} ${n === 1 ? one : many}`; }

// ---- Arrivals: what was stored while a list is open -----------------------------------------------
const ARRIVALS_LIMIT = 500;  // the API's largest page
// A document's stored_at is when its batch's transaction began, which may be before the moment the
// page asked: every look reaches this far back, and what was seen already is told apart by its id.
const LOOK_BACK_MS = 120000;

function lookBack(moment) { return new Date(moment.getTime() - LOOK_BACK_MS).toISOString(); }

class Arrivals {
  // ``fetchSince(since)``: the items (each with an id and a stored_at) stored after ``since`` (ISO
  // time on the server's clock). What the first look finds was there already; later looks give the rest.
  constructor(fetchSince, since) {
    this.fetchSince = fetchSince;
    this.since = since;
    this.known = new Set();
  }

  async seed() { this.learn(await this.fetchSince(this.since)); }

  async fresh() {
    const items = await this.fetchSince(this.since);
    const fresh = items.filter((item) => !this.known.has(item.id));
    this.learn(items);
    return fresh.sort((a, b) => String(b.stored_at).localeCompare(String(a.stored_at)));
  }

  // Every id seen is known; the window moves on to shortly before the newest one, unless the answer
  // was a full page (there may be more than it shows: the window stays where it is).
  learn(items) {
    for (const item of items) this.known.add(item.id);
    if (items.length >= ARRIVALS_LIMIT) return;
    const newest = Math.max(...items.map((item) => Date.parse(item.stored_at)).filter(Number.isFinite));
    if (Number.isFinite(newest)) this.since = new Date(Math.max(Date.parse(this.since), newest - LOOK_BACK_MS)).toISOString();
  }
}

// Put rows above what the reader is looking at without moving it: the first row in view keeps its
// place on the screen (browsers without scroll anchoring would push it down). At the very top the
// new rows are meant to be seen, and nothing is held.
function keepInView(change) {
  if (window.scrollY <= 0) { change(); return; }
  const anchor = [...document.querySelectorAll("#main .item")].find((row) => row.getBoundingClientRect().bottom > 0);
  const before = anchor ? anchor.getBoundingClientRect().top : 0;
  change();
  if (anchor && anchor.isConnected) window.scrollBy(0, anchor.getBoundingClientRect().top - before);
}

function newBadge(text = "new") { return el("span", { class: "new-badge" }, text); }

// The count of arrivals in the tab's title, so that a background tab says that something came.
function titleCount(n) {
  const base = document.title.replace(/^\(\d+ new\) /, "");
  document.title = n ? `(${n} new) ${base}` : base;
}

// A list that grows at the top: a line that counts the arrivals (read out by screen readers), and a
// block at the top of ``results`` that holds them, newest first, at most ``keep`` of them. ``one``,
// ``many``: what they are ("document", "documents").
function arrivalsBlock(results, one, many, keep = 100) {
  // The live region is on the page from the start (one that appears is not read out); the line
  // with a box is put in it at the first arrival.
  const region = el("div", { role: "status", id: "arrivals-status" });
  const banner = el("p", { class: "arrivals-banner", id: "arrivals-banner" });
  const block = el("div", { class: "arrivals", id: "arrivals" });
  let count = 0;
  results.before(region);
  results.prepend(block);
  return (nodes) => {
    if (!nodes.length) return;
    keepInView(() => {
      const empty = results.querySelector(".empty");
      if (empty) empty.remove();
      block.prepend(...nodes);
      while (block.children.length > keep) block.lastChild.remove();
      count += nodes.length;
      banner.textContent = `${plural(count, `new ${one}`, `new ${many}`)} since you opened this page, marked “new” at the top.`;
      if (!banner.isConnected) region.appendChild(banner);
    });
    titleCount(count);
  };
}

// ---- Documents and stories as they arrive ---------------------------------------------------------
// /stats is cheap (a few counts): it is asked every turn, and the list only when the number of
// documents changed.
function watchDocuments(stats, arrivals, results, statsLine, countLine, total) {
  let count = stats.documents;
  let matching = total;
  const note = liveNote(`Live: documents stored from now on appear at the top (checked every ${POLL_MS / 1000} s).`);
  results.before(note);
  const add = arrivalsBlock(results, "document", "documents");
  poll(async () => {
    const now = await api("/stats");
    statsLine.textContent = statsSentence(now);
    if (now.documents === count) return;
    count = now.documents;
    const fresh = await arrivals.fresh();
    matching += fresh.length;
    countLine.textContent = `${matching} matching`;
    add(fresh.map((d) => documentItem(d, true)));
  }, note);
}

// Stories are grouped after their documents are stored: after a change the first page is read
// again at the next turn too, which sees a story formed in between.
function watchStories(stats, shown, results) {
  let count = stats.documents;
  let again = 0;
  const note = liveNote(`Live: new stories appear at the top, and stories that grow are marked (checked every ${POLL_MS / 1000} s).`);
  results.before(note);
  const add = arrivalsBlock(results, "story", "stories", 50);
  poll(async () => {
    const now = await api("/stats");
    if (now.documents !== count) { count = now.documents; again = 2; }
    if (!again) return;
    again -= 1;
    const page = await api("/stories", { limit: 50, offset: 0 });
    const fresh = [];
    for (const story of page.items) {
      const size = (story.documents || []).length;
      const seen = shown.get(story.id);
      if (!seen) {
        const node = storyItem(story, "new");
        fresh.push(node);
        shown.set(story.id, { size, node, isNew: true });
      } else if (size > seen.size && seen.node && seen.node.isConnected) {
        // A story that grows keeps its place; its mark counts from when the page opened.
        const node = storyItem(story, seen.isNew ? "new" : `+${plural(size - seen.size, "document", "documents")}`);
        keepInView(() => seen.node.replaceWith(node));
        seen.node = node;
      }
    }
    add(fresh);
  }, note);
}

// ---- Focus-keeping redraws ------------------------------------------------------------------------
// Replace ``container``'s children, keeping the keyboard focus on the control with the same
// data-key (a self-refreshing page must not throw a keyboard user back to the top).
function replaceKeepingFocus(container, children) {
  const focused = document.activeElement;
  const key = focused && container.contains(focused) ? focused.getAttribute("data-key") : null;
  append(clear(container), [children]);  // one node or a list of them
  if (key) {
    const again = [...container.querySelectorAll("[data-key]")].find((node) => node.getAttribute("data-key") === key);
    if (again) again.focus();
  }
}

// Writes (follow a feed, save an alert) need the API token when the server has one; it is kept in
// memory only, for the next write.
let writeToken = "";

function tokenField(stats) {
  if (!stats.token_required) return null;
  return el("label", {}, "API token (this server needs one for changes)",
    el("input", { name: "token", type: "password", autocomplete: "off", value: writeToken, oninput: (e) => { writeToken = e.target.value; } }));
}

function writeRequest(method, body) {
  const headers = body ? { "Content-Type": "application/json" } : {};
  if (writeToken) headers.Authorization = `Bearer ${writeToken}`;
  return { method, headers, body: body ? JSON.stringify(body) : undefined };
}

// A button that asks before it acts: the first press shows the question with a button that does it
// and one that does not. ``state.asking`` names the one asked about (kept across redraws).
function askFirst(state, key, label, question, act) {
  if (state.asking !== key) {
    return el("button", { type: "button", class: "secondary small", "data-key": `ask-${key}`, onclick: () => { state.asking = key; state.redraw(); } }, label);
  }
  return el("div", { class: "confirm", role: "group", "aria-label": question }, el("span", {}, question), " ",
    el("button", { type: "button", class: "danger", "data-key": `do-${key}`, onclick: act }, label), " ",
    el("button", { type: "button", class: "secondary", "data-key": `ask-${key}`, onclick: () => { state.asking = null; state.redraw(); } }, "Cancel"));
}

function statusLine(id) { return el("div", { id, role: "status" }); }

function sayDone(box, ...text) { append(clear(box), [el("p", { class: "notice" }, ...text)]); }

// ---- Collector page ------------------------------------------------------------------------------
async function pageCollector() {
  const [stats, first] = await Promise.all([api("/stats"), api("/collector")]);
  const box = el("div", { id: "collector" });
  const state = { data: first, asking: null, errors: {}, writable: !stats.read_only };
  state.redraw = () => replaceKeepingFocus(box, collectorSections(state));
  state.refresh = async () => {
    const data = await api("/collector");
    // Unchanged, only the "… ago" of its times is redrawn: a reader's place and focus stay untouched.
    if (JSON.stringify(data) === JSON.stringify(state.data)) { refreshTimes(box); return; }
    state.data = data;
    state.redraw();
  };
  state.redraw();
  const note = liveNote(`This page refreshes itself every ${POLL_MS / 1000} s.`);
  show(el("h1", {}, "Collector"), note, box, state.writable ? followForm(stats, state)
    : el("p", { class: "muted" }, "The database is open read-only: feeds cannot be added or removed here."));
  poll(state.refresh, note);
}

function collectorSections(state) {
  const data = state.data;
  const feeds = data.feeds || [];
  return [collectingLine(data), lastRoundCard(data),
    el("h2", {}, `Feeds followed (${feeds.length})`),
    feeds.length ? el("ul", { class: "feed-list", id: "feed-list" }, feeds.map((feed) => feedCard(feed, state)))
      : el("p", { class: "muted", id: "feed-list" }, "No feed followed yet: add one below, or run ", el("code", {}, "wirescope feeds add URL --db FILE"), "."),
    urlOutcomes(data.urls || {})];
}

function collectingLine(data) {
  if (!data.collecting) {
    return el("div", { class: "notice warn", id: "collecting" }, el("strong", {}, "Not collecting. "),
      "This server follows the feeds below but does not poll them. To collect, start it with ",
      el("code", {}, "wirescope serve --collect --db FILE"), "; the feeds are polled as soon as it runs.");
  }
  if (!data.running) {
    return el("div", { class: "error", id: "collecting", role: "alert" }, el("strong", {}, "⚠ The collector has stopped. "),
      "Restart the server to collect again; the last round is below.");
  }
  return el("p", { id: "collecting", class: "notice" }, el("strong", {}, "Collecting "), "since ", timeLabel(data.started_at, "?"),
    ` · ${plural(data.rounds || 0, "round", "rounds")}`, data.last_round_at ? [" · last round ", timeLabel(data.last_round_at)] : " · first round under way");
}

function lastRoundCard(data) {
  const round = data.last_round || {};
  if (!round.summary && !round.error) return null;
  const failedFeeds = round.failed_feeds || [];
  const failedPages = round.failed_pages || [];
  return el("div", { class: "card", id: "last-round" }, el("h2", {}, "Last round ", timeLabel(data.last_round_at, "")),
    round.error ? errorBox(`⚠ The round broke off: ${round.error}`) : null,
    round.summary ? el("p", { class: "round-summary" }, round.summary) : null,
    el("dl", { class: "facts" }, [["feeds polled", round.feeds_polled], ["not modified", round.not_modified], ["pages fetched", round.pages_fetched],
      ["stored", round.stored], ["duplicates", round.duplicates]].map(([name, value]) => fact(name, String(value ?? 0)))),
    failedFeeds.length ? [el("h3", {}, `⚠ Feeds that failed (${failedFeeds.length})`), el("ul", { class: "failures", id: "failed-feeds" },
      failedFeeds.map((f) => el("li", {}, el("span", { class: "failure-url" }, f.url || `feed ${f.feed}`), ": ", f.reason)))] : null,
    failedPages.length ? [el("h3", {}, `⚠ Pages that failed (${failedPages.length})`), el("ul", { class: "failures", id: "failed-pages" },
      failedPages.map((p) => el("li", {}, el("span", { class: "failure-url" }, p.source), ": ", p.kind ? `${p.kind}: ` : "", p.reason)))] : null);
}

function fact(name, value) { return el("div", {}, el("dt", {}, name), el("dd", {}, value)); }

function nextFetchLabel(feed) {
  const next = parseTime(feed.next_fetch_at);
  if (!next) return el("span", {}, "at the next round");
  if (next.getTime() <= Date.now()) return el("span", { title: `due since ${next.toISOString()} (UTC)` }, "due now");
  return timeLabel(feed.next_fetch_at);
}

function httpStatusLabel(feed) {
  if (feed.last_status === null || feed.last_status === undefined) return feed.last_fetch_at ? "no answer" : "—";
  return feed.last_status === 304 ? "304 (not modified)" : String(feed.last_status);
}

function feedCard(feed, state) {
  const failing = feed.consecutive_errors > 0;
  const failure = state.errors[feed.id];
  return el("li", { class: failing ? "card feed failing" : "card feed", "data-feed": feed.id },
    el("div", { class: "feed-head" }, failing ? el("span", { class: "flag" }, "⚠ failing") : null,
      el("a", { href: feed.url, rel: "noopener noreferrer", target: "_blank", class: "feed-url", "data-key": `url-${feed.id}` }, feed.url)),
    el("div", { class: "meta" }, el("span", {}, feed.outlet || "outlet: as the feed names it"), el("span", {}, feed.kind || "kind not known yet"),
      el("span", {}, `feed ${feed.id}`), el("span", {}, "added ", timeLabel(feed.added_at, "?"))),
    el("dl", { class: "facts" }, fact("last fetch", timeLabel(feed.last_fetch_at, "not yet")), fact("next fetch", nextFetchLabel(feed)),
      fact("last HTTP status", httpStatusLabel(feed)), fact("pages collected", String(feed.pages_collected)),
      fact("polled every", durationLabel(feed.every_s)), fact("errors in a row", String(feed.consecutive_errors))),
    feed.last_error ? el("p", { class: failing ? "feed-error" : "feed-error recovered" },
      el("strong", {}, failing ? "⚠ Error: " : "Last error (it has worked since): "), el("span", { class: "reason" }, feed.last_error),
      " ", timeLabel(feed.last_error_at, "")) : null,
    failure ? errorBox(failure) : null,
    state.writable ? askFirst(state, `feed-${feed.id}`, "Stop following", "Stop following this feed? The documents collected from it stay.",
      () => unfollow(feed, state)) : null);
}

async function unfollow(feed, state) {
  try {
    await api(`/feeds/${encodeURIComponent(feed.id)}`, null, writeRequest("DELETE"));
  } catch (error) {
    state.errors[feed.id] = `Could not stop following it: ${error.message}`;
    state.redraw();
    return;
  }
  state.asking = null;
  delete state.errors[feed.id];
  sayDone(document.getElementById("follow-status"), `No longer following ${feed.url}.`);
  await state.refresh();
}

const OUTCOMES = { stored: "stored as a document", duplicate: "the same page as a stored one", error: "failed (tried again in later rounds, a few times)",
  "skipped-robots": "disallowed by the site's robots.txt" };

function urlOutcomes(urls) {
  const rows = Object.entries(urls);
  return el("div", { id: "url-outcomes" }, el("h2", {}, "Article URLs met"),
    rows.length ? el("table", { class: "plain outcomes" }, el("tr", {}, el("th", {}, "outcome"), el("th", {}, "URLs"), el("th", {}, "meaning")),
      rows.map(([outcome, n]) => el("tr", { "data-outcome": outcome }, el("td", {}, outcome), el("td", { class: "num" }, String(n)), el("td", {}, OUTCOMES[outcome] || ""))))
      : el("p", { class: "muted" }, "None yet."));
}

function followForm(stats, state) {
  const status = statusLine("follow-status");
  const form = el("form", { class: "card", id: "follow-form", onsubmit: async (e) => {
    e.preventDefault();
    const data = Object.fromEntries(new FormData(e.target));
    const body = { url: data.url.trim(), every_s: Math.round(Number(data.minutes || 15) * 60) };
    if (data.outlet.trim()) body.outlet = data.outlet.trim();
    clear(status).appendChild(el("p", { class: "muted" }, "Saving…"));
    let feed;
    try {
      feed = await api("/feeds", null, writeRequest("POST", body));
    } catch (error) {
      clear(status).appendChild(errorBox(`Not followed: ${error.message}`));
      return;
    }
    e.target.reset();
    sayDone(status, `Following ${feed.url} (feed ${feed.id}).`);
    await state.refresh();
  } },
  el("h2", {}, "Follow a feed"),
  el("p", { class: "muted" }, "An RSS or Atom feed, or a news sitemap: its new articles are fetched, analysed and stored."),
  el("div", { class: "filters" },
    el("label", {}, "feed URL", el("input", { name: "url", type: "url", required: true, placeholder: "https://…/rss.xml", size: 40 })),
    el("label", {}, "outlet (optional)", el("input", { name: "outlet", size: 18 })),
    el("label", {}, "poll every (minutes)", el("input", { name: "minutes", type: "number", min: 1, max: 10080, step: 1, value: 15, size: 6 })),
    tokenField(stats),
    el("button", { type: "submit" }, "Follow")),
  status);
  return form;
}

// ---- Alerts --------------------------------------------------------------------------------------
// A saved query in words: "Kestrel → THREATEN → Valdoria", "word “grain”"...
function alertQueryWords(query) {
  const parts = [];
  const side = (v) => v || "anyone";
  if (query.actor || query.recipient || query.event_type) {
    parts.push(query.actor || query.recipient ? `${side(query.actor)} → ${query.event_type || "any event"} → ${side(query.recipient)}` : `event ${query.event_type}`);
  }
  if (query.term) parts.push(`loaded term “${query.term}”`);
  if (query.word) parts.push(`word “${query.word}”`);
  return parts.join(" · ");
}

// An alert's Atom feed: its absolute address as a link, and a button that copies it.
function atomLink(alert) {
  const url = new URL(alert.feed, location.origin).href;
  const address = el("a", { href: url, class: "atom-url", type: "application/atom+xml", "data-key": `atom-${alert.id}` }, url);
  const said = el("span", { class: "muted", role: "status" });
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(url);
      said.textContent = " Copied.";
    } catch (error) {  // no clipboard (an insecure origin, or refused): select it for the reader to copy
      const range = document.createRange();
      range.selectNodeContents(address);
      getSelection().removeAllRanges();
      getSelection().addRange(range);
      said.textContent = " Selected: copy it with Ctrl+C (⌘C).";
    }
  };
  return el("div", { class: "atom" }, el("span", { class: "atom-label" }, "Atom feed to subscribe to: "), address, " ",
    el("button", { type: "button", class: "secondary small", "data-key": `copy-${alert.id}`, onclick: copy, "aria-label": `Copy the Atom feed address of ${alert.name}` }, "Copy"), said);
}

async function pageAlerts() {
  const [stats, list] = await Promise.all([api("/stats"), api("/alerts")]);
  const box = el("div", { id: "alerts" });
  const state = { items: list.items, asking: null, errors: {}, writable: !stats.read_only, count: stats.documents };
  state.redraw = () => replaceKeepingFocus(box, alertList(state));
  state.refresh = async () => { state.items = (await api("/alerts")).items; state.redraw(); };
  state.redraw();
  const note = liveNote(`New matches are counted as documents arrive (checked every ${POLL_MS / 1000} s).`);
  show(el("h1", {}, "Alerts"),
    el("p", { class: "muted" }, "Saved searches: each lists the documents that match it, the newest stored first, and publishes them as an Atom feed that any feed reader can follow."),
    note, box, state.writable ? alertForm(stats, state)
      : el("p", { class: "muted" }, "The database is open read-only: alerts cannot be added or removed here."));
  poll(async () => {
    const now = await api("/stats");
    if (now.documents === state.count) return;
    state.count = now.documents;
    await state.refresh();
  }, note);
}

function alertList(state) {
  if (!state.items.length) return el("p", { class: "muted", id: "alert-list" }, "No alert yet: save one with the form below.");
  return el("ul", { class: "alert-list", id: "alert-list" }, state.items.map((alert) => el("li", { class: "card alert-item", "data-alert": alert.id },
    el("div", { class: "title" }, el("a", { href: `/ui/alerts/${alert.id}`, "data-nav": true, "data-key": `alert-${alert.id}` }, alert.name),
      " ", alert.new ? newBadge(`${alert.new} new`) : null),
    el("div", { class: "meta" }, el("span", {}, alertQueryWords(alert.query)), el("span", { class: "match-count" }, plural(alert.matches, "match", "matches")),
      el("span", {}, "made ", timeLabel(alert.created_at, "?"))),
    atomLink(alert),
    state.errors[alert.id] ? errorBox(state.errors[alert.id]) : null,
    state.writable ? askFirst(state, `alert-${alert.id}`, "Delete", `Delete the alert “${alert.name}”? Its feed stops working; the documents stay.`,
      () => deleteAlert(alert, state)) : null)));
}

async function deleteAlert(alert, state) {
  try {
    await api(`/alerts/${encodeURIComponent(alert.id)}`, null, writeRequest("DELETE"));
  } catch (error) {
    state.errors[alert.id] = `Not deleted: ${error.message}`;
    state.redraw();
    return;
  }
  state.asking = null;
  delete state.errors[alert.id];
  sayDone(document.getElementById("alert-status"), `Deleted the alert “${alert.name}”.`);
  await state.refresh();
}

function alertForm(stats, state) {
  const status = statusLine("alert-status");
  const field = (label, name, extra) => el("label", {}, label, el("input", { name, ...extra }));
  return el("form", { class: "card", id: "alert-form", onsubmit: async (e) => {
    e.preventDefault();
    const data = Object.fromEntries(new FormData(e.target));
    const body = {};
    for (const key of ["name", "actor", "recipient", "event_type", "term", "word"]) if (data[key] && data[key].trim()) body[key] = data[key].trim();
    clear(status).appendChild(el("p", { class: "muted" }, "Saving…"));
    let alert;
    try {
      alert = await api("/alerts", null, writeRequest("POST", body));
    } catch (error) {
      clear(status).appendChild(errorBox(`Not saved: ${error.message}`));
      return;
    }
    e.target.reset();
    sayDone(status, `Saved the alert “${alert.name}” (${plural(alert.matches, "match", "matches")} so far). `, link(`/ui/alerts/${alert.id}`, "Its matches →"));
    await state.refresh();
  } },
  el("h2", {}, "New alert"),
  el("p", { class: "muted" }, "Give at least one of actor, recipient, event type, loaded term or word; a document matches when every one given holds."),
  el("div", { class: "filters" },
    field("name (optional)", "name", { size: 20, maxlength: 200 }),
    field("actor", "actor", { placeholder: "name, id or code", size: 16 }),
    field("recipient", "recipient", { placeholder: "name, id or code", size: 16 }),
    el("label", {}, "event type", typeSelect("event_type", null)),
    field("loaded term", "term", { placeholder: "e.g. regime", size: 14 }),
    field("word", "word", { placeholder: "word or phrase", size: 16 }),
    tokenField(stats),
    el("button", { type: "submit" }, "Save alert")),
  status);
}

async function pageAlert(id) {
  const p = queryParams();
  const offset = Number(p.offset || 0);
  const limit = 20;
  const path = `/alerts/${encodeURIComponent(id)}`;
  const dated = await apiResponse(path);
  const alert = dated.body;
  const arrivals = new Arrivals((since) => api(`${path}/matches`, { since, limit: ARRIVALS_LIMIT }).then((page) => page.items), lookBack(dated.date));
  const [page, stats] = await Promise.all([api(`${path}/matches`, { limit, offset }), api("/stats"), arrivals.seed()]);
  const results = el("div", { class: "results", id: "matches" },
    page.items.length ? page.items.map((m) => matchItem(m)) : el("p", { class: "muted empty" }, "No match yet."));
  show(el("p", { class: "crumb" }, link("/ui/alerts", "← All alerts")), el("h1", {}, alert.name),
    el("div", { class: "meta" }, el("span", {}, alertQueryWords(alert.query)), el("span", {}, "made ", timeLabel(alert.created_at, "?")),
      el("span", { id: "alert-counts" }, `${plural(page.total, "match", "matches")}, ${page.new} new since the alert was made`)),
    atomLink(alert),
    results,
    pager(page, (off) => `/ui/alerts/${encodeURIComponent(id)}?offset=${off}`));
  let count = stats.documents;
  const note = liveNote(`Live: matches stored from now on appear at the top (checked every ${POLL_MS / 1000} s).`);
  results.before(note);
  const add = arrivalsBlock(results, "match", "matches");
  poll(async () => {
    const now = await api("/stats");
    if (now.documents === count) return;
    count = now.documents;
    add((await arrivals.fresh()).map((m) => matchItem(m)));
  }, note);
}

function matchItem(m) {
  return el("div", { class: m.new ? "item match is-new" : "item match", "data-match": m.id },
    el("div", { class: "title" }, m.new ? newBadge() : null, docLink(m.doc_id, m.title || "(no title)")),
    m.summary ? el("div", { class: "snippet" }, m.summary) : null,
    el("div", { class: "meta" }, m.outlet ? el("span", {}, m.outlet) : null, el("span", {}, dayLabel(m.day)),
      el("span", {}, "stored ", timeLabel(m.stored_at, "?"))));
}
