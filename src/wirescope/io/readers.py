"""Readers: every kind of input becomes a stream of RawPage, or PageError for what cannot be read.

``iter_pages`` never raises for a bad input: it yields a ``PageError`` naming the input and the
reason, and goes on with the next one. Bytes stay bytes; ``decoding.decode_page`` decodes them
later, in the extraction step, so a reader never guesses an encoding.

Sources and their ``RawPage.source`` names:

- ``-``: standard input (``<stdin>``)
- ``http://`` / ``https://`` URLs (the URL asked for)
- a directory: every non-hidden file below it, recursively, in sorted order; a link to a directory
  is not followed and, like a dangling link, is reported (``symlink``, ``not_found``)
- ``.jsonl`` / ``.jsonl.gz``: one page per line (``path:LINE``)
- ``.warc`` / ``.warc.gz``: HTTP 200 HTML/text responses (``path#record-N``, N counts records from 1)
- any other file: one page (``.gz`` files are decompressed)

Error kinds: ``not_found``, ``unreadable``, ``symlink``, ``too_large``, ``empty``, ``bad_json``, ``bad_warc``,
``bad_gzip``, ``http``, ``timeout``, ``network``, ``bad_url``, ``forbidden_address`` (a private address
while ``Settings.fetch_private_addresses`` is off: see ``addresses``).
"""

from __future__ import annotations

import codecs
import gzip
import json
import re
import sys
import time
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import httpx
from warcio.archiveiterator import ArchiveIterator

from wirescope.errors import PageError
from wirescope.io.addresses import ForbiddenAddress, guard_hooks
from wirescope.io.decoding import too_large_reason
from wirescope.records import ContentType, RawPage
from wirescope.settings import Settings

STDIN = "-"
STDIN_SOURCE = "<stdin>"
CHUNK = 64 * 1024
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz")
WARC_SUFFIXES = (".warc", ".warc.gz")
JSONL_STR_FIELDS = ("url", "html", "text", "outlet", "published", "title")

# An HTML document announces itself at its top, after an optional BOM, XML declaration and
# comments; a mention of "<html" further down a plain-text article does not count.
_HTML_START = re.compile(
    rb"^(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*(?:<!doctype\s+html|<html)",
    re.IGNORECASE | re.DOTALL,
)

PageResult = RawPage | PageError


def iter_pages(sources: Iterable[str], settings: Settings) -> Iterator[RawPage | PageError]:
    """Every page of every source, in order; a failure is yielded as a PageError, never raised."""
    with _LazyClient(settings) as client:
        for source in sources:
            if source == STDIN:
                yield _read_stdin(settings)
            elif source.lower().startswith(("http://", "https://")):
                yield fetch_url(source, settings, client.get())
            elif "://" in source and not Path(source).exists():
                yield PageError(source, "only http:// and https:// URLs can be fetched", kind="bad_url")
            else:
                yield from _read_path(Path(source), settings)


def sniff_content_type(data: bytes) -> ContentType:
    """``html`` when the bytes start like an HTML document, else ``text``."""
    head = data[:2048]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16: look at it as text
        head = head.decode("utf-16", errors="ignore").encode("utf-8")
    return "html" if _HTML_START.match(head) else "text"


# --- files ---------------------------------------------------------------------------------------


def _read_path(path: Path, settings: Settings) -> Iterator[PageResult]:
    try:
        # exists() is False for a dangling link or a link loop, and raises for a path it may not look into.
        if not path.exists():
            yield _missing_path_error(path)
            return
        is_dir = path.is_dir()
    except OSError as error:
        yield PageError(str(path), f"cannot read: {error.strerror or error}", kind="unreadable")
        return
    if is_dir:  # a link to a directory named on the command line is followed: the user chose it
        yield from _read_directory(path, settings)
    else:
        yield from _read_file_pages(path, settings)


def _read_file_pages(path: Path, settings: Settings) -> Iterator[PageResult]:
    """The pages of one file: one per line or record of a JSON Lines or WARC file, else one."""
    source = str(path)
    name = path.name.lower()
    try:
        if name.endswith(JSONL_SUFFIXES):
            yield from read_jsonl(path, settings)
        elif name.endswith(WARC_SUFFIXES):
            yield from read_warc(path, settings)
        else:
            yield read_file(path, settings)
    except OSError as error:  # permissions, a file removed meanwhile, a device error
        yield PageError(source, f"cannot read: {error.strerror or error}", kind="unreadable")


