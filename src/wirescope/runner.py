"""The page runner: the pipeline in worker processes, every page under a time budget.

spaCy's tokenizer and lxml run in native code that holds the GIL, so neither a thread nor a signal
handler can interrupt a page that takes minutes (a run of 100,000 quote marks, a million inline
elements). The one sure bound is a process that can be killed. The runner keeps
``settings.workers`` worker processes, each loading the models once, and hands each one page at a
time with the settings to use. A worker that passes ``settings.page_timeout_s`` on a page is killed
and replaced; the page becomes a ``PageError`` (kind ``over_budget``) and the batch goes on. A
worker that dies on a page (out of memory, a crash in native code) is replaced the same way.

A worker is handed up to ``PAGES_PER_JOB`` consecutive pages at once and parses them together
(``pipeline.analyze_page_batch``: about 10% less parse time). Such a job has one budget per page, and
each page's result renews the budget of the pages left. A job of several pages whose worker passes
its budget or dies is not blamed on any one page: its pages without a result are handed out again one
at a time, each under its own budget, so the page at fault, and only that page, becomes the error.

Workers are fresh interpreters, not forks: forking a process that runs threads (the API server,
ONNX Runtime, torch) can leave a lock held in the child forever. Because starting one costs
a model load (seconds), a process keeps its pool between calls (``shared_runner``): the API server,
the tests and a script calling ``analyze_pages`` repeatedly pay the start once.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any

from wirescope.errors import PageError, WirescopeError
from wirescope.records import Analysis, RawPage
from wirescope.settings import Settings

Result = Analysis | PageError
# Model loading on a busy two-core machine has taken 20 s; a worker that is not up after this is
# reported as unable to start rather than waited for.
WORKER_START_TIMEOUT_S = 300.0
# Consecutive pages handed to a worker at once and parsed together with nlp.pipe (spaCy parses 8-32
# texts in a call 9-11% faster than one text a call: bench/RESULTS.md, section 15e).
PAGES_PER_JOB = 16
# Results are given out in input order; a page may be handed out this many pages (per worker)
# ahead of the oldest page not given out yet, which bounds the results held back.
ORDER_WINDOW_PER_WORKER = 2 * PAGES_PER_JOB
_PR_SET_PDEATHSIG = 1  # linux/prctl.h
# Workers are started from this one long-lived thread: Linux sends a worker its parent-death signal
# when the *thread* that started it ends, and a server starts workers from short-lived pool threads.
_LAUNCHER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="wirescope-worker-launcher")


@dataclass
class _Job:
    """The pages handed to one worker that have no result yet (sequence number -> page, in input order),
    and the time by which the next result must come (one budget for each of them)."""

    pending: dict[int, RawPage]
    deadline: float = 0.0

    def renew(self, page_timeout_s: float) -> None:
        self.deadline = time.monotonic() + page_timeout_s * len(self.pending)


class WorkerStartError(WirescopeError):
    """A worker process could not load the pipeline (a missing model, a broken install)."""


class _Worker:
    """One worker process and the parent's end of its pipe (a socket pair)."""

    def __init__(self) -> None:
        # A fresh interpreter running this module (`python -m wirescope.runner FD`), not
        # multiprocessing's spawn: spawn re-runs the caller's main script in the child, which breaks
        # every script that calls analyze_pages without an `if __name__ == "__main__"` guard.
        parent_end, child_end = socket.socketpair()
        command = [sys.executable, "-m", "wirescope.runner", str(child_end.fileno()), str(os.getpid())]
        self.process = _LAUNCHER.submit(subprocess.Popen, command, pass_fds=[child_end.fileno()],
                                        stdin=subprocess.DEVNULL).result()
        child_end.close()
        self.conn = Connection(parent_end.detach())
        self.ready = False
        self.start_deadline = time.monotonic() + WORKER_START_TIMEOUT_S
        self.job: _Job | None = None

    def give(self, pages: list[tuple[int, RawPage]], settings: Settings, asks: bool) -> None:
        self.job = _Job(dict(pages))
        self.job.renew(settings.page_timeout_s)
        self.conn.send(("pages", pages, settings, asks))

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(5)
        self.conn.close()

    def stop(self) -> None:
        try:
            self.conn.send(("stop",))
            self.process.wait(2)
        except (OSError, subprocess.TimeoutExpired):
            pass  # gone already, or stuck: killed below
        self.kill()

    def exit_description(self) -> str:
        try:
            code = self.process.wait(1)
        except subprocess.TimeoutExpired:
            return "stopped answering"
        if code < 0:
            name = signal.Signals(-code).name
            hint = " (the system kills a process that runs out of memory so)" if -code == signal.SIGKILL else ""
            return f"was killed by {name}{hint}"
        return f"exited with status {code}"


