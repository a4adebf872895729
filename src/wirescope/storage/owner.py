"""Who owns a database file while ``wirescope serve`` runs, so that other commands can go through it.

DuckDB lets one process open a file for writing and then no other process may open it, not even to
read. So a running server is the file's one owner (its API, web UI and collector share one
connection), and it says so in ``DB.server.json`` beside the file: its process id, the URL it
answers on and a random secret, readable by the file's user only (mode 0600). A CLI command that
finds the file locked reads this note and goes through the server (``storage.remote``): reads as
SELECT statements the server answers in Arrow, ingests as Parquet shards the server loads. The
secret stands for "the same user as the server": whoever can read the note could open the
database itself once the server stopped.
"""

from __future__ import annotations

import json
import os
import re
import secrets
from dataclasses import asdict, dataclass
from pathlib import Path

_LOCK_PID = re.compile(r"\(PID (\d+)\)")


@dataclass(frozen=True)
class Owner:
    pid: int
    url: str  # where the server answers, e.g. http://127.0.0.1:8000
    secret: str


def owner_path(db: str | Path) -> Path:
    path = Path(db)
    return path.with_name(path.name + ".server.json")


def claim(db: str | Path, url: str) -> Owner:
    """Write this process's note of ownership of ``db`` (replacing a stale one)."""
    owner = Owner(os.getpid(), url, secrets.token_urlsafe(32))
    path = owner_path(db)
    temporary = path.with_name(path.name + f".{owner.pid}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as note:
        json.dump(asdict(owner), note)
    os.replace(temporary, path)  # atomic: a reader sees the old note or the new one, never half of it
    return owner


def release(db: str | Path, owner: Owner) -> None:
    """Remove the note if it is still this owner's."""
    found = read_owner(db)
    if found is not None and found.secret == owner.secret:
        owner_path(db).unlink(missing_ok=True)


def read_owner(db: str | Path) -> Owner | None:
    """The note of ``db``'s owner when there is one and its process is alive; None otherwise."""
    try:
        fields = json.loads(owner_path(db).read_text(encoding="utf-8"))
        owner = Owner(int(fields["pid"]), str(fields["url"]), str(fields["secret"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return owner if _alive(owner.pid) else None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # alive, another user's
    return True


def locking_pid(message: str) -> int | None:
    """The process id DuckDB names in a lock error, if any."""
    found = _LOCK_PID.search(message)
    return int(found.group(1)) if found else None


def is_lock_error(message: str) -> bool:
    return "lock" in message.lower()
