"""The spelling model behind the `namelike` feature, the noun runs it scores, the particle
trimming rule of `canonical_span`, and the recognizer's no-person rules (exact values on tiny
inputs; no training)."""

from __future__ import annotations

from pathlib import Path

from analytics.nlp.entities.features import noun_runs
from analytics.nlp.entities.namelike import CLASSES, compile_namelike, load_namelike, write_namelike
from analytics.nlp.entities.spans import canonical_span

KONNE = ("form\tlabel\ttrain_freq\n김철수\tPS_NAME\t5\n김영희\tPS_NAME\t3\n서울시\tLCP_CITY\t4\n"
         "부산시\tLCP_CITY\t2\n국토부\tOGG_POLITICS\t6\n국토부\tLCP_CITY\t1\n명량\tAFA_VIDEO\t2\n가\tPS_NAME\t9\n")


def _table(tmp_path: Path):
    src = tmp_path / "konne.tsv"
    src.write_text(KONNE, encoding="utf-8")
    return compile_namelike(src)


def test_compile_counts_each_form_once_under_its_main_class(tmp_path: Path) -> None:
    counts, forms = _table(tmp_path)
    assert CLASSES == ("PS", "OG", "LC", "X")
    # 2 persons, 1 organisation (국토부: 6 OG uses vs 1 LC), 2 places, 1 work (명량 AFA_VIDEO);
    # one-character forms (`가`) are left out
    assert forms == (2, 1, 2, 1)
    assert counts["^김"] == (2, 0, 0, 0)
    assert counts["시$"] == (0, 0, 2, 0)
    assert counts["^국"] == (0, 1, 0, 0)
    assert counts["량$"] == (0, 0, 0, 1)
    assert "^가" not in counts


def test_written_table_loads_back_and_scores_by_spelling(tmp_path: Path) -> None:
    path = tmp_path / "namelike.tsv"
    write_namelike(_table(tmp_path), path)
    model = load_namelike(path)
    assert model.features("김철수")[0] == "nl=PS4"
    assert model.features("김민수")[0] == "nl=PS3"  # unseen name: its first syllable and edges read as one
    assert model.features("대구시")[0] == "nl=LC2"  # `시$` points to a place, the rest is unknown
    assert model.features("국토부")[0] == "nl=OG4"
    assert [round(p, 3) for p in model.posterior("대구시")] == [0.111, 0.143, 0.557, 0.189]
    assert model.features("대구시") == ("nl=LC2",)  # no other class reaches 20 %


def test_noun_runs_join_touching_nouns_and_their_suffix() -> None:
    morphs = [(0, 2, "NNP", "곽지"), (2, 3, "NNG", "민"), (3, 4, "JKS", "이"), (5, 7, "NNG", "영화"),
              (7, 8, "XSN", "적"), (9, 10, "XSN", "들"), (10, 12, "SL", "ab"), (13, 15, "VV", "보")]
    assert noun_runs(morphs) == [(0, 3), (5, 8), (10, 12)]
    assert noun_runs([]) == []


def test_a_name_kiwi_reads_with_a_particle_last_is_not_cut() -> None:
    # Kiwi reads `최홍만` as 최홍/NNP + 만/JX and `류더화` as 류더/NNP + 화/XSN: the CRF's span stays
    text = "최홍만 선수와 류더화 씨"
    morphs = [(0, 2, "NNP", "최홍"), (2, 3, "JX", "만"), (4, 6, "NNG", "선수"), (6, 7, "JKB", "와"),
              (8, 10, "NNP", "류더"), (10, 11, "XSN", "화"), (12, 13, "NNB", "씨")]
    assert canonical_span(text, 0, 3, "PS", morphs) == (0, 3)
    assert canonical_span(text, 8, 11, "PS", morphs) == (8, 11)
    # `수도권`: Kiwi's 수도/NNG + 권/XSN is one place; `러시아산`: 산 (made in) never ends a name
    text = "수도권과 러시아산"
    morphs = [(0, 2, "NNG", "수도"), (2, 3, "XSN", "권"), (3, 4, "JC", "과"), (5, 8, "NNP", "러시아"),
              (8, 9, "XSN", "산")]
    assert canonical_span(text, 0, 3, "LC", morphs) == (0, 3)
    assert canonical_span(text, 5, 9, "LC", morphs) == (5, 8)
    # a particle after 3+ characters, a two-character particle, and the plural `들` are cut
    text = "도요타자동차의 기업들에서"
    morphs = [(0, 6, "NNP", "도요타자동차"), (6, 7, "JKG", "의"), (8, 10, "NNG", "기업"), (10, 11, "XSN", "들"),
              (11, 13, "JKB", "에서")]
    assert canonical_span(text, 0, 7, "OG", morphs) == (0, 6)
    assert canonical_span(text, 8, 13, "OG", morphs) == (8, 10)


def test_units_after_numbers_and_compound_common_nouns_are_no_people() -> None:
    from analytics.nlp.entities.recognizer import _one_common_noun, _unit_or_compound_noun

    # Kiwi: 150/SN 만/NR 도스/NNP -- a dose count, not a person
    text = "150만 도스 확보"
    morphs = [(0, 3, "SN", "150"), (3, 4, "NR", "만"), (5, 7, "NNP", "도스"), (8, 10, "NNG", "확보")]
    assert _unit_or_compound_noun(text, 5, 7, morphs)
    # a Korean full name after a number stays (`D-1 정세균 총리`)
    text = "D-1 정세균 총리"
    morphs = [(0, 1, "SL", "D"), (1, 2, "SO", "-"), (2, 3, "SN", "1"), (4, 7, "NNP", "정세균"), (8, 10, "NNG", "총리")]
    assert not _unit_or_compound_noun(text, 4, 7, morphs)
    # 귀뚜라미/NNG + 보일러/NNG is a company's name read as two common nouns
    text = "귀뚜라미보일러 공장"
    morphs = [(0, 4, "NNG", "귀뚜라미"), (4, 7, "NNG", "보일러"), (8, 10, "NNG", "공장")]
    assert _unit_or_compound_noun(text, 0, 7, morphs)
    assert not _unit_or_compound_noun("장혁이 울면서", 0, 2, [(0, 2, "NNG", "장혁"), (2, 3, "JKS", "이")])
    # what is left of `코로나19 백신 접종` once 백신 (a non-name word) is cut out
    assert _one_common_noun("백신 접종이", 3, 5, [(0, 2, "NNG", "백신"), (3, 5, "NNG", "접종"), (5, 6, "JKS", "이")])
    assert not _one_common_noun("중앙접종센터", 0, 6, [(0, 6, "NNG", "중앙접종센터")])
