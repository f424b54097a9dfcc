"""The shared guards in front of every route: Host and Origin checks, HTTP Basic auth.

A server on 127.0.0.1 is still reachable from any web page the user opens
(DNS rebinding: evil.example resolving to 127.0.0.1), so a loopback-bound app
answers only requests whose Host names the loopback. Requests that change
something (POST, PUT, PATCH, DELETE) must come from our own pages (Origin or
Sec-Fetch-Site), so another site cannot submit a form to us. Pure ASGI, so
downloads stream through it untouched.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import ipaddress
from dataclasses import dataclass
from urllib.parse import urlsplit

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .errors import error_page

LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

# Sent with every response: no sniffing a book as HTML, no framing our pages,
# nothing loaded from elsewhere (the pages need no remote resource).
SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
    (b"content-security-policy",
     b"default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'"),
]


@dataclass(frozen=True)
class Credentials:
    """HTTP Basic credentials the server demands."""

    user: str
    password: str

    def __repr__(self) -> str:  # never print a password into a log
        return f"Credentials(user={self.user!r}, password=***)"


@dataclass(frozen=True)
class AccessPolicy:
    """Who may talk to the app: accepted Host names (None: any) and the credentials, if any."""

    allowed_hosts: frozenset[str] | None = LOOPBACK_NAMES
    credentials: Credentials | None = None
    realm: str = "storybinder"

    @classmethod
    def for_bind(cls, host: str, credentials: Credentials | None) -> AccessPolicy:
        """The policy for a server bound to `host`: a loopback bind accepts only loopback Host names."""
        return cls(allowed_hosts=LOOPBACK_NAMES if is_loopback(host) else None, credentials=credentials)


def is_loopback(host: str) -> bool:
    """Is `host` (an address or 'localhost') on this machine only?"""
    if host.strip("[]").lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def host_name(authority: str) -> str:
    """'example.org:8080' -> 'example.org', '[::1]:80' -> '::1' (lower case)."""
    authority = authority.strip().lower()
    if authority.startswith("["):
        return authority[1:authority.find("]")] if "]" in authority else authority
    return authority.rsplit(":", 1)[0] if authority.count(":") == 1 else authority


class GuardMiddleware:
    """Refuses requests that fail the AccessPolicy before they reach a route."""

    def __init__(self, app: ASGIApp, policy: AccessPolicy) -> None:
        self.app = app
        self.policy = policy

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        problem = self.problem(Headers(scope=scope), scope["method"])
        if problem is not None:
            response = await error_page(Request(scope, receive), problem)
            await response(scope, receive, _with_security_headers(send))
            return
        await self.app(scope, receive, _with_security_headers(send))

    def problem(self, headers: Headers, method: str) -> HTTPException | None:
        """Why this request is refused, as the HTTP error to send; None when it may pass."""
        host = headers.get("host", "")
        if self.policy.allowed_hosts is not None and host_name(host) not in self.policy.allowed_hosts:
            return HTTPException(421, "This server answers only to its own address (localhost).")
        if method not in SAFE_METHODS and not _same_origin(headers, host):
            return HTTPException(403, "Changes are accepted only from this server's own pages.")
        if self.policy.credentials is not None and not _authorised(headers, self.policy.credentials):
            realm = self.policy.realm.replace('"', "")
            return HTTPException(401, "This shelf needs a user name and password.",
                                 headers={"WWW-Authenticate": f'Basic realm="{realm}", charset="UTF-8"'})
        return None


def _same_origin(headers: Headers, host: str) -> bool:
    origin = headers.get("origin")
    if origin is not None:
        return origin != "null" and urlsplit(origin).netloc.lower() == host.lower()
    # No Origin (old browsers, scripts): a browser still says where the request came from.
    return headers.get("sec-fetch-site", "same-origin") in ("same-origin", "none")


def _authorised(headers: Headers, expected: Credentials) -> bool:
    scheme, _, value = headers.get("authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return False
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return False
    user, sep, password = decoded.partition(":")
    # Both compared, always, in constant time: no timing hint of which one was wrong.
    ok_user = hmac.compare_digest(user.encode(), expected.user.encode())
    ok_password = hmac.compare_digest(password.encode(), expected.password.encode())
    return bool(sep) and ok_user and ok_password


def _with_security_headers(send: Send) -> Send:
    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            present = {name.lower() for name, _ in message.get("headers", [])}
            extra = [(n, v) for n, v in SECURITY_HEADERS if n not in present]
            message = {**message, "headers": [*message.get("headers", []), *extra]}
        await send(message)
    return wrapped
