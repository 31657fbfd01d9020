# budget-warehouse: `make run` builds the warehouse, `make test` runs the test suite.
# Both work in a fresh clone: they create .venv (Python 3.11) and prepare the dbt manifest first.

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3.11
VENV := .venv
VENV_PY := $(VENV)/bin/python
# Rebuilt when the dependency pins change; lives inside .venv so deleting .venv resets it.
STAMP := $(VENV)/.installed-stamp

DEFAULT_DB := data/warehouse.duckdb
ARGS ?=
PYTEST_ARGS ?=

.PHONY: help run test bench docs sql export ui dev daemon clean venv manifest cjk-font docs-serve report chromium

help:
	@echo "make run     build the warehouse ($(DEFAULT_DB) or \$$BUDGET_WAREHOUSE_DB) through Dagster and print what was built"
	@echo "             (ARGS=--no-wait: stop instead of waiting when another build is running)"
	@echo "make test    run the test suite (PYTEST_ARGS=... passes options to pytest)"
	@echo "make bench   generate a synthetic corpus of 10, 100 and 1,000 documents and measure parsing and builds"
	@echo "             against two baselines (BENCH_SIZES=10,100 for a shorter run); results in data/bench/results.md"
	@echo "make docs    the dbt docs (lineage) site in dbt_project/target/site/ (after make run; reads the warehouse read-only)"
	@echo "make docs-serve  serve it on http://127.0.0.1:$(DOCS_PORT)/ (DOCS_PORT=...; builds the site first when missing)"
	@echo "make report  a one-file HTML report of the published warehouse: $(REPORT) (read-only)"
	@echo "make sql     a DuckDB SQL shell on the published warehouse (read-only; never blocks a build)"
	@echo "make export  every mart to data/export/ as Parquet and CSV (UTF-8 BOM), with a manifest"
	@echo "make ui      the Dagster UI on http://127.0.0.1:3000 and the daemon (nightly schedule, inbox sensor)"
	@echo "make daemon  only the daemon: schedules and sensors fire without the UI"
	@echo "make clean   remove the warehouse file, dbt target/ and logs/, .dagster_home/, the parse cache (keeps data/samples, data/inbox)"

venv: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) not found: install Python 3.11 or run make PYTHON=/path/to/python3.11" >&2; exit 1; }
	@test -x $(VENV_PY) || { echo "Creating $(VENV) with $(PYTHON)"; $(PYTHON) -m venv $(VENV); }
	@echo "Installing pinned dependencies into $(VENV) (pip, constraints.txt)"
	$(VENV_PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	@touch $@

# dbt parse, only when dbt_project/target/manifest.json is missing or older than the dbt project.
manifest: $(STAMP)
	@$(VENV_PY) -m orchestration.dbt_tools manifest

run: manifest
	$(VENV_PY) -m orchestration.run $(ARGS)

# The OCR tests render scanned pages from PDFs set in a Chinese font that PDF files do not embed:
# the machine needs a Chinese font (Debian's fonts-arphic-uming, installed here when missing).
CJK_FONT_CHECK := $(VENV_PY) -c "import sys; sys.path.insert(0, 'tests'); from fixtures.scan import cjk_font_available as ok; sys.exit(0 if ok() else 1)"

cjk-font: $(STAMP)
	@$(CJK_FONT_CHECK) 2>/dev/null || { \
	  echo "Installing a Chinese font for the scanned-page fixtures (apt-get install fonts-arphic-uming)"; \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends fonts-arphic-uming; } >/dev/null \
	    || { echo "Could not install fonts-arphic-uming: install any Chinese font (e.g. as root: apt-get install fonts-arphic-uming) and run make test again." >&2; exit 1; }; \
	  $(CJK_FONT_CHECK); }

test: manifest cjk-font chromium
	$(VENV_PY) -m pytest $(PYTEST_ARGS)

