"""The REST API against hostile pages and hostile clients: the hosts it answers (DNS rebinding), the
security headers of every response, out-of-range parameters, and URLs on the server's own networks.
Real app, real DuckDB, a real HTTP server on 127.0.0.1 serving a fictional article; no DNS."""

from __future__ import annotations

import http.server
import ipaddress
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from fictional import corpus
from wirescope.cli.commands import app as cli_app
from wirescope.errors import PageError
from wirescope.io import addresses
from wirescope.io.addresses import address_category
from wirescope.io.readers import fetch_url
from wirescope.serve.api import create_app
from wirescope.settings import Settings
from wirescope.storage.store import Store
from wirescope.stories.assign import assign_stories

HUGE = "9223372036854775808"  # one past DuckDB's BIGINT
ARTICLE_TITLE = "Ferry crews on the Quillon estuary return to work"
# Over 1 KB: `--max-mb 0.001` (1,048 bytes) refuses it once fetched, before any analysis.
ARTICLE_HTML = f"""<!doctype html>
<html><head><title>{ARTICLE_TITLE} | Tallowmere Gazette</title></head>
<body><article><h1>{ARTICLE_TITLE}</h1>
<p>Ferry crews on the Quillon estuary went back to work on Tuesday after a four-day stoppage over
night-shift pay, the Tallowmere harbour board said.</p>
<p>"The crossings run on the normal timetable from this evening," said Odile Varga, who chairs the
board. The crews' union said it had accepted a new pay offer and thanked passengers for their patience.</p>
<p>The stoppage had left commuters between Tallowmere and Brackwick Point relying on a single road
bridge, where queues stretched for several kilometres during the morning rush.</p>
<p>Brackwick Point's council had asked the board to add two late sailings while the backlog of
freight clears. Tomas Ferrand, the council's transport officer, said lorries waiting at the slipway would
be loaded first so that the market stalls in the old town could be stocked by the weekend. The board
expects the last of the queue to clear by Thursday night.</p>
</article></body></html>""".encode()


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("hardening") / "news.duckdb"
    with Store(path) as store:
        store.write_batch(corpus())
        assign_stories(store)
    return path


@pytest.fixture(scope="module")
def app(db: Path) -> Any:
    return create_app(db)


def client_for(app: Any, host: str) -> TestClient:
    """A client whose requests say ``Host: host``; the connection itself arrives on 127.0.0.1."""
    return TestClient(app, base_url="http://127.0.0.1", headers={"host": host})


