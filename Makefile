# `make run` and `make test` set everything up on a fresh Debian or Ubuntu machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.requirements-installed
HOST ?= 127.0.0.1
PORT ?= 8000
export HOST PORT

.PHONY: run test setup system lint messages translations catalogs clean

run: setup
	$(BIN)/gunicorn -c gunicorn.conf.py wsgi:app

test: setup lint
	$(BIN)/python -m pytest

setup: $(STAMP) catalogs

catalogs: $(STAMP)
	$(BIN)/python -m screening.translate compile

# Debian and Ubuntu ship venv and ensurepip in a separate package.
system:
	@if ! $(PYTHON) -c 'import ensurepip, venv' 2>/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update && apt-get install -y python3-venv; \
	  else \
	    echo "Missing system packages. Run:  sudo apt-get install -y python3-venv" >&2; exit 1; \
	  fi; \
	fi

$(STAMP): requirements.txt | system
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $(STAMP)

lint: setup
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache

# The translation workflow (TRANSLATING.md): extract strings, update catalogs, compile them.
messages: $(STAMP)
	$(BIN)/python -m screening.translate extract

translations: messages
	$(BIN)/python -m screening.translate update
