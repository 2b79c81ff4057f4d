"""The address phones use to reach this install: found on the local network, or given.

Every printed link and QR code is built on the install's BASE_URL. Phones cannot open a loopback
address (``localhost``, ``127.0.0.1``): it names the phone itself. So when no BASE_URL is given,
``twofeet serve`` and ``twofeet demo`` use this computer's address on the local network, and the
console and board say plainly when the join address is a loopback one.

Finding the address sends nothing: ``connect()`` on a UDP socket only asks the kernel which of
this computer's addresses it would send from (no packet leaves), and the fallback reads the
interfaces' addresses from the kernel.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

# TEST-NET-1 (RFC 5737): documentation-only, routed like any far address, never really reached.
_PROBE = ("192.0.2.1", 9)
_WILDCARDS = {"", "0.0.0.0", "::", "[::]"}  # "every interface"


def host_of(url: str) -> str:
    """The host part of an address, lower case, without brackets or port."""
    return (urlsplit(url if "://" in url else f"http://{url}").hostname or "").lower()


def is_loopback(url_or_host: str) -> bool:
    """Whether a phone on the network could never reach this address (it names itself)."""
    host = host_of(url_or_host)
    if host in ("localhost", "") or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False  # a name: a school's DNS may well know it
    return address.is_loopback or address.is_unspecified


def loopback_warning(base_url: str, *, short: bool = False) -> str | None:
    """What the console (and, ``short``, the board) says when the join address is a loopback one."""
    if not is_loopback(base_url):
        return None
    host = host_of(base_url)
    if short:
        return f"Phones cannot open “{host}”: restart Two Feet with --base-url and this computer's network address."
    return (
        f"Phones cannot open this join address: “{host}” is this computer's own name for itself. "
        "Restart Two Feet with --base-url and the address phones reach on the school network."
    )


def choose_lan_address(candidates: Iterable[str]) -> str | None:
    """The best address for phones among this computer's: IPv4, not loopback or link-local,
    a private network (192.168/16, 10/8, 172.16/12) before any other."""
    usable: list[ipaddress.IPv4Address] = []
    for raw in candidates:
        try:
            address = ipaddress.ip_address(raw)
        except ValueError:
            continue
        if (
            not isinstance(address, ipaddress.IPv4Address)
            or address.is_loopback
            or address.is_link_local
            or address.is_unspecified
            or address.is_multicast
        ):
            continue
        if address not in usable:
            usable.append(address)
    if not usable:
        return None
    usable.sort(key=lambda a: 0 if a.is_private else 1)  # stable: the kernel's order otherwise
    return str(usable[0])


def _routed_address() -> str | None:
    """The address the kernel would send from to a far network; no packet is sent."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(_PROBE)
            return str(probe.getsockname()[0])
        except OSError:  # no route at all (not connected to any network)
            return None


def _interface_addresses() -> list[str]:
    """Every interface's IPv4 address, read from the kernel (Linux); empty elsewhere."""
    try:
        import fcntl  # noqa: PLC0415 - not on Windows
        import struct  # noqa: PLC0415 - only this fallback packs ioctl arguments
    except ImportError:
        return []
    found = []
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        for _index, name in socket.if_nameindex():
            try:
                packed = fcntl.ioctl(sock.fileno(), 0x8915, struct.pack("256s", name[:15].encode()))  # SIOCGIFADDR
            except OSError:  # an interface with no IPv4 address
                continue
            found.append(socket.inet_ntoa(packed[20:24]))
    return found


def lan_address() -> str | None:
    """This computer's address on the local network, or None when it is on none."""
    routed = _routed_address()
    return choose_lan_address([routed] if routed else []) or choose_lan_address(_interface_addresses())


@dataclass
class ServeAddress:
    """Where ``twofeet serve`` listens, the base URL it prints links with, and what it tells the person."""

    base_url: str
    host: str
    lines: list[str] = field(default_factory=list)


def serve_address(*, base_url: str | None, host: str | None, port: int, found: str | None) -> ServeAddress:
    """Decide the base URL and the address to listen on.

    ``base_url`` is the one given (``--base-url`` or TWOFEET_BASE_URL), ``host`` the ``--host``
    given, ``found`` this computer's LAN address (``lan_address()``). A given base URL is used
    as it is; otherwise the LAN address is, and the server listens on every interface so phones
    reach it. The lines say which, with the hint to pass ``--base-url`` when that guess is wrong.
    """
    hint = (
        f"If phones reach this computer by another address or name, restart with --base-url http://THAT-ADDRESS:{port}"
    )
    if base_url:
        listen = host or ("127.0.0.1" if is_loopback(base_url) else "0.0.0.0")
        lines = [f"Phones join at {base_url}/"]
        warning = loopback_warning(base_url)
        if warning:
            lines.append(warning)
        return ServeAddress(base_url.rstrip("/"), listen, lines)
    if host and host not in _WILDCARDS:
        if is_loopback(host):
            base = f"http://localhost:{port}"
            return ServeAddress(
                base, host, [f"Listening on {host} only: open {base}/ on this computer.", loopback_warning(base) or ""]
            )
        base = f"http://{host}:{port}"
        return ServeAddress(base, host, [f"Phones join at {base}/", hint])
    if found:
        base = f"http://{found}:{port}"
        return ServeAddress(
            base,
            host or "0.0.0.0",  # every interface: phones must reach it
            [f"Phones join at {base}/ (this computer's address on the local network).", hint],
        )
    base = f"http://localhost:{port}"
    return ServeAddress(
        base,
        host or "127.0.0.1",
        [
            f"No network address found: only this computer can open {base}/.",
            "Connect to the school network and start again, or pass --base-url http://ADDRESS:PORT.",
        ],
    )