class PageRunner:
    """A pool of worker processes that analyse pages under a per-page time budget."""

    def __init__(self, workers: int = 1) -> None:
        self.size = max(1, workers)
        self._workers = [_Worker() for _ in range(self.size)]
        # Pages of a job that failed as a whole (``_lost``), to be handed out again one at a time.
        self._retry: deque[tuple[int, RawPage]] = deque()
        self.lock = threading.Lock()  # one run at a time: the pool is not shared between threads

    def __enter__(self) -> PageRunner:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        for worker in self._workers:
            worker.stop()
        self._workers = []

    def run(self, pages: Iterable[RawPage | PageError], settings: Settings,
            skip: Callable[[str], bool] | None = None) -> Iterator[Result]:
        """Analyse ``pages`` in input order; failures come out as PageError values.

        ``skip(document_id)`` drops a page the caller already has (asked by the worker once the
        page is prepared, before it is parsed).
        """
        with self.lock:
            try:
                yield from self._run(pages, settings, skip)
            finally:
                self._drop_abandoned()

    def _run(self, pages: Iterable[RawPage | PageError], settings: Settings,
             skip: Callable[[str], bool] | None) -> Iterator[Result]:
        inputs = enumerate(pages)
        finished: dict[int, Result | None] = {}
        handed = given_out = 0  # pages taken from the input; results given out (or skipped)
        exhausted = False
        window = ORDER_WINDOW_PER_WORKER * self.size
        self._retry.clear()
        while True:
            while (worker := self._idle()) is not None:
                if self._retry:  # the pages of a job that failed as a whole, one at a time
                    worker.give([self._retry.popleft()], settings, skip is not None)
                    continue
                job: list[tuple[int, RawPage]] = []
                while not exhausted and len(job) < PAGES_PER_JOB and handed < given_out + window:
                    item = next(inputs, None)
                    if item is None:
                        exhausted = True
                        break
                    seq, page = item
                    handed = seq + 1
                    if isinstance(page, PageError):
                        finished[seq] = page
                    else:
                        job.append((seq, page))
                if not job:
                    break
                worker.give(job, settings, skip is not None)
            while given_out in finished:
                result = finished.pop(given_out)
                given_out += 1
                if result is not None:
                    yield result
            if exhausted and given_out == handed:
                return
            if given_out == handed and self._idle() is not None:
                # The order window was full of input errors, all given out now: nothing is in a worker to
                # wait for (waiting would block for ever), so hand out the next pages first.
                continue
            self._wait(settings, skip, finished)

    def _drop_abandoned(self) -> None:
        """Replace the workers still busy with a page of a run its caller stopped reading."""
        for index, worker in enumerate(self._workers):
            if worker.job is not None:
                worker.kill()
                self._workers[index] = _Worker()

    def _idle(self) -> _Worker | None:
        return next((w for w in self._workers if w.ready and w.job is None), None)

    def _wait(self, settings: Settings, skip: Callable[[str], bool] | None,
              finished: dict[int, Result | None]) -> None:
        """Take the workers' messages for a while, then deal with overdue and lost workers."""
        waiting = [w for w in self._workers if not w.ready or w.job is not None]
        deadlines = [w.job.deadline if w.job else w.start_deadline for w in waiting]
        timeout = max(0.0, min(deadlines) - time.monotonic()) if deadlines else None
        by_conn = {w.conn: w for w in waiting}
        for ready in wait(list(by_conn), timeout):
            worker = by_conn[ready]  # type: ignore[index]
            try:
                self._take(worker, worker.conn.recv(), settings, skip, finished)
            except (EOFError, OSError):
                self._lost(worker, finished, f"the worker process analysing it {worker.exit_description()}",
                           "worker_died")
        now = time.monotonic()
        for worker in list(self._workers):
            if worker.job is not None and now > worker.job.deadline:
                self._lost(worker, finished, f"its analysis took longer than the budget of "
                           f"{settings.page_timeout_s:g} s a page (Settings.page_timeout_s, --page-timeout); "
                           "it was abandoned and its worker process replaced", "over_budget")
            elif not worker.ready and now > worker.start_deadline:
                worker.kill()
                raise WorkerStartError(f"a page worker did not start within {WORKER_START_TIMEOUT_S:g} s")

    def _take(self, worker: _Worker, message: tuple[Any, ...], settings: Settings,
              skip: Callable[[str], bool] | None, finished: dict[int, Result | None]) -> None:
        kind = message[0]
        if kind == "ready":
            worker.ready = True
        elif kind == "failed":
            worker.kill()
            raise WorkerStartError(f"a page worker could not load the pipeline: {message[1]}")
        elif kind == "ask":
            worker.conn.send(bool(skip(message[1])) if skip is not None else False)
        elif kind == "result" and worker.job is not None:
            _, seq, result = message
            finished[seq] = result
            del worker.job.pending[seq]
            if worker.job.pending:
                worker.job.renew(settings.page_timeout_s)
            else:
                worker.job = None

    def _lost(self, worker: _Worker, finished: dict[int, Result | None], reason: str, kind: str) -> None:
        """Record the worker's page as failed for ``reason`` (the pages of a job of several are handed out
        again one at a time instead), and put a new worker in its place."""
        if worker.job is None and not worker.ready:
            raise WorkerStartError(f"a page worker could not start: it {worker.exit_description()}")
        pending = list(worker.job.pending.items()) if worker.job is not None else []
        if len(pending) == 1:
            seq, page = pending[0]
            finished[seq] = PageError(page.source, reason, kind=kind)
        else:  # which of the job's pages is at fault is unknown: each is tried again alone
            self._retry.extend(pending)
        worker.kill()
        self._workers[self._workers.index(worker)] = _Worker()


