"""`storybinder send` against a real SMTP server (aiosmtpd) on 127.0.0.1: the message,
its parts, the batching limits, and credentials from the environment only."""

from __future__ import annotations

import shutil

import pytest
from typer.testing import CliRunner

from storybinder.cli import app
from storybinder.mail import Attachment, batches
from storybinder.targets.kindle import MAIL_LIMIT, encoded_size, make_kindle_ready



def run_send(args, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # no storybinder.toml of the developer's
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    return CliRunner().invoke(app, ["send", *args])


def test_send_mails_epubs_with_a_body(smtp_server, sample_books, monkeypatch, tmp_path):
    inbox, server = smtp_server
    books = [sample_books["small-hours"], sample_books["the-lighthouse-keepers-cat"]]
    result = run_send([*map(str, books), "--to", "reader@kindle.com", "--from", "me@example.org",
                       "--smtp", server, "--no-tls"], monkeypatch, tmp_path)
    assert result.exit_code == 0, result.output
    assert "sent 2 books to reader@kindle.com in 1 message" in result.output
    [(sender, recipients, message)] = inbox.messages
    assert sender == "me@example.org" and recipients == ["reader@kindle.com"]
    body = message.get_body(("plain",)).get_content()
    assert body.strip()  # Send-to-Kindle ignores mails without a body
    parts = list(message.iter_attachments())
    assert [p.get_filename() for p in parts] == [b.name for b in books]
    assert all(p.get_content_type() == "application/epub+zip" for p in parts)
    assert parts[0].get_content() == books[0].read_bytes()  # our books need no change for Kindle


def test_send_refuses_starttls_less_server_without_no_tls(smtp_server, sample_books, monkeypatch, tmp_path):
    inbox, server = smtp_server
    result = run_send([str(sample_books["small-hours"]), "--to", "r@kindle.com", "--from", "me@example.org",
                       "--smtp", server], monkeypatch, tmp_path)
    assert result.exit_code == 1 and "does not offer STARTTLS" in result.output
    assert inbox.messages == []


def test_settings_file_and_environment_credentials(smtp_server, sample_books, monkeypatch, tmp_path):
    inbox, server = smtp_server
    (tmp_path / "storybinder.toml").write_text(
        f'[send]\nto = "file@kindle.com"\nfrom = "me@example.org"\nsmtp = "{server}"\ntls = false\n', encoding="utf-8")
    monkeypatch.setenv("STORYBINDER_SMTP_USER", "someone")
    result = run_send([str(sample_books["small-hours"])], monkeypatch, tmp_path)
    # aiosmtpd without AUTH refuses a login: the credentials from the environment were used.
    assert result.exit_code == 1 and "SMTP" in result.output
    monkeypatch.delenv("STORYBINDER_SMTP_USER")
    result = run_send([str(sample_books["small-hours"]), "--to", "cli@kindle.com"], monkeypatch, tmp_path)
    assert result.exit_code == 0, result.output
    assert inbox.messages[-1][1] == ["cli@kindle.com"]  # the command line wins over the file


def test_there_is_no_password_option():
    result = CliRunner().invoke(app, ["send", "--help"])
    assert "--password" not in result.output and "STORYBINDER_SMTP_PASSWORD" in result.output


def test_batches_hold_25_books_and_50_mb(tmp_path):
    small = []
    for n in range(30):
        path = tmp_path / f"b{n}.epub"
        path.write_bytes(b"x" * 1000)
        small.append(Attachment(path, path.name))
    assert [len(b) for b in batches(small)] == [25, 5]
    big = []
    for n in range(3):
        path = tmp_path / f"big{n}.epub"
        with open(path, "wb") as f:
            f.truncate(16 * 2**20)
        big.append(Attachment(path, path.name))
    groups = batches(big)
    assert [len(g) for g in groups] == [2, 1]
    for group in groups:
        assert sum(encoded_size(a.path.stat().st_size) for a in group) < MAIL_LIMIT
    huge = tmp_path / "huge.epub"
    with open(huge, "wb") as f:
        f.truncate(40 * 2**20)
    with pytest.raises(Exception, match="too large to mail"):
        batches([Attachment(huge, huge.name)])


def test_thirty_books_go_in_two_messages(smtp_server, sample_books, monkeypatch, tmp_path):
    inbox, server = smtp_server
    folder = tmp_path / "many"
    folder.mkdir()
    for n in range(30):
        shutil.copy(sample_books["letters-from-the-orchard"], folder / f"book-{n:02}.epub")
    result = run_send([str(folder), "--to", "r@kindle.com", "--from", "me@example.org", "--smtp", server,
                       "--no-tls"], monkeypatch, tmp_path)
    assert result.exit_code == 0, result.output
    assert [len(list(m.iter_attachments())) for _, _, m in inbox.messages] == [25, 5]
    assert "part 1 of 2" in inbox.messages[0][2]["Subject"]


def test_kindle_target_scales_big_images_down(sample_books, tmp_path, check_epub):
    import io
    import zipfile

    from PIL import Image

    noisy = Image.effect_noise((4800, 7200), 120).convert("RGB")
    buffer = io.BytesIO()
    noisy.save(buffer, "JPEG", quality=95)
    source = tmp_path / "big-cover.epub"
    with zipfile.ZipFile(sample_books["the-lighthouse-keepers-cat"]) as src, zipfile.ZipFile(source, "w") as dst:
        for info in src.infolist():
            data = buffer.getvalue() if info.filename.endswith("cover.jpg") else src.read(info)
            dst.writestr(info, data)
    ready = check_epub(make_kindle_ready(source, tmp_path / "ready.epub"))
    with zipfile.ZipFile(ready) as z, Image.open(io.BytesIO(z.read("EPUB/cover.jpg"))) as image:
        assert max(image.size) <= 4096
        assert z.getinfo("EPUB/cover.jpg").file_size <= 5 * 2**20


def test_build_targets_kindle_and_azw3(tmp_path, check_epub):
    import shutil as _shutil

    story = tmp_path / "tale.txt"
    story.write_text("A Tale\nBy Some One\n\nChapter 1\n\nIt began. It ended.\n", encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["build", str(story), "-o", str(out), "--target", "kindle"])
    assert result.exit_code == 0, result.output
    check_epub(out / "a-tale.kindle.epub")
    if _shutil.which("ebook-convert") is None:
        pytest.skip("calibre's ebook-convert is not installed (--target azw3 is optional)")
    result = CliRunner().invoke(app, ["build", str(story), "-o", str(out), "--target", "azw3"])
    assert result.exit_code == 0, result.output
    azw3 = (out / "a-tale.azw3").read_bytes()
    assert azw3[60:68] == b"BOOKMOBI"  # a Mobipocket/KF8 container, as Kindles read it
