"""Derived resources built once and kept on disk: what is slow to build from its sources and fast to
load from the cache (the GeoNames index behind ``wirescope.analysis.places``; the parsed actor
gazetteer, the lexicon's word forms and the language model, so that a process starts in
seconds: issue 19).

A cached file is named after its resource and a digest of its version key, so a new version of
the sources (or of the file's schema) is a new file: the old one is never read again and is
removed when the new one is written. Files are written to a temporary name in the cache folder
and moved into place with ``os.replace``, an atomic rename, so two processes building the same
file at once each leave a whole file and a reader never sees half of one.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

CACHE_ENV = "WIRESCOPE_CACHE_DIR"


def cache_dir() -> Path:
    """``$WIRESCOPE_CACHE_DIR``, else ``$XDG_CACHE_HOME/wirescope``, else ``~/.cache/wirescope``."""
    explicit = os.environ.get(CACHE_ENV)
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg else Path.home() / ".cache"
    return base / "wirescope"


def cached_path(name: str, version: str, suffix: str) -> Path:
    """Where the file of resource ``name`` at ``version`` lives (it may not exist yet)."""
    digest = hashlib.sha1(version.encode("utf-8")).hexdigest()[:16]
    return cache_dir() / f"{name}-{digest}{suffix}"


def cached_file(name: str, version: str, build: Callable[[Path], None], suffix: str = ".npz") -> Path:
    """The cached file of resource ``name`` at ``version``, built by ``build(path)`` when missing.

    ``build`` writes the whole file to the path it is given (a temporary name ending in
    ``suffix``). Files of other versions of the same resource are removed after a build.
    """
    final = cached_path(name, version, suffix)
    if final.exists():
        return final
    final.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{final.stem}.", suffix=suffix, dir=final.parent)
    os.close(handle)
    try:
        build(Path(temporary))
        os.chmod(temporary, 0o644)  # mkstemp makes it private; the cache is as readable as any download
        os.replace(temporary, final)
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)
    _remove_other_versions(name, final)
    return final


def _remove_other_versions(name: str, keep: Path) -> None:
    for path in keep.parent.glob(f"{name}-*{keep.suffix}"):
        # the digest part has no dash, so "places-<digest>" never matches another resource's files
        if path != keep and "-" not in path.stem[len(name) + 1 :]:
            with contextlib.suppress(OSError):  # another process removed it first, or a read-only folder
                path.unlink()


def cached_value(name: str, version: str, build: Callable[[], T]) -> T:
    """``build()``'s value, pickled into the cache at ``version`` the first time and read back after.

    For values made of Python containers (dicts, tuples, frozensets, arrays) that take seconds to
    derive and a fraction of that to unpickle. The cache is this user's own folder, written only by
    wirescope; a file that cannot be read back (cut short by a full disk) is built again.
    """
    def write(path: Path) -> None:
        path.write_bytes(pickle.dumps(build(), protocol=pickle.HIGHEST_PROTOCOL))

    path = cached_file(name, version, write, suffix=".pickle")
    try:
        value: T = pickle.loads(path.read_bytes())
    except (pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        path.unlink(missing_ok=True)
        value = pickle.loads(cached_file(name, version, write, suffix=".pickle").read_bytes())
    return value


def version_of(*parts: str | bytes) -> str:
    """A version key from the sources a value is derived from (their bytes) and format names."""
    digest = hashlib.sha1()
    for part in parts:
        digest.update(part if isinstance(part, bytes) else part.encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()
