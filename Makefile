# The project's interface: every chore is a target. `make help` lists them.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV     := .venv
PY       := $(VENV)/bin/python
RASA     := $(VENV)/bin/rasa
STAMP    := $(VENV)/.installed
export PYTHONPATH := $(CURDIR)
# Quiet TensorFlow's C++ logs and keep it to the machine's 2 cores.
export TF_CPP_MIN_LOG_LEVEL ?= 2
export SQLALCHEMY_SILENCE_UBER_WARNING := 1

.PHONY: help install kb nlu test test-kb

help: ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | column -t -s $$'\t'

$(STAMP): requirements.txt requirements-dev.txt constraints.txt scripts/find_python.sh
	@set -e; \
	if [ ! -x $(PY) ] || ! $(PY) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))'; then \
	  interpreter=$$(scripts/find_python.sh); \
	  echo ">> creating $(VENV) with $$interpreter"; rm -rf $(VENV); $$interpreter -m venv $(VENV); \
	fi; \
	echo ">> installing Python packages (first time: 2-3 minutes)"; start=$$(date +%s); \
	$(PY) -m pip install -q --disable-pip-version-check -r requirements.txt -r requirements-dev.txt -c constraints.txt; \
	$(PY) -m pip check; \
	echo ">> Python packages ready in $$(( $$(date +%s) - start )) s"; touch $@

install: $(STAMP) ## install what is missing (idempotent)

var/knowledge.sqlite3: $(STAMP) $(wildcard knowledge/jobs/*.yml knowledge/sheets/*.txt knowledge/*.py) knowledge/topics.yml
	$(PY) -m knowledge build

kb: $(STAMP) ## build the knowledge base (SQLite under var/, or KNOWLEDGE_DB_URL)
	$(PY) -m knowledge build

nlu: $(STAMP) ## regenerate data/nlu/jobs_generated.yml from the knowledge files' aliases
	$(PY) -m knowledge nlu

test-kb: $(STAMP) ## knowledge base tests only
	$(PY) -m pytest -q tests/knowledge

test: $(STAMP) ## install what is missing and run every test
	$(PY) -m knowledge nlu --check
	$(PY) -m pytest -q tests
