"""What stands between a request and the database: the body size limit, the write guard (API
token, or a loopback address when there is none) and the web UI's security headers."""

from __future__ import annotations

import hmac
import ipaddress

from fastapi import HTTPException, Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from wirescope.serve.responses import error_response

# The UI loads only its own files: a page text that slipped through as markup still could not run.
UI_HEADERS = {
    "Content-Security-Policy": ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                                "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
                                "frame-ancestors 'none'"),
    "X-Content-Type-Options": "nosniff",
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


class UIHeaders:
    """Security headers on the web UI's responses (pure ASGI: no task group around the body)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(("/ui", "/static/")):
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []),
                                                  *((k.lower().encode(), v.encode()) for k, v in UI_HEADERS.items())]}
            await send(message)

        await self.app(scope, receive, send_with_headers)