def _missing_path_error(path: Path) -> PageError:
    """Why a path named on the command line does not exist: no such file, or a link to nothing."""
    if path.is_symlink():
        return _link_error(path) or PageError(str(path), "symbolic link target vanished", kind="not_found")
    return PageError(str(path), "no such file or directory", kind="not_found")


def _read_directory(root: Path, settings: Settings) -> Iterator[PageResult]:
    """Every non-hidden file below ``root`` in sorted order; what is skipped is an error saying why."""
    found = False
    for entry in _directory_entries(root):
        found = True
        if isinstance(entry, PageError):
            yield entry
        else:  # read as the file it was found to be, never walked into as a folder
            yield from _read_file_pages(entry, settings)
    if not found:
        yield PageError(str(root), "directory has no (non-hidden) files", kind="empty")


def _directory_entries(root: Path) -> Iterator[Path | PageError]:
    """The regular files (and links to them) below ``root`` in sorted path order, hidden names left
    out, and an error for each entry that is not read: a link to a directory, a dangling link or a
    link loop, a pipe or device, a folder that cannot be listed.

    Walked by hand because rglob drops all of these without a word. Links to directories are never
    followed: one can loop back to an ancestor or lead out of ``root`` (to /). Iterative (a stack of
    listings), so no depth of folders reaches the recursion limit.
    """
    listings: list[Iterator[Path]] = []
    folder: Path | None = root
    while folder is not None or listings:
        if folder is not None:
            listing = _listing(folder)
            if isinstance(listing, PageError):
                yield listing
            else:
                listings.append(listing)
            folder = None
        elif (child := next(listings[-1], None)) is None:
            listings.pop()
        elif _is_real_folder(child):
            folder = child
        else:
            yield _entry_error(child) or child


def _is_real_folder(path: Path) -> bool:
    """A directory, not a link to one; False for what cannot be looked at (reported as unreadable after)."""
    try:
        return path.is_dir() and not path.is_symlink()
    except OSError:
        return False


def _listing(folder: Path) -> Iterator[Path] | PageError:
    """A folder's non-hidden entries in sorted order, or why it cannot be listed."""
    try:
        return iter(sorted(child for child in folder.iterdir() if not child.name.startswith(".")))
    except OSError as error:
        return PageError(str(folder), f"cannot list directory: {error.strerror or error}", kind="unreadable")


def _entry_error(path: Path) -> PageError | None:
    """Why a directory entry is not read; None for a regular file or a link to one."""
    try:
        if path.is_symlink():
            return _link_error(path)
        if path.is_file():
            return None
        if not path.exists():  # removed while the directory was read
            return PageError(str(path), "no such file or directory", kind="not_found")
    except OSError as error:  # a folder listed but not searchable (no x permission)
        return PageError(str(path), f"cannot read: {error.strerror or error}", kind="unreadable")
    return PageError(str(path), "not a regular file (a pipe, socket or device): not read", kind="unreadable")


def _link_error(path: Path) -> PageError | None:
    """Why a symbolic link in a directory is not read; None for a link to a regular file."""
    source = str(path)
    try:
        target = str(path.readlink())
    except OSError as error:
        return PageError(source, f"cannot read symbolic link: {error.strerror or error}", kind="unreadable")
    try:
        path.stat()  # follows the link, and every link after it
    except FileNotFoundError:
        return PageError(source, f"dangling symbolic link to {target}", kind="not_found")
    except OSError as error:  # a loop of links (ELOOP), a target it may not look into
        return PageError(source, f"symbolic link to {target} cannot be followed: {error.strerror or error}",
                         kind="symlink")
    if path.is_dir():
        return PageError(source, f"symbolic link to a directory ({target}), not followed (links can loop or lead "
                                 "out of the directory): name the directory on the command line to read it",
                         kind="symlink")
    if not path.is_file():
        return PageError(source, f"symbolic link to {target}, not a regular file (a pipe, socket or device): "
                                 "not read", kind="unreadable")
    return None


