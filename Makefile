# One-command setup: `make run` starts the app, `make test` runs every test.
# Everything is installed from the package registries; nothing is downloaded at run time.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed-$(shell sha256sum pyproject.toml | cut -c1-12)

.PHONY: setup venv model sysdeps index run test test-fast test-real evals bench clean

setup: venv model

venv: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	# torch==2.13.0 first: this exact pin takes the CPU wheel, an unpinned torch pulls GBs of CUDA.
	$(PIP) install -q torch==2.13.0
	# llama-cpp-python compiles from source here (about 5 minutes on 2 cores, cached by pip afterwards).
	$(PIP) install -q -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $@

model: venv
	$(PY) -m assistant.model_store

# Debian packages the system tests need: LibreOffice (renders the exported .docx to PDF),
# poppler (pdftoppm) and Chromium (Playwright drives the real app). Installed only when missing.
SYSBINS := soffice pdftoppm chromium
sysdeps:
	@missing=""; for b in $(SYSBINS); do command -v $$b >/dev/null || missing="$$missing $$b"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages for:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO="sudo"; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q --no-install-recommends \
	    libreoffice-writer-nogui poppler-utils chromium fonts-dejavu-core >/dev/null; \
	fi

index: setup
	$(PY) -m assistant index

run: index
	$(PY) app.py

test: setup sysdeps
	$(PY) -m pytest

test-fast: venv
	$(PY) -m pytest -m "not realmodel and not system"

test-real: setup sysdeps
	$(PY) -m pytest -m "realmodel or system"

evals: index
	$(PY) -m evals retrieval

bench: setup
	$(PY) -m evals bench

# Removes the search index only; the tender workspace and uploaded files stay (the next index rebuilds).
clean:
	rm -rf data/chroma data/catalog.sqlite data/catalog.sqlite-wal data/catalog.sqlite-shm
