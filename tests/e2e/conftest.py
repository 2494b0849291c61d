"""Browser fixtures shared by the e2e tests: one Chromium per module, a fresh context per test."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.harness import WAIT, shots


@pytest.fixture(scope="module")
def browser():
    if not Path(shots.CHROMIUM).exists():
        pytest.skip("Chromium is absent at /usr/bin/chromium")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=shots.CHROMIUM, args=shots.CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    pg = ctx.new_page()
    pg.set_default_timeout(WAIT)
    yield pg
    ctx.close()
