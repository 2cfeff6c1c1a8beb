# The two commands: `make run` and `make test`. Everything else supports them.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 5000

.PHONY: run test test-only deps lint bench-rush clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall only when the project's dependencies change.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

deps: $(VENV)/.installed

run: deps
	$(BIN)/flask --app hub init-db
	$(BIN)/flask --app hub run --host $(HOST) --port $(PORT)

test: deps
	$(MAKE) test-only

test-only:
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: deps
	$(BIN)/ruff check hub tests bench migrations wsgi.py

bench-rush: deps
	$(BIN)/python bench/submit_rush.py

clean:
	rm -rf $(VENV) .pytest_cache tests/output