# Speed and memory, measured (never by timed tests): tests/bench/run.py. The corpus is generated once into
# data/bench/ (gitignored) in a TrueType Chinese font the PDFs embed, as real disclosures do.
BENCH_SIZES ?= 10,100,1000
bench: manifest cjk-font
	$(VENV_PY) tests/bench/run.py --sizes $(BENCH_SIZES)

# The dbt docs site (lineage graph, every model and column described) in dbt_project/target/site/. Its catalog is
# read from the published warehouse opened read-only, so it never holds up a build.
DOCS_PORT ?= 8080
REPORT ?= data/report/index.html

docs: manifest
	$(VENV_PY) -m orchestration.dbt_tools docs

docs-serve: manifest
	$(VENV_PY) -m orchestration.dbt_tools serve --port $(DOCS_PORT)

# One self-contained HTML file (inline SVG charts, no scripts) from the published warehouse, read-only.
report: $(STAMP)
	$(VENV_PY) -m orchestration.report --out $(REPORT)

# The docs-site and report tests open the pages in headless Chromium (Debian's chromium, installed here when missing).
chromium:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || { \
	  echo "Installing headless Chromium for the docs-site and report tests (apt-get install chromium)"; \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium; } >/dev/null \
	    || { echo "Could not install chromium: install it (e.g. as root: apt-get install --no-install-recommends chromium) and run make test again." >&2; exit 1; }; \
	  command -v chromium >/dev/null; }

# An SQL shell on the published warehouse, read-only: a build writes a new file and swaps it in, so the shell never
# blocks a build and never sees a half-built warehouse (it keeps the file it opened until you reopen it).
DB = $${BUDGET_WAREHOUSE_DB:-$(DEFAULT_DB)}
sql: $(STAMP)
	@test -f "$(DB)" || { echo "No warehouse at $(DB): run make run first." >&2; exit 1; }
	@echo "DuckDB $(shell $(VENV_PY) -c 'import duckdb; print(duckdb.__version__)' 2>/dev/null) on $(DB), read-only. Try: .tables  |  from marts.fct_function_spending limit 5;  |  .quit"
	$(VENV)/bin/duckdb -readonly "$(DB)"

# Every mart as Parquet and CSV (UTF-8 with BOM, for Excel) in data/export/, with manifest.json (rows, sha256).
export: $(STAMP)
	$(VENV_PY) -m orchestration.export $(ARGS)

# The Dagster UI and, in the same process group, the daemon that fires the nightly schedule and the inbox sensor.
ui: manifest
	@mkdir -p "$${DAGSTER_HOME:-$(CURDIR)/.dagster_home}"
	DAGSTER_HOME="$${DAGSTER_HOME:-$(CURDIR)/.dagster_home}" $(VENV)/bin/dagster dev -m orchestration.definitions \
	  --host 127.0.0.1 --port $${DAGSTER_PORT:-3000}

dev: ui

# Only the daemon (schedules, sensors, queued runs), for a server where the UI runs elsewhere or not at all.
daemon: manifest
	@mkdir -p "$${DAGSTER_HOME:-$(CURDIR)/.dagster_home}"
	DAGSTER_HOME="$${DAGSTER_HOME:-$(CURDIR)/.dagster_home}" $(VENV)/bin/dagster-daemon run -m orchestration.definitions

clean:
	@if [ -x $(VENV_PY) ] && [ -f $(STAMP) ]; then env -u BUDGET_WAREHOUSE_DB $(VENV_PY) -m orchestration.lock --check; fi
	rm -f $(DEFAULT_DB) $(DEFAULT_DB).wal $(DEFAULT_DB).lock
	rm -rf $(DEFAULT_DB).building
	rm -rf dbt_project/target dbt_project/logs .dagster_home data/.parse_cache data/export data/report data/bench
	@if [ -n "$${BUDGET_WAREHOUSE_DB:-}" ]; then echo "Note: BUDGET_WAREHOUSE_DB=$$BUDGET_WAREHOUSE_DB is set; that file was not removed."; fi
