# Two commands do all set-up on a fresh machine:
#   make demo   -> install narrex into .venv, ingest the bundled corpus, fact-check it, write report.html
#   make test   -> install narrex with its test extras into .venv and run the test suite
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: install demo test bench clean-db

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'

demo: install
	rm -f narrex-demo.db narrex-demo.db-wal narrex-demo.db-shm
	$(BIN)/narrex ingest corpora/articles --db narrex-demo.db
	$(BIN)/narrex check --db narrex-demo.db --report report.html
	@echo "open report.html in a browser"

test: install
	$(BIN)/python -m pytest

bench: install
	$(BIN)/python -m bench
