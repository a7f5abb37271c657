# Two commands for a fresh machine: `make site` and `make test` (see README.md).
PY ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: site test serve bench clean

$(STAMP): requirements.txt requirements-dev.txt pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt -e .
	touch $(STAMP)

site: $(STAMP)
	$(BIN)/portal build --registers registers --content content --out site

test: $(STAMP)
	$(BIN)/python -m pytest

serve: site
	$(BIN)/python -m http.server --directory site --bind 127.0.0.1 8000

clean:
	rm -rf site build
