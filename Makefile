# Two commands on a fresh machine: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
FLASK  := $(BIN)/flask --app wsgi
HOST   ?= 127.0.0.1
PORT   ?= 5000

.PHONY: run test lint audit system-deps clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/activate pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(BIN)/activate pyproject.toml
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(VENV)/.installed $@

## run: set up, migrate, load the demo the first time, print the demo admin, serve
run: $(VENV)/.installed
	@bash scripts/system-deps.sh run
	@# HOST and PORT reach the app too: without PUBLIC_BASE_URL, e-mailed links use them
	$(FLASK) db upgrade
	$(FLASK) seed demo --if-empty
	@$(FLASK) users demo-admin
	@echo "Serving on http://$(HOST):$(PORT)"
	HOST=$(HOST) PORT=$(PORT) $(BIN)/gunicorn --workers 2 --bind $(HOST):$(PORT) --access-logfile - wsgi:app

## test: set up with the test extras and run the whole suite (browser tests included)
test: $(VENV)/.installed-test
	@bash scripts/system-deps.sh test
	$(BIN)/pytest

## lint: ruff (including bugbear and bandit rules)
lint: $(VENV)/.installed-test
	$(BIN)/ruff check .

## audit: known vulnerabilities in the installed dependencies (pip-audit); fails on any
audit: $(VENV)/.installed-test
	$(BIN)/python scripts/audit.py

clean:
	rm -rf $(VENV) .pytest_cache
