"""The lexicon cache file: written once, mapped and read block by block, the same lexicon as the data it was built from."""

from __future__ import annotations

import marshal
from pathlib import Path

import pytest

from storybinder.cleanup import dictionary


def _data() -> dictionary.LexiconData:
    by_slot = dictionary._rows_by_slot
    blocks = by_slot({"the": "773", "thee": "355", "quitted": "250"}, dictionary._ZIPF_BUCKETS)
    bigrams = {i: f"\npair{i} x\t{i}\n" for i in range(4)}
    listed = by_slot({"pitiably": ""}, dictionary._LISTED_BUCKETS)
    skeletons = by_slot({dictionary.skeleton("beginning"): "beginning"}, dictionary._SKELETON_BUCKETS)
    firsts = by_slot({"the": "900"}, dictionary._FIRSTS_BUCKETS)
    return "the thee quitted beginning", blocks, bigrams, listed, skeletons, firsts, {"the": 3}


def test_a_cache_file_gives_back_the_lexicon_it_was_written_from(tmp_path: Path) -> None:
    data = _data()
    path = tmp_path / "lexicon.marshal"
    path.write_bytes(dictionary._encode_cache(data))
    stored = dictionary._read_cache(path)
    built = dictionary.Lexicon(frozenset(data[0].split(" ")), *data[1:])
    assert frozenset(stored.curated) == built.curated and stored.letters == built.letters
    for name, field in zip(("blocks", "bigrams", "listed", "skeletons", "firsts"), data[1:6]):
        for key, block in field.items():
            assert getattr(stored, name).get(key) == block
        assert getattr(stored, name).get("zz") is None
    assert stored.bigrams.get(4) is None and stored.bigrams.get(-1) is None
    assert stored.zipf("thee") == built.zipf("thee") == 3.55 and stored.zipf("them") == built.zipf("them") == 0.0
    assert stored.bigram_first("the") == built.bigram_first("the") == 9.0 and not stored.is_word("pitiabl")
    assert stored.is_word("pitiably") and stored.same_skeleton("bigining") == ["beginning"]
    assert stored.letters_logp("the") == built.letters_logp("the") and stored.letters.get("zzz") is None


def test_an_older_cache_file_is_refused_so_it_is_built_again(tmp_path: Path) -> None:
    path = tmp_path / "lexicon.marshal"
    path.write_bytes(marshal.dumps(_data()))  # the format before the mapped one
    with pytest.raises(ValueError):
        dictionary._read_cache(path)


def test_the_curated_words_answer_alike_looked_up_in_the_file_and_from_the_set(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "lexicon.marshal"
    path.write_bytes(dictionary._encode_cache(_data()))
    asked = ["the", "thee", "quitted", "beginning", "them", "", "th", "the\nthee", "thee\n", "Thee", "th\u00e9", "\ud800", 7]
    expected = [word in frozenset(_data()[0].split(" ")) for word in asked]
    stored = dictionary._read_cache(path).curated
    assert [word in stored for word in asked] == expected
    assert stored.intersection(["thee", "thew", "quitted"]) == {"thee", "quitted"}
    # Past the lookups a set is worth, the set answers: the same.
    monkeypatch.setattr(dictionary, "_LOOKUPS_BEFORE_SET", 3)
    stored = dictionary._read_cache(path).curated
    assert [word in stored for word in asked] == expected
    assert stored.intersection(["thee", "thew", "quitted"]) == {"thee", "quitted"}
    assert len(stored) == 4
