# The two commands: `make run` and `make test`. Everything else supports them.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 5000
CHROMIUM ?= $(or $(HUB_CHROMIUM),/usr/bin/chromium)

.PHONY: run test test-only deps browser-deps lint format bench-rush bench-relevance clean \
	i18n-extract i18n-update i18n-compile

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall only when the project's dependencies change.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

deps: $(VENV)/.installed

run: deps i18n-compile
	$(BIN)/flask --app hub init-db
	$(BIN)/flask --app wsgi run --host $(HOST) --port $(PORT)

test: deps browser-deps
	$(MAKE) test-only

# What the browser suite (tests/browser) needs besides the pip extras: Debian's Chromium,
# Java for the Nu HTML checker, npm for axe-core, and fonts for the Arabic and Chinese pages
# (a bare Debian has DejaVu only: no Chinese glyph, so screenshots show empty boxes, and a
# poor Arabic). The small packages: fonts-noto-ui-core (Noto Sans Arabic UI; 1.4 MB download,
# 5 MB installed) and fonts-wqy-microhei (WenQuanYi Micro Hei, a Simplified Chinese sans;
# 1.6 MB, 5 MB), not fonts-noto-core (12 MB, 42 MB) or fonts-noto-cjk (57 MB, 91 MB); the
# stylesheets name them (static/hub.css). Installed with apt-get when missing and
# running as root; otherwise the suite skips with the reason. An install that fails (no
# network) is a warning, and the rest of the suite still runs; under CI or
# HUB_REQUIRE_BROWSER=1 it stops `make test`, as the skipped browser tests would fail there.
REQUIRE_BROWSER := $(if $(or $(CI),$(filter 1,$(HUB_REQUIRE_BROWSER))),1,)
SKIP_OR_FAIL = skip_or_fail() { \
	  if [ -n "$(REQUIRE_BROWSER)" ]; then echo "browser-deps: $$1 (required: CI or HUB_REQUIRE_BROWSER=1)" >&2; exit 1; fi; \
	  echo "Warning: the browser tests will be skipped: $$1"; }

browser-deps:
	@$(SKIP_OR_FAIL); missing=""; \
	test -x $(CHROMIUM) || missing="$$missing chromium"; \
	command -v java >/dev/null || missing="$$missing default-jre-headless"; \
	command -v npm >/dev/null || missing="$$missing npm"; \
	fc-list -q "Noto Sans Arabic UI" 2>/dev/null || missing="$$missing fonts-noto-ui-core"; \
	fc-list -q "WenQuanYi Micro Hei" 2>/dev/null || missing="$$missing fonts-wqy-microhei"; \
	if [ -z "$$missing" ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "Installing for the browser tests:$$missing"; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  if ! ls /var/lib/apt/lists/*_Packages* >/dev/null 2>&1; then apt-get update -q || true; fi; \
	  apt-get install -y -q $$missing || { apt-get update -q && apt-get install -y -q $$missing; } || \
	    skip_or_fail "apt-get install$$missing failed (no network?)"; \
	else \
	  skip_or_fail "not installing$$missing (needs root and apt-get)"; \
	fi
	@# axe-core, pinned by package-lock.json (npm ci writes node_modules/.package-lock.json).
	@$(SKIP_OR_FAIL); \
	if command -v npm >/dev/null && { [ ! -f node_modules/.package-lock.json ] || \
	    [ package-lock.json -nt node_modules/.package-lock.json ]; }; then \
	  echo "npm ci"; { npm ci --no-audit --no-fund --loglevel=error && touch node_modules/.package-lock.json; } || \
	    skip_or_fail "npm ci failed (no network?), axe-core is missing"; \
	fi

test-only: i18n-compile
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Translations: gettext catalogues in hub/translations (.po in the repository; the .mo files
# are build output, compiled here, by `make run` and `make test`, and by the test suite).
# extract: the messages of the Python code and templates into messages.pot; update: merge
# them into every language's messages.po (new messages empty, changed ones fuzzy: the
# suite's completeness check refuses both for the languages it lists).
TRANSLATIONS := hub/translations
BABEL_KEYWORDS := -k _l -k lazy_gettext -k lazy_ngettext:1,2 -k _lp:1c,2 -k lazy_pgettext:1c,2 -k N_ \
	-k plural_forms:1,2


i18n-extract: deps
	$(BIN)/pybabel extract -F babel.cfg $(BABEL_KEYWORDS) --add-location=file --sort-by-file \
	  --no-wrap --project "Partnerships Hub" -o $(TRANSLATIONS)/messages.pot .

i18n-update: i18n-extract
	$(BIN)/pybabel update -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS) --no-wrap

i18n-compile: deps
	$(BIN)/pybabel compile -d $(TRANSLATIONS) --statistics

# Style and structure: lint, formatting, types, the direction of imports (pyproject's
# import-linter contracts) and the size of modules (none over 350 lines in hub/).
PY_SOURCES := hub tests bench migrations wsgi.py $(wildcard gunicorn.conf.py)
MAX_MODULE_LINES := 350

lint: deps
	$(BIN)/ruff check $(PY_SOURCES)
	$(BIN)/ruff format --check $(PY_SOURCES)
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache
	@find hub -name '*.py' -exec wc -l {} + | awk -v max=$(MAX_MODULE_LINES) \
	  '$$2 != "total" && $$1 > max { print "module over " max " lines: " $$2 " (" $$1 ")"; bad = 1 } \
	   END { exit bad }'

format: deps
	$(BIN)/ruff check --fix $(PY_SOURCES)
	$(BIN)/ruff format $(PY_SOURCES)

bench-rush: deps
	$(BIN)/python bench/submit_rush.py

# Search relevance in the six languages against plain Whoosh and SQLite FTS5 (issue 15;
# docs/search-quality.md): a table per query category, well under a minute.
bench-relevance: deps
	$(BIN)/python bench/relevance.py

clean:
	rm -rf $(VENV) .pytest_cache tests/output
