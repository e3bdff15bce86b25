# The project's interface: every chore is a target. `make help` lists them.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV     := .venv
PY       := $(VENV)/bin/python
# Rasa's own CLI (bot/rasa_server.py changes nothing: the project's fixes are named in config.yml and credentials.yml)
RASA     := $(PY) -m bot.rasa_server
STAMP    := $(VENV)/.installed
MODELS   := models
export PYTHONPATH := $(CURDIR)
# Quiet TensorFlow's C++ logs; silence SQLAlchemy 2.0 migration notes from Rasa's own code.
export TF_CPP_MIN_LOG_LEVEL ?= 2
# No usage data or error reports leave the machine (Rasa sends them by default; no internet at run time).
export RASA_TELEMETRY_ENABLED ?= false
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
RASA_DATA := --domain domain.yml --data data

.PHONY: lint help install postgres-server scale-servers run-scaled bench-scaled kb nlu validate train run shell test test-unit test-e2e test-core test-nlu evaluate eval review \
        bench purge forget lock clean chaos

help: ## list every target (helpers that other targets call say so)
	@awk '/^[a-z0-9-]+:([^=]|$$)/ { name = $$0; sub(/:.*/, "", name); text = $$0; \
	  if (sub(/.*## /, "", text) == 0) text = "(helper, run by the targets that need it)"; printf "%-16s %s\n", name, text }' $(MAKEFILE_LIST)

# ---------------------------------------------------------------- install (idempotent)
$(STAMP): requirements.txt requirements-dev.txt constraints.txt scripts/find_python.sh pyproject.toml
	@set -e; \
	if [ ! -x $(PY) ] || ! $(PY) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' 2>/dev/null; then \
	  interpreter=$$(scripts/find_python.sh); \
	  echo ">> creating $(VENV) with $$interpreter"; rm -rf $(VENV); $$interpreter -m venv $(VENV); \
	fi; \
	echo ">> installing Python packages (first time: 2-3 minutes)"; start=$$(date +%s); \
	$(PY) -m pip install -q --disable-pip-version-check -r requirements.txt -r requirements-dev.txt -c constraints.txt; \
	$(PY) -m pip check; \
	$(PY) -m pip install -q --disable-pip-version-check --no-deps --no-build-isolation -e .; \
	echo ">> Python packages ready in $$(( $$(date +%s) - start )) s"; touch $@

node_modules/.package-lock.json: package.json package-lock.json
	@command -v npm >/dev/null || { echo "error: npm (Node.js) is needed to install the chat page's socket.io client" >&2; exit 1; }
	@echo ">> installing the chat page's JavaScript (npm ci)"; npm ci --no-audit --no-fund --silent

# Test-only browser code (tests/web/js): rasa-webchat, the widget a school's site embeds, and axe-core, the
# accessibility checker; never served to students (no install scripts run)
TEST_JS := tests/web/js/node_modules/.package-lock.json
$(TEST_JS): tests/web/js/package.json tests/web/js/package-lock.json
	@command -v npm >/dev/null || { echo "error: npm (Node.js) is needed to install the browser tests' rasa-webchat and axe-core" >&2; exit 1; }
	@echo ">> installing the browser tests' JavaScript (npm ci in tests/web/js)"
	@npm ci --prefix tests/web/js --no-audit --no-fund --silent --ignore-scripts

/usr/bin/chromium:
	@echo ">> installing Debian's chromium for the browser tests"
	@if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; fi

# PostgreSQL server binaries, for the test that builds the knowledge base into a real PostgreSQL
postgres-server:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { echo ">> installing Debian's postgresql for the tests"; \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; fi; }

# Redis (lock store) and nginx (load balancer) beside PostgreSQL, for the scaled mode and its tests. Only the
# binaries are used: every server is started privately on loopback by launch/scaled.py, data under var/.
scale-servers: postgres-server
	@test -x /usr/bin/redis-server -a -x /usr/sbin/nginx || { echo ">> installing Debian's redis-server and nginx"; \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server nginx >/dev/null; \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server nginx >/dev/null; fi; }

# The venv's start-up line that gives plain `rasa ...` commands the project's settings (common/rasa_environment.py)
RASA_PTH := $(VENV)/lib/python3.10/site-packages/career_guidance_rasa.pth
$(RASA_PTH): common/rasa_environment.py | $(STAMP)
	@$(PY) -m common.rasa_environment

