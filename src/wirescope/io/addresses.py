"""Which network addresses a fetch made on someone else's behalf may reach.

The REST API fetches the URL a client posts. Unchecked, a client (or a web page, through a browser
on the server's machine) could make the server read its own network: a loopback-only admin page, a
cloud metadata address (169.254.169.254), a router at 192.168.1.1. ``guard_hooks`` gives an httpx
client two checks, run for the first request and again for every redirect hop:

* before connecting: every address the host resolves to must be public (``address_category``);
* once connected: the address actually reached must be public too. A name whose DNS answer changes
  between the check and the connection (DNS rebinding) is caught there, before the body is read.
  The request has then been sent; pinning the connection to the checked address instead would need
  httpx's private transport internals.

The CLI fetches what its own user names, 127.0.0.1 included: only ``Settings.fetch_private_addresses``
off (the API's default) installs the hooks.
"""

from __future__ import annotations

import ipaddress
import socket
import urllib.request
from collections.abc import Callable
from typing import Any

import httpx

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# The non-public kinds, most telling first (127.0.0.1 is also "private" to Python: "loopback" says more).
# site_local exists for IPv6 only (fec0::/10, deprecated but still routed by some stacks).
CATEGORIES = ("loopback", "unspecified", "link_local", "multicast", "reserved", "private", "site_local")
DEFAULT_PORTS = {"http": 80, "https": 443}


class ForbiddenAddress(Exception):
    """A fetch refused because its host is (or resolved to) an address of the server's own networks."""

    def __init__(self, host: str, address: IPAddress, category: str) -> None:
        kind = f"{'an' if category[0] in 'aeiou' else 'a'} {category} address"
        where = f"{address} is" if host.strip("[]") == str(address) else f"{host} resolves to {address},"
        self.reason = (f"{where} {kind}: this server does not fetch from private networks "
                       "(`wirescope serve --allow-private-fetch` allows it)")
        super().__init__(self.reason)


def address_category(address: IPAddress) -> str | None:
    """The kind of non-public address ``address`` is ("loopback", "private", "link-local", ...), None when public.

    An IPv4-mapped IPv6 address (::ffff:127.0.0.1) is judged as the IPv4 address it carries: a
    dual-stack socket connects to that one.
    """
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    for category in CATEGORIES:
        if getattr(address, f"is_{category}", False):
            return category.replace("_", "-")
    # What the named kinds miss but is not routed on the internet either (100.64.0.0/10, shared NAT space).
    return None if address.is_global else "non-public"


def resolved_addresses(host: str, port: int) -> list[IPAddress]:
    """Every address ``host`` resolves to, as the connection will look them up (an IP literal: itself)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [ipaddress.ip_address(str(info[4][0])) for info in infos]


def refuse_forbidden(host: str, addresses: list[IPAddress]) -> None:
    """Raise ForbiddenAddress for the first address of ``addresses`` that is not public."""
    for address in addresses:
        category = address_category(address)
        if category is not None:
            raise ForbiddenAddress(host, address, category)


def check_request(request: httpx.Request) -> None:
    """httpx request hook: refuse a host any of whose addresses is not public (each redirect hop too)."""
    if request.url.scheme not in DEFAULT_PORTS:
        return  # the transport refuses it as an unsupported protocol
    host = request.url.raw_host.decode("ascii")
    port = request.url.port or DEFAULT_PORTS.get(request.url.scheme, 80)
    try:
        addresses = resolved_addresses(host, port)
    except (OSError, UnicodeError) as error:  # an unknown name: what the connection would report too
        raise httpx.ConnectError(f"cannot resolve {request.url.host}: {error}", request=request) from error
    refuse_forbidden(request.url.host, addresses)


def check_peer(response: httpx.Response) -> None:
    """httpx response hook: refuse an answer that came from a non-public address (a DNS answer that
    changed after ``check_request``), before its body is read."""
    stream = response.extensions.get("network_stream")
    try:
        peer = stream.get_extra_info("server_addr") if stream is not None else None
    except OSError:  # the peer hung up already: nothing more to read from it, and check_request passed
        peer = None
    if peer:
        refuse_forbidden(response.request.url.host, [ipaddress.ip_address(str(peer[0]))])


def guard_hooks() -> dict[str, list[Callable[[Any], None]]]:
    """The ``event_hooks`` of a client that fetches public addresses only."""
    # Through a proxy the peer is the proxy (often on a private network), and the proxy resolves the
    # name: only the name's own addresses can be checked then.
    proxied = bool(urllib.request.getproxies())
    return {"request": [check_request], "response": [] if proxied else [check_peer]}