def read_file(path: Path, settings: Settings) -> PageResult:
    """One page from one file; ``.gz`` files are decompressed (up to the size limit)."""
    source = str(path)
    size = path.stat().st_size
    compressed = path.name.lower().endswith(".gz")
    # Checked before reading: a 50 MB file is refused without being loaded. A compressed file is
    # checked again on its decompressed size below.
    if size > settings.max_bytes:
        return PageError(source, too_large_reason(size, settings.max_bytes), kind="too_large")
    if compressed:
        try:
            with gzip.open(path, "rb") as stream:
                data = stream.read(settings.max_bytes + 1)
        except (gzip.BadGzipFile, EOFError, zlib.error) as error:
            return PageError(source, f"not a valid gzip file: {error}", kind="bad_gzip")
        if len(data) > settings.max_bytes:
            reason = "decompressed " + too_large_reason(None, settings.max_bytes)
            return PageError(source, reason, kind="too_large")
    else:
        data = path.read_bytes()
    inner_name = path.name.lower().removesuffix(".gz")
    content_type: ContentType = "html" if inner_name.endswith(HTML_SUFFIXES) else sniff_content_type(data)
    return RawPage(source=source, data=data, content_type=content_type)


def _read_stdin(settings: Settings) -> PageResult:
    data = sys.stdin.buffer.read(settings.max_bytes + 1)
    if len(data) > settings.max_bytes:
        return PageError(STDIN_SOURCE, too_large_reason(None, settings.max_bytes), kind="too_large")
    return RawPage(source=STDIN_SOURCE, data=data, content_type=sniff_content_type(data))


# --- JSON Lines ----------------------------------------------------------------------------------


def read_jsonl(path: Path, settings: Settings) -> Iterator[PageResult]:
    """One page per line: ``url``, ``html`` or ``text``, and optional ``outlet``, ``published``,
    ``title``. Blank lines are skipped; a bad line is an error for that line only."""
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    lineno = 0
    try:
        with opener(path, "rb") as stream:
            for lineno, line in _limited_lines(stream, settings.max_bytes):
                source = f"{path}:{lineno}"
                if line is None:
                    yield PageError(source, too_large_reason(None, settings.max_bytes), kind="too_large")
                elif line.strip():
                    # A BOM left by an editor on the first line is not part of the JSON.
                    yield jsonl_page(line.removeprefix(codecs.BOM_UTF8), source)
    except (gzip.BadGzipFile, EOFError, zlib.error) as error:
        reason = f"compressed file is corrupt or truncated after line {lineno}: {error}"
        yield PageError(str(path), reason, kind="bad_json")


def jsonl_page(line: bytes | str, source: str) -> PageResult:
    """The page of one JSON Lines row, or a ``bad_json`` error naming what is wrong with it."""
    try:
        row: Any = json.loads(line)
    except ValueError as error:  # JSONDecodeError, or bytes that are not UTF-8
        return PageError(source, f"line is not valid JSON: {error}", kind="bad_json")
    if not isinstance(row, dict):
        return PageError(source, f"line is JSON but not an object (got {type(row).__name__})", kind="bad_json")
    wrong = [key for key in JSONL_STR_FIELDS if row.get(key) is not None and not isinstance(row[key], str)]
    if wrong:
        return PageError(source, f"field(s) {', '.join(wrong)} must be strings", kind="bad_json")
    # html wins when both are given: the extractor finds more in the markup than in its text.
    content_type: ContentType
    if row.get("html") is not None:
        data, content_type = row["html"], "html"
    elif row.get("text") is not None:
        data, content_type = row["text"], "text"
    else:
        return PageError(source, 'line has neither an "html" nor a "text" field', kind="bad_json")
    return RawPage(
        source=source,
        data=data,
        content_type=content_type,
        url=row.get("url"),
        outlet=row.get("outlet"),
        published=row.get("published"),
        title=row.get("title"),
    )


class _LineReader(Protocol):
    """A binary stream read line by line: an open file or a gzip stream."""

    def readline(self, size: int = -1, /) -> bytes: ...


def _limited_lines(stream: _LineReader, limit: int) -> Iterator[tuple[int, bytes | None]]:
    """(line number, line) pairs; a line longer than ``limit`` comes as None and is skipped
    without being held in memory."""
    lineno = 0
    while True:
        line = stream.readline(limit + 1)
        if not line:
            return
        lineno += 1
        if len(line) > limit and not line.endswith(b"\n"):
            while line and not line.endswith(b"\n"):  # drop the rest of the long line
                line = stream.readline(CHUNK)
            yield lineno, None
        else:
            yield lineno, line


# --- WARC ----------------------------------------------------------------------------------------


