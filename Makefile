# TanyaKerja: `make run` starts everything, `make test` tests everything. Both set up what is missing.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

VENV      := .venv
RASA_VENV := .venv-rasa
PY        := $(VENV)/bin/python
RASA      := env PYTHONWARNINGS=ignore SQLALCHEMY_SILENCE_UBER_WARNING=1 TF_CPP_MIN_LOG_LEVEL=2 $(RASA_VENV)/bin/rasa
export RASA_TELEMETRY_ENABLED := false
# This checkout's code, whichever checkout the environment's `tanyakerja` console script was installed from.
export PYTHONPATH := $(CURDIR)
export PIP_DISABLE_PIP_VERSION_CHECK := 1
# pip repeats a harmless warning for every package when a configured local index lacks it; hide those.
QUIET_PIP := { grep -v -e 'is ignored: it is neither a file nor a directory' -e '^DEPRECATION: .* legacy' || true; }

# Everything the Rasa model is trained from: a change to any of these retrains, nothing else does.
# (nlu/ components also read knowledge/language and knowledge/places: spelling, word lists, lexicons.)
TRAIN_INPUTS := config.yml domain.yml $(shell find nlu knowledge/language knowledge/places knowledge/guidance -type f \( -name '*.yml' -o -name '*.py' -o -name '*.txt' -o -name '*.csv' \) 2>/dev/null | sort)

.PHONY: help setup run train test test-fast test-rasa test-e2e test-faults test-scale lint validate bench eval-dialogues eval-real eval-nlu compare-nlu clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/'

$(VENV)/.installed: requirements.txt pyproject.toml
	@echo "==> creating $(VENV) (application, Python >= 3.11)"
	@py=$$(scripts/find-python.sh app) && { [ -x $(PY) ] || "$$py" -m venv $(VENV); }
	$(VENV)/bin/pip install -q -r requirements.txt 2>&1 | $(QUIET_PIP)
	$(VENV)/bin/pip install -q --no-deps -e . 2>&1 | $(QUIET_PIP)
	@touch $@

$(RASA_VENV)/.installed: requirements/rasa.txt
	@echo "==> creating $(RASA_VENV) (Rasa 3.6.21, Python 3.10; first time ~4 minutes)"
	@py=$$(scripts/find-python.sh rasa) && { [ -x $(RASA_VENV)/bin/python ] || "$$py" -m venv $(RASA_VENV); }
	$(RASA_VENV)/bin/pip install -q -r requirements/rasa.txt 2>&1 | $(QUIET_PIP)
	@$(RASA_VENV)/bin/python -c 'import rasa, sys; v = rasa.__version__; print("rasa", v); sys.exit(v != "3.6.21")'
	@touch $@

setup: $(VENV)/.installed $(RASA_VENV)/.installed  ## create both environments

models/.trained: $(RASA_VENV)/.installed $(TRAIN_INPUTS)
	@echo "==> training the Rasa model (inputs changed)"
	@mkdir -p models
	@SECONDS=0; $(RASA) train --data nlu --config config.yml --domain domain.yml --out models --quiet \
	  && echo "==> training took $$SECONDS s"
	@ls -1t models/*.tar.gz | tail -n +4 | xargs -r rm -f   # keep the three newest models
	@touch $@

train: models/.trained  ## train the model when training data, config or domain changed

run: setup models/.trained  ## start the whole stack (web chat at http://127.0.0.1:8000)
	$(VENV)/bin/tanyakerja run

validate: $(RASA_VENV)/.installed  ## rasa data validate
	$(RASA) data validate --data nlu --domain domain.yml --config config.yml --fail-on-warnings

lint: $(VENV)/.installed  ## ruff (lint + format check) and mypy on our code
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

test-fast: $(VENV)/.installed  ## unit and gateway tests (no Rasa)
	$(VENV)/bin/pytest -q -m "not e2e and not faults and not scale"

test-rasa: models/.trained  ## rasa data validate + test stories
	$(MAKE) --no-print-directory validate
	$(RASA) test core --stories tests/stories --model models --fail-on-prediction-errors --out results/core --quiet

test-e2e: setup models/.trained  ## start the real stack: chat through /api/chat, the channels, the help desk in Chromium
	$(VENV)/bin/pytest -q -m e2e

test-faults: setup models/.trained  ## break a real stack (kills, hangs, database faults) and check it recovers
	$(VENV)/bin/pytest -q -m faults

test-scale: setup models/.trained  ## PostgreSQL + Redis + two Rasa and two action servers under 100 users
	$(VENV)/bin/pytest -q -m scale

test: setup models/.trained  ## everything: lint, fast tests, Rasa validation and stories, end-to-end, faults, scale
	$(MAKE) --no-print-directory lint
	$(MAKE) --no-print-directory test-fast
	$(MAKE) --no-print-directory test-rasa
	$(MAKE) --no-print-directory test-e2e
	$(MAKE) --no-print-directory test-faults
	$(MAKE) --no-print-directory test-scale

bench: setup models/.trained  ## print performance figures
	$(PY) -m bench

eval-dialogues: setup models/.trained  ## play the held-out dialogue corpus against the real stack; rate of turns right
	$(PY) -m tests.dialogues.run $(ARGS)

eval-real: setup models/.trained  ## real-message corpus, one first message per chat (ARGS=--set blind to measure)
	$(PY) -m tests.real_messages.run $(ARGS)

eval-nlu: setup  ## held-out, dev and blind NLU figures beside Rasa's default pipeline (ARGS=--sweep, --cv, --no-default)
	$(PY) -m bench.nlu_eval $(ARGS)

compare-nlu: setup  ## compare the candidate pipelines (about 30 minutes); writes docs/nlu-pipelines.md
	$(PY) -m bench.nlu_eval --compare

clean:  ## remove environments, models and local data
	rm -rf $(VENV) $(RASA_VENV) models var results .rasa
