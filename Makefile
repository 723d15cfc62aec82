# Two commands on a fresh machine: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
FLASK  := $(BIN)/flask --app wsgi
HOST   ?= 127.0.0.1
PORT   ?= 5000

.PHONY: run test test-fast lint typecheck mutation audit system-deps clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/activate pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(BIN)/activate pyproject.toml
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(VENV)/.installed $@

## run: set up, migrate, load the demo the first time, print the demo admin, serve (the
## web server and the job worker together: scripts/serve.sh)
run: $(VENV)/.installed
	@bash scripts/system-deps.sh run
	@# HOST and PORT reach the app too: without PUBLIC_BASE_URL, e-mailed links use them
	$(FLASK) db upgrade
	$(FLASK) seed demo --if-empty
	@$(FLASK) users demo-admin
	@echo "Serving on http://$(HOST):$(PORT)"
	@BIN=$(BIN) HOST=$(HOST) PORT=$(PORT) bash scripts/serve.sh

## test: set up with the test extras and run the whole suite (browser tests included), on
## TEST_WORKERS processes (pytest-xdist; each has its own database on PostgreSQL), then the
## tests that measure time (marked serial) alone, so that no other test shares the machine
TEST_WORKERS ?= 2
test: $(VENV)/.installed-test
	@bash scripts/system-deps.sh test
	$(BIN)/pytest -n $(TEST_WORKERS) -m "not serial"
	$(BIN)/pytest -m serial

## test-fast: the unit tier only (no web server, no browser; well under a minute)
test-fast: $(VENV)/.installed-test
	$(BIN)/pytest tests/unit

## lint: ruff (including bugbear and bandit rules) and the import contracts (pyproject.toml)
lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

## typecheck: mypy with the settings in pyproject.toml ([tool.mypy])
typecheck: $(VENV)/.installed-test
	$(BIN)/mypy

## mutation: mutmut over the promise modules ([tool.mutmut]); by hand like a benchmark.
## MUTATION_ARGS="--max-children 1 --postgres postgresql+psycopg://..." also runs the
## survivors that only PostgreSQL tells apart against their tests there (scripts/mutation.py)
MUTATION_ARGS ?=
mutation: $(VENV)/.installed-test
	$(BIN)/python scripts/mutation.py $(MUTATION_ARGS)

## audit: known vulnerabilities in the installed dependencies (pip-audit); fails on any, and when packages could not be audited (exit 3)
audit: $(VENV)/.installed-test
	$(BIN)/python scripts/audit.py

clean:
	rm -rf $(VENV) .pytest_cache
