#!/usr/bin/env bash
# Schemathesis against the live API (.ci/run calls this): a fresh database, migrated and
# seeded, a clinician's token (so writes are exercised too), gunicorn on 127.0.0.1 with
# DEBUG off, then every check schemathesis has except positive_data_acceptance — the
# services refuse some schema-valid input on purpose (a date in the future, a score outside
# its measure's range, a measure the case does not track), which JSON Schema cannot say.
#
# Usage: tests/api/schemathesis_run.sh [extra schemathesis options]
# DATABASE_URL picks the database (default: a new SQLite file); SCHEMATHESIS_PORT the port.
set -euo pipefail
cd "$(dirname "$0")/../.."

PORT="${SCHEMATHESIS_PORT:-8765}"
WORK="$(mktemp -d)"
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

export DATABASE_URL="${DATABASE_URL:-sqlite:///$WORK/db.sqlite3}"
export SECRET_KEY="schemathesis-run-only-$(date +%s%N)"
export DEBUG=0 SECURE_SSL_REDIRECT=0 ALLOWED_HOSTS=127.0.0.1 MEDIA_ROOT="$WORK/media" STATIC_ROOT="$WORK/static"
# Its checks send many requests with bad tokens on purpose: the failure limit would answer
# them 429, which is right in production and not what is checked here.
export API_RATE_LIMIT="1000000/minute" API_TOKEN_FAILURE_LIMIT="1000000/minute" LOG_LEVEL=WARNING

.venv/bin/python manage.py migrate --noinput --verbosity 0
# As a deployment does: the site's own 404 page, which a probe of an unknown path gets, names
# its stylesheets by their hashed names.
.venv/bin/python manage.py collectstatic --noinput --verbosity 0
.venv/bin/python manage.py seed_demo >/dev/null
TOKEN="$(.venv/bin/python manage.py issue_api_token dr.chen --name schemathesis | tail -n 1)"

# No request-line limit: what is checked is the app's answer to a long query string, not
# gunicorn's own 414 page (a deployment's proxy sets its own limit).
.venv/bin/gunicorn mmi_tracker.wsgi --bind "127.0.0.1:$PORT" --workers 2 --log-level warning \
  --limit-request-line 0 &
SERVER_PID=$!
for _ in $(seq 1 60); do
  curl -fsS -o "$WORK/schema.json" -H "Authorization: Bearer $TOKEN" \
    "http://127.0.0.1:$PORT/api/schema/?format=json" && break
  sleep 0.5
done
[ -s "$WORK/schema.json" ] || { echo "The API did not come up on port $PORT"; exit 1; }

.venv/bin/schemathesis run "$WORK/schema.json" \
  --url "http://127.0.0.1:$PORT" \
  --header "Authorization: Bearer $TOKEN" \
  --checks all --exclude-checks positive_data_acceptance \
  --max-examples "${SCHEMATHESIS_MAX_EXAMPLES:-40}" \
  --generation-database none \
  --no-color \
  "$@"
