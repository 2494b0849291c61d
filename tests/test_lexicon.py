"""Query-time vocabulary: loading, validation and canonical forms."""

from __future__ import annotations

from pathlib import Path

import pytest

from analytics.lexicon import canonical, load_aliases, load_stopwords, save_aliases, save_stopwords

SHIPPED = Path(__file__).resolve().parent.parent / "data" / "lexicon"


def test_shipped_aliases_are_valid_and_cover_the_field():
    aliases = load_aliases(SHIPPED)
    assert len(aliases) >= 40
    assert canonical("인공지능", aliases) == "AI"
    assert canonical("A.I.", aliases) == "AI"
    assert canonical("4차산업혁명", aliases) == "4차 산업혁명"
    assert canonical("4차 산업 혁명", aliases) == "4차 산업혁명"
    assert canonical("도요타자동차", aliases) == "도요타"
    assert canonical("Toyota", aliases) == "도요타"
    assert canonical("사물인터넷", aliases) == "IoT"


def test_canonical_ignores_spacing_and_leaves_unknown_terms():
    aliases = {"사물인터넷": "IoT"}
    assert canonical("사물 인터넷", aliases) == "IoT"
    assert canonical("반도체", aliases) == "반도체"
    assert canonical("IoT", aliases) == "IoT"


def test_shipped_user_stopwords_start_empty():
    assert load_stopwords(SHIPPED) == set()


def test_missing_files_mean_no_vocabulary(tmp_path):
    assert load_stopwords(tmp_path) == set()
    assert load_aliases(tmp_path) == {}


def test_stopwords_round_trip_with_header_and_comments(tmp_path):
    save_stopwords(tmp_path, ["사진", " 관련 ", "사진"])
    text = (tmp_path / "stopwords_user.txt").read_text(encoding="utf-8")
    assert text.startswith("#") and text.endswith("관련\n사진\n")
    assert load_stopwords(tmp_path) == {"사진", "관련"}


@pytest.mark.parametrize("words", [[""], ["  "], ["a#b"]])
def test_bad_stopwords_are_rejected(tmp_path, words):
    with pytest.raises(ValueError):
        save_stopwords(tmp_path, words)


def test_aliases_round_trip(tmp_path):
    save_aliases(tmp_path, {"인공지능": "AI", "A.I.": "AI", "Toyota": "도요타"})
    assert load_aliases(tmp_path) == {"인공지능": "AI", "A.I.": "AI", "Toyota": "도요타"}
    assert (tmp_path / "aliases.csv").read_text(encoding="utf-8").splitlines()[0] == "variant,canonical"


@pytest.mark.parametrize(
    ("aliases", "message"),
    [
        ({"": "AI"}, "empty"),
        ({"인공지능": " "}, "empty"),
        ({"AI": "AI"}, "itself"),
        ({"A": "B", "B": "A"}, "cycle"),
        ({"A": "B", "B": "C"}, "chain"),
    ],
)
def test_invalid_aliases_are_rejected_with_a_clear_message(tmp_path, aliases, message):
    with pytest.raises(ValueError, match=message):
        save_aliases(tmp_path, aliases)
    assert not (tmp_path / "aliases.csv").exists()


def test_invalid_alias_file_is_rejected_on_load(tmp_path):
    (tmp_path / "aliases.csv").write_text("variant,canonical\nA,B\nB,A\n", encoding="utf-8")
    with pytest.raises(ValueError, match="cycle"):
        load_aliases(tmp_path)
