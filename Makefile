# Two commands on a fresh machine:
#   make demo   set up, ingest the project's sample pages into out/samples.duckdb, print a summary
#   make test   set up and run the test suite
PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: setup demo test lint bench clean chromium screenshots

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "need $(PYTHON) (Python 3.11)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	# The machine's pip 23.2 cannot resolve this dependency set; a current pip can.
	$(PY) -m pip install -q -U pip
	$(PY) -m pip install -q -e '.[test]'
	touch $(STAMP)

# The browser tests drive Debian's Chromium (never a downloaded browser build).
chromium:
	command -v chromium >/dev/null || (apt-get update && apt-get install -y chromium)

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

test: setup chromium lint
	$(PY) -m pytest -q

# Regenerate docs/screenshots/*.png from the browser tests.
screenshots: setup chromium
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
