"""The shared guards in front of every route: Host and Origin checks, HTTP Basic auth.

A server on 127.0.0.1 is still reachable from any web page the user opens
(DNS rebinding: evil.example resolving to 127.0.0.1), so a loopback-bound app
answers only requests whose Host names the loopback. Requests that change
something (POST, PUT, PATCH, DELETE) must come from our own pages (Origin or
Sec-Fetch-Site), so another site cannot submit a form to us. A review server
goes further: only its own address (Host with its port), no request from
another page at all (Origin), and only with the one-time token of its URL
(exchanged for a cookie on the first visit). Pure ASGI, so downloads stream
through it untouched.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import ipaddress
from dataclasses import dataclass
from http.cookies import SimpleCookie
from urllib.parse import parse_qs, urlsplit

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
    # A review server: the exact Host values it answers ("127.0.0.1:PORT"), and its URL's token.
    authorities: frozenset[str] | None = None
    token: str | None = None

    def __repr__(self) -> str:  # never print the token into a log
        return f"AccessPolicy(allowed_hosts={self.allowed_hosts!r}, authorities={self.authorities!r})"

    @classmethod
    def for_review(cls, host: str, port: int, token: str) -> AccessPolicy:
        """Only http://HOST:PORT/ itself (and localhost:PORT on a loopback host), only with `token`."""
        names = {host} | ({"localhost", "127.0.0.1"} if is_loopback(host) else set())
        return cls(authorities=frozenset(f"{name}:{port}" for name in names), token=token)

    @property
    def cookie_name(self) -> str:
        """The cookie that carries the token after the first visit (one name per server)."""
        return "storybinder-review-" + hashlib.sha256((self.token or "").encode()).hexdigest()[:12]

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
        headers = Headers(scope=scope)
        problem = self.problem(headers, scope["method"], scope.get("query_string", b""))
        if problem is not None:
            response = await error_page(Request(scope, receive), problem)
            await response(scope, receive, _with_security_headers(send))
            return
        wrapped = _with_security_headers(send)
        if self.policy.token is not None and not self._cookie_token(headers):
            wrapped = _with_cookie(wrapped, self.policy.cookie_name, self.policy.token)  # the first visit
        await self.app(scope, receive, wrapped)

    def problem(self, headers: Headers, method: str, query: bytes = b"") -> HTTPException | None:
        """Why this request is refused, as the HTTP error to send; None when it may pass."""
        host = headers.get("host", "")
        if self.policy.allowed_hosts is not None and host_name(host) not in self.policy.allowed_hosts:
            return HTTPException(421, "This server answers only to its own address (localhost).")
        if self.policy.authorities is not None and host.strip().lower() not in self.policy.authorities:
            return HTTPException(421, "This server answers only to its own address.")
        if self.policy.token is not None:
            origin = headers.get("origin")
            if origin is not None and not _same_origin(headers, host):
                return HTTPException(403, "This server answers only its own pages.")
            if not self._has_token(headers, query):
                return HTTPException(403, "Open the address `storybinder review` printed: it carries the page's token.")
        if method not in SAFE_METHODS and not _same_origin(headers, host):
            return HTTPException(403, "Changes are accepted only from this server's own pages.")
        if self.policy.credentials is not None and not _authorised(headers, self.policy.credentials):
            realm = self.policy.realm.replace('"', "")
            return HTTPException(401, "This shelf needs a user name and password.",
                                 headers={"WWW-Authenticate": f'Basic realm="{realm}", charset="UTF-8"'})
        return None


    def _has_token(self, headers: Headers, query: bytes) -> bool:
        expected = (self.policy.token or "").encode()
        given = [*parse_qs(query.decode("latin-1")).get("token", [])[:1], headers.get("x-review-token", "")]
        return self._cookie_token(headers) or any(hmac.compare_digest(g.encode(), expected) for g in given if g)

    def _cookie_token(self, headers: Headers) -> bool:
        cookie = SimpleCookie()
        try:
            cookie.load(headers.get("cookie", ""))
        except Exception:  # a malformed Cookie header is no token
            return False
        morsel = cookie.get(self.policy.cookie_name)
        return morsel is not None and hmac.compare_digest(morsel.value.encode(), (self.policy.token or "").encode())


def _with_cookie(send: Send, name: str, value: str) -> Send:
    # HttpOnly (no script reads it), SameSite=Strict (no other site's page sends it).
    header = f"{name}={value}; Path=/; HttpOnly; SameSite=Strict".encode("latin-1")

    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            message = {**message, "headers": [*message.get("headers", []), (b"set-cookie", header)]}
        await send(message)
    return wrapped


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