def analyze_pages(
    pages: Iterable[RawPage | PageError],
    settings: Settings,
    skip: Callable[[str], bool] | None = None,
) -> Iterator[Result]:
    """Analyse a stream of pages; failures come out as PageError values, never as exceptions.

    ``skip(document_id)`` lets the caller drop pages it already has before they are parsed.
    With ``settings.page_timeout_s`` (the default) pages are analysed by this process's worker
    processes, each under that budget, and come out in input order; with 0 they are analysed here
    (``pipeline.analyze_pages_here``), without a budget. Defined here, not in ``wirescope.pipeline``,
    so that a caller whose pages go to the workers never imports spaCy itself.
    """
    if settings.page_timeout_s <= 0:
        from wirescope.pipeline import analyze_pages_here

        yield from analyze_pages_here(pages, settings, skip)
        return
    yield from shared_runner(settings.workers).run(pages, settings, skip)


_shared: PageRunner | None = None
_shared_lock = threading.Lock()


def shared_runner(workers: int) -> PageRunner:
    """This process's runner with ``workers`` workers, started on first use and kept for later calls."""
    global _shared
    with _shared_lock:
        if _shared is None or _shared.size != max(1, workers):
            if _shared is not None:
                _shared.close()
            _shared = PageRunner(workers)
        return _shared


def close_shared_runner() -> None:
    """Stop this process's runner (a later ``shared_runner`` starts a new one)."""
    global _shared
    with _shared_lock:
        if _shared is not None:
            _shared.close()
            _shared = None


# --- in the worker process ----------------------------------------------------------------------


def _die_with_parent(parent_pid: int) -> None:
    """Ask Linux to kill this worker when its parent dies, even mid-page (a killed server or CLI)."""
    # Where there is no prctl (not Linux) the worker still ends when its pipe closes, after its page.
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent_pid:  # the parent died before the request above was made
        os._exit(0)


def _worker_main(conn: Connection, parent_pid: int) -> None:
    """A worker's life: load the pipeline, say so, then analyse page after page until told to stop."""
    _die_with_parent(parent_pid)
    try:
        from wirescope.pipeline import analyze_page_batch, warm_up

        warm_up()
    except Exception as error:  # a broken install: said once by the parent, not per page
        conn.send(("failed", f"{type(error).__name__}: {error}\n{traceback.format_exc(limit=3)}"))
        return
    conn.send(("ready",))
    while True:
        try:
            message = conn.recv()
        except EOFError:
            return
        if message[0] != "pages":
            return
        _, pages, settings, asks = message

        def ask(document_id: str) -> bool:
            conn.send(("ask", document_id))
            return bool(conn.recv())

        for index, result in analyze_page_batch([page for _, page in pages], settings, ask if asks else None):
            conn.send(("result", pages[index][0], result))


if __name__ == "__main__":
    _worker_main(Connection(int(sys.argv[1])), int(sys.argv[2]))
