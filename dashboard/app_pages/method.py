"""방법 Method: for analysts, in Korean: what each figure means, how it is computed, how accurate it
is and on which data (docs/method/ko/*.md); the developers' detail (docs/method/*.md) in the last tab.

Both are trusted repository files, not article content.
"""

from pathlib import Path

import streamlit as st

METHOD_DIR = Path(__file__).resolve().parents[2] / "docs" / "method"
KO_DIR = METHOD_DIR / "ko"

st.title("방법 Method")
st.caption("각 수치가 무엇을 뜻하고 어떻게 계산되며 어떤 데이터에서 얼마나 정확한지 설명합니다. "
           "(What each figure means, how it is computed, and how accurate it is on which data.)")


def title_of(path: Path) -> str:
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            return line.lstrip("#").strip()
    return path.stem


guides = sorted(KO_DIR.glob("*.md")) if KO_DIR.is_dir() else []
details = sorted(METHOD_DIR.glob("*.md")) if METHOD_DIR.is_dir() else []
if not guides and not details:
    st.info("아직 방법 문서가 없습니다 (docs/method/). (No method pages yet.)")
    st.stop()

tabs = st.tabs([title_of(p) for p in guides] + (["개발자 문서 (상세, 영문 포함) Developer notes"] if details else []))
def body_of(path: Path) -> str:
    """The page without its first heading (the tab already shows it)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    first = next((i for i, line in enumerate(lines) if line.startswith("#")), None)
    return "\n".join(lines[:first] + lines[first + 1:] if first is not None else lines)


for tab, path in zip(tabs, guides, strict=False):
    with tab:
        st.markdown(body_of(path))
        st.caption(f"출처: docs/method/ko/{path.name}")
if details:
    with tabs[-1]:
        st.caption("계산식, 실험 기록과 측정 조건 전체입니다. 분석가용 요약은 앞의 탭에 있습니다. "
                   "(Formulas, experiment logs and measurement conditions.)")
        for path in details:
            with st.expander(title_of(path)):
                st.markdown(path.read_text(encoding="utf-8"))
                st.caption(f"출처: docs/method/{path.name}")
