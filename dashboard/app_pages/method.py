"""방법 Method: how each figure is computed, tokenizer/YAKE settings, measured model accuracy.

Renders docs/method/*.md (project documentation written by the NLP and query engineers;
trusted repository files, not article content).
"""

from pathlib import Path

import streamlit as st

METHOD_DIR = Path(__file__).resolve().parents[2] / "docs" / "method"

st.title("방법 Method")
st.caption("각 그림이 어떻게 계산되는지, 형태소 분석기와 YAKE 설정, 감성·개체 모델의 측정된 정확도. "
           "(How each figure is computed and how accurate the models are.)")
docs = sorted(METHOD_DIR.glob("*.md")) if METHOD_DIR.is_dir() else []
if not docs:
    st.info("아직 방법 문서가 없습니다 (docs/method/*.md). (No method pages yet.)")
    st.stop()


def title_of(path: Path) -> str:
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            return line.lstrip("#").strip()
    return path.stem


tabs = st.tabs([title_of(p) for p in docs])
for tab, path in zip(tabs, docs, strict=True):
    with tab:
        st.markdown(path.read_text(encoding="utf-8"))
        st.caption(f"출처: docs/method/{path.name}")
