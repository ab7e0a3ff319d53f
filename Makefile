# One-command setup: `make run` starts the app, `make test` runs every test.
# Everything is installed from the package registries; nothing is downloaded at run time.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
# The llama.cpp build: auto (default: avx512 where /proc/cpuinfo lists every flag it uses, else portable),
# portable (AVX2/FMA/F16C on x86-64), avx512 (refused unless listed) or native (only for the machine it is
# built on). Never -march=native by default, never AMX.
LLAMA_CPU ?= auto
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml tools/llama_build.py | sha256sum | cut -c1-12)-$(LLAMA_CPU)

.PHONY: setup venv model sysdeps index run lint test test-fast test-real evals bench clean doctor rebuild-llm

setup: venv model

venv: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	# torch==2.13.0 first: this exact pin takes the CPU wheel, an unpinned torch pulls GBs of CUDA.
	$(PIP) install -q torch==2.13.0
	# llama-cpp-python compiles from source (about 5 minutes on 2 cores) into .cache/llama-wheels/,
	# keyed by version and flags; pip's own wheel cache is bypassed so it cannot hand back a native build.
	$(PY) tools/llama_build.py --venv $(VENV) --cpu $(LLAMA_CPU)
	$(PIP) install -q -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $@

model: venv
	$(PY) -m assistant.llm.model_store

# Debian packages the system tests need: LibreOffice (renders the exported .docx to PDF),
# poppler (pdftoppm), Chromium (Playwright drives the real app) and tesseract with its Danish model (OCR of
# scanned PDFs, also used by the app). Installed only when missing.
SYSBINS := soffice pdftoppm chromium tesseract
sysdeps:
	@missing=""; for b in $(SYSBINS); do command -v $$b >/dev/null || missing="$$missing $$b"; done; \
	tesseract --list-langs 2>/dev/null | grep -qx dan || missing="$$missing tesseract-ocr-dan"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages for:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO="sudo"; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q --no-install-recommends \
	    libreoffice-writer-nogui poppler-utils chromium fonts-dejavu-core tesseract-ocr tesseract-ocr-dan \
	    postgresql >/dev/null; \
	fi

index: setup
	$(PY) -m assistant index

run: index
	$(PY) app.py

# The gate: ruff (pyflakes, pycodestyle, bugbear, comprehensions, simplify, pyupgrade, isort, ruff, mccabe <= 15)
# and mypy (check_untyped_defs, disallow_incomplete_defs) over assistant/ and app.py; settings in pyproject.toml.
lint: venv
	$(VENV)/bin/ruff check assistant app.py
	$(VENV)/bin/mypy

test: setup sysdeps lint
	$(PY) -m pytest

test-fast: venv lint
	$(PY) -m pytest -m "not realmodel and not system"

test-real: setup sysdeps
	$(PY) -m pytest -m "realmodel or system"

evals: index
	$(PY) -m evals retrieval

bench: setup
	$(PY) -m evals bench

# What IT needs to see: CPU flags, llama.cpp's system info and build flags, model hash, load time, tokens/s.
doctor: setup
	$(PY) -m assistant doctor

# After "Illegal instruction" or a CPU change: rebuild the model runtime from source with LLAMA_CPU's flags.
rebuild-llm: venv
	$(PY) tools/llama_build.py --venv $(VENV) --cpu $(LLAMA_CPU) --force
	rm -f data/llm-selftest.json

# Removes the search index only; the tender workspace and uploaded files stay (the next index rebuilds).
clean:
	rm -rf data/chroma data/catalog.sqlite data/catalog.sqlite-wal data/catalog.sqlite-shm
