SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DELETE_ON_ERROR:
MAKEFLAGS += --warn-undefined-variables --no-builtin-rules

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501
# Where `make site` says the site will be published (the w3id redirects lead there).
BASE_URL ?=
BENCH_SIZES ?= 100000,1000000
WHOLE_SIZES ?= 200000,1000000
# Two stamps: the app needs only the package (APP_STAMP); the tests, lint and docs need the test
# extras as well (STAMP). `make app` never installs pytest, Playwright or ruff.
APP_STAMP := $(VENV)/.installed-app
STAMP := $(VENV)/.installed
PY_DIRS := graph app tests docs/docgen.py $(wildcard bench/*.py)
# The pages with generated parts (cog blocks): docs/docgen.py holds what the blocks call.
DOCS := README.md $(wildcard docs/*.md)
COG := $(BIN)/cog -I docs

.PHONY: help app test check lint format build validate site docs bench bench-app bench-site \
	bench-first-run bench-ris clean

# The comments are read as written, so a variable in one is put in by hand: $(PORT) below.
help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -e 's/\$$(PORT)/$(PORT)/g' \
		| awk -F':.*## ' '{printf "  %-16s %s\n", $$1, $$2}'

# pip installs uv into the venv, and uv installs the rest from the package index, in a
# fraction of pip's time (make bench-first-run times a newcomer's install). UV points it at
# this venv, whatever venv is active, and compiles the bytecode as pip does: where
# PYTHONDONTWRITEBYTECODE is set, nothing else would, and every process would compile
# Streamlit, pandas and the rest again.
UV := VIRTUAL_ENV=$(abspath $(VENV)) UV_COMPILE_BYTECODE=1 $(BIN)/uv

UV_STAMP := $(VENV)/.installed-uv

$(UV_STAMP):
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check "uv>=0.13,<1"
	touch $(UV_STAMP)

$(APP_STAMP): pyproject.toml | $(UV_STAMP)
	$(UV) pip install --quiet -e .
	touch $(APP_STAMP)

# One install of the package with the test extras, not the app's and then the extras: each
# install compiles the bytecode of the whole environment again (about 10 s on 2 cores), so a
# fresh `make test` installs once, and the app's stamp is then up to date as well.
$(STAMP): pyproject.toml | $(UV_STAMP)
	$(UV) pip install --quiet -e ".[test]"
	touch $(APP_STAMP) $(STAMP)

build: $(APP_STAMP) ## Validate the bundled graph and write the release files into build/
	$(BIN)/harmgraph build --out build

site: $(APP_STAMP) ## Write the static, offline site into build/site (open build/site/index.html); BASE_URL=https://... is where it will be published
	$(BIN)/harmgraph site --out build/site $(if $(BASE_URL),--base-url $(BASE_URL))

validate: $(APP_STAMP) ## Validate the bundled knowledge base against the shapes
	$(BIN)/harmgraph validate

app: build ## Create the venv, install the app (not the test extras), build the graph and start the app on 127.0.0.1:$(PORT) (Ctrl-C stops it)
	$(BIN)/harmgraph app --port $(PORT)

test: $(STAMP) ## Install the test extras and run every test (unit, CLI, doctests, app, browser), one process per core
	$(BIN)/python -m pytest -n auto --dist loadgroup

lint: $(STAMP) ## ruff check and format check
	$(BIN)/ruff check $(PY_DIRS)
	$(BIN)/ruff format --check $(PY_DIRS)

format: $(STAMP) ## Format the code with ruff
	$(BIN)/ruff format $(PY_DIRS)
	$(BIN)/ruff check --fix $(PY_DIRS)

bench: $(STAMP) ## Benchmark against rdflib and a plain-Python floor at 100k and 1M triples, with the load profile, --store timings and whole processes timed from outside; prints every speed target as a ratio (about 15-20 min)
	$(BIN)/python bench/run.py --sizes $(BENCH_SIZES) --out bench/results.json
	$(BIN)/harmgraph synth --triples 1000000 --seed 1 --output build/bench-1m.nt > /dev/null
	$(BIN)/python bench/profile_load.py build/bench-1m.nt --out bench/profile-results.json
	$(BIN)/python bench/store_reuse.py build/bench-1m.nt --out bench/store-results.json
	$(BIN)/python bench/whole_process.py --sizes $(WHOLE_SIZES) --out bench/whole-process-results.json
	$(COG) -r docs/scale.md

bench-app: $(STAMP) ## Time every app page in Chromium against a bare Streamlit page, on the bundled and a 100k-triple graph (needs Debian's chromium)
	$(BIN)/python bench/app_pages.py --out bench/app-results.json
	$(BIN)/harmgraph synth --triples 100000 --seed 1 --output build/bench-100k.nt > /dev/null
	$(BIN)/python bench/app_pages.py --data build/bench-100k.nt --entity harm/h26 --out bench/app-results-100k.json
	$(COG) -r docs/scale.md

bench-site: $(STAMP) ## Time `harmgraph site` on a 100k-triple graph against `export --format turtle` (about 2 min)
	$(BIN)/harmgraph synth --triples 100000 --seed 1 --output build/bench-100k.nt > /dev/null
	$(BIN)/python bench/site_build.py build/bench-100k.nt --out bench/site-results.json
	$(COG) -r docs/scale.md

bench-first-run: ## Time a newcomer's first `make app` on a fresh clone of HEAD until the app answers, with no pip cache (needs the package index; minutes)
	$(PYTHON) bench/first_run.py --out bench/first-run.json

bench-ris: $(STAMP) ## Time `harmgraph import` of 50,000 RIS entries against rispy reading them (about 5 min)
	$(BIN)/python bench/ris_import.py --entries 50000 --repeat 3 --out bench/ris-results.json
	$(COG) -r docs/scale.md

docs: $(STAMP) ## Regenerate the CLI reference, example outputs and bench tables in README.md and docs/
	$(COG) -r $(DOCS)

check: lint validate test ## What CI runs: lint, validate, test

clean: ## Remove the virtual environment and build output
	rm -rf $(VENV) build tests/artifacts .pytest_cache
