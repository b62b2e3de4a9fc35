# Two commands do all set-up: `make serve` and `make test`. See README.md.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
export NO_MKDOCS_2_WARNING := 1
# The same commit builds the same files: dates in the site (sitemap) come from the last commit.
export SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 0)

.PHONY: serve build check test test-fast pdf bench clean

# The validator's few packages first (make check needs nothing else), then the site's.
$(VENV)/.check: requirements-check.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-check.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

$(VENV)/.site: requirements.txt $(VENV)/.check
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.test: requirements.txt requirements-test.txt $(VENV)/.site
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-test.txt
	touch $@

## Build and serve the site at http://127.0.0.1:8000; a saved edit rebuilds only the pages it changes
## and reloads the browser (toolbox/mkdocs_preview.py). `mkdocs serve` works too, rebuilding everything.
serve: $(VENV)/.site
	$(PY) -m toolbox serve --port 8000

## Write the site to site/ (fails on any warning, including every validation problem).
build: $(VENV)/.site
	$(PY) -m mkdocs build --strict --site-dir site

## Check all method cards and cases (installs only the validator's packages).
check: $(VENV)/.check
	$(PY) scripts/validate.py

## Install what the tests need and run the whole suite (browser tests included), on every core.
test: $(VENV)/.test
	$(PY) -m pytest -n auto

## The fast loop while working: everything but the browser tests (not even collected).
test-fast: $(VENV)/.test
	$(PY) -m pytest -n auto -m "not browser" --ignore=tests/browser

## Write the full card deck as a PDF into the built site (needs Chromium), and the print-shop deck
## with bleed and crop marks, without and with backs (WeasyPrint, see toolbox/printshop.py).
pdf: build $(VENV)/.test
	$(PY) scripts/make_pdf.py site

## Benchmark the build and the browser at 100, 1,000 and 5,000 cases.
bench: $(VENV)/.test
	$(PY) scripts/bench.py

clean:
	rm -rf site .pytest_cache
