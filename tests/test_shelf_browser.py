"""The web shelf in headless Chromium (Debian's, driven by Playwright) with JavaScript off,
as Kobo's and Kindle's browsers see it: pages render, every link and image works, taps are
large, the device's download comes first and completes, send-to-Kindle mails the book.
Screenshots go to STORYBINDER_SCREENSHOTS (or the test's temporary folder)."""

from __future__ import annotations

import zipfile
from pathlib import Path
from urllib.parse import urljoin

import httpx
import pytest

from storybinder.send_command import deliver
from storybinder.settings import SendSettings

from .serve_helpers import app_for, make_library
from .web_server import running

KOBO_UA = ("Mozilla/5.0 (Linux; U; Android 2.0; en-us;) AppleWebKit/538.1 (KHTML, like Gecko) "
           "Version/4.0 Mobile Safari/538.1 (Kobo Touch 0377/4.20.14622)")
KINDLE_UA = ("Mozilla/5.0 (X11; U; Linux armv7l like Android; en-us) AppleWebKit/531.2+ (KHTML, like Gecko) "
             "Version/5.0 Safari/531.2+ Kindle/3.0+")
DEVICES = {"kobo": (KOBO_UA, {"width": 632, "height": 840}), "kindle": (KINDLE_UA, {"width": 758, "height": 1024})}
MIN_TAP = 40  # CSS px: about 7 mm on an e-reader, a finger's width


@pytest.fixture
def shelf(tmp_path, sample_books, smtp_server):
    inbox, server = smtp_server
    library = make_library(tmp_path / "books", sample_books)
    settings = SendSettings(sender="shelf@example.org", smtp=server, tls=False)
    app = app_for(library, tmp_path / "cache", sender=lambda paths, to: deliver(paths, to, settings),
                  kindle_address="reader@kindle.com", title="Our shelf")
    with running(app) as url:
        yield url, library, inbox


def check_page(page, url: str, checked: set[str]) -> None:
    """Every link and image on the page answers (downloads by HEAD), and no script is needed."""
    assert page.locator("script").count() == 0
    for attr, selector in (("href", "a[href]"), ("src", "img[src]")):
        for value in page.locator(selector).evaluate_all(f"els => els.map(e => e.getAttribute('{attr}'))"):
            target = urljoin(url, value)
            if target in checked:
                continue
            checked.add(target)
            response = httpx.head(target) if "/books/" in target else httpx.get(target)
            assert response.status_code == 200, (url, value, response.status_code)


def tap_sizes(page, selector: str) -> list[float]:
    return page.locator(selector).evaluate_all("els => els.map(e => e.getBoundingClientRect().height)")


@pytest.mark.parametrize("device", ["kobo", "kindle"])
def test_shelf_with_javascript_off(browser, shelf, screens, device, sample_books):
    url, library, inbox = shelf
    ua, viewport = DEVICES[device]
    context = browser.new_context(user_agent=ua, viewport=viewport, java_script_enabled=False, accept_downloads=True)
    page = context.new_page()
    checked: set[str] = set()

    page.goto(url + "/")
    assert page.title() == "Our shelf"
    shown = min(len(sample_books), 12)  # the home page lists the twelve newest
    assert page.locator("ul.books li").count() == shown
    assert page.locator("ul.books img.cover").count() == shown
    assert all(h >= MIN_TAP for h in tap_sizes(page, "header.site nav a, ul.books a.book, input[type=submit]"))
    page.screenshot(path=str(screens / f"{device}-home.png"), full_page=True)
    check_page(page, url + "/", checked)

    page.fill("input[name=q]", "orchard")  # the search form works without JavaScript
    page.click("input[type=submit]")
    assert page.locator("ul.books li").count() == 1
    page.screenshot(path=str(screens / f"{device}-search.png"), full_page=True)

    page.click("text=Series")
    page.click("text=Small Hours")
    assert page.locator("ul.books .title").all_inner_texts() == ["Letters from the Orchard", "The Clockmaker’s Apprentice"]
    page.screenshot(path=str(screens / f"{device}-series.png"), full_page=True)
    check_page(page, page.url, checked)

    page.click("text=Letters from the Orchard")
    labels = page.locator(".downloads a.button").all_inner_texts()
    assert labels == (["Kobo (kepub)", "EPUB"] if device == "kobo" else ["EPUB"])
    assert all(h >= MIN_TAP for h in tap_sizes(page, ".downloads a.button"))
    page.screenshot(path=str(screens / f"{device}-book.png"), full_page=True)
    check_page(page, page.url, checked)

    with page.expect_download() as info:
        page.locator(".downloads a.button").first.click()
    download = info.value
    saved = Path(download.path())
    if device == "kobo":
        assert download.suggested_filename == "Letters from the Orchard - Jonas de Vries.kepub.epub"
        assert b"koboSpan" in zipfile.ZipFile(saved).read("EPUB/ch_the-first-letter.xhtml")
        assert page.locator("input[type=email]").count() == 0  # no Kindle form on a Kobo
    else:
        assert download.suggested_filename == "Letters from the Orchard - Jonas de Vries.epub"
        assert saved.read_bytes() == (library / "letters-from-the-orchard.epub").read_bytes()
        assert page.locator("input[type=email]").input_value() == "reader@kindle.com"
        page.click("input[value='Send to Kindle']")
        assert page.locator("h1").inner_text() == "Sent"
        page.screenshot(path=str(screens / f"{device}-sent.png"), full_page=True)
        [(sender, recipients, message)] = inbox.messages
        assert recipients == ["reader@kindle.com"]
        assert [p.get_filename() for p in message.iter_attachments()] == ["letters-from-the-orchard.epub"]
    context.close()


def test_error_pages_in_the_browser(browser, shelf, screens):
    url, _, _ = shelf
    context = browser.new_context(user_agent=KINDLE_UA, java_script_enabled=False)
    page = context.new_page()
    response = page.goto(url + "/book/no-such-book")
    assert response.status == 404
    assert page.locator("h1").inner_text() == "Not found"
    page.screenshot(path=str(screens / "kindle-404.png"), full_page=True)
    context.close()
