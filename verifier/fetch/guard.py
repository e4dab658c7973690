"""The SSRF guard: which addresses a fetch may connect to.

A cited URL is untrusted input, and the tool runs next to CI secrets and cloud metadata
endpoints. So a host is resolved once, *every* address it resolves to is checked, and the
connection goes to an address that was checked (see transport.py): a DNS answer that
changes between check and connect (rebinding) cannot slip through. Numeric spellings
("2130706433", "0x7f.1", "127.1") resolve through the same lookup and get the same check.

`ipaddress`'s flags are not enough on their own (multicast, NAT64 and 6to4 count as
"global"), so the refused ranges are listed here explicitly, and IPv6 forms that embed an
IPv4 address are refused outright: they reach IPv4 hosts through translators.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
from collections.abc import Iterable
from dataclasses import dataclass

from verifier.errors import SourceError
from verifier.model import UnavailableReason

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_REFUSED_V4 = tuple(
    ipaddress.IPv4Network(network)
    for network in (
        "0.0.0.0/8",  # "this network"; 0.0.0.0 reaches localhost on Linux
        "10.0.0.0/8",
        "100.64.0.0/10",  # carrier-grade NAT
        "127.0.0.0/8",
        "169.254.0.0/16",  # link-local, cloud metadata (169.254.169.254)
        "172.16.0.0/12",
        "192.0.0.0/24",  # IETF protocol assignments
        "192.0.2.0/24",  # documentation
        "192.88.99.0/24",  # 6to4 relay anycast
        "192.168.0.0/16",
        "198.18.0.0/15",  # benchmarking
        "198.51.100.0/24",
        "203.0.113.0/24",
        "224.0.0.0/4",  # multicast
        "240.0.0.0/4",  # reserved, and 255.255.255.255 broadcast
    )
)
_REFUSED_V6 = tuple(
    ipaddress.IPv6Network(network)
    for network in (
        "::/128",  # unspecified
        "::1/128",  # loopback
        "::/96",  # IPv4-compatible (deprecated, embeds IPv4)
        "::ffff:0:0/96",  # IPv4-mapped
        "::ffff:0:0:0/96",  # IPv4-translated (SIIT)
        "64:ff9b::/96",  # NAT64
        "64:ff9b:1::/48",  # local-use NAT64
        "100::/64",  # discard
        "2001::/32",  # Teredo (embeds IPv4)
        "2001:db8::/32",  # documentation
        "2002::/16",  # 6to4 (embeds IPv4)
        "fc00::/7",  # unique local, incl. fd00:ec2::254 (AWS metadata)
        "fe80::/10",  # link-local
        "fec0::/10",  # site-local (deprecated)
        "ff00::/8",  # multicast
    )
)


class BlockedDestination(SourceError):
    """A URL's host is, or resolves to, an address the guard refuses."""

    reason = UnavailableReason.BLOCKED

    def __init__(self, host: str, detail: str) -> None:
        super().__init__(f"{host}: {detail}")
        self.host = host
        self.detail = detail


def refusal(address: IPAddress) -> str | None:
    """Why `address` must not be connected to, or None when it is a public address."""
    if isinstance(address, ipaddress.IPv6Address):
        networks: Iterable[ipaddress.IPv4Network | ipaddress.IPv6Network] = _REFUSED_V6
    else:
        networks = _REFUSED_V4
    for network in networks:
        if address in network:
            return f"{address} is in the non-public range {network}"
    if not address.is_global:
        return f"{address} is not a global address"
    return None


@dataclass(frozen=True)
class AddressPolicy:
    """The guard's configuration: hosts let through despite the checks.

    An allow_hosts entry matches the URL's host as written (case and a trailing dot
    aside), or, for an address entry, a URL host that is the same address in any
    spelling ("127.0.0.1", "2130706433"). A *name* that merely resolves to an allowed
    address is not let through: otherwise any DNS name pointed at 127.0.0.1 would reach
    whatever an allowed test server shares that address with.
    """

    allow_hosts: tuple[str, ...] = ()

    def allowed(self, host: str) -> bool:
        bare = normalise_host(host)
        names = {normalise_host(h) for h in self.allow_hosts}
        if bare in names:
            return True
        literal = literal_address(bare)
        return literal is not None and any(literal_address(name) == literal for name in names)

    def resolve(self, host: str, port: int, *, timeout: float | None = None) -> list[str]:
        """Resolve `host` once and return its addresses, all of them checked.

        Raises BlockedDestination when any address is refused: a name that resolves to
        one public and one private address is refused as a whole, since the connection
        might go to either. Raises TimeoutError when the lookup outlasts `timeout`.
        """
        bare = normalise_host(host)
        infos = _getaddrinfo(bare, port, timeout)
        addresses: list[str] = []
        host_is_allowed = self.allowed(bare)
        for _family, _type, _proto, _canon, sockaddr in infos:
            text = str(sockaddr[0]).split("%", 1)[0]  # drop an IPv6 zone id
            address = ipaddress.ip_address(text)
            if not host_is_allowed:
                reason = refusal(address)
                if reason is not None:
                    raise BlockedDestination(host, reason)
            if text not in addresses:
                addresses.append(text)
        if not addresses:
            raise UnresolvableHost(host, "no addresses")
        return addresses


class UnresolvableHost(SourceError):
    """DNS gave no address for the host."""

    reason = UnavailableReason.NETWORK_ERROR

    def __init__(self, host: str, detail: str) -> None:
        super().__init__(f"cannot resolve {host}: {detail}")
        self.host = host


_AddrInfo = list[tuple[object, object, object, str, tuple[object, ...]]]


def _getaddrinfo(host: str, port: int, timeout: float | None) -> _AddrInfo:
    """getaddrinfo with a time limit: the system resolver cannot be interrupted, so it
    runs in a daemon thread that is abandoned if it hangs past `timeout`."""
    outcome: list[_AddrInfo | BaseException] = []

    def lookup() -> None:
        try:
            outcome.append(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM))  # type: ignore[arg-type]
        except (OSError, UnicodeError) as error:
            outcome.append(error)

    worker = threading.Thread(target=lookup, name=f"resolve {host}", daemon=True)
    worker.start()
    worker.join(timeout)
    if not outcome:
        raise TimeoutError(f"looking up {host} took more than {timeout:g} s")
    result = outcome[0]
    if isinstance(result, BaseException):
        raise UnresolvableHost(host, str(result)) from result
    return result


def normalise_host(host: str) -> str:
    return host.strip().strip("[]").rstrip(".").lower()


def literal_address(host: str) -> IPAddress | None:
    """The address a host *spells*, in any form the resolver accepts, or None for a name.

    inet_aton takes the legacy IPv4 forms ("127.1", "0x7f.0.0.1", "2130706433", octal
    "0177.0.0.1") that getaddrinfo would resolve without any DNS.
    """
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    try:
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except (OSError, UnicodeError):
        return None
