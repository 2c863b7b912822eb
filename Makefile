# Two commands for a newcomer: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
BEAT_SCHEDULE_FILE ?= /tmp/mmi-tracker-celerybeat-schedule
# Where `make run` serves the app.
ADDRESS ?= 127.0.0.1:8000

.PHONY: run test install migrate seed lint worker beat broker-set clean

$(STAMP): requirements.lock
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is needed (set PYTHON=/path/to/python3.11)"; exit 1; }
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	touch $(STAMP)

install: $(STAMP)

# The local start runs with DEBUG on (and so the development secret key) unless told otherwise.
run migrate seed: export DEBUG ?= 1
# Links in emails and security keys follow the address served.
run migrate seed: export SITE_URL ?= http://$(ADDRESS)

migrate: install
	$(BIN)/python manage.py create_signing_authority --if-missing
	$(BIN)/python manage.py migrate --noinput

seed: migrate
	$(BIN)/python manage.py seed_demo
	@$(BIN)/python manage.py demo_logins

run: seed
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	@echo "MMI Tracker is starting on http://$(ADDRESS)"
	$(BIN)/python manage.py runserver $(ADDRESS)

# One worker per core (pytest-xdist); PYTEST_ARGS="-n 0" runs the tests in this process.
test: install
	$(BIN)/python -m pytest -n auto $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/python manage.py makemigrations --check --dry-run

# Local workers and scheduler, like `make run` (production runs celery directly: README.md).
# They need a broker; without one, tasks run inline in the web process and none is needed.
worker beat: export DEBUG ?= 1

broker-set:
	@test -n "$$CELERY_BROKER_URL" || { echo "Set CELERY_BROKER_URL (e.g. redis://127.0.0.1:6379/0). Without a broker, tasks run inline and no worker is needed."; exit 1; }

worker: install broker-set
	$(BIN)/celery -A mmi_tracker worker --loglevel=info

# The periodic tasks (expire exports daily, send digests hourly): run exactly one.
beat: install broker-set
	$(BIN)/celery -A mmi_tracker beat --loglevel=info --schedule=$(BEAT_SCHEDULE_FILE)

clean:
	rm -rf $(VENV) staticfiles db.sqlite3
