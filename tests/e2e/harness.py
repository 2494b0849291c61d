"""What every browser test shares: the screenshot script's server helpers (build a store, start
`streamlit run` on a free port, wait for a page to render), the wait budget and polling."""

from __future__ import annotations

import importlib.util
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WAIT = 90_000  # ms: a page's first render on a loaded 2-core machine

if "tm_screenshots" in sys.modules:
    shots = sys.modules["tm_screenshots"]
else:
    _spec = importlib.util.spec_from_file_location("tm_screenshots", ROOT / "scripts" / "screenshots.py")
    shots = importlib.util.module_from_spec(_spec)
    sys.modules["tm_screenshots"] = shots
    _spec.loader.exec_module(shots)


def eventually(check, seconds: float = WAIT / 1000) -> None:
    """Poll a condition (charts re-render a moment after the script run ends, more so under load)."""
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.25)


def no_exception(pg) -> None:
    assert pg.locator("[data-testid='stException']").count() == 0, pg.locator(
        "[data-testid='stException']").first.inner_text()
