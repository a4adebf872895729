"""iter_pages on real files written into tmp_path (project-written pages only) and on a local HTTP
server on 127.0.0.1: every kind of source, every bad input, and a mixed batch."""

from __future__ import annotations

import gzip
import io
import json
import socket
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from wirescope.errors import PageError
from wirescope.io.decoding import decode_page
from wirescope.io.readers import iter_pages
from wirescope.records import RawPage
from wirescope.settings import MB, Settings

SETTINGS = Settings()
TEXT_PAGE = (
    "Harbour pilots in Varnholm end overtime ban\n\n"
    "Harbour pilots in the fictional port of Varnholm ended their overtime ban on Friday after the "
    "port authority agreed to review shift lengths, the pilots' association said.\n"
)
HTML_PAGE = (
    "<!DOCTYPE html>\n<html><head><title>Varnholm ferry timetable changes</title></head>"
    "<body><article><h1>Varnholm ferry timetable changes</h1>"
    "<p>The Varnholm ferry company will add two evening crossings from June, its director said.</p>"
    "</article></body></html>"
)


def read(*sources: str | Path, settings: Settings = SETTINGS) -> list[RawPage | PageError]:
    return list(iter_pages([str(s) for s in sources], settings))


def only_error(results: list[RawPage | PageError]) -> PageError:
    assert len(results) == 1 and isinstance(results[0], PageError), results
    return results[0]


def only_page(results: list[RawPage | PageError]) -> RawPage:
    assert len(results) == 1 and isinstance(results[0], RawPage), results
    return results[0]


# --- plain files ----------------------------------------------------------------------------------


def test_text_file(tmp_path: Path) -> None:
    path = tmp_path / "pilots.txt"
    path.write_text(TEXT_PAGE, encoding="utf-8")
    page = only_page(read(path))
    assert page == RawPage(source=str(path), data=TEXT_PAGE.encode("utf-8"), content_type="text")


@pytest.mark.parametrize("name", ["ferry.html", "ferry.htm", "ferry.HTML"])
def test_html_file_by_suffix(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text("<p>Just a fragment about the ferry.</p>", encoding="utf-8")
    assert only_page(read(path)).content_type == "html"


@pytest.mark.parametrize(
    "head",
    ["<!doctype html><html>", "<html lang='en'>", "\ufeff  <!-- saved page -->\n<HTML>", "<?xml version='1.0'?><html>"],
)
def test_html_is_sniffed_without_a_suffix(tmp_path: Path, head: str) -> None:
    path = tmp_path / "saved-page"
    path.write_text(head + "<body><p>The ferry.</p></body></html>", encoding="utf-8")
    assert only_page(read(path)).content_type == "html"


def test_html_mentioned_inside_text_is_still_text(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("The council site starts with <html> and nothing else.\n", encoding="utf-8")
    assert only_page(read(path)).content_type == "text"


def test_gzipped_html_file(tmp_path: Path) -> None:
    path = tmp_path / "ferry.html.gz"
    path.write_bytes(gzip.compress(HTML_PAGE.encode("utf-8")))
    page = only_page(read(path))
    assert page.data == HTML_PAGE.encode("utf-8") and page.content_type == "html"


def test_corrupt_gzip_file(tmp_path: Path) -> None:
    path = tmp_path / "pilots.txt.gz"
    path.write_bytes(gzip.compress(TEXT_PAGE.encode("utf-8"))[:25])
    assert only_error(read(path)).kind == "bad_gzip"


def test_gzip_over_the_limit_once_decompressed(tmp_path: Path) -> None:
    path = tmp_path / "padded.txt.gz"
    path.write_bytes(gzip.compress(b"pad " * 100_000))  # 400 KB of text, a few KB compressed
    error = only_error(read(path, settings=Settings(max_bytes=100_000)))
    assert error.kind == "too_large" and "decompressed" in error.reason


def test_bytes_are_kept_as_bytes_and_decoded_later(tmp_path: Path) -> None:
    text = "The mayor called the caf\u00e9 deal \u201cfair\u201d.\n"
    path = tmp_path / "legacy.txt"
    path.write_bytes(text.encode("cp1252"))
    page = only_page(read(path))
    assert page.data == text.encode("cp1252")
    assert decode_page(page.data, page.source, SETTINGS, page.content_type) == text


def test_missing_path_is_not_found(tmp_path: Path) -> None:
    error = only_error(read(tmp_path / "nowhere.txt"))
    assert error.kind == "not_found" and error.source == str(tmp_path / "nowhere.txt")


def test_empty_and_binary_files_are_read_then_rejected_by_decoding(tmp_path: Path) -> None:
    # The reader passes the bytes on; decode_page says why they are not a page.
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    kinds = []
    for page in read(tmp_path / "empty.txt", tmp_path / "image.png"):
        assert isinstance(page, RawPage)
        with pytest.raises(PageError) as caught:
            decode_page(page.data, page.source, SETTINGS, page.content_type)
        kinds.append(caught.value.kind)
    assert kinds == ["empty", "binary"]


def test_50_mb_file_is_rejected_without_being_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as f:
        f.write(TEXT_PAGE.encode("utf-8"))
        f.truncate(50 * MB)  # sparse: instant, takes no disk space
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail("a file over the limit was read"))
    started = time.monotonic()
    error = only_error(read(path))
    assert time.monotonic() - started < 1
    assert error.kind == "too_large"
    assert "50.0 MB" in error.reason and "10.0 MB" in error.reason and "--max-mb" in error.reason


def test_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(HTML_PAGE.encode("utf-8"))))
    page = only_page(read("-"))
    assert page.source == "<stdin>" and page.content_type == "html"
    assert page.data == HTML_PAGE.encode("utf-8")