class FictionalSite(http.server.BaseHTTPRequestHandler):
    """The Tallowmere Gazette's article at /article.html; /moved?to=URL redirects to URL."""

    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        if self.path == "/article.html":
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(ARTICLE_HTML)))
            self.end_headers()
            self.wfile.write(ARTICLE_HTML)
        elif self.path.startswith("/moved?to="):
            self.send_response(302)
            self.send_header("Location", self.path.removeprefix("/moved?to="))
            self.send_header("Content-Length", "0")
            self.end_headers()
        else:
            self.send_error(404)

    def log_message(self, format: str, *args: Any) -> None:  # quiet test output
        pass


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    """The fictional site on a free port of 127.0.0.1: yields its base URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FictionalSite)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture()
def no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)


def served_app(args: list[str], monkeypatch: pytest.MonkeyPatch) -> Any:
    """The app `wirescope serve ARGS` would run (uvicorn is not started)."""
    import uvicorn

    served: list[Any] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: served.append(app))
    result = CliRunner().invoke(cli_app, ["serve", *args])
    assert result.exit_code == 0, result.output
    return served[0]


def assert_error(response: Any, status: int, *words: str) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["status"] == status
    for word in words:
        assert word in body["error"], (word, body["error"])


# --- hosts ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("host", ["rebind.attacker.example", "rebind.attacker.example:8000", "testserver",
                                  "127.0.0.1.attacker.example", "localhost.attacker.example", "10.9.9.9"])
def test_a_foreign_host_is_refused_for_reads_and_writes(app: Any, host: str):
    client = client_for(app, host)
    read = client.get("/documents")
    assert_error(read, 400, "not allowed", "--allow-host")
    assert read.headers["content-type"] == "application/json"
    write = client.post("/analyze", json={"text": "Title\n\nA body.", "store": True})
    assert_error(write, 400, "not allowed")
    assert_error(client.get("/ui/"), 400, "not allowed")


def test_a_page_served_under_a_rebound_name_is_refused(app: Any):
    # What a browser sends when rebind.attacker.example's address changed to this server's.
    client = TestClient(app, base_url="http://rebind.attacker.example:8000")
    assert_error(client.get("/stats"), 400, "rebind.attacker.example:8000")


@pytest.mark.parametrize("host", ["", "[::1", "[::1]x", "localhost:port", "local host"])
def test_a_malformed_host_header_is_refused(app: Any, host: str):
    assert client_for(app, host).get("/stats").status_code == 400


@pytest.mark.parametrize("host", ["localhost", "localhost:8000", "LOCALHOST", "localhost.", "127.0.0.1",
                                  "127.0.0.1:8000", "127.5.6.7:9", "[::1]", "[::1]:8000", "::1"])
def test_loopback_hosts_are_answered(app: Any, host: str):
    assert client_for(app, host).get("/documents").json()["total"] == 3


def test_the_address_a_request_came_in_on_is_answered(app: Any):
    # A server reached by its own IP literal (listening on 0.0.0.0, say): no name, nothing to rebind.
    assert TestClient(app, base_url="http://10.1.2.3:8000").get("/stats").status_code == 200
    assert TestClient(app, base_url="http://[2001:db8::5]").get("/stats").status_code == 200
    other = TestClient(app, base_url="http://10.1.2.3", headers={"host": "10.1.2.4"})
    assert other.get("/stats").status_code == 400


def test_allowed_hosts_add_names_and_a_star_allows_any(db: Path):
    named = create_app(db, allowed_hosts=["news.lan", "Wire.Example:8080"])
    assert client_for(named, "news.lan").get("/stats").status_code == 200
    assert client_for(named, "news.lan:8443").get("/stats").status_code == 200
    assert client_for(named, "wire.example").get("/stats").status_code == 200
    assert client_for(named, "other.lan").get("/stats").status_code == 400
    anything = create_app(db, allowed_hosts=["*"])
    assert client_for(anything, "rebind.attacker.example").get("/stats").status_code == 200


def test_serve_answers_its_host_and_each_allow_host(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    db = tmp_path / "serve.duckdb"
    served = served_app(["--db", str(db), "--allow-host", "news.lan", "--allow-host", "desk.lan"], monkeypatch)
    for host in ("news.lan", "desk.lan:8000", "localhost:8000"):
        assert client_for(served, host).get("/stats").status_code == 200, host
    assert_error(client_for(served, "rebind.attacker.example").get("/stats"), 400, "not allowed")
    # --host by name: that name is answered (the served app gets the database of its own: DuckDB opens
    # a file one way per process).
    named = served_app(["--db", str(tmp_path / "named.duckdb"), "--host", "wirebox.lan", "--token", "t"],
                       monkeypatch)
    assert client_for(named, "wirebox.lan:8000").get("/stats").status_code == 200
    assert client_for(named, "news.lan").get("/stats").status_code == 400


# --- headers -------------------------------------------------------------------------------------


def test_every_response_carries_the_security_headers(app: Any):
    client = client_for(app, "127.0.0.1")
    answers = {
        "json": client.get("/documents"),
        "csv": client.get("/events", params={"format": "csv"}),
        "docs": client.get("/docs"),
        "openapi": client.get("/openapi.json"),
        "404": client.get("/no-such-endpoint"),
        "422": client.get("/documents", params={"limit": 0}),
        "400 host": client_for(app, "rebind.attacker.example").get("/documents"),
        "ui": client.get("/ui/"),
        "ui file": client.get("/static/app.js"),
    }
    for name, response in answers.items():
        assert response.headers.get_list("x-content-type-options") == ["nosniff"], name
        assert response.headers.get("x-frame-options") == "DENY", name
        assert "frame-ancestors 'none'" in response.headers.get("content-security-policy", ""), name
    for name in ("ui", "ui file"):
        assert "script-src 'self'" in answers[name].headers["content-security-policy"], name
    assert "script-src" not in answers["json"].headers["content-security-policy"]


def test_the_csv_download_is_an_attachment_with_a_fixed_name(app: Any):
    response = client_for(app, "127.0.0.1").get("/events", params={"format": "csv", "actor": '"; x=".csv'})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.headers["content-disposition"] == 'attachment; filename="events.csv"'


# --- parameters ----------------------------------------------------------------------------------

LISTS = ["/documents", "/entities", "/actors", "/events", "/quotes", "/stories"]


@pytest.mark.parametrize("path", LISTS)
def test_an_offset_past_any_table_is_a_422_not_a_500(app: Any, path: str):
    client = client_for(app, "127.0.0.1")
    assert_error(client.get(path, params={"offset": HUGE}), 422, "offset")
    assert_error(client.get(path, params={"offset": -1}), 422, "offset")
    assert_error(client.get(path, params={"limit": HUGE}), 422, "limit")
    assert client.get(path, params={"offset": 10**9}).status_code == 200


def test_network_counts_are_bounded(app: Any):
    client = client_for(app, "127.0.0.1")
    assert_error(client.get("/network", params={"min_count": HUGE}), 422, "min_count")
    assert_error(client.get("/network", params={"max_nodes": HUGE}), 422, "max_nodes")
    assert_error(client.get("/events", params={"format": "csv", "offset": HUGE}), 422, "offset")


def test_every_integer_query_parameter_has_bounds(app: Any):
    spec = client_for(app, "127.0.0.1").get("/openapi.json").json()
    integers = [(path, method, p["name"], p["schema"]) for path, methods in spec["paths"].items()
                for method, operation in methods.items() for p in operation.get("parameters", [])
                if p["schema"].get("type") == "integer"]
    assert len(integers) >= 14  # limit and offset of six lists, min_count and max_nodes
    unbounded = [(path, method, name) for path, method, name, schema in integers
                 if "minimum" not in schema or "maximum" not in schema]
    assert not unbounded


# --- fetching ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("address", "category"), [
    ("127.0.0.1", "loopback"), ("127.8.9.10", "loopback"), ("::1", "loopback"),
    ("10.0.0.1", "private"), ("172.16.5.4", "private"), ("192.168.1.1", "private"), ("fc00::1", "private"),
    ("169.254.169.254", "link-local"), ("fe80::1", "link-local"),
    ("0.0.0.0", "unspecified"), ("::", "unspecified"),
    ("224.0.0.1", "multicast"), ("ff02::1", "multicast"),
    ("240.0.0.1", "reserved"), ("fec0::1", "site-local"), ("100.64.0.1", "non-public"),
    ("::ffff:127.0.0.1", "loopback"), ("::ffff:10.0.0.1", "private"), ("::ffff:169.254.169.254", "link-local"),
])
def test_non_public_addresses_are_classified(address: str, category: str):
    assert address_category(ipaddress.ip_address(address)) == category


@pytest.mark.parametrize("address", ["1.2.3.4", "100.128.0.1", "2001:4860::8888", "::ffff:1.2.3.4"])
def test_public_addresses_pass(address: str):
    assert address_category(ipaddress.ip_address(address)) is None


def test_the_api_refuses_a_url_on_loopback_by_default(app: Any, site: str, no_proxy: None):
    client = client_for(app, "127.0.0.1")
    for url in (f"{site}/article.html", site.replace("127.0.0.1", "localhost") + "/article.html",
                site.replace("127.0.0.1", "[::ffff:127.0.0.1]") + "/article.html"):
        assert_error(client.post("/analyze", json={"url": url}), 403, "forbidden_address", "loopback",
                     "--allow-private-fetch")


def test_the_cli_fetches_loopback_urls(site: str):
    # The user chose the URL: 127.0.0.1 is fetched (and found over the size limit, without any analysis).
    result = CliRunner().invoke(cli_app, ["analyze", f"{site}/article.html", "--max-mb", "0.001"])
    assert "too_large" in result.output and "forbidden" not in result.output
    assert not isinstance(fetch_url(f"{site}/article.html", Settings()), PageError)


def test_serve_allow_private_fetch_lets_the_api_fetch(tmp_path: Path, site: str, monkeypatch: pytest.MonkeyPatch):
    url = f"{site}/article.html"
    common = ["--max-mb", "0.001"]  # the article is over the limit: fetched, refused before any analysis
    guarded = served_app(["--db", str(tmp_path / "a.duckdb"), *common], monkeypatch)
    assert_error(client_for(guarded, "127.0.0.1").post("/analyze", json={"url": url}), 403, "forbidden_address")
    opened = served_app(["--db", str(tmp_path / "b.duckdb"), "--allow-private-fetch", *common], monkeypatch)
    assert_error(client_for(opened, "127.0.0.1").post("/analyze", json={"url": url}), 413, "too_large")


def test_every_redirect_hop_is_checked(site: str, monkeypatch: pytest.MonkeyPatch, no_proxy: None):
    # No DNS here: 127.0.0.1 is taken for a public address, so the first hop passes and the
    # redirect to 127.0.0.2 (the loopback it really is) must be refused on its own.
    real = addresses.address_category
    monkeypatch.setattr(addresses, "address_category",
                        lambda a: None if str(a) == "127.0.0.1" else real(a))
    guarded = Settings(fetch_private_addresses=False)
    assert not isinstance(fetch_url(f"{site}/article.html", guarded), PageError)
    target = site.replace("127.0.0.1", "127.0.0.2") + "/article.html"
    refused = fetch_url(f"{site}/moved?to={target}", guarded)
    assert isinstance(refused, PageError)
    assert refused.kind == "forbidden_address" and "127.0.0.2" in refused.reason


def test_an_address_that_changes_after_the_check_is_refused(site: str, monkeypatch: pytest.MonkeyPatch,
                                                            no_proxy: None):
    # DNS rebinding against the fetch: the name's check sees a public address (never contacted),
    # the connection lands on loopback; the answer is refused before its body is read.
    monkeypatch.setattr(addresses, "resolved_addresses", lambda host, port: [ipaddress.ip_address("1.2.3.4")])
    refused = fetch_url(f"{site}/article.html", Settings(fetch_private_addresses=False))
    assert isinstance(refused, PageError)
    assert refused.kind == "forbidden_address" and "127.0.0.1" in refused.reason


def test_through_a_proxy_only_the_name_is_checked(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:9")
    assert addresses.guard_hooks()["response"] == []  # the peer is the proxy, which resolves the name


@pytest.mark.slow
def test_the_api_fetches_and_analyses_a_loopback_url_when_allowed(tmp_path: Path, site: str):
    client = TestClient(create_app(tmp_path / "open.duckdb", fetch_private_addresses=True),
                        base_url="http://127.0.0.1")
    fetched = client.post("/analyze", json={"url": f"{site}/article.html"})
    assert fetched.status_code == 200, fetched.text
    document = fetched.json()["document"]
    assert document["title"].startswith("Ferry crews") and document["url"] == f"{site}/article.html"


def test_an_internal_error_carries_the_security_headers_too(tmp_path):
    app = create_app(tmp_path / "boom.duckdb")

    def boom() -> None:
        raise RuntimeError("a bug")

    app.add_api_route("/boom", boom)
    answer = TestClient(app, base_url="http://127.0.0.1", raise_server_exceptions=False).get("/boom")
    assert answer.status_code == 500 and answer.json()["error"] == "internal error (RuntimeError)"
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["x-frame-options"] == "DENY"
