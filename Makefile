# oia: `make run` serves the app with demo data, `make test` runs the whole suite.
# Both work on a fresh clone with Python 3.11+, make and a C compiler.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
BROWSER_DEPS := tests/browser/node_modules/axe-core/axe.min.js

.PHONY: run test lint fmt migrate demo demo-code messages bench bench-growth fuzz fuzz-ci load sysdeps browser-deps lock clean

# The lock files (*.txt) pin every package, sub-dependencies included, with the
# hashes of their files; pip refuses anything else. Edit the *.in files, then `make lock`.
# pip first installs only uv (pinned in dev.txt, with its hashes), and uv installs the
# lock file in seconds where pip takes over a minute; where uv cannot (no wheel for the
# platform, no PyPI but pip's own index), pip installs the lock file itself.
$(STAMP): requirements/base.txt requirements/dev.txt
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	sed -n '/^uv==/,/^    #/p' requirements/dev.txt > $(VENV)/uv-requirement.txt
	{ $(BIN)/pip install --quiet --require-hashes -r $(VENV)/uv-requirement.txt \
		&& $(BIN)/uv pip install --quiet --python $(BIN)/python --require-hashes -r requirements/dev.txt; } \
		|| $(BIN)/pip install --quiet --require-hashes -r requirements/dev.txt
	touch $(STAMP)

UV_COMPILE := $(abspath $(BIN))/uv pip compile --universal --python-version 3.11 --generate-hashes --quiet \
	--custom-compile-command "make lock"
lock: $(STAMP)
	cd requirements && $(UV_COMPILE) base.in -o base.txt
	cd requirements && $(UV_COMPILE) dev.in --constraint base.txt -o dev.txt

run: $(STAMP)
	$(BIN)/python manage.py serve

# The whole suite on every core (pytest-xdist; each worker has its own test database,
# cache keys, Celery queues, browser and media folder); TEST_WORKERS=0 runs it in one process.
TEST_WORKERS ?= auto
test: $(STAMP) sysdeps $(BROWSER_DEPS)
	$(BIN)/pytest -n $(TEST_WORKERS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/python manage.py makemigrations --check --dry-run

fmt: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrate: $(STAMP)
	$(BIN)/python manage.py migrate

# Speed targets (median time and SQL queries of the main lists on 20 years of a busy office),
# with the office SCALE times as busy (make bench SCALE=10); bench-growth measures two scales
# and fails when a page grows with the data. More options in BENCH_ARGS (--runs, --keep-db,
# --reuse-db: see README, "Speed").
SCALE ?= 1
GROWTH ?= 1,10
BENCH_ARGS ?=
bench: $(STAMP)
	$(BIN)/python scripts/benchmark.py --scale $(SCALE) $(BENCH_ARGS)

bench-growth: $(STAMP)
	$(BIN)/python scripts/benchmark.py --growth $(GROWTH) $(BENCH_ARGS)

# The API against its OpenAPI schema with schemathesis (scripts/fuzz.py), as an
# administrator and as a club leader: every phase, 100 cases an operation (about
# half an hour); run it before a release. CI runs the short fuzz-ci.
fuzz: $(STAMP)
	$(BIN)/python scripts/fuzz.py --examples 100

fuzz-ci: $(STAMP)
	$(BIN)/python scripts/fuzz.py --ci

# 50 office users and 20 club leaders doing their day for two minutes against gunicorn
# with the production settings (scripts/load.py, locust); exits 1 on any failure or
# when the 95th percentile of the day's requests is 300 ms or more.
load: $(STAMP)
	$(BIN)/python scripts/load.py

demo: $(STAMP)
	$(BIN)/python manage.py migrate
	$(BIN)/python manage.py load_demo

# The demo administrator's current two-factor code (instead of an authenticator app).
demo-code: $(STAMP)
	$(BIN)/python manage.py demo_code

# Extract strings into the German catalogue and compile it. Translate the new
# entries in locale/de/LC_MESSAGES/django.po, then run this again.
messages: $(STAMP)
	$(BIN)/python manage.py makemessages -l de --no-location --no-obsolete \
		-i ".venv/*" -i "tests/*" -i ".data/*" -i "staticfiles/*"
	$(BIN)/python manage.py compilemessages -l de --ignore ".venv/*"

# Browser tests need Debian's chromium and chromedriver; the catalogue test needs gettext;
# the council report's PDF needs Pango (WeasyPrint) and HarfBuzz's subsetter (fonts subset in C, not fontTools).
# The backup drill needs pg_dump and pg_restore; the deployment test validates docker-compose.yml with docker-compose.
sysdeps:
	@if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null || ! command -v xgettext >/dev/null || [ -z "$$(ls /usr/lib/*/libpangoft2-1.0.so.0 /usr/lib/libpangoft2-1.0.so.0 2>/dev/null)" ] || [ -z "$$(ls /usr/lib/*/libharfbuzz-subset.so.0 /usr/lib/libharfbuzz-subset.so.0 2>/dev/null)" ] || ! command -v pg_dump >/dev/null || ! command -v docker-compose >/dev/null; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver gettext libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 postgresql-client docker-compose >/dev/null; \
		else \
			echo "Please install chromium, chromium-driver, gettext and Pango (e.g. sudo apt-get install chromium chromium-driver gettext libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 postgresql-client docker-compose)"; exit 1; \
		fi; \
	fi

$(BROWSER_DEPS): tests/browser/package.json tests/browser/package-lock.json
	npm ci --prefix tests/browser --no-audit --no-fund --silent

browser-deps: $(BROWSER_DEPS)

clean:
	rm -rf $(VENV) .data staticfiles tests/browser/node_modules
