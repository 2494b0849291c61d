# The two commands a new user types: `make run` and `make test`. Each does its own set-up.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements.txt pyproject.toml | cksum | cut -d' ' -f1)
STORE ?= data/store
PORT ?= 8501

.PHONY: run test setup system store bench bench-speed screenshots lint clean-store

# Streamlit's own upload limit comes from the max_upload_mb setting (TM_MAX_UPLOAD_MB), like the upload guard
run: setup store
	MALLOC_ARENA_MAX=2 $(PY) -m streamlit run dashboard/app.py --server.port $(PORT) --server.headless true \
		--server.maxUploadSize $$($(PY) -c "from analytics import config; print(config.get('max_upload_mb'))")

test: setup
	$(PY) -m pytest

setup: $(STAMP) system

$(STAMP): requirements.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.txt
	$(PY) -m pip install -q --no-deps -e .
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

# Chromium (chart PNG/SVG export via kaleido, browser tests) and a CJK font (Hangul in images).
system:
	@if [ -x /usr/bin/chromium ] && fc-list 2>/dev/null | grep -qi "noto sans cjk"; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	else echo "note: install chromium and fonts-noto-cjk for PNG/SVG export and browser tests (sudo apt-get install chromium fonts-noto-cjk)"; fi

# Ingest and analyse the bundled corpus if the store is missing or stale (incremental: cheap otherwise).
store: setup
	$(PY) -c "from pathlib import Path; from analytics.pipeline import ensure_store; ensure_store(Path('data/articles'), Path('$(STORE)'))"

bench: setup
	$(PY) tests/bench/run_all.py

# Only the analysis speed figures (Kiwi alone / our analysis / warm Okt, ratios, per-stage split)
bench-speed: setup
	$(PY) -m pip install -q -r requirements-bench.txt
	$(PY) tests/bench/bench_speed.py --stages

screenshots: setup store
	$(PY) scripts/screenshots.py

lint: setup
	$(PY) -m ruff check analytics dashboard tests

clean-store:
	rm -rf $(STORE)