def test_stdin_over_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"x" * 2000)))
    assert only_error(read("-", settings=Settings(max_bytes=1000))).kind == "too_large"


# --- directories ----------------------------------------------------------------------------------


def test_directory_is_read_recursively_sorted_skipping_hidden(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "nested").mkdir()
    (tmp_path / ".git").mkdir()
    (tmp_path / "b" / "nested" / "z.txt").write_text("z page", encoding="utf-8")
    (tmp_path / "b" / "a.html").write_text("<p>a page</p>", encoding="utf-8")
    (tmp_path / "a.txt").write_text("first page", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("not a page", encoding="utf-8")
    (tmp_path / ".git" / "config.txt").write_text("not a page", encoding="utf-8")
    results = read(tmp_path)
    assert [r.source for r in results] == [
        str(tmp_path / "a.txt"),
        str(tmp_path / "b" / "a.html"),
        str(tmp_path / "b" / "nested" / "z.txt"),
    ]
    assert all(isinstance(r, RawPage) for r in results)


def test_empty_directory_says_so(tmp_path: Path) -> None:
    (tmp_path / ".only-hidden").write_text("x", encoding="utf-8")
    assert only_error(read(tmp_path)).kind == "empty"


# --- JSON Lines -----------------------------------------------------------------------------------


def write_jsonl(path: Path, lines: list[str]) -> Path:
    data = ("\n".join(lines) + "\n").encode("utf-8")
    path.write_bytes(gzip.compress(data) if path.name.endswith(".gz") else data)
    return path


GOOD_ROWS = [
    json.dumps({"url": "https://news.example.invalid/ferry", "html": HTML_PAGE, "outlet": "Varnholm Post",
                "published": "2024-05-02", "title": "Ferry timetable"}),
    json.dumps({"text": TEXT_PAGE}),
]


@pytest.mark.parametrize("name", ["pages.jsonl", "pages.jsonl.gz"])
def test_jsonl(tmp_path: Path, name: str) -> None:
    path = write_jsonl(tmp_path / name, GOOD_ROWS)
    first, second = read(path)
    assert first == RawPage(
        source=f"{path}:1", data=HTML_PAGE, content_type="html", url="https://news.example.invalid/ferry",
        outlet="Varnholm Post", published="2024-05-02", title="Ferry timetable",
    )
    assert second == RawPage(source=f"{path}:2", data=TEXT_PAGE, content_type="text")


def test_jsonl_bad_lines_are_errors_naming_the_line(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "mixed.jsonl", [
        GOOD_ROWS[0],
        "{this is not json",
        "",  # blank lines are skipped, not errors
        json.dumps({"url": "https://news.example.invalid/no-body", "title": "No body"}),
        json.dumps(["a", "list"]),
        json.dumps({"text": 42}),
        GOOD_ROWS[1],
    ])
    results = read(path)
    assert [(r.source, type(r).__name__) for r in results] == [
        (f"{path}:1", "RawPage"),
        (f"{path}:2", "PageError"),
        (f"{path}:4", "PageError"),
        (f"{path}:5", "PageError"),
        (f"{path}:6", "PageError"),
        (f"{path}:7", "RawPage"),
    ]
    errors = [r for r in results if isinstance(r, PageError)]
    assert {e.kind for e in errors} == {"bad_json"}
    assert "not valid JSON" in errors[0].reason
    assert "neither" in errors[1].reason
    assert str(errors[0]).startswith(f"{path}:2: ")


def test_jsonl_line_over_the_limit(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "long.jsonl", [json.dumps({"text": "x" * 5000}), GOOD_ROWS[1]])
    first, second = read(path, settings=Settings(max_bytes=1000))
    assert isinstance(first, PageError) and first.kind == "too_large" and first.source == f"{path}:1"
    assert isinstance(second, RawPage) and second.source == f"{path}:2"


def test_truncated_jsonl_gz_keeps_earlier_lines(tmp_path: Path) -> None:
    rows = [json.dumps({"text": f"Page {i} " + "about the ferry " * 40}) for i in range(50)]
    data = gzip.compress(("\n".join(rows) + "\n").encode("utf-8"))
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(data[: len(data) - 40])
    results = read(path)
    assert isinstance(results[-1], PageError) and results[-1].kind == "bad_json"
    assert all(isinstance(r, RawPage) for r in results[:-1]) and len(results) > 1


# --- WARC -----------------------------------------------------------------------------------------


def warc_bytes(records: list[tuple[str, str, str, bytes]], gz: bool) -> bytes:
    """A WARC of response records (url, status line, content type, body), each after a request."""
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gz)
    for url, status, content_type, body in records:
        request = StatusAndHeaders(f"GET {url} HTTP/1.1", [("Host", "news.example.invalid")], is_http_request=True)
        writer.write_record(writer.create_warc_record(url, "request", http_headers=request))
        headers = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers))
    return buf.getvalue()