install: $(STAMP) $(RASA_PTH) node_modules/.package-lock.json $(TEST_JS) ## install what is missing (idempotent)

# ---------------------------------------------------------------- knowledge base and data
kb: $(STAMP) ## build the knowledge base (SQLite under var/, or KNOWLEDGE_DB_URL)
	@$(PY) -m knowledge build

nlu: $(STAMP) ## regenerate data/nlu/jobs_generated.yml from the knowledge files' aliases
	@$(PY) -m knowledge nlu

validate: $(STAMP) ## check domain, NLU data, stories and rules (rasa data validate --fail-on-warnings)
	@mkdir -p var; $(PY) -m knowledge nlu --check
	@# tests/validation declares the responses that custom actions send (see the file's header)
	@$(RASA) data validate --fail-on-warnings $(RASA_DATA) tests/validation --config config.yml > var/validate.log 2>&1 \
	  || { grep -E "UserWarning|ERROR|rror" var/validate.log; echo "validation failed (full log: var/validate.log)" >&2; exit 1; }
	@echo ">> data valid (rasa data validate --fail-on-warnings)"

# `make train` is a no-op in well under a second when no training input changed since the last training
# (make's own timestamps); otherwise `rasa train` runs and its fingerprint retrains only what changed.
TRAIN_INPUTS := config.yml domain.yml bot/components.py bot/intent_classifier.py bot/policies.py bot/crf.py $(shell find data -name '*.yml' 2>/dev/null)
MODEL_STAMP  := $(MODELS)/.trained

