# Two commands on a fresh machine:
#   make demo   set up, ingest the project's sample pages into out/samples.duckdb, print a summary
#   make test   set up and run the test suite
PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: setup demo test lint bench clean chromium screenshots axe

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "need $(PYTHON) (Python 3.11)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	# The machine's pip 23.2 cannot resolve this dependency set; a current pip can.
	$(PY) -m pip install -q -U pip
	$(PY) -m pip install -q -e '.[test]'
	# The place index (GeoNames cities, about 30 s) is built once into the user's cache here, not on
	# the first page analysed (wirescope.analysis.places_index; $$WIRESCOPE_CACHE_DIR to move it).
	$(PY) -c "from wirescope.analysis.places_index import load_index; load_index()"
	touch $(STAMP)

# The browser tests drive Debian's Chromium (never a downloaded browser build).
chromium:
	command -v chromium >/dev/null || (apt-get update && apt-get install -y chromium)

# axe-core from npm (package.json, package-lock.json) for the accessibility test; node_modules/ is git-ignored.
AXE := node_modules/axe-core/axe.min.js
$(AXE): package.json package-lock.json
	command -v npm >/dev/null || (apt-get update && apt-get install -y npm)
	npm ci --no-audit --no-fund
	touch $(AXE)

axe: $(AXE)

setup: $(STAMP)

demo: setup
	$(VENV)/bin/wirescope ingest samples --db out/samples.duckdb
	$(VENV)/bin/wirescope analyze samples/wire-page-harbor-talks.txt
	$(VENV)/bin/wirescope documents --db out/samples.duckdb
	@echo "Web UI and REST API on this database: $(VENV)/bin/wirescope serve --db out/samples.duckdb  (then open http://127.0.0.1:8000/ui/)"

# The gates: ruff (style, imports, McCabe complexity <= 12, <= 50 statements a function) and mypy,
# both configured in pyproject.toml, with zero findings.
lint: setup
	$(VENV)/bin/ruff check src tests bench scripts
	$(VENV)/bin/mypy

test: setup chromium axe lint
	$(PY) -m pytest -q

# Regenerate docs/screenshots/*.png from the browser tests.
screenshots: setup chromium axe
	$(PY) bench/screenshots.py

# The benchmarks also need the reference systems (readability-lxml, html-text, textacy).
bench: setup
	$(PY) -m pip install -q -e '.[bench]'
	$(PY) bench/extraction.py
	$(PY) bench/segmentation.py
	$(PY) bench/throughput.py
	$(PY) bench/quotes.py
	$(PY) bench/actors.py
	$(PY) bench/events.py
	$(PY) bench/framing_cost.py
	$(PY) bench/framing.py
	$(PY) bench/stories.py
	$(PY) bench/api_latency.py

clean:
	rm -rf $(VENV) out .pytest_cache
