"""`storybinder serve` settings (storybinder.toml, command line wins, auth before sharing)
and `serve --export` (the same catalogue as static files with relative links)."""

from __future__ import annotations


import pytest
from lxml import etree, html
from typer.testing import CliRunner

from storybinder.cli import app
from storybinder.errors import StorybinderError
from storybinder.settings import load_settings, with_overrides

from .serve_helpers import make_library


def test_settings_from_the_folder_then_the_user_config(tmp_path):
    home = tmp_path / "config" / "storybinder"
    home.mkdir(parents=True)
    (home / "storybinder.toml").write_text('[serve]\nport = 9000\ntitle = "Home shelf"\n', encoding="utf-8")
    env = {"XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    work = tmp_path / "work"
    work.mkdir()
    assert load_settings(work, env).serve.port == 9000
    (work / "storybinder.toml").write_text('[serve]\nport = 9001\ndir = "ebooks"\n[send]\nfrom = "me@x.org"\n', encoding="utf-8")
    settings = load_settings(work, env)
    assert settings.serve.port == 9001 and settings.serve.dir == (work / "ebooks").resolve()
    assert settings.send.sender == "me@x.org" and settings.source == work / "storybinder.toml"
    assert with_overrides(settings.serve, port=1234, host=None).port == 1234  # the command line wins


@pytest.mark.parametrize("text, message", [
    ("[serve]\nport = 'eighty'\n", "port must be int"),
    ("[serve]\nprot = 80\n", "no setting 'prot'"),
    ("[server]\n", "unknown table"),
    ("[serve\n", "not valid TOML"),
])
def test_bad_settings_are_one_clear_error(tmp_path, text, message):
    (tmp_path / "storybinder.toml").write_text(text, encoding="utf-8")
    with pytest.raises(StorybinderError, match=message):
        load_settings(tmp_path, {"HOME": str(tmp_path)})


def test_passwords_stay_out_of_reprs(tmp_path):
    (tmp_path / "storybinder.toml").write_text('[serve]\nuser = "u"\npassword = "hunter2"\n[send]\npassword = "pw9"\n', encoding="utf-8")
    settings = load_settings(tmp_path, {"HOME": str(tmp_path)})
    assert "hunter2" not in repr(settings) and "pw9" not in repr(settings)


def test_sharing_without_a_password_is_refused(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "books").mkdir()
    result = CliRunner().invoke(app, ["serve", "--host", "0.0.0.0"])
    assert result.exit_code == 1 and "without a password" in result.output
    result = CliRunner().invoke(app, ["serve", "--user", "only-user"])
    assert result.exit_code == 1 and "both --user and --password" in result.output
    result = CliRunner().invoke(app, ["serve", str(tmp_path / "nowhere")])
    assert result.exit_code == 1 and "does not exist" in result.output


def test_export_writes_a_static_catalogue_with_relative_links(tmp_path, sample_books, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)
    folder = make_library(tmp_path / "books", sample_books)
    out = tmp_path / "site"
    result = CliRunner().invoke(app, ["serve", str(folder), "--export", str(out), "--page-size", "4"])
    assert result.exit_code == 0, result.output
    assert f"exported {len(sample_books)} books" in result.output
    checked = 0
    for doc in [*out.rglob("*.xml"), *out.rglob("*.html")]:
        tree = etree.parse(str(doc)) if doc.suffix == ".xml" else html.parse(str(doc))
        for el in tree.iter():
            for attr in ("href", "src"):
                link = el.get(attr) if isinstance(el.tag, str) else None
                if not link or link.startswith(("http:", "https:", "#")) or el.tag == "{http://www.w3.org/2005/Atom}id":
                    continue
                assert not link.startswith("/"), (doc, link)
                target = (doc.parent / link.split("#")[0]).resolve()
                assert target.is_file(), (doc, link)
                checked += 1
    assert checked > 500
    assert (out / "opds" / "titles-3.xml").is_file()  # paging as files
    assert (out / "books" / "small-hours.kepub.epub").stat().st_size > 0
    assert b'rel="search"' not in (out / "opds" / "index.xml").read_bytes()  # no server, no search