WARC_RECORDS = [
    ("https://news.example.invalid/ferry", "200 OK", "text/html; charset=utf-8", HTML_PAGE.encode("utf-8")),
    ("https://news.example.invalid/logo.png", "200 OK", "image/png", b"\x89PNG\r\n\x1a\n" + bytes(64)),
    ("https://news.example.invalid/gone", "404 Not Found", "text/html", b"<html>gone</html>"),
    ("https://news.example.invalid/pilots.txt", "200 OK", "text/plain", TEXT_PAGE.encode("utf-8")),
]


@pytest.mark.parametrize("gz", [False, True])
def test_warc_pages_are_http_200_html_and_text_responses(tmp_path: Path, gz: bool) -> None:
    path = tmp_path / ("crawl.warc.gz" if gz else "crawl.warc")
    path.write_bytes(warc_bytes(WARC_RECORDS, gz))
    results = read(path)
    assert all(isinstance(r, RawPage) for r in results)
    ferry, pilots = results
    assert isinstance(ferry, RawPage) and isinstance(pilots, RawPage)
    assert ferry.source == f"{path}#record-2"  # record 1 is its request
    assert (ferry.url, ferry.content_type, ferry.data) == (WARC_RECORDS[0][0], "html", WARC_RECORDS[0][3])
    assert ferry.published and ferry.published.startswith("20")
    assert (pilots.url, pilots.content_type, pilots.data) == (WARC_RECORDS[3][0], "text", WARC_RECORDS[3][3])


