"""The shared web layer (web/app.py, web/guard.py) over real HTTP on 127.0.0.1:
the layout renders, errors are pages, the Host/Origin guards and Basic auth hold."""

from __future__ import annotations

import base64

import httpx
import pytest
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from storybinder.web.app import Feature, create_app
from storybinder.web.errors import render
from storybinder.web.guard import AccessPolicy, Credentials, host_name, is_loopback
from storybinder.web.server import address_lines

from .web_server import running


async def _page(request):
    return render(request, "error.html", {"status": 200, "title": "Hello shelf", "detail": "ok"})


async def _change(request):
    return PlainTextResponse("changed")


FEATURE = Feature("demo", [Route("/", _page), Route("/change", _change, methods=["POST"])])


@pytest.fixture(scope="module")
def open_server():
    with running(create_app([FEATURE], AccessPolicy.for_bind("127.0.0.1", None))) as url:
        yield url


@pytest.fixture(scope="module")
def locked_server():
    policy = AccessPolicy.for_bind("127.0.0.1", Credentials("reader", "pässword"))
    with running(create_app([FEATURE], policy)) as url:
        yield url


def test_layout_and_static_files_are_served(open_server):
    page = httpx.get(open_server + "/")
    assert page.status_code == 200 and "Hello shelf" in page.text
    assert '<link rel="stylesheet" href="' in page.text
    css = httpx.get(open_server + "/static/style.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    assert page.headers["x-content-type-options"] == "nosniff"
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]


def test_unknown_path_is_a_404_page_for_browsers_and_text_for_clients(open_server):
    html = httpx.get(open_server + "/nothing-here", headers={"Accept": "text/html"})
    assert html.status_code == 404 and "<h1>Not found</h1>" in html.text and "Back to the shelf" in html.text
    plain = httpx.get(open_server + "/nothing-here")
    assert plain.status_code == 404 and plain.headers["content-type"].startswith("text/plain")
    assert httpx.post(open_server + "/", headers={"Origin": open_server}).status_code == 405


def test_loopback_server_refuses_foreign_host_names(open_server):
    # DNS rebinding: a page on evil.example resolved to 127.0.0.1 sends Host: evil.example.
    assert httpx.get(open_server + "/", headers={"Host": "evil.example"}).status_code == 421
    port = open_server.rsplit(":", 1)[1]
    for host in (f"localhost:{port}", f"127.0.0.1:{port}", f"[::1]:{port}"):
        assert httpx.get(open_server + "/", headers={"Host": host}).status_code == 200


def test_changes_only_from_our_own_pages(open_server):
    assert httpx.post(open_server + "/change", headers={"Origin": "http://evil.example"}).status_code == 403
    assert httpx.post(open_server + "/change", headers={"Origin": "null"}).status_code == 403
    assert httpx.post(open_server + "/change", headers={"Sec-Fetch-Site": "cross-site"}).status_code == 403
    ok = httpx.post(open_server + "/change", headers={"Origin": open_server})
    assert ok.status_code == 200 and ok.text == "changed"


def test_basic_auth(locked_server):
    refused = httpx.get(locked_server + "/")
    assert refused.status_code == 401
    assert refused.headers["www-authenticate"].startswith('Basic realm="storybinder"')
    assert httpx.get(locked_server + "/static/style.css").status_code == 401
    assert httpx.get(locked_server + "/", auth=("reader", "wrong")).status_code == 401
    assert httpx.get(locked_server + "/", auth=("Reader", "pässword")).status_code == 401
    garbage = {"Authorization": "Basic !!!not-base64"}
    assert httpx.get(locked_server + "/", headers=garbage).status_code == 401
    token = base64.b64encode("reader:pässword".encode()).decode()
    assert httpx.get(locked_server + "/", headers={"Authorization": f"Basic {token}"}).status_code == 200


def test_credentials_never_show_their_password():
    assert "pässword" not in repr(Credentials("reader", "pässword"))


@pytest.mark.parametrize(("host", "loopback"), [
    ("127.0.0.1", True), ("127.8.0.1", True), ("::1", True), ("[::1]", True), ("localhost", True),
    ("0.0.0.0", False), ("192.168.1.20", False), ("::", False), ("shelf.lan", False),
])
def test_is_loopback(host, loopback):
    assert is_loopback(host) is loopback


def test_host_name_strips_ports():
    assert host_name("Example.org:8080") == "example.org"
    assert host_name("[::1]:80") == "::1"
    assert host_name("localhost") == "localhost"


def test_address_lines_say_when_the_shelf_is_shared():
    assert address_lines("127.0.0.1", 8080, auth=False) == ["Serving on http://127.0.0.1:8080/ (press Ctrl-C to stop)"]
    shared = address_lines("0.0.0.0", 8080, auth=True)
    assert "Shared on your network" in shared[1] and "password required" in shared[1]
    assert "NO password" in address_lines("0.0.0.0", 8080, auth=False)[1]
