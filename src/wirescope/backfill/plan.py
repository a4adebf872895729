"""Input shards: the stream of pages of a backfill's sources cut into numbered runs of pages.

The pages are read once, in order, by ``wirescope.io.readers.iter_pages`` (WARC, JSON Lines,
directories, files: the readers of ``ingest``), and cut every ``shard_size`` inputs. A shard's name
is its position and a digest of its inputs' names, so the same sources cut the same way give the
same names on every run: that is what a re-run matches against the manifest.

Inputs that could not be read travel as ``ReadFailure`` values (plain data): a ``PageError`` does
not survive pickling on its way to a Ray worker.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from wirescope.errors import PageError
from wirescope.records import RawPage


@dataclass(frozen=True)
class ReadFailure:
    """An input the reader could not turn into a page (a ``PageError`` as plain data)."""

    source: str
    reason: str
    kind: str

    def error(self) -> PageError:
        return PageError(self.source, self.reason, kind=self.kind)


@dataclass(frozen=True)
class Shard:
    """``shard_size`` consecutive inputs of the stream (fewer for the last one)."""

    seq: int
    name: str
    pages: tuple[RawPage, ...]
    failures: tuple[ReadFailure, ...]
    first_source: str
    last_source: str

    @property
    def size(self) -> int:
        return len(self.pages) + len(self.failures)


def shard_name(seq: int, sources: Iterable[str]) -> str:
    """``000042-<12 hex digits>``: the position, then a digest of the inputs' names in order."""
    digest = hashlib.sha1("\n".join(sources).encode("utf-8")).hexdigest()[:12]
    return f"{seq:06d}-{digest}"


def _make_shard(seq: int, items: list[RawPage | PageError]) -> Shard:
    sources = [item.source for item in items]
    return Shard(
        seq=seq,
        name=shard_name(seq, sources),
        pages=tuple(item for item in items if isinstance(item, RawPage)),
        failures=tuple(ReadFailure(i.source, i.reason, i.kind) for i in items if isinstance(i, PageError)),
        first_source=sources[0],
        last_source=sources[-1],
    )


def iter_shards(items: Iterable[RawPage | PageError], shard_size: int) -> Iterator[Shard]:
    """The inputs cut into shards of ``shard_size``, in order."""
    if shard_size < 1:
        raise ValueError("shard_size must be at least 1")
    batch: list[RawPage | PageError] = []
    seq = 0
    for item in items:
        batch.append(item)
        if len(batch) == shard_size:
            yield _make_shard(seq, batch)
            batch, seq = [], seq + 1
    if batch:
        yield _make_shard(seq, batch)