@pytest.mark.parametrize("gz", [False, True])
def test_truncated_warc_keeps_the_records_before_the_cut(tmp_path: Path, gz: bool) -> None:
    whole = warc_bytes(WARC_RECORDS[:1] + WARC_RECORDS[3:] + WARC_RECORDS[:1], gz)
    path = tmp_path / ("cut.warc.gz" if gz else "cut.warc")
    path.write_bytes(whole[: len(whole) - 120])  # inside the last response's body
    results = read(path)
    assert [type(r).__name__ for r in results] == ["RawPage", "RawPage", "PageError"]
    error = results[-1]
    assert isinstance(error, PageError) and error.kind == "bad_warc"
    assert error.source.startswith(f"{path}#record-")


def test_warc_cut_inside_a_record_header(tmp_path: Path) -> None:
    whole = warc_bytes(WARC_RECORDS[:1] * 2, gz=False)
    second_request = whole.index(b"WARC/1.", 10)
    second_response = whole.index(b"WARC/1.", second_request + 10)
    path = tmp_path / "cut-header.warc"
    path.write_bytes(whole[: second_response + 40])
    results = read(path)
    assert [type(r).__name__ for r in results] == ["RawPage", "PageError"]
    assert isinstance(results[1], PageError) and results[1].kind == "bad_warc"


def test_garbage_warc_is_bad_warc(tmp_path: Path) -> None:
    path = tmp_path / "garbage.warc"
    path.write_bytes(b"this is not a web archive at all\n" * 5)
    assert only_error(read(path)).kind == "bad_warc"


def test_warc_without_pages_says_so(tmp_path: Path) -> None:
    path = tmp_path / "images.warc"
    path.write_bytes(warc_bytes(WARC_RECORDS[1:3], gz=False))
    error = only_error(read(path))
    assert error.kind == "empty" and "4 records" in error.reason


def test_warc_record_over_the_limit(tmp_path: Path) -> None:
    big = ("https://news.example.invalid/big", "200 OK", "text/plain", b"word " * 1000)
    path = tmp_path / "big.warc"
    path.write_bytes(warc_bytes([big, WARC_RECORDS[3]], gz=False))
    results = read(path, settings=Settings(max_bytes=2000))
    assert [(type(r).__name__, getattr(r, "kind", None)) for r in results] == [
        ("PageError", "too_large"), ("RawPage", None)
    ]


# --- URLs -----------------------------------------------------------------------------------------

SLOW_S = 2.0
SHORT_TIMEOUT = Settings(timeout_s=0.3)


