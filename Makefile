# One-command setup: `make run` starts the app, `make test` runs every test.
# Everything is installed from the package registries; nothing is downloaded at run time.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed-$(shell sha256sum pyproject.toml | cut -c1-12)

.PHONY: setup venv model index run test test-fast test-real evals bench clean

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

index: setup
	$(PY) -m assistant index

run: index
	$(PY) app.py

test: setup
	$(PY) -m pytest

test-fast: venv
	$(PY) -m pytest -m "not realmodel"

test-real: setup
	$(PY) -m pytest -m realmodel

evals: index
	$(PY) -m evals retrieval

bench: setup
	$(PY) -m evals bench

clean:
	rm -rf data