$(MODEL_STAMP): $(TRAIN_INPUTS) | $(STAMP)
	@mkdir -p var $(MODELS); start=$$(date +%s); \
	$(PY) -m ops.train_progress --log var/train.log -- $(RASA) train $(RASA_DATA) --config config.yml --out $(MODELS) \
	  || exit 1; \
	echo ">> model ready in $$(( $$(date +%s) - start )) s: $$(ls -t $(MODELS)/*.tar.gz | head -1)"; \
	ls -t $(MODELS)/*.tar.gz | tail -n +4 | xargs -r rm -f; \
	touch -d @$$start $@  # stamped with the start time: a file edited during training retrains next time

train: $(STAMP) $(MODEL_STAMP) ## train the model; a no-op when data, domain and config are unchanged
	@echo ">> model up to date: $$(ls -t $(MODELS)/*.tar.gz | head -1)"

# ---------------------------------------------------------------- run
run: install ## install, build the knowledge base, train if needed, start everything, print the chat URL
	@mkdir -p var; $(MAKE) --no-print-directory kb nlu train
	@$(PY) -m launch.stack run

shell: install ## the advisors' shell: typed questions, numbered suggestions; starts and stops the servers (ATTACH=1: talks to the running `make run`)
	@mkdir -p var; $(if $(filter 1 yes true,$(ATTACH)),,$(MAKE) --no-print-directory kb train)
	@$(PY) -m launch.stack shell $(if $(filter 1 yes true,$(ATTACH)),--attach)

REPLICAS ?= 2
run-scaled: install scale-servers ## scaled out: PostgreSQL, Redis, REPLICAS Rasa replicas behind nginx (make run-scaled REPLICAS=2)
	@mkdir -p var; $(MAKE) --no-print-directory kb nlu train
	@$(PY) -m launch.scaled run --replicas $(REPLICAS)

# ---------------------------------------------------------------- tests
test: install /usr/bin/chromium scale-servers ## install what is missing and run every test
	@mkdir -p var; $(MAKE) --no-print-directory lint kb validate train
	$(PY) -m pytest -q --durations=25 tests
	$(MAKE) --no-print-directory test-core test-nlu

lint: $(STAMP) ## ruff and mypy (settings: pyproject.toml); fails on any finding
	$(PY) -m ruff check .
	$(PY) -m mypy

test-unit: $(STAMP) ## fast tests: knowledge base, actions, data, console logic (no servers)
	$(PY) -m pytest -q tests/knowledge tests/actions tests/bot tests/ops

test-e2e: install ## end-to-end tests against the running servers (REST, browser, faults)
	$(PY) -m pytest -q tests/e2e tests/web

# Every story runs (no --fail-on-prediction-errors, which stops at the first): Rasa writes failed_test_stories.yml,
# which the console's evaluations show and `ops.evaluation_runs failed` prints with the turn that differs (exit 1).
test-core: $(STAMP) ## rasa test core on tests/test_stories.yml (the console's saved ones too): every story must pass
	@mkdir -p var; rm -rf results/core; $(RASA) test core --stories tests/test_stories.yml --model $(MODELS) \
	  --out results/core > var/test-core.log 2>&1 || { tail -40 var/test-core.log; exit 1; }
	@$(PY) -m ops.evaluation_runs failed results/core && echo ">> every test story passes"

test-nlu: $(STAMP) ## rasa test nlu on the held-out sets (tests/nlu/); fails below intent F1 0.94 / job F1 0.99
	@rm -rf results/nlu; $(RASA) test nlu --nlu tests/nlu --model $(MODELS) --out results/nlu > var/test-nlu.log 2>&1 \
	  || { tail -30 var/test-nlu.log; exit 1; }
	@$(PY) scripts/check_nlu_scores.py results/nlu

# ---------------------------------------------------------------- operators
evaluate: $(STAMP) ## held-out NLU + test stories -> results/evaluations/<date>/, scores compared with the previous run
	@$(MAKE) --no-print-directory train
	@rm -rf results/nlu results/core
	@$(MAKE) --no-print-directory test-nlu || true
	@$(MAKE) --no-print-directory test-core || true
	@$(PY) -m ops.evaluation_runs archive

EVAL_RUNNER := ../shared/eval/run_eval.py
RASA_URL    ?= http://127.0.0.1:$(or $(RASA_PORT),5005)
eval: $(STAMP) ## answer quality of a running bot (make run): dev set, then tests/e2e conversation sets -> results/eval/
	@test -f $(EVAL_RUNNER) || { echo "error: $(EVAL_RUNNER) not found (the shared evaluation folder beside this clone)" >&2; exit 1; }
	@curl -sf $(RASA_URL)/ >/dev/null || { echo "error: no bot at $(RASA_URL): start it with \`make run\` in another terminal" >&2; exit 1; }
	@mkdir -p results/eval
	@for cases in ../shared/eval/dev_cases.yml tests/e2e/student_conversations*.yml; do \
	  name=$$(basename $$cases .yml); echo ">> $$cases"; \
	  $(PY) $(EVAL_RUNNER) --url $(RASA_URL) --cases $$cases --json results/eval/$$name.json | tail -1; done

review: $(STAMP) ## stored student messages missed and not yet handled in the console (its marks) -> results/review/
	@$(PY) -m ops.conversations review

purge: $(STAMP) ## delete stored conversations older than RETENTION_DAYS (default 30)
	@$(PY) -m ops.conversations purge

forget: $(STAMP) ## delete one student's conversation: make forget SENDER=<sender id>
	@# SENDER reaches the command as an environment variable, never pasted into the shell line: quotes in it stay data
	@test -n "$$SENDER" || { echo "usage: make forget SENDER=<sender id>" >&2; exit 2; }
	@$(PY) -m ops.conversations forget -- "$$SENDER"

.PHONY: console
console: $(STAMP) ## operators' console: conversations turn by turn, review, label into data/nlu/, charts, scores
	@mkdir -p var; $(PY) -m ops.console

bench: install ## start the stack and measure latency, throughput, start-up, training, memory -> results/bench.json
	@mkdir -p var; $(MAKE) --no-print-directory kb train
	@$(PY) -m ops.bench

bench-scaled: install scale-servers ## 1 vs 2 Rasa replicas behind nginx in one run: msg/s, p50/p95 at 20 and 50 conversations
	@mkdir -p var; $(MAKE) --no-print-directory kb train
	@$(PY) -m ops.bench_scaled

CHAOS_MINUTES ?= 10
chaos: install ## chaos soak: 20 conversations while servers are killed/paused and the database locked (CHAOS_MINUTES=10) -> results/chaos.json
	@mkdir -p var; $(MAKE) --no-print-directory kb train
	@$(PY) -m ops.chaos --minutes $(CHAOS_MINUTES) --conversations 20

lock: $(STAMP) ## re-pin every Python package in constraints.txt from the current install
	@{ head -2 constraints.txt; $(PY) -m pip freeze | grep -v '^-e'; } > constraints.new && mv constraints.new constraints.txt

clean: ## remove generated files (models, results, var); keeps .venv and node_modules
	rm -rf models results var .pytest_cache
