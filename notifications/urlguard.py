"""Where the registry may send a webhook: public https addresses only (no SSRF).

A URL is checked when a partner registers it and again, after DNS resolution, before every
delivery; the connection then goes to the very address that was checked, so a name that
resolves to a public address at the check and to 127.0.0.1 a moment later (DNS rebinding)
cannot reach the inside.
"""

import http.client
import ipaddress
import socket
import ssl
from urllib.parse import urlsplit

from django.conf import settings


class UnsafeURLError(ValueError):
    """The URL may not receive webhooks; the message says why."""


def _address_is_allowed(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if ip.is_loopback:
        return bool(settings.WEBHOOKS_ALLOW_LOOPBACK)
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_link_local)


def check_url(url: str) -> str:
    """Refuse a URL that is not https (in production) or whose name is not a public host.

    Returns the address the host resolves to, the one a delivery connects to.
    """
    parts = urlsplit(url)
    allowed_schemes = {"https"} if settings.WEBHOOKS_REQUIRE_HTTPS else {"https", "http"}
    if parts.scheme not in allowed_schemes:
        raise UnsafeURLError("Webhook URLs must use https.")
    if not parts.hostname:
        raise UnsafeURLError("The URL has no host name.")
    if parts.username or parts.password:
        raise UnsafeURLError("Put no user name or password in the URL; webhooks are signed.")
    return resolve(parts.hostname, _port(parts))


def _port(parts) -> int:
    try:
        port = parts.port
    except ValueError as exc:
        raise UnsafeURLError("The URL's port is not a number between 0 and 65535.") from exc
    return port or (443 if parts.scheme == "https" else 80)


def resolve(hostname: str, port: int) -> str:
    """The first address of `hostname`, provided every address it resolves to is public."""
    try:
        infos = socket.getaddrinfo(hostname, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise UnsafeURLError(f"The host name {hostname!r} does not resolve.") from exc
    addresses = [info[4][0] for info in infos]
    refused = [a for a in addresses if not _address_is_allowed(a)]
    if refused or not addresses:
        raise UnsafeURLError(
            f"{hostname!r} resolves to a private, loopback or reserved address "
            f"({', '.join(refused)}); webhooks go to public addresses only."
        )
    return addresses[0]


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host, port, address, **kwargs):
        super().__init__(host, port, **kwargs)
        self._address = address

    def connect(self):
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host, port, address, **kwargs):
        super().__init__(host, port, context=ssl.create_default_context(), **kwargs)
        self._address = address

    def connect(self):
        sock = socket.create_connection((self._address, self.port), self.timeout)
        # The certificate is checked against the host name, not the pinned address.
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def post(url: str, *, body: bytes, headers: dict[str, str], timeout: float) -> int:
    """POST `body` to a checked URL without following redirects; the response's status code."""
    address = check_url(url)
    parts = urlsplit(url)
    port = _port(parts)
    connection_class = _PinnedHTTPSConnection if parts.scheme == "https" else _PinnedHTTPConnection
    connection = connection_class(parts.hostname, port, address, timeout=timeout)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        response.read(65536)  # the body is not kept; read a little so the server is not cut off
        return response.status
    finally:
        connection.close()
