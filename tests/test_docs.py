"""The docs stay true: every setting documented, the README opens with the two commands."""

from __future__ import annotations

from analytics.config import SETTINGS
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_documented_in_the_readme():
    missing = [s.name for s in SETTINGS if f"`{s.name}`" not in README or f"`TM_{s.name.upper()}`" not in README]
    assert missing == []


def test_readme_starts_with_make_run_and_make_test():
    first_block = README.split("```")[1]
    lines = [ln.split("#")[0].strip() for ln in first_block.strip().splitlines()[1:]]
    assert lines == ["make run", "make test"]


def test_method_pages_exist_for_every_analysis_stage():
    pages = {p.stem for p in (ROOT / "docs" / "method").glob("*.md")}
    assert {"keywords", "sentiment", "entities", "queries"} <= pages
