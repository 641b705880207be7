# Two commands:  `make` (set up .venv/ and execute the notebooks)  and  `make test`.
# Needs only python3 (3.11 or newer, with venv/ensurepip) and make; everything else comes from PyPI.

PYTHON ?= python3
VENV := .venv
VENV_PYTHON := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
NBVAL_SANITIZE := tests/nbval_sanitize.cfg

# The same settings for the notebook runner, the unit tests and nbval, on every machine.
export PYTHONHASHSEED := 0
export TZ := UTC
export LC_ALL := C.UTF-8
export LANG := C.UTF-8
export MPLCONFIGDIR := $(CURDIR)/.cache/matplotlib
export IPYTHONDIR := $(CURDIR)/.cache/ipython
export PYDEVD_DISABLE_FILE_VALIDATION := 1
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.DEFAULT_GOAL := all
.PHONY: all help venv codebook timeline-export notebooks reader lab test validate lint unit-tests notebook-tests clean \
        distclean bench

## all: (plain `make`) set up .venv/, regenerate the codebook data/README.md and the TimelineJS export when the
##      data changed, execute every changed notebook, then build the offline reader _build/html/ from the stored
##      outputs.
all: codebook timeline-export notebooks reader

## help: list these targets with what they do.
help:
	@sed -n 's/^## \{0,1\}//p' $(firstword $(MAKEFILE_LIST))

## venv: create or refresh .venv/ when requirements.txt or pyproject.toml changed.
venv: $(INSTALLED)

$(INSTALLED): requirements.txt pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { \
	  echo "error: '$(PYTHON)' was not found. Install Python 3.11 or newer (Debian: apt-get install python3 python3-venv)." >&2; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { \
	  echo "error: $$($(PYTHON) --version 2>&1) is too old: this project needs Python 3.11 or newer (set PYTHON=python3.11 or similar)." >&2; exit 1; }
	@$(PYTHON) -c 'import venv, ensurepip' 2>/dev/null || { \
	  echo "error: $(PYTHON) cannot create virtual environments: its venv/ensurepip module is missing." >&2; \
	  echo "       On Debian or Ubuntu install the package python3-venv:  apt-get install python3-venv" >&2; exit 1; }
	@if ! $(VENV_PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then \
	  echo "creating $(VENV)/ with $$($(PYTHON) --version 2>&1)"; \
	  rm -rf $(VENV) && $(PYTHON) -m venv $(VENV); \
	fi
	$(VENV_PYTHON) -m pip install --quiet -r requirements.txt
	$(VENV_PYTHON) -m pip install --quiet --no-deps -e .
	@# Build matplotlib's font cache now, so no notebook prints that it is building it.
	@$(VENV_PYTHON) -c 'import matplotlib.font_manager'
	@touch $@

## codebook: write data/README.md (the codebook) when datapackage.json, event_kinds.csv or its generator changed.
##           Runs before the notebooks and the reader, which both show it.
CODEBOOK := data/README.md
codebook: $(CODEBOOK)

$(CODEBOOK): $(INSTALLED) data/datapackage.json data/event_kinds.csv src/nato_russia/codebook.py \
             src/nato_russia/schema.py src/nato_russia/loading.py
	$(VENV_PYTHON) -m nato_russia codebook
	@touch $@

## timeline-export: write data/exports/timeline.json (TimelineJS3 JSON) when the data or the package changed.
##                  Runs before the notebooks: the file is in data/, which every notebook's input hash covers.
TIMELINE_EXPORT := data/exports/timeline.json
timeline-export: $(TIMELINE_EXPORT)

$(TIMELINE_EXPORT): $(INSTALLED) $(wildcard data/*.csv) data/datapackage.json $(wildcard src/nato_russia/*.py)
	$(VENV_PYTHON) -m nato_russia export
	@touch $@

## notebooks: execute notebooks/NN_*.ipynb in place, 2 at a time; unchanged ones are skipped.
##            `make notebooks FORCE=1` re-executes all of them.
notebooks: $(INSTALLED)
	$(VENV_PYTHON) -m nato_russia.execute $(if $(FORCE),--force)

## reader: render every notebook from its stored outputs (nothing is executed), the codebook, the seminar guide,
##         the reading list and the glossary into _build/html/ with Jupyter Book: open _build/html/index.html,
##         no server or network needed. Rebuilt only when a notebook, reader/, data/, figures/ or the package changed.
READER_STAMP := _build/html/.reader-built
READER_INPUTS := $(wildcard notebooks/*.ipynb reader/* data/*.csv data/*.json data/README.md data/exports/*.json \
                 figures/*.png src/nato_russia/*.py) LICENSE LICENSE-DATA
reader: $(READER_STAMP)

$(READER_STAMP): $(INSTALLED) $(READER_INPUTS)
	$(VENV_PYTHON) -m nato_russia.reader
	@touch $@

## lab: start JupyterLab from .venv/ in notebooks/ (stop it with Ctrl-C). Run `make` first to execute the
##      notebooks; `make lab` itself only sets up .venv/.
##      As root (a container) it passes --allow-root, which Jupyter otherwise asks for.
lab: $(INSTALLED)
	$(VENV)/bin/jupyter lab --ServerApp.root_dir=notebooks $(if $(filter 0,$(shell id -u)),--allow-root)

VALIDATE := $(VENV_PYTHON) -m nato_russia validate
LINT := $(VENV)/bin/ruff check src tests scripts notebooks
UNIT_TESTS := $(VENV_PYTHON) -m pytest -rs tests
NOTEBOOK_TESTS := $(VENV_PYTHON) -m pytest --nbval --nbval-current-env --nbval-sanitize-with $(NBVAL_SANITIZE) notebooks

## test: validate the data, lint the code (ruff), run the unit tests, then re-run every notebook under nbval (strict).
test: $(INSTALLED)
	$(VALIDATE)
	$(LINT)
	$(UNIT_TESTS)
	$(NOTEBOOK_TESTS)

## validate, lint, unit-tests, notebook-tests: one step of `make test` each.
validate: $(INSTALLED)
	$(VALIDATE)

lint: $(INSTALLED)
	$(LINT)

unit-tests: $(INSTALLED)
	$(UNIT_TESTS)

notebook-tests: $(INSTALLED)
	$(NOTEBOOK_TESTS)

## bench: print how long re-running every notebook takes against its floor (bare kernels importing
##        pandas and matplotlib), the unit tests' wall time, and load + validate + every analysis on the record
##        and on copies of it scaled 3x and 10x. Prints a table; asserts nothing. Takes several minutes.
bench: $(INSTALLED)
	$(VENV_PYTHON) scripts/benchmark.py

## clean: forget what was executed (the next `make` re-runs every notebook); keeps .venv/.
clean:
	rm -rf .cache .pytest_cache

## distclean: also remove .venv/.
distclean: clean
	rm -rf $(VENV)
