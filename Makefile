# Planvakt: `make demo` sets everything up and crawls the bundled demo web; `make test` runs the whole suite.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install system-deps postgres demo serve axe test lint typecheck bench clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

# Debian packages: Chromium for Playwright (its own browser download cannot work here), Tesseract with nor+dan.
system-deps:
	@scripts/install-system-deps

postgres:
	@scripts/ensure-postgres

# ends by serving the dashboard over the demo crawl, with the demo web again for tips and a demo-only reviewer
# token it prints (see planvakt/demo_serve.py; Ctrl-C stops it)
demo: install system-deps
	$(BIN)/planvakt db upgrade
	$(BIN)/planvakt demo
	$(BIN)/planvakt serve --demo

serve: install
	$(BIN)/planvakt serve

# axe-core from the npm registry, for the dashboard's accessibility tests (git-ignored folder .axe/)
AXE := .axe/node_modules/axe-core/axe.min.js
axe: $(AXE)

$(AXE):
	npm install --silent --no-audit --no-fund --prefix .axe axe-core@4

# the suite, after the checks that cost seconds: ruff (lint and format) and mypy --strict on the packages; two
# workers (pytest-xdist, a test file stays in one worker): the suite mostly waits on servers and delays, not the CPU
test: install system-deps postgres axe lint typecheck
	$(BIN)/pytest -q -n 2 --dist loadfile --cov --cov-report=term:skip-covered

LINTED := planvakt tracker crawlers dashboards migrations tests bench

lint: install
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)

typecheck: install
	$(BIN)/mypy planvakt tracker crawlers dashboards

bench: install system-deps
	$(BIN)/python bench/bench_crawl.py
	$(BIN)/python bench/bench_extract.py
	$(BIN)/python bench/bench_sweep.py --sites 40

clean:
	rm -rf $(VENV) var .pytest_cache