def read_warc(path: Path, settings: Settings) -> Iterator[PageResult]:
    """HTTP 200 HTML or plain-text responses of a WARC file, as pages.

    Other records (requests, metadata, images, redirects) are skipped. A truncated or corrupt
    record is a ``bad_warc`` error for that record; the records before it are kept.
    """
    pages = 0
    number = 0
    end = 0  # where the last complete record ended, to spot a broken tail warcio passes over
    size = path.stat().st_size
    with path.open("rb") as stream:
        archive = ArchiveIterator(stream)
        try:
            for number, record in enumerate(archive, start=1):
                source = f"{path}#record-{number}"
                result = _warc_record_page(record, source, settings)
                if isinstance(result, PageError) and result.kind == "bad_warc":
                    yield result
                    return  # the archive cannot be followed past a broken record
                archive.read_to_end(record)
                end = archive.get_record_offset() + archive.get_record_length()
                if result is not None:
                    pages += 1
                    yield result
        except Exception as error:  # noqa: BLE001 - warcio raises anything from ValueError to AttributeError on garbage
            reason = f"corrupt WARC record ({type(error).__name__}: {error})"
            yield PageError(f"{path}#record-{number + 1}", reason, kind="bad_warc")
            return
    if end < size and _has_content_after(path, end):
        reason = f"bytes after offset {end} are not a complete WARC record (truncated or corrupt archive)"
        yield PageError(f"{path}#record-{number + 1}", reason, kind="bad_warc")
    elif pages == 0 and number == 0:
        yield PageError(str(path), "no WARC records in this file", kind="empty")
    elif pages == 0:
        reason = f"none of its {number} records is an HTTP 200 HTML or plain-text response"
        yield PageError(str(path), reason, kind="empty")


def _warc_record_page(record: Any, source: str, settings: Settings) -> PageResult | None:
    """The page in one WARC record, None for a record that is not a page, or an error.

    Reads the whole record block, so that a record cut short by the end of the file is seen:
    warcio itself returns the short content without complaint.
    """
    length = (record.rec_headers.get_header("Content-Length") or "").strip() if record.rec_headers else ""
    if record.rec_type is None or not length.isdigit():
        return PageError(source, "record header is incomplete (truncated or corrupt archive)", kind="bad_warc")
    content_type = _warc_content_type(record)
    data = b""
    if content_type is not None:
        data = record.content_stream().read(settings.max_bytes + 1)
    while record.raw_stream.read(CHUNK):  # the rest of the block, not kept
        pass
    if record.raw_stream.limit > 0:
        missing = record.raw_stream.limit
        return PageError(source, f"record is truncated: {missing} of its {length} bytes are missing", kind="bad_warc")
    if content_type is None:
        return None
    if len(data) > settings.max_bytes:
        return PageError(source, too_large_reason(None, settings.max_bytes), kind="too_large")
    return RawPage(
        source=source,
        data=data,
        content_type=content_type,
        url=record.rec_headers.get_header("WARC-Target-URI"),
        published=record.rec_headers.get_header("WARC-Date"),
        charset=header_charset(record.http_headers.get_header("Content-Type")),
    )


def _warc_content_type(record: Any) -> ContentType | None:
    """``html``/``text`` for an HTTP 200 response carrying a page, else None."""
    if record.rec_type != "response" or record.http_headers is None:
        return None
    if record.http_headers.get_statuscode() != "200":
        return None
    return page_content_type(record.http_headers.get_header("Content-Type"))


def header_charset(header: str | None) -> str | None:
    """The ``charset=`` parameter of a Content-Type header, if any."""
    for param in (header or "").split(";")[1:]:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset" and value.strip():
            return value.strip().strip("'\"")
    return None


def page_content_type(header: str | None) -> ContentType | None:
    """``html`` or ``text`` for a Content-Type header naming a page, else None."""
    mime = (header or "").split(";", 1)[0].strip().lower()
    if mime in ("text/html", "application/xhtml+xml"):
        return "html"
    if mime == "text/plain":
        return "text"
    return None


def _has_content_after(path: Path, offset: int) -> bool:
    """Whether anything but whitespace (record separators) follows ``offset``."""
    with path.open("rb") as stream:
        stream.seek(offset)
        while chunk := stream.read(CHUNK):
            if chunk.strip():
                return True
    return False


