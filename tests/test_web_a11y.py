"""Issue 20, phone, keyboard and accessibility: the web UI at a phone's width (390 px) and a desktop's,
used with the keyboard alone, and checked by axe-core in Debian's Chromium.

axe-core comes from npm (package.json at the repository root; ``make axe`` runs ``npm ci`` into the
git-ignored node_modules/); the axe test skips, saying so, where it is not installed. Screenshots go
to the test's temporary folder, and to $WIRESCOPE_SCREENSHOTS when set (bench/screenshots.py).
"""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from fictional import build
from test_web import LAYERED, ROOT, serve_app, snap, web_database

playwright_api = pytest.importorskip("playwright.sync_api",
                                     reason="playwright is not installed (pip install '.[test]')")
pytestmark = pytest.mark.slow  # the sample page is analysed with spaCy

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1400, "height": 1000}
SIZES = {"desktop": DESKTOP, "phone": PHONE}


def _get(base: str, path: str) -> Any:
    with urllib.request.urlopen(base + path, timeout=30) as answer:  # noqa: S310 (the test's own loopback server)
        return json.load(answer)


def _post(base: str, path: str, body: dict[str, Any]) -> Any:
    request = urllib.request.Request(base + path, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310 (the test's own loopback server)
        return json.load(answer)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """The test_web database served, with an alert saved: its base URL and every view's address."""
    db, sample_id = web_database(tmp_path_factory.mktemp("a11y"))
    for base in serve_app(db):
        alert = _post(base, "/alerts", {"name": "Grain corridor", "word": "grain"})
        actor = _get(base, "/actors?limit=1")["items"][0]["id"]
        story = _get(base, "/stories")["items"][0]["id"]
        views = {"search": "/ui/", "search results": "/ui/?q=grain",
                 "document": f"/ui/doc/{build(LAYERED).document.id}", "sample document": f"/ui/doc/{sample_id}",
                 "analyse": "/ui/analyse", "actors": "/ui/actors",
                 "actor": f"/ui/actors/{actor}", "actor by name": "/ui/actors/Jonas Mertz", "network": "/ui/network",
                 "events": "/ui/events", "stories": "/ui/stories", "story": f"/ui/stories/{story}",
                 "alerts": "/ui/alerts", "alert": f"/ui/alerts/{alert['id']}", "collector": "/ui/collector",
                 "no such page": "/ui/nowhere"}
        yield {"base": base, "views": views}


@pytest.fixture(params=list(SIZES))
def page(request: pytest.FixtureRequest, browser: Any, site: dict[str, Any]) -> Iterator[Any]:
    """A page at a desktop's width, then at a phone's (touch screen), failing on any script error."""
    phone = request.param == "phone"
    context = browser.new_context(viewport=SIZES[request.param], base_url=site["base"], has_touch=phone,
                                  is_mobile=phone)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.size = request.param
    yield page
    assert not errors, errors
    context.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("screenshots")


def _open(page: Any, address: str) -> None:
    page.goto(address)
    page.wait_for_selector("#main h1, #main .error")
    page.wait_for_load_state("networkidle")


# -- axe-core ---------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def axe_script() -> str:
    """axe-core's script; the test skips, saying why, where npm has not installed it."""
    if not AXE.is_file():
        pytest.skip(f"axe-core is not installed ({AXE} is absent): run `make axe` (npm ci from package.json)")
    return AXE.read_text(encoding="utf-8")


def _axe(page: Any, script: str) -> list[str]:
    """The serious and critical violations axe-core finds on the page as it is now, one line each."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.evaluate(script)  # evaluated, not a <script>: the page's CSP stays on
    found = page.evaluate("""async () => (await axe.run(document, { resultTypes: ['violations'] })).violations
        .filter(v => v.impact === 'serious' || v.impact === 'critical')
        .map(v => `${v.impact} ${v.id}: ${v.help} at `
          + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join('; '))""")
    return list(found)


def test_axe_finds_no_serious_or_critical_violation_on_any_page(axe_script: str, page: Any, site: dict[str, Any]):
    found = {}
    for name, address in site["views"].items():
        _open(page, address)
        found[name] = _axe(page, axe_script)
    _open(page, site["views"]["document"])  # and with a mark explained, and in the neutral reading
    page.locator("#pagetext .mk.loaded").first.click()
    found["document, a mark explained"] = _axe(page, axe_script)
    page.locator("#neutral-toggle").check()
    found["document, neutral reading"] = _axe(page, axe_script)
    assert not {name: lines for name, lines in found.items() if lines}, found


# -- phone width ------------------------------------------------------------------------------------

def _contrast(page: Any, selector: str, colour: str, background: str) -> float:
    """The WCAG contrast ratio of two computed colours (rgb() strings) of ``selector``."""
    return float(page.eval_on_selector(selector, """(el, [fg, bg]) => {
        const rgb = (text) => text.match(/[\\d.]+/g).slice(0, 3).map(Number);
        const linear = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
        const lum = (c) => { const [r, g, b] = c.map(linear); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
        const s = getComputedStyle(el), p = getComputedStyle(el.closest(bg.sel) || document.body);
        const [a, b] = [lum(rgb(s[fg])), lum(rgb(p.backgroundColor))].sort((x, y) => y - x);
        return (a + 0.05) / (b + 0.05); }""", [colour, {"sel": background}]))


def test_no_view_is_wider_than_a_phone(page: Any, site: dict[str, Any], shots: Path):
    if page.size != "phone":
        pytest.skip("a phone's width only")
    for name, address in site["views"].items():
        _open(page, address)
        widths = page.evaluate("[document.documentElement.scrollWidth, "
                               "document.querySelector('header.top').scrollWidth]")
        assert widths == [390, 390], f"{name}: the page or its navigation is {widths} px wide"
        # What sticks out of the screen (the story page's outlets scroll sideways in a box of their own).
        wider = page.evaluate("""() => [...document.querySelectorAll('main *')]
            .filter(e => e.getBoundingClientRect().right > innerWidth + 1 && !e.closest('.outlets'))
            .map(e => e.tagName + '.' + e.className).slice(0, 5)""")
        assert not wider, f"{name}: {wider}"
        for i in range(page.locator("header.top a").count()):  # no white-on-white link
            assert _contrast(page, f"header.top a >> nth={i}", "color", "header.top") >= 4.5, name
    for name in ("actors", "events", "network"):
        _open(page, site["views"][name])
        snap(page, shots, f"{name}-phone")


def test_actor_names_are_never_broken_mid_word(page: Any, site: dict[str, Any]):
    _open(page, site["views"]["actors"])
    names = page.locator("#actor-table .actor-name a")
    assert names.count() >= 3
    broken = page.evaluate("""() => [...document.querySelectorAll('#actor-table .actor-name a')].flatMap(a => {
        const text = a.firstChild, out = [];
        for (const m of text.data.matchAll(/\\S+/g)) {
          const range = document.createRange();
          range.setStart(text, m.index);
          range.setEnd(text, m.index + m[0].length);
          if (new Set([...range.getClientRects()].map(r => Math.round(r.top))).size > 1) out.push(m[0]);
        }
        return out; })""")
    assert not broken, f"{page.size}: words broken across lines: {broken}"
    cells = page.locator("#actor-table tr[data-actor] td")
    if page.size == "phone":  # one block a row, each value labelled with its column
        assert cells.first.get_attribute("data-label") == "actor"
        assert page.eval_on_selector("#actor-table tr[data-actor]", "r => getComputedStyle(r).display") == "block"


# -- titles and contrast ----------------------------------------------------------------------------

def test_every_view_has_its_own_title(page: Any, site: dict[str, Any]):
    titles = {}
    for name, address in site["views"].items():
        _open(page, address)
        heading = page.locator("#main h1, #main .error").first
        named = (heading.get_attribute("data-title") or heading.inner_text()).strip()
        titles[name] = page.title()
        assert titles[name] == f"{named[:80]} · wirescope", name
    assert len(set(titles.values())) == len(titles), titles
    page.locator("header.top nav a", has_text="Events").click()  # a view drawn in place names itself too
    page.wait_for_url("**/ui/events")
    playwright_api.expect(page).to_have_title("Events · wirescope")


def test_muted_text_meets_wcag_aa(page: Any, site: dict[str, Any]):
    _open(page, site["views"]["document"])
    assert _contrast(page, "#main .meta", "color", "body") >= 4.5  # on the page's background
    assert _contrast(page, "#explain .muted", "color", ".card") >= 4.5  # on a card
    assert _contrast(page, "#pagetext .seg-boilerplate", "color", ".seg-boilerplate") >= 4.5


# -- the keyboard -----------------------------------------------------------------------------------

# How the focused element shows it: its outline, or for a link of a chart the stroke of what it draws.
FOCUS_RING = """() => { const el = document.activeElement; const s = getComputedStyle(el);
  // A date field's calendar button is one of the browser's own parts, ringed by it.
  if (el.type === 'date' && !el.matches(':focus')) return true;
  if (el instanceof SVGElement) {
    const shape = el.querySelector('circle, rect');
    return shape ? parseFloat(getComputedStyle(shape).strokeWidth) >= 3 : false;
  }
  return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2; }"""
FOCUSED = """() => { const el = document.activeElement; return el === document.body ? 'body' :
  el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + '.'
  + String(el.className.baseVal ?? el.className).split(' ').join('.')
  + '@' + [...document.querySelectorAll('*')].indexOf(el); }"""


def _tab_to(page: Any, condition: str, most: int = 80) -> list[str]:
    """Press Tab until ``condition`` (a JS expression on document.activeElement) holds: the elements
    passed on the way, each checked to show its focus."""
    passed = []
    for _ in range(most):  # bounded: a page with no such element fails instead of looping
        page.keyboard.press("Tab")
        passed.append(page.evaluate(FOCUSED))
        assert page.evaluate(FOCUS_RING), f"{passed[-1]} has no visible focus"
        if page.evaluate(f"(el => {condition})(document.activeElement)"):
            return passed
    raise AssertionError(f"not reached by Tab: {condition}; passed {passed}")


def test_every_interactive_element_takes_the_focus_and_shows_it(page: Any, site: dict[str, Any], shots: Path):
    for name in ("search results", "document", "network", "events", "actors", "story", "alerts", "collector"):
        _open(page, site["views"][name])
        stops = page.evaluate("""() => [...document.querySelectorAll('a[href], button, input, select, textarea')]
            .concat([...document.querySelectorAll('[tabindex]')])
            .filter(e => !e.disabled && e.getClientRects().length && e.tabIndex >= 0).length""")
        reached = set()
        for _ in range(min(stops, 150)):  # each stop in turn, every one with a visible ring
            page.keyboard.press("Tab")
            focused = page.evaluate(FOCUSED)
            if focused == "body":
                break
            assert page.evaluate(FOCUS_RING), f"{name}: {focused} shows no focus"
            reached.add(focused)
        assert len(reached) >= min(stops, 150) * 0.5, f"{name}: {len(reached)} of {stops} stops reached"
        if name == "network":  # a node of the network, ringed
            _open(page, site["views"][name])
            _tab_to(page, "!!el.closest('#network-svg')")
            snap(page, shots, f"network-focus-{page.size}")
    # What answers a click answers the keyboard: marks of the text, the network's nodes, the timeline's bars.
    _open(page, site["views"]["document"])
    assert page.locator("#pagetext .mk:not([tabindex])").count() == 0
    assert page.locator("#pagetext .mk[role=button]").count() == page.locator("#pagetext .mk").count() > 10
    _open(page, site["views"]["network"])
    nodes = page.locator("#network-svg g.node")
    assert nodes.count() >= 3 and page.locator("#network-svg g.node a[href]").count() == nodes.count()
    node = page.locator("#network-svg g.node a").first
    node.focus()
    page.keyboard.press("Enter")  # a node followed with Enter opens the actor's page
    page.wait_for_url("**/ui/actors/**")
    _open(page, site["views"]["events"])
    assert page.locator("#timeline a.bin[href]").count() >= 2
    page.locator("#timeline a.bin").first.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**since=**")


def test_the_document_page_by_keyboard_alone(page: Any, site: dict[str, Any], shots: Path):
    _open(page, site["views"]["document"])
    passed = _tab_to(page, "el.classList.contains('mk')")  # the text is one stop, reached past the toggles
    assert any("layer-loaded" in p for p in passed) and any("neutral-toggle" in p for p in passed)
    assert sum("mk" in p.split("@")[0].split(".") for p in passed) == 1
    first = page.evaluate("Number(document.activeElement.dataset.start)")
    page.keyboard.press("ArrowRight")  # the arrows move from mark to mark
    assert page.evaluate("Number(document.activeElement.dataset.start)") > first
    page.keyboard.press("ArrowLeft")
    assert page.evaluate("Number(document.activeElement.dataset.start)") == first
    for _ in range(60):  # on to the loaded term
        if page.evaluate("document.activeElement.classList.contains('loaded')"):
            break
        page.keyboard.press("ArrowRight")
    assert page.evaluate("document.activeElement.textContent") == "regime"
    page.keyboard.press("Enter")  # explained in the panel, which takes the focus
    assert page.evaluate("document.activeElement.id") == "explain-title"
    explained = page.locator("#explain")
    assert explained.is_visible() and "Loaded term" in explained.inner_text() and "“pattern”" in explained.inner_text()
    snap(page, shots, f"document-keyboard-{page.size}")
    page.keyboard.press("Escape")  # closed, and the focus is back on the mark
    assert page.evaluate("document.activeElement.textContent") == "regime"
    assert page.locator("#explain.open").count() == 0
    page.keyboard.press("Space")  # Space opens it too; the arrows then carry the panel along
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")  # out of the panel's head (title, close) ...
    _tab_to(page, "el.classList.contains('mk')")  # ... back into the text where it was
    assert page.evaluate("document.activeElement.textContent") == "regime"
    page.keyboard.press("ArrowRight")
    assert page.evaluate("document.activeElement.textContent") in page.locator("#explain").inner_text()
    # An entity's panel leads to its actor page, by keyboard.
    for _ in range(60):
        if page.evaluate("(el => el.classList.contains('mention') && el.textContent === 'Ilse Varga')"
                         "(document.activeElement)"):
            break
        page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    _tab_to(page, "el.tagName === 'A' && el.textContent === 'Ilse Varga'")
    page.keyboard.press("Enter")
    page.wait_for_selector("#actor-said")
    assert page.locator("h1").inner_text() == "Ilse Varga"
    # The layer toggles are checkboxes: Space turns a layer off and on.
    _open(page, site["views"]["document"])
    _tab_to(page, "el.id === 'layer-loaded'")
    page.keyboard.press("Space")
    assert page.locator("#pagetext .mk.loaded").count() == 0
    page.keyboard.press("Space")
    assert page.locator("#pagetext .mk.loaded").count() == 1
    # The lists beside the text: a quote's button takes the focus to the quote in the text.
    _tab_to(page, "el.classList.contains('qitem')", most=120)
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.classList.contains('quote')")
    assert "Quote (direct)" in page.locator("#explain").inner_text()


def test_a_tap_on_a_phone_opens_the_panel_as_a_sheet(page: Any, site: dict[str, Any], shots: Path):
    if page.size != "phone":
        pytest.skip("a phone's touch screen only")
    _open(page, site["views"]["document"])
    assert not page.locator("#explain").is_visible()  # no room beside the text: nothing until a tap
    mark = page.locator("#pagetext .mk.trigger", has_text="protested")
    mark.tap()
    sheet = page.locator("#explain")
    sheet.wait_for(state="visible")
    box, seen = sheet.bounding_box(), mark.bounding_box()
    assert box["x"] == 0 and box["width"] == 390 and abs(box["y"] + box["height"] - PHONE["height"]) <= 1
    assert box["height"] <= PHONE["height"] * 0.55
    assert seen["y"] >= 0 and seen["y"] + seen["height"] <= box["y"]  # the mark stays in sight, above the sheet
    assert "Event: PROTEST" in sheet.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") == 390
    snap(page, shots, "document-phone-sheet")
    page.locator("#explain-close").tap()
    assert not sheet.is_visible()
