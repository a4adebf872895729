"""Every request the collector makes, made politely: robots.txt honoured, one request at a time per
host with a pause between them, retries with exponential backoff on 5xx, 429, timeouts and network
errors, and the reader's limits (``wirescope.io.readers.fetch_answer``: the project's User-Agent, the
size cap, the timeout, the redirect limit).

robots.txt follows RFC 9309: a 4xx answer (no robots.txt) allows everything, a 5xx answer or no
answer at all disallows everything until it is asked again (``ROBOTS_UNREACHABLE_TTL_S``), and a
host's rules are kept for ``CollectOptions.robots_ttl_s``. Robots are checked before the first
request to a URL; a redirect's target is not checked again (the host's own server sent it there).
"""

from __future__ import annotations

import threading
import time
import urllib.robotparser
from collections.abc import Callable
from dataclasses import dataclass

from wirescope.collect.options import CollectOptions
from wirescope.collect.urls import host_key
from wirescope.errors import PageError
from wirescope.io.readers import HttpAnswer, fetch_answer, make_client
from wirescope.settings import Settings

RETRIED_KINDS = ("timeout", "network")
# An unreachable robots.txt blocks its host for this long at most before it is asked again.
ROBOTS_UNREACHABLE_TTL_S = 300.0


def should_retry(answer: HttpAnswer | PageError) -> bool:
    """A failure that may pass: a server error, "too many requests", a timeout, a network error."""
    if isinstance(answer, PageError):
        return answer.kind in RETRIED_KINDS
    return answer.status >= 500 or answer.status == 429


@dataclass(frozen=True)
class _Robots:
    parser: urllib.robotparser.RobotFileParser | None  # None: everything allowed
    blocked: str | None  # why everything is disallowed (robots.txt unreachable)
    expires_at: float

    def allows(self, url: str, user_agent: str) -> bool:
        if self.blocked is not None:
            return False
        return self.parser is None or self.parser.can_fetch(user_agent, url)

    def crawl_delay(self, user_agent: str) -> float:
        delay = self.parser.crawl_delay(user_agent) if self.parser is not None else None
        return float(delay) if delay else 0.0


class Stopped(Exception):
    """The collector was asked to stop while waiting for its turn."""


class PoliteFetcher:
    """One HTTP client for a collector's life, with per-host turns and robots.txt rules."""

    def __init__(self, settings: Settings, options: CollectOptions, stop: threading.Event,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.settings, self.options, self.stop, self.clock = settings, options, stop, clock
        self.client = make_client(settings)
        self._next_at: dict[str, float] = {}  # host -> when its next request may start
        self._robots: dict[str, _Robots] = {}

    def close(self) -> None:
        self.client.close()

    def ready_at(self, url: str) -> float:
        """When a request to ``url``'s host may start (the clock's time)."""
        return self._next_at.get(host_key(url), 0.0)

    def get(self, url: str, headers: dict[str, str] | None = None) -> tuple[HttpAnswer | PageError, int]:
        """GET ``url`` in its host's turn, retried with backoff while it fails in a way that may
        pass; the last answer and the number of tries. Raises Stopped when asked to stop meanwhile."""
        tries = 0
        while True:
            self._wait_turn(url)
            answer = fetch_answer(url, self.settings, self.client, headers)
            tries += 1
            self._next_at[host_key(url)] = self.clock() + self._delay(url)
            if tries >= self.options.attempts or not should_retry(answer):
                return answer, tries
            if self.stop.wait(self.options.retry_backoff_s * 2 ** (tries - 1)):
                raise Stopped

    def allowed(self, url: str) -> str | None:
        """None when robots.txt lets this collector fetch ``url``; else why not."""
        rules = self._rules(url)
        if rules.allows(url, self.settings.user_agent):
            return None
        return rules.blocked or f"{host_key(url)}/robots.txt disallows it for {self.settings.user_agent}"

    def _wait_turn(self, url: str) -> None:
        while (wait := self.ready_at(url) - self.clock()) > 0:
            if self.stop.wait(wait):
                raise Stopped
        if self.stop.is_set():
            raise Stopped

    def _delay(self, url: str) -> float:
        rules = self._robots.get(host_key(url))
        asked = min(rules.crawl_delay(self.settings.user_agent), self.options.max_crawl_delay_s) if rules else 0.0
        return max(self.options.host_delay_s, asked)

    def _rules(self, url: str) -> _Robots:
        host = host_key(url)
        rules = self._robots.get(host)
        if rules is None or rules.expires_at <= self.clock():
            rules = self._fetch_rules(host)
            self._robots[host] = rules
        return rules

    def _fetch_rules(self, host: str) -> _Robots:
        answer, _ = self.get(f"{host}/robots.txt")
        fresh_until = self.clock() + self.options.robots_ttl_s
        if isinstance(answer, PageError) or answer.status >= 500:
            reason = answer.reason if isinstance(answer, PageError) else f"HTTP {answer.status}"
            return _Robots(None, f"the robots.txt of {host} cannot be read ({reason}): nothing is fetched from "
                                 "the host until it can",
                           self.clock() + min(self.options.robots_ttl_s, ROBOTS_UNREACHABLE_TTL_S))
        if answer.status >= 400:  # no robots.txt: no rules
            return _Robots(None, None, fresh_until)
        parser = urllib.robotparser.RobotFileParser(f"{host}/robots.txt")
        parser.parse(answer.data.decode("utf-8", errors="replace").splitlines())
        return _Robots(parser, None, fresh_until)
