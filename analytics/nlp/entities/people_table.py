"""The per-article table of full names given so far (`_People`): which full name a surname, a family name
or a given name stands for, and with which titles; `_most_named` picks among several of one surname,
`_two_syllable_family` reads a Chinese two-syllable family name."""

from __future__ import annotations

from analytics.nlp.entities.names import (
    DETERMINERS,
    HANGUL_NAME,
    SURNAME_TITLE_RE,
    SURNAME_TITLES,
    SURNAMES,
    is_korean_full_name,
    titles_match,
)
from analytics.nlp.entities.spans import is_title


class _People:
    """Full names given so far in an article, with the titles each was given (with the full name,
    `이재명 더불어민주당 대표`, or by a short form that resolved to it, `김 대표`)."""

    def __init__(self, prefer_first: bool = False) -> None:
        self.order: list[str] = []  # full names, most recent last
        self.first: list[str] = []  # full names in the order they were first given
        self.title: dict[str, set[str]] = {}
        self.short: dict[str, set[str]] = {}  # titles of the short forms resolved to each (`김 실장` said of 김대기)
        self.pos: dict[str, tuple[int, int]] = {}  # (sentence, offset) where each was last given in full
        # the whole article's names, for a headline: its `바이든` is the one the body names first (조 바이든),
        # not the last (질 바이든 여사)
        self.prefer_first = prefer_first
        # titles the whole article gives each full name (also after a short form: a caption's `권영세 국민의힘
        # 비상대책위원장이`), read when no name given so far carries the short form's title
        self.anywhere: dict[str, set[str]] = {}

    def add(self, name: str, title: str | None, pos: tuple[int, int] | None = None) -> None:
        if " " in name and (name.rsplit(" ", 1)[1] in SURNAME_TITLES or is_title(name.rsplit(" ", 1)[1])):
            return  # `추 부총리` as the recognizer's span: a short form, no full name
        if name in self.order:
            self.order.remove(name)
        else:
            self.first.append(name)
        self.order.append(name)
        if pos is not None:
            self.pos[name] = pos
        self.note(name, title)

    def said(self, name: str, title: str) -> None:
        """`김 대표` resolved to 김기현: his title from now on, and the short title he goes by."""
        self.note(name, title)
        self.short.setdefault(name, set()).add(title)

    def _full(self, name: str, surname: str) -> bool:
        """A Korean full name of that surname; also a two-syllable one given with a title (`김용 전 민주연구원
        부원장`, `박진 외교부 장관`, `김행 전 청와대 대변인`)."""
        return name[0] == surname and (is_korean_full_name(name) or (
            len(name) == 2 and surname in SURNAMES and bool(HANGUL_NAME.match(name)) and bool(self.title.get(name))))

    def by_preference(self) -> list[str]:
        return list(self.first) if self.prefer_first else list(reversed(self.order))

    def note(self, name: str, title: str | None) -> None:
        if title:
            self.title.setdefault(name, set()).add(title)

    def by_surname(self, surname: str, title: str | None) -> str | None:
        """The full name `surname + title` stands for: a Korean full name with that surname, else
        (a title always follows here) a one-word Hangul name starting with it (`리창` for
        `리 총리`, `시진핑` for `시 주석`), else a foreign name ending in that syllable (`팀 쿡` for
        `쿡 CEO`, `윌리엄 리` for `리 회장`). Among several, the most recent one given a fitting
        title (`이 대표` is 이재명 대표, not the 이화영 전 부지사 named since), else the most recent
        one given no title, else the most recent."""
        cands = [n for n in reversed(self.order) if self._full(n, surname)] or [
            n for n in reversed(self.order) if " " not in n and 2 <= len(n) <= 4 and n[0] == surname
            and HANGUL_NAME.match(n) and surname not in DETERMINERS] or [
            n for n in reversed(self.order) if " " in n and n.rsplit(" ", 1)[1] == surname]  # `쿡 CEO`: 팀 쿡
        if title and len(cands) > 1:
            titled = [n for n in cands if any(titles_match(t, title) for t in self.title.get(n, ()))]
            # `이 전 대표` is the former one (이준석 전 대표), `이 대표` the one in office (이재명 대표)
            former = [n for n in titled if any(titles_match(t, title) and t.startswith("전 ") == title.startswith("전 ")
                                               for t in self.title.get(n, ()))]
            # tenth session: `권 위원장` before the caption titles 권영세 so is him, not the untitled 권성동 of the headline
            elsewhere = [] if titled else [n for n in cands if any(titles_match(t, title) for t in self.anywhere.get(n, ()))]
            untitled = [n for n in cands if not self.title.get(n)]
            # one person goes by one short title in an article: 김대기 called `김 실장` is not the `김 후보자`
            unclaimed = [n for n in cands if all(titles_match(t, title) for t in self.short.get(n, ()))]
            return self._first_of_pair(former or titled or elsewhere or untitled or unclaimed or cands)
        return cands[0] if cands else None

    def _first_of_pair(self, cands: list[str]) -> str:
        """The most recent of `cands`, except that of equal candidates last named in one sentence (`이낙연 전
        더불어민주당 대표와 이준석 전 국민의힘 대표가`) the next paragraph's `이 전 대표` is the first named."""
        if len(cands) > 1 and (a := self.pos.get(cands[0])) and (b := self.pos.get(cands[1])) and a[0] == b[0]:
            return min((n for n in cands if self.pos.get(n, (-1, 0))[0] == a[0]), key=lambda n: self.pos[n][1])
        return cands[0]

    def by_part(self, word: str) -> str | None:
        """A foreign full name one of whose words is `word` (`머스크` -> `일론 머스크`), or a
        Korean full name whose given name is `word` (`석열` -> `윤석열`)."""
        # (the same tests as `by_preference()` then `reversed(self.order)` with the cheap ones first, no copies)
        for n in self.first if self.prefer_first else reversed(self.order):
            if " " in n and word in n.split(" "):
                return n
        if len(word) >= 2:
            for n in reversed(self.order):
                if n[1:] == word and is_korean_full_name(n):
                    return n
        return None

def _most_named(surname: str, cands: list[str], article: str, people: _People) -> str | None:
    """Of several people of one surname, the one the article names most (full name, plus `surname +
    title` with one of the titles that person was given): a bare `尹` in a headline is its main person."""
    if not cands:
        return None
    short = [m.group(2) for m in SURNAME_TITLE_RE.finditer(article) if m.group(1) == surname]

    def score(n: str) -> int:
        return article.count(n) + sum(any(titles_match(t, x) for t in people.title.get(n, ())) for x in short)

    return max(cands, key=lambda n: (score(n), -cands.index(n)))

def _two_syllable_family(name: str, people: _People, later: _People) -> str | None:
    """`라이` (of 라이칭더), `허우` (of 허우유이): a Chinese or Taiwanese two-syllable family name, standing before
    a title for the one-word name of four or five syllables that begins with it."""
    if len(name) != 2 or not HANGUL_NAME.match(name):
        return None
    return next((n for n in (*people.order[::-1], *later.first) if " " not in n and 4 <= len(n) <= 5 and n.startswith(name)
                 and HANGUL_NAME.match(n) and not is_korean_full_name(n)), None)