# --- URLs ----------------------------------------------------------------------------------------


class _LazyClient:
    """One httpx client for all URLs of a call (connection reuse), created only if needed."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.client: httpx.Client | None = None

    def get(self) -> httpx.Client:
        if self.client is None:
            self.client = make_client(self.settings)
        return self.client

    def __enter__(self) -> _LazyClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self.client is not None:
            self.client.close()


def make_client(settings: Settings) -> httpx.Client:
    return httpx.Client(
        timeout=settings.timeout_s,
        follow_redirects=True,
        max_redirects=settings.max_redirects,
        headers={"User-Agent": settings.user_agent},
        event_hooks=None if settings.fetch_private_addresses else guard_hooks(),
    )


def fetch_url(url: str, settings: Settings, client: httpx.Client | None = None) -> PageResult:
    """The page at ``url`` (after redirects), streamed and cut off at ``settings.max_bytes``."""
    if client is None:
        with make_client(settings) as own_client:
            return fetch_url(url, settings, own_client)
    answer = fetch_answer(url, settings, client)
    return answer if isinstance(answer, PageError) else answer_page(url, answer)


@dataclass(frozen=True)
class HttpAnswer:
    """An HTTP answer read whole: what ``fetch_url`` makes a page of, and what a caller that needs the
    status and headers reads (the feed collector: 304 Not Modified, ETag, retries on 5xx)."""

    url: str  # after redirects
    status: int
    reason: str  # the status's reason phrase
    headers: httpx.Headers
    data: bytes  # empty for a status of 400 or more: an error page's body is not read


def answer_page(source: str, answer: HttpAnswer) -> PageResult:
    """The page an answer carries, or an ``http`` error for a status of 400 or more."""
    if answer.status >= 400:
        return PageError(source, f"server answered {http_status(answer)}", kind="http")
    header = answer.headers.get("Content-Type")
    content_type = page_content_type(header) or sniff_content_type(answer.data)
    return RawPage(source=source, data=answer.data, content_type=content_type, url=answer.url,
                   charset=header_charset(header))


def http_status(answer: HttpAnswer) -> str:
    """``HTTP 503 Service Unavailable``: the status as a message says it."""
    return f"HTTP {answer.status} {answer.reason}".rstrip()


def fetch_answer(url: str, settings: Settings, client: httpx.Client,
                 headers: dict[str, str] | None = None) -> HttpAnswer | PageError:
    """GET ``url`` with extra request ``headers``: the answer whatever its status, or a PageError
    when there is none to use (timeout, network, too many redirects, too large, bad URL, forbidden address)."""
    try:
        return _fetch(url, settings, client, headers)
    except httpx.TimeoutException:
        return PageError(url, f"no answer within {settings.timeout_s:g} s (--timeout)", kind="timeout")
    except httpx.TooManyRedirects:
        return PageError(url, f"more than {settings.max_redirects} redirects", kind="http")
    except (httpx.InvalidURL, httpx.UnsupportedProtocol) as error:
        return PageError(url, f"not a valid URL: {error}", kind="bad_url")
    except ForbiddenAddress as error:
        return PageError(url, error.reason, kind="forbidden_address")
    except httpx.TransportError as error:  # connection refused, DNS failure, reset, bad TLS
        return PageError(url, f"network error: {error or type(error).__name__}", kind="network")


def _fetch(url: str, settings: Settings, client: httpx.Client, headers: dict[str, str] | None
           ) -> HttpAnswer | PageError:
    # httpx's timeout bounds each wait, not the whole download: a server dripping one byte at a
    # time would never trip it, so the total is bounded by this deadline as well.
    deadline = time.monotonic() + settings.timeout_s
    with client.stream("GET", url, headers=headers) as response:
        chunks: list[bytes] = []
        if response.status_code < 400:
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > settings.max_bytes:
                return PageError(url, too_large_reason(int(declared), settings.max_bytes), kind="too_large")
            received = 0
            for chunk in response.iter_bytes():
                received += len(chunk)
                if received > settings.max_bytes:
                    return PageError(url, too_large_reason(None, settings.max_bytes), kind="too_large")
                if time.monotonic() > deadline:
                    raise httpx.ReadTimeout("download took longer than the timeout")
                chunks.append(chunk)
        return HttpAnswer(str(response.url), response.status_code, response.reason_phrase, response.headers,
                          b"".join(chunks))
