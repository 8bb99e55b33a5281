# Two commands work on a fresh machine with only python3: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint soak bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	@$(BIN)/yousaid demo

test: $(STAMP)
	$(BIN)/python -m pytest -n 2

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy core dialogs storage

soak: $(STAMP)
	$(BIN)/python -m pytest -m soak

bench: $(STAMP)
	-$(BIN)/python bench/updates.py
	$(BIN)/python bench/memory.py

clean:
	rm -rf $(VENV) yousaid.db yousaid.db-wal yousaid.db-shm .pytest_cache .mypy_cache .ruff_cache
