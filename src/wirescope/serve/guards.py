"""What stands between a request and the database: the allowed hosts, the body size limit, the
write guard (API token, or a loopback address when there is none) and the security headers of
every response."""

from __future__ import annotations

import hmac
import ipaddress
from collections.abc import Iterable

from fastapi import HTTPException, Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from wirescope.serve.responses import error_response

ANY_HOST = "*"
# The UI loads only its own files: a page text that slipped through as markup still could not run.
UI_HEADERS = {
    "Content-Security-Policy": ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                                "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
                                "frame-ancestors 'none'"),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}
# Every other answer (JSON, CSV downloads, the API docs): never sniffed as another type, never framed.
API_HEADERS = {
    "Content-Security-Policy": "frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}


def is_loopback(host: str | None) -> bool:
    if host is None:
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def host_name(header: str) -> str | None:
    """The host of a Host header without its port, in lower case, an IPv6 address without brackets;
    None when the header is malformed."""
    header = header.strip().lower()
    if header.startswith("["):
        name, bracket, rest = header[1:].partition("]")
        port_ok = not rest or (rest.startswith(":") and rest[1:].isdigit())
        return name if bracket and name and port_ok else None
    if header.count(":") > 1:  # a bare IPv6 address: it cannot carry a port
        return header
    name, colon, port = header.partition(":")
    if colon and not port.isdigit():
        return None
    return name.rstrip(".") or None  # "localhost." is "localhost"


def same_address(name: str, address: str | None) -> bool:
    """Whether ``name`` is an IP literal for ``address``."""
    try:
        return address is not None and ipaddress.ip_address(name) == ipaddress.ip_address(address)
    except ValueError:
        return False


def given_token(request: Request) -> str:
    """The token of ``X-API-Token``, else of ``Authorization: Bearer``; empty when neither."""
    given = request.headers.get("x-api-token") or ""
    auth = request.headers.get("authorization") or ""
    if auth.lower().startswith("bearer "):
        given = given or auth[7:].strip()
    return given


def require_write(request: Request, token: str | None) -> None:
    """Refuse a write without the right token; without a token set, refuse it off loopback."""
    if token is not None:
        given = given_token(request)
        if not given:
            raise HTTPException(401, "this request needs the API token (header 'Authorization: Bearer TOKEN' "
                                     "or 'X-API-Token: TOKEN')")
        if not hmac.compare_digest(given.encode(), token.encode()):
            raise HTTPException(403, "wrong API token")
        return
    server = request.scope.get("server")
    host = server[0] if server else None
    if not is_loopback(host):
        raise HTTPException(403, "writes are refused: this server listens on a non-loopback address "
                                 "without an API token (start it with --token)")


def has_owner_secret(request: Request, owner_secret: str | None) -> bool:
    """Whether the request carries the secret of the note of ownership (storage.owner): a CLI command
    of the database's user going through this server."""
    from wirescope.storage.remote import SECRET_HEADER

    given = request.headers.get(SECRET_HEADER)
    return (owner_secret is not None and given is not None
            and hmac.compare_digest(given.encode(), owner_secret.encode()))


class BodyTooLarge(HTTPException):
    """Raised while reading a body past the limit; FastAPI passes an HTTPException through as it is."""

    def __init__(self, max_bytes: int) -> None:
        super().__init__(413, f"request body larger than the limit of {max_bytes} bytes")


class BodyLimit:
    """Refuse request bodies over ``max_bytes`` with a JSON 413, announced by Content-Length or not.

    Written here rather than FastAPI's ``max_body_size``: that one answers a declared length in
    plain text, and every error of this API is JSON.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.max_bytes:
            message = f"request body of {int(declared)} bytes is larger than the limit of {self.max_bytes} bytes"
            await error_response(413, message)(scope, receive, send)
            return
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.max_bytes:
                raise BodyTooLarge(self.max_bytes)  # answered by the app's HTTPException handler
            return message

        await self.app(scope, counting_receive, send)


class AllowedHosts:
    """Answer only requests addressed to this server: any other ``Host`` gets a JSON 400.

    This defeats DNS rebinding: a page at rebind.attacker.example whose name is made to resolve to
    127.0.0.1 gets the browser to send its requests here, but they say "Host: rebind.attacker.example".
    Allowed: loopback names and addresses (localhost, 127.x.y.z, ::1, with any port), the names in
    ``allowed_hosts`` (``*``: any host, which turns the guard off), and the IP address the connection
    came in on (the ASGI scope's ``server``): a browser that reaches the server by its IP literal
    resolved no name, so there is nothing to rebind.

    Written here rather than Starlette's TrustedHostMiddleware: that one answers in plain text, and
    takes only fixed names (neither 127.0.0.0/8 nor the connection's own address).
    """

    def __init__(self, app: ASGIApp, allowed_hosts: Iterable[str] = ()) -> None:
        self.app = app
        hosts = list(allowed_hosts)
        self.allow_any = ANY_HOST in hosts
        self.allowed = frozenset(name for name in map(host_name, hosts) if name)

    def is_allowed(self, name: str, scope: Scope) -> bool:
        server = scope.get("server")
        return name in self.allowed or is_loopback(name) or same_address(name, server[0] if server else None)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.allow_any:
            await self.app(scope, receive, send)
            return
        header = dict(scope["headers"]).get(b"host", b"").decode("latin-1")
        name = host_name(header)
        if name is not None and self.is_allowed(name, scope):
            await self.app(scope, receive, send)
            return
        await error_response(400, refused_host_message(header))(scope, receive, send)


def refused_host_message(header: str) -> str:
    if not header:
        return "the request has no Host header: this server answers only requests addressed to it"
    shown = header if len(header) <= 100 else header[:100] + "..."
    return (f"host {shown!r} is not allowed: this server answers only its loopback names and the address "
            "it listens on; start it with `--allow-host NAME` to answer another name")


def encoded_headers(headers: dict[str, str]) -> list[tuple[bytes, bytes]]:
    return [(name.lower().encode(), value.encode()) for name, value in headers.items()]


class SecurityHeaders:
    """Security headers on every response: the UI's full policy on its pages and files, no sniffing
    and no framing on the rest. A header the response sets itself is kept (pure ASGI: no task group
    around the body)."""

    ui_headers = encoded_headers(UI_HEADERS)
    api_headers = encoded_headers(API_HEADERS)

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        added = self.ui_headers if scope["path"].startswith(("/ui", "/static/")) else self.api_headers

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                message = {**message, "headers": headers + [h for h in added if h[0] not in present]}
            await send(message)

        await self.app(scope, receive, send_with_headers)