# Central European text: read as Windows-1252 (the fallback) it would come out wrong ("³" for "ł").
LEGACY_TEXT = "Port Łódź: związek pilotów ogłosił strajk w piątek, mówi Zbigniew Wróbel."


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/ferry.html":
            self.reply(200, "text/html; charset=utf-8", HTML_PAGE.encode("utf-8"))
        elif self.path == "/legacy":  # the charset is only in the header, not in the page
            self.reply(200, "text/plain; charset=windows-1250", LEGACY_TEXT.encode("cp1250"))
        elif self.path == "/pilots":
            self.reply(200, "text/plain", TEXT_PAGE.encode("utf-8"))
        elif self.path == "/moved":
            self.redirect("/ferry.html")
        elif self.path.startswith("/loop"):
            self.redirect(self.path + "x")
        elif self.path == "/slow":
            time.sleep(SLOW_S)
            self.reply(200, "text/plain", b"too late")
        elif self.path == "/big":  # no Content-Length: the body is read until the limit trips
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            for _ in range(100):
                self.wfile.write(b"x" * 1000)
        elif self.path == "/big-declared":
            self.reply(200, "text/plain", b"x" * 5000)
        else:
            self.reply(404, "text/html", b"<html>not here</html>")

    def reply(self, status: int, content_type: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:  # quiet test output
        pass


class QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        pass  # the tests hang up on /slow and /big on purpose; the handler's failed writes are expected


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """Base URL of a local HTTP server on 127.0.0.1 (the only network traffic of the tests)."""
    httpd = QuietServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_url_html_page(server: str) -> None:
    page = only_page(read(f"{server}/ferry.html"))
    assert page == RawPage(source=f"{server}/ferry.html", data=HTML_PAGE.encode("utf-8"),
                           content_type="html", url=f"{server}/ferry.html", charset="utf-8")


def test_url_charset_from_the_header_decodes_the_page(server: str) -> None:
    from wirescope.io.decoding import decode_page

    page = only_page(read(f"{server}/legacy"))
    assert page.charset == "windows-1250"
    assert decode_page(page.data, page.source, SETTINGS, page.content_type, page.charset) == LEGACY_TEXT


def test_url_text_page_by_header(server: str) -> None:
    assert only_page(read(f"{server}/pilots")).content_type == "text"


def test_url_follows_redirects_and_keeps_the_final_url(server: str) -> None:
    page = only_page(read(f"{server}/moved"))
    assert page.source == f"{server}/moved" and page.url == f"{server}/ferry.html"
    assert page.data == HTML_PAGE.encode("utf-8")


def test_url_too_many_redirects(server: str) -> None:
    error = only_error(read(f"{server}/loop", settings=Settings(max_redirects=3)))
    assert error.kind == "http" and "3 redirects" in error.reason


def test_url_404(server: str) -> None:
    error = only_error(read(f"{server}/missing"))
    assert error.kind == "http" and "404" in error.reason and error.source == f"{server}/missing"


def test_url_timeout(server: str) -> None:
    started = time.monotonic()
    error = only_error(read(f"{server}/slow", settings=SHORT_TIMEOUT))
    assert time.monotonic() - started < SLOW_S
    assert error.kind == "timeout" and "0.3 s" in error.reason


@pytest.mark.parametrize("path", ["/big", "/big-declared"])
def test_url_over_the_limit_stops_reading(server: str, path: str) -> None:
    assert only_error(read(f"{server}{path}", settings=Settings(max_bytes=2000))).kind == "too_large"


def test_url_connection_refused_is_a_network_error() -> None:
    with socket.socket() as sock:  # a port that was free a moment ago: nothing listens there
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    assert only_error(read(f"http://127.0.0.1:{port}/", settings=SHORT_TIMEOUT)).kind == "network"


# --- a mixed batch --------------------------------------------------------------------------------


def test_batch_mixing_good_and_bad_inputs_keeps_every_good_page(tmp_path: Path, server: str) -> None:
    (tmp_path / "pilots.txt").write_text(TEXT_PAGE, encoding="utf-8")
    (tmp_path / "ferry.html").write_text(HTML_PAGE, encoding="utf-8")
    jsonl = write_jsonl(tmp_path / "rows.jsonl", [GOOD_ROWS[0], "not json", GOOD_ROWS[1]])
    whole = warc_bytes(WARC_RECORDS[:1] * 2, gz=True)
    (tmp_path / "cut.warc.gz").write_bytes(whole[:-60])
    with (tmp_path / "huge.txt").open("wb") as f:
        f.truncate(50 * MB)
    sources = [
        tmp_path / "pilots.txt",
        tmp_path / "missing.txt",
        jsonl,
        tmp_path / "cut.warc.gz",
        f"{server}/missing",
        tmp_path / "huge.txt",
        f"{server}/slow",
        f"{server}/ferry.html",
        tmp_path / "ferry.html",
    ]
    results = read(*sources, settings=Settings(timeout_s=0.3))
    pages = [r.source for r in results if isinstance(r, RawPage)]
    errors = [(r.source, r.kind) for r in results if isinstance(r, PageError)]
    assert pages == [
        str(tmp_path / "pilots.txt"),
        f"{jsonl}:1",
        f"{jsonl}:3",
        f"{tmp_path / 'cut.warc.gz'}#record-2",
        f"{server}/ferry.html",
        str(tmp_path / "ferry.html"),
    ]
    assert [kind for _, kind in errors] == ["not_found", "bad_json", "bad_warc", "http", "too_large", "timeout"]


def test_other_url_schemes_are_refused() -> None:
    error = only_error(read("ftp://news.example.invalid/page.html"))
    assert error.kind == "bad_url" and error.source == "ftp://news.example.invalid/page.html"
