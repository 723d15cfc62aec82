# Two commands on a fresh machine: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
FLASK  := $(BIN)/flask --app wsgi
HOST   ?= 127.0.0.1
PORT   ?= 5000

.PHONY: run test test-e2e lint system-deps clean

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
	$(FLASK) db upgrade
	$(FLASK) seed demo --if-empty
	@$(FLASK) users demo-admin
	@echo "Serving on http://$(HOST):$(PORT)"
	$(BIN)/gunicorn --workers 2 --bind $(HOST):$(PORT) --access-logfile - wsgi:app

## test: set up with the test extras and run the whole suite (browser tests included)
test: $(VENV)/.installed-test
	@bash scripts/system-deps.sh test
	$(BIN)/pytest

## lint: ruff (including bugbear and bandit rules)
lint: $(VENV)/.installed-test
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) .pytest_cache
