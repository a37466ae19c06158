# `make run` and `make test` set everything up on a fresh Debian or Ubuntu machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.requirements-installed
HOST ?= 127.0.0.1
PORT ?= 8000
export HOST PORT

.PHONY: run test setup system lint messages translations catalogs fonts clean node_modules

# With SCREENING_REPLICA_URL set, the server runs under Litestream (protection/replication.py):
# it never runs unreplicated. Without it, it says at start-up that nothing is replicated.
run: setup
	$(BIN)/python -m screening.protection.replication -- $(BIN)/gunicorn -c gunicorn.conf.py wsgi:app

test: setup lint node_modules
	$(BIN)/python -m pytest

setup: $(STAMP) catalogs fonts

catalogs: $(STAMP)
	$(BIN)/python -m screening.i18n.catalogs compile

fonts: $(STAMP)
	$(BIN)/python -m screening.i18n.fonts

# System packages: venv and ensurepip (a separate package on Debian and Ubuntu); the
# Noto fonts for the web and for printed referrals; Pango and HarfBuzz for
# WeasyPrint (libharfbuzz-subset0 keeps a PDF with a Chinese font fast).
FONT_CHECK := /usr/share/fonts/truetype/noto/NotoSansMyanmar-Regular.ttf
CJK_CHECK := /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc
LIBRARIES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
# The tests read printed referrals as their receivers would: three PDF renderers
# (poppler, MuPDF, Ghostscript) and a QR code reader.
TOOLS := pdftoppm:poppler-utils mutool:mupdf-tools gs:ghostscript zbarimg:zbar-tools

system:
	@missing=""; \
	$(PYTHON) -c 'import ensurepip, venv' 2>/dev/null || missing="$$missing python3-venv"; \
	test -f $(FONT_CHECK) || missing="$$missing fonts-noto-core"; \
	test -f $(CJK_CHECK) || missing="$$missing fonts-noto-cjk"; \
	for lib in $(LIBRARIES); do dpkg -s $$lib >/dev/null 2>&1 || missing="$$missing $$lib"; done; \
	for tool in $(TOOLS); do command -v $${tool%%:*} >/dev/null 2>&1 || missing="$$missing $${tool#*:}"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y $$missing; \
	  else \
	    echo "Missing system packages. Run:  sudo apt-get install -y$$missing" >&2; exit 1; \
	  fi; \
	fi

$(STAMP): requirements.txt | system
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $(STAMP)

lint: setup
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache node_modules

# axe-core for the browser tests' accessibility checks, and ODK Web Forms with Vue (the exported XLSForm
# filled in ODK's own engine), exactly as package-lock.json pins them
# (Lighthouse, a dev dependency there, is installed by bench/lighthouse.sh only). Without npm
# and without root, the command to run is printed and the tests skip the axe checks loudly
# (under CI=true they fail instead).
NODE_STAMP := node_modules/.installed-from-lock

node_modules: $(NODE_STAMP)

$(NODE_STAMP): package.json package-lock.json
	@if ! command -v npm >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y npm; \
	  else \
	    echo "npm is missing: the browser tests will not check accessibility or fill the form in ODK Web Forms. Run:  sudo apt-get install -y npm" >&2; \
	    exit 0; \
	  fi; \
	fi; \
	npm ci --no-audit --no-fund --omit=dev && touch $(NODE_STAMP)

# The translation workflow (TRANSLATING.md): extract strings, update catalogs, compile them.
messages: $(STAMP)
	$(BIN)/python -m screening.i18n.catalogs extract

translations: messages
	$(BIN)/python -m screening.i18n.catalogs update
