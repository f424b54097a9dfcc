"""`storybinder review` as a real server on 127.0.0.1: the token, Host and Origin checks, decisions
posted over HTTP and saved beside the story, the chapter preview, anthologies and other formats."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from storybinder.cli import app
from storybinder.review.store import load_decisions, review_path

from .review_helpers import review_process, split_url
from .review_samples import write_story

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    story = write_story(tmp_path_factory.mktemp("review-http"))
    with review_process(story) as (url, process):
        base, token = split_url(url)
        yield story, url, base, token


def test_the_address_is_loopback_with_a_token(served):
    _, url, base, token = served
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/\?token=[A-Za-z0-9_-]{20,}", url)
    assert len(token) >= 20


def test_no_token_no_page(served):
    _, url, base, token = served
    for target in (base + "/", base + "/?token=wrong" + token[:4], base + "/preview/0/0", base + "/static/review.js"):
        response = httpx.get(target)
        assert response.status_code == 403, target
        assert "token" in response.text
    response = httpx.post(base + "/decide", json={"generation": 1, "items": ["1-0-0"], "action": "reject"},
                          headers={"origin": base})
    assert response.status_code == 403


def test_the_token_opens_the_page_and_a_cookie_keeps_it_open(served):
    _, url, base, token = served
    with httpx.Client() as client:
        first = client.get(url)
        assert first.status_code == 200 and "Review: The Glimer Lantern" in first.text
        cookie = first.headers["set-cookie"]
        assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
        again = client.get(base + "/preview/0/0")  # the cookie alone
        assert again.status_code == 200 and again.headers["content-type"].startswith("application/xhtml+xml")
    assert first.headers["content-security-policy"].startswith("default-src 'self'")
    assert first.headers["x-frame-options"] == "DENY"


@pytest.mark.parametrize("host", ["evil.example", "evil.example:{port}", "127.0.0.1:1", "192.168.1.10:{port}", ""])
def test_a_foreign_host_is_refused(served, host):
    _, url, base, token = served
    port = base.rsplit(":", 1)[1]
    response = httpx.get(url, headers={"host": host.format(port=port)})
    assert response.status_code in (421, 400), (host, response.status_code)


def test_localhost_with_the_port_is_its_own_address(served):
    _, url, base, token = served
    port = base.rsplit(":", 1)[1]
    assert httpx.get(url, headers={"host": f"localhost:{port}"}).status_code == 200


@pytest.mark.parametrize("origin", ["http://evil.example", "null", "http://127.0.0.1:1", "http://localhost.evil.example"])
def test_another_origin_cannot_read_or_decide(served, origin):
    story, url, base, token = served
    before = review_path(story).read_bytes() if review_path(story).exists() else None
    assert httpx.get(url, headers={"origin": origin}).status_code == 403
    response = httpx.post(base + "/decide", json={"generation": 1, "items": ["1-0-4"], "action": "reject"},
                          headers={"origin": origin, "x-review-token": token})
    assert response.status_code == 403
    after = review_path(story).read_bytes() if review_path(story).exists() else None
    assert before == after


def test_decisions_posted_are_saved_beside_the_story_and_shown_in_the_preview(tmp_path):
    story = write_story(tmp_path)
    with review_process(story) as (url, process), httpx.Client() as client:
        base, token = split_url(url)
        page = client.get(url).text
        generation = int(re.search(r'data-generation="(\d+)"', page).group(1))
        ids = {o: i for i, o in re.findall(r'data-id="([^"]+)"[^>]*data-original="([^"]*)"', page)}
        assert {"coled", "recieved", "beutiful", "glimer", "Their"} <= set(ids)

        def post(item: str, action: str, **extra) -> dict:
            response = client.post(base + "/decide", headers={"origin": base, "x-review-token": token},
                                   json={"generation": generation, "items": [ids[item]], "action": action, **extra})
            assert response.status_code == 200, response.text
            return response.json()

        assert post("coled", "reject")["items"][0]["state"] == "rejected"
        assert post("recieved", "accept")["items"][0]["state"] == "accepted"
        assert post("beutiful", "edit", text="bonny")["items"][0]["result"] == "bonny"
        assert post("glimer", "keep")["items"][0]["state"] == "kept"
        decisions = load_decisions(review_path(story))
        assert decisions.words == ("glimer",)
        assert [(d.original, d.action, d.text) for d in decisions.items] == [
            ("coled", "reject", ""), ("recieved", "accept", ""), ("beutiful", "edit", "bonny")]
        preview = client.get(base + "/preview/0/0").text
        assert "It was coled outside" in preview and "a received letter and a bonny day" in preview
        assert 'id="b2"' in preview and 'href="style.css"' in preview
        assert client.get(base + "/preview/0/style.css").text.startswith('@charset "utf-8"')
        # A reloaded page lists what is decided as decided, the kept word as kept (so it can be undone).
        page = client.get(url).text
        assert re.search(r'class="item rejected[^"]*"[^>]*data-original="coled"', page)
        assert re.search(r'class="item kept[^"]*"[^>]*data-original="glimer"', page)
        assert 'class="item suggestion' not in page
        # An out-of-date list is refused, not guessed at.
        stale = client.post(base + "/decide", headers={"origin": base, "x-review-token": token},
                            json={"generation": generation, "items": ["999-0-0"], "action": "reject"})
        assert stale.status_code == 409
        bad = client.post(base + "/decide", headers={"origin": base, "x-review-token": token}, content=b"{")
        assert bad.status_code == 400
        # Typography is folded: its items come when the fold is opened.
        fold = re.search(r'data-src="(/items/[^"]+/quotes\.curl)"', page).group(1)
        listed = client.get(base + fold)
        assert listed.status_code == 200 and listed.text.count('class="item') == 2


def test_an_anthology_is_one_list_with_its_stories_as_sections(tmp_path):
    shutil.copytree(REPO / "stories", tmp_path / "stories")
    book = tmp_path / "stories" / "book.toml"
    with review_process(book) as (url, process), httpx.Client() as client:
        page = client.get(url).text
        assert "Review: Small Hours" in page
        sections = re.findall(r'<section class="story" id="story-(\d+)"', page)
        assert sections == ["0", "1", "2"]
        for name in ("the-lighthouse-keepers-cat", "letters-from-the-orchard", "the-clockmakers-apprentice"):
            assert f"{name}.review.toml" in page


@pytest.mark.parametrize("name", ["lamplight-markdown-edition.md", "lamplight-word-edition.docx",
                                  "lamplight-html-edition.html", "lamplight-folder-edition"])
def test_any_input_format_can_be_reviewed(tmp_path, name):
    shutil.copytree(REPO / "stories", tmp_path / "stories")
    with review_process(tmp_path / "stories" / name) as (url, process):
        response = httpx.get(url)
        assert response.status_code == 200 and "Review:" in response.text
        assert httpx.get(split_url(url)[0] + "/preview/0/0", params={"token": split_url(url)[1]}).status_code == 200


def test_a_folder_of_stories_is_refused_in_one_line(tmp_path):
    write_story(tmp_path / "many")
    write_story(tmp_path / "many", "second.txt")
    result = CliRunner().invoke(app, ["review", str(tmp_path / "many"), "--no-browser"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "review one story" in result.output


def test_decisions_whose_words_are_gone_are_shown_and_can_be_forgotten(tmp_path):
    from storybinder.review.decisions import Decisions, decision_for
    from storybinder.review.store import save_decisions

    story = write_story(tmp_path)
    gone = decision_for("spelling.common", "wisht", "wish", "She said she ", " it were so.", "reject")
    kept = decision_for("spelling.common", "coled", "cold", "Marren walked to the mill. It was ",
                        " outside, and the wind was up.", "reject")
    save_decisions(review_path(story), Decisions((gone, kept)), story.name)
    with review_process(story) as (url, process), httpx.Client() as client:
        base, token = split_url(url)
        page = client.get(url).text
        assert "no longer" in page and "wisht" in page and 'data-act="forget-stale"' in page
        response = client.post(base + "/forget-stale", json={"story": 0},
                               headers={"origin": base, "x-review-token": token})
        assert response.status_code == 200 and response.json()["forgotten"] == 1
        assert [d.original for d in load_decisions(review_path(story)).items] == ["coled"]
        assert "wisht" not in client.get(url).text
