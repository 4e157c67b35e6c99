# Two commands for a fresh clone: `make reproduce` (the paper's figures) and `make test`.
# Both build a pinned virtual environment in .venv on first use (requirements-lock.txt).
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: test test-all reproduce bench bench-big env clean

$(STAMP): requirements-lock.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-lock.txt
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

env: $(STAMP)

test: $(STAMP)
	$(PY) -m pytest -q -m "not slow" -n 2

test-all: $(STAMP)
	$(PY) -m pytest -q -n 2

reproduce: $(STAMP)
	$(VENV)/bin/spinsync reproduce all --out figures/

bench: $(STAMP)
	$(PY) benchmarks/run.py --write BENCHMARKS.md

bench-big: $(STAMP)
	$(PY) benchmarks/run.py --big --write BENCHMARKS.md

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
