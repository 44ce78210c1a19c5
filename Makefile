# The two commands of the README: `make run` and `make test`. Everything else supports them.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell sha256sum requirements.txt | cut -c1-12)
REPORT ?= $(or $(PLOVDIV_REPORT),../shared/seed/000_c7612c71fe12c5f9.txt)
OSM    ?= $(or $(PLOVDIV_OSM_PBF),../shared/geodata/plovdiv-2023-01-02.osm.pbf)
BUILD_SOURCES := $(shell find works extraction pipeline geocoding geo -name '*.py' -o -name '*.toml')

.PHONY: run test bench load data install lint clean clean-geodata assets browser services

install: $(STAMP)

$(STAMP): requirements.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@rm -f $(VENV)/.installed-*
	@touch $@

# The register is rebuilt when the report, the OSM extract, the build code or the review
# decisions (reviews/*.json) are newer than it.
# `python -m pipeline` itself rebuilds data/gazetteer.parquet and data/districts/ when they are
# missing or older than the extract or their code, and downloads + clips the Geofabrik extract
# of Bulgaria into data/cache/osm/ when no extract is found (see README, "Rebuild").
# One grouped target (GNU make ≥ 4.3): a deleted gazetteer or districts file reruns the build too.
GEODATA := data/projects.geojson data/unresolved.csv data/gazetteer.parquet data/districts/districts.geojson
$(GEODATA) &: $(STAMP) $(wildcard $(REPORT)) $(wildcard $(OSM)) $(BUILD_SOURCES) $(wildcard reviews/*.json)
	$(PY) -m pipeline --report "$(REPORT)"
	@touch $(GEODATA)

# The offline basemap (major streets, the river, parks) the dashboard draws with no tile server.
data/basemap.geojson: $(STAMP) $(wildcard $(OSM)) dashboard/basemap.py data/gazetteer.parquet
	$(PY) -m dashboard.basemap

data: $(GEODATA) data/basemap.geojson

# Leaflet, Bootstrap, Font Awesome … from the npm registry into static/vendor (git-ignored),
# so the map works with no internet (dashboard/assets/).
assets: $(STAMP)
	$(PY) -m dashboard.assets.install

# Debian's PostgreSQL + PostGIS (the shared-store tests start their own throw-away server) and
# nginx (the multi-process test): installed when missing and root; otherwise those tests skip
# and say why. Idempotent: nothing is fetched when they are there.
services:
	@need=""; for pkg in postgresql-15 postgresql-15-postgis-3 nginx; do \
	  dpkg-query -W -f='$${Status}' "$$pkg" 2>/dev/null | grep -q "install ok installed" || need="$$need $$pkg"; \
	done; \
	if [ -n "$$need" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$need >/dev/null \
	      || echo "warning: could not install$$need: the shared-store and proxy tests will skip" >&2; \
	  else echo "warning:$$need missing and not root: the shared-store and proxy tests will skip" >&2; fi; \
	fi

# Debian's Chromium for the browser tests: installed when missing (needs root).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else echo "error: chromium is missing; install it (apt-get install chromium) and rerun" >&2; exit 2; fi; }

run: data assets
	$(VENV)/bin/streamlit run app.py

# ruff (lint and format), the layers contract (import-linter, pyproject.toml) and the type checker.
lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(VENV)/bin/lint-imports
	$(PY) -m mypy

test: install assets browser services data lint
	$(PY) -m pytest -q

bench: install assets browser data
	$(PY) -m benchmarks

# N sessions open the map and change a filter against 1 and 2 app processes behind nginx
# (127.0.0.1 only; README, "Many people at once"). LOAD_ARGS="--sessions 20 --within 10".
# LOAD_STORE=postgres: against a throw-away PostgreSQL + PostGIS holding the register (make services).
LOAD_ARGS ?=
LOAD_STORE ?= sqlite
load: install assets data
	$(PY) -m benchmarks.load --store $(LOAD_STORE) $(LOAD_ARGS)

clean:
	rm -rf data/projects.geojson data/unresolved.csv .pytest_cache

# Also the OSM-derived files and the download cache (rebuilt, or re-downloaded, by `make data`).
clean-geodata: clean
	rm -rf data/gazetteer.parquet data/districts/districts.geojson data/cache
