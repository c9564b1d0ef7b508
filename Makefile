# Two entry points for a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export PIP_DISABLE_PIP_VERSION_CHECK := 1
export NO_MKDOCS_2_WARNING := 1

.PHONY: demo test lint typecheck docs pytest browser clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Runtime install (for the demo) and dev install (for the checks), redone when pyproject changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

demo: $(VENV)/.installed
	$(BIN)/python examples/demo/app.py

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(VENV)/.installed-dev
	$(BIN)/mypy

docs: $(VENV)/.installed-dev
	$(BIN)/mkdocs build --strict --quiet --site-dir site

# The browser suite (tests/browser) drives Debian's Chromium; CI machines start without it.
CHROMIUM := /usr/bin/chromium

$(CHROMIUM):
	@test "$$(id -u)" = 0 || { echo "tests/browser needs $@: run 'sudo make browser'" >&2; exit 1; }
	DEBIAN_FRONTEND=noninteractive apt-get update
	DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium openssl

browser: $(CHROMIUM)

pytest: $(VENV)/.installed-dev | $(CHROMIUM)
	$(BIN)/pytest

test: lint typecheck docs pytest

clean:
	rm -rf $(VENV) site .pytest_cache .mypy_cache .ruff_cache .hypothesis
