# `make run` and `make test` set everything up on a fresh Debian or Ubuntu machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.requirements-installed
HOST ?= 127.0.0.1
PORT ?= 8000
export HOST PORT

.PHONY: run test setup system lint messages clean

run: setup
	$(BIN)/gunicorn -c gunicorn.conf.py wsgi:app

test: setup lint
	$(BIN)/python -m pytest

setup: $(STAMP)

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

# Extract every marked string into the translation template.
messages: setup
	$(BIN)/pybabel extract -F translations/babel.cfg -k _l -k lazy_gettext --no-location --sort-output \
	  --project=trafficking-screening --copyright-holder="The screening developers" \
	  --msgid-bugs-address="see TRANSLATING.md" -o translations/messages.pot .
