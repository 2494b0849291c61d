"""Every label a user reads, in one place: Korean first, the field's English habit in brackets.

Query results keep their English column names (`mean_score`, `tf`, `pmi`); pages and charts show
them through `FIELDS` (table headers, axis and legend titles, metric names) and the value maps
(`TONE`, `DIRECTION`, ...). tests/test_labels.py walks every page and fails when a raw field name
reaches the screen.
"""

from __future__ import annotations

import pandas as pd

GRANULARITY = {"day": "일", "week": "주", "month": "월", "quarter": "분기", "year": "연"}
PERIOD_MODES = {"year": "연도 Year", "range": "날짜 범위 Dates"}

FIELDS: dict[str, str] = {
    # articles and volume
    "published": "일자", "date_label": "일자", "source": "매체", "title": "제목", "author": "저자",
    "url": "URL", "id": "ID", "article_id": "기사 ID", "articles": "기사 수", "period": "기간",
    "language": "언어", "origin": "출처",
    # terms
    "rank": "순위", "keyword": "키워드", "term": "단어", "score": "점수 (score)", "stop": "불용어 (stop)",
    "tf": "빈도 (tf)", "df": "기사 수 (df)", "count": "이 구간 빈도", "baseline_count": "기준 구간 빈도",
    "growth": "증감 배율 (growth)", "log2_growth": "증감 log₂", "g2": "G²", "direction": "방향",
    "first_seen": "처음 나온 날", "pmi": "연관도 (PMI)", "npmi": "정규화 연관도 (NPMI)",
    "cooc": "함께 나온 수", "together": "함께 나온 수", "z": "로그 오즈 z (log-odds z)",
    "log_odds": "로그 오즈 (log-odds)", "count_a": "A 빈도", "count_b": "B 빈도",
    "share": "비율 (share)", "per_10k": "1만 단어당 (per 10k terms)",
    "left": "앞 문맥", "right": "뒤 문맥", "weight": "동시출현 기사 수", "target": "연결 대상",
    "kind": "종류", "label": "이름", "size": "기사 수",
    # entities
    "entity": "개체", "type": "유형", "mentions": "언급 수", "name": "이름",
    # tone
    "sentences": "문장 수", "mean_score": "평균 어조 (mean)", "pos_share": "긍정 비율", "neg_share": "부정 비율",
    "neu_share": "중립 비율", "text": "문장", "tone": "어조",
    # other query columns shown in tables
    "freq": "빈도 (freq)", "jaccard": "자카드 (Jaccard)", "surface": "표기 (surface)", "forms": "표기들",
    "group": "그룹", "at": "시각", "note": "메모", "path": "파일", "reason": "사유", "pos": "문장 위치",
    "stories": "고유 기사", "first": "처음", "last": "마지막",
    # topics
    "topic": "토픽", "n_articles": "기사 수", "coherence": "응집도 (coherence)", "centrality": "중심성",
    "original_name": "파일", "field": "항목", "column": "열 (column)",
}

TONE = {"positive": "긍정", "neutral": "중립", "negative": "부정", "pos": "긍정", "neu": "중립", "neg": "부정"}
DIRECTION = {"rising": "상승 (rising)", "fading": "하락 (fading)", "new": "신규 (new)"}
KIND = {"term": "단어", "PS": "인물", "OG": "기관", "LC": "장소", "person": "인물", "organization": "기관",
        "location": "장소"}
ENTITY_TYPES = {"PS": "인물 People", "OG": "기관 Organisations", "LC": "장소 Places"}
MEASURES = {"articles": "기사 수", "share": "기사 비율 (share)", "per_10k": "1만 단어당 (per 10k terms)"}
SCOPES = {"sentence": "문장", "article": "기사"}
METHODS = {"yake": "YAKE", "tf": "빈도 TF"}
COMPARE_MODES = {"source": "매체 대 매체 (source vs source)", "period": "기간 대 기간 (period vs period)"}
RISE_MODES = {"latest": "최근 기간 vs 직전 기간 (latest vs previous)", "custom": "직접 지정 (custom dates)"}

# the raw names a user must never read as a label (tests/test_labels.py)
RAW_NAMES = ("sentences", "mean_score", "pos_share", "neg_share", "neu_share", "articles", "mentions", "tf",
             "pmi", "npmi", "log-odds z", "fading", "rising", "neutral", "positive", "negative", "rank", "keyword",
             "term", "score", "stop", "growth", "baseline_count", "g2", "direction", "first_seen", "weight",
             "count_a", "count_b", "log_odds", "per_10k", "entity", "source", "published", "df", "freq",
             "jaccard", "surface", "group", "label", "text", "type", "kind", "count", "sentence", "cooc",
             "coherence", "n_articles", "topic", "path", "reason")


def field(name: str) -> str:
    """The Korean label of a query column (the name itself when there is none)."""
    return FIELDS.get(str(name), str(name))


def columns(df: pd.DataFrame, **override: object) -> dict:
    """A column_config for st.dataframe: every column under its Korean label, `override` on top
    (None hides a column, a column_config object formats it)."""
    out: dict = {c: field(c) for c in df.columns}
    out.update(override)
    return out


def tone(label: object) -> str:
    return TONE.get(str(label), str(label))
