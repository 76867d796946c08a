#!/usr/bin/env bash
# Tessera scaled out on one machine, on loopback: PostgreSQL (its own database), a private Redis, three
# `tessera serve` instances sharing them, and nginx terminating TLS in front; then smoke.sh checks the
# whole through the proxy, and the three instances are replaced one at a time under traffic (an
# upgrade's rolling restart). Everything it starts is stopped, and the database dropped, when it ends,
# whether it passes, fails or is interrupted. See docs/deploy.md.
#
#   examples/scale-out/run.sh            # from the repository root (builds dist/ when stale)
#
# Needs: node, psql (and a PostgreSQL that trusts local connections), redis-server, redis-cli, nginx,
# openssl, curl, jq. Settings (environment):
#   SCALE_OUT_POSTGRES   server URL without a database   (default postgres://postgres@127.0.0.1:5432)
#   SCALE_OUT_DATABASE   the database it creates and drops (default tessera_scale_out; refused if it exists)
#   SCALE_OUT_DEADLINE   seconds the whole run may take before it stops itself (default 600)
# Exit status: 0 every check passed; 1 a check or a start failed; 2 a tool is missing; 3 the database
# already exists; 124 the deadline passed; 130/143 interrupted.
set -euo pipefail

DEADLINE_SECONDS="${SCALE_OUT_DEADLINE:-600}"
# The whole run is bounded: past the deadline `timeout` sends TERM, and the trap below cleans up.
if [ -z "${SCALE_OUT_BOUNDED:-}" ]; then
  SCALE_OUT_BOUNDED=1 exec timeout --foreground --kill-after=60 "$DEADLINE_SECONDS" bash "$0" "$@"
fi

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
POSTGRES="${SCALE_OUT_POSTGRES:-postgres://postgres@127.0.0.1:5432}"
DATABASE="${SCALE_OUT_DATABASE:-tessera_scale_out}"
NGINX="${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}"
# A start is a bound, not a pace: a loaded 2-core machine needs many seconds to load a server.
START_TIMEOUT_SECONDS=90

# shellcheck source=lib.sh
source "$HERE/lib.sh"

if ! [[ "$DATABASE" =~ ^[a-z_][a-z0-9_]*$ ]]; then
  echo "[scale-out] SCALE_OUT_DATABASE must be a plain lower-case name, not '$DATABASE'" >&2
  exit 2
fi
missing=()
for tool in node psql redis-server redis-cli openssl curl jq; do
  command -v "$tool" > /dev/null || missing+=("$tool")
done
[ -x "$NGINX" ] || missing+=("nginx (apt-get install nginx)")
if [ ${#missing[@]} -gt 0 ]; then
  echo "[scale-out] missing: ${missing[*]}" >&2
  exit 2
fi

# ---- cleanup: runs on every exit ---------------------------------------------------------------------
RUN_DIR=""
PIDS=()            # every long-running process this script started, stopped in reverse order
DATABASE_CREATED=0
SMOKE_PID=""

show_logs() {
  for log in "$RUN_DIR"/*.log; do
    [ -f "$log" ] || continue
    printf '\n---- last lines of %s ----\n' "$(basename "$log")" >&2
    tail -n 25 "$log" >&2
  done
}

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  [ -n "$SMOKE_PID" ] && stop_pid "$SMOKE_PID"
  [ "$status" -ne 0 ] && [ -n "$RUN_DIR" ] && show_logs
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do stop_pid "${PIDS[i]}"; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2> /dev/null || true; done
  if [ "$DATABASE_CREATED" = 1 ]; then
    # WITH (FORCE): a connection an instance left behind must not keep the database alive.
    psql "$POSTGRES/postgres" -qAtc "DROP DATABASE IF EXISTS $DATABASE WITH (FORCE)" > /dev/null ||
      echo "[scale-out] could not drop database $DATABASE: drop it by hand" >&2
    say "dropped database $DATABASE"
  fi
  [ -n "$RUN_DIR" ] && rm -rf "$RUN_DIR"
  say "stopped everything (exit $status)"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

RUN_DIR="$(mktemp -d "${TMPDIR:-/tmp}/tessera-scale-out.XXXXXX")"
say "run directory: $RUN_DIR"

# ---- build, ports, TLS certificate -------------------------------------------------------------------
(cd "$ROOT" && node scripts/build-if-stale.mjs) || die "the build failed"

# Two free loopback ports (proxy, Redis), held together while chosen so they differ.
read -r PROXY_PORT REDIS_PORT < <(node -e '
  const net = require("node:net");
  const servers = [0, 1].map(() => net.createServer());
  Promise.all(servers.map((s) => new Promise((ok) => s.listen(0, "127.0.0.1", ok)))).then(() => {
    console.log(servers.map((s) => s.address().port).join(" "));
    servers.forEach((s) => s.close());
  });')
PROXY_URL="https://127.0.0.1:$PROXY_PORT"

mkdir -p "$RUN_DIR/tls"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj "/CN=127.0.0.1" \
  -addext "subjectAltName=IP:127.0.0.1" -keyout "$RUN_DIR/tls/key.pem" -out "$RUN_DIR/tls/cert.pem" \
  2> "$RUN_DIR/openssl.log" || die "openssl could not make the certificate"
say "self-signed certificate for 127.0.0.1 made"

# ---- PostgreSQL: a database of our own ---------------------------------------------------------------
exists=$(psql "$POSTGRES/postgres" -qAtc "SELECT 1 FROM pg_database WHERE datname = '$DATABASE'") ||
  die "PostgreSQL at $POSTGRES does not answer"
if [ "$exists" = 1 ]; then
  # Never drop a database this run did not create: it may be someone's.
  echo "[scale-out] database $DATABASE already exists; drop it (DROP DATABASE $DATABASE) or set SCALE_OUT_DATABASE" >&2
  exit 3
fi
psql "$POSTGRES/postgres" -qAtc "CREATE DATABASE $DATABASE" > /dev/null || die "could not create $DATABASE"
DATABASE_CREATED=1
DATABASE_URL="$POSTGRES/$DATABASE"
say "created database $DATABASE"

# ---- a private Redis (never the shared one) ----------------------------------------------------------
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no > "$RUN_DIR/redis.log" 2>&1 &
PIDS+=($!)
say "started redis-server pid $! on port $REDIS_PORT"
redis_answers() { redis-cli -p "$REDIS_PORT" ping > /dev/null 2>&1; }
until_deadline "$START_TIMEOUT_SECONDS" redis_answers || die "redis-server did not answer"

# ---- the settings every instance shares --------------------------------------------------------------
# Only these: TESSERA_* variables from the caller's shell (a config file, another port) are dropped.
for variable in $(compgen -e | grep '^TESSERA_' || true); do unset "$variable"; done
export TESSERA_DATABASE_URL="$DATABASE_URL"
export TESSERA_REDIS_URL="redis://127.0.0.1:$REDIS_PORT"
TESSERA_MASTER_KEY="$(openssl rand -hex 32)"
export TESSERA_MASTER_KEY
export TESSERA_TRUST_PROXY=true
export TESSERA_ISSUER="$PROXY_URL"
export TESSERA_PUBLIC_URL="$PROXY_URL"
export TESSERA_STRICT_MODE=true
export TESSERA_HOST=127.0.0.1
export TESSERA_LOG_FORMAT=json
# Low enough for the smoke test to reach it in a few requests.
export TESSERA_RATE_LIMIT_LOGIN_IP=5/60s

# Schema first, once, before any instance starts (an upgrade does the same: migrate, then roll).
(cd "$ROOT" && node dist/cli/main.js migrate) > "$RUN_DIR/migrate.log" 2>&1 || die "tessera migrate failed"
say "migrated: $(tr '\n' ' ' < "$RUN_DIR/migrate.log")"

# ---- three instances ---------------------------------------------------------------------------------
NAMES=(a b c)
INSTANCE_PIDS=()
INSTANCE_URLS=()
INSTANCE_LOGS=()
for i in 0 1 2; do start_instance "$i"; done
# Ready means the stores answer: only then does the proxy get the instance.
for i in 0 1 2; do wait_instance "$i"; done

# ---- nginx -------------------------------------------------------------------------------------------
# -e: the error log before the configuration is read, so nothing touches /var/log/nginx.
NGINX_ARGS=(-p "$RUN_DIR" -c "$RUN_DIR/nginx.conf" -e "$RUN_DIR/nginx-error.log")
export CA_CERT="$RUN_DIR/tls/cert.pem"
write_nginx_config
"$NGINX" "${NGINX_ARGS[@]}" > "$RUN_DIR/nginx-stdout.log" 2>&1 &
PIDS+=($!)
NGINX_PID=$!
say "started nginx pid $NGINX_PID on $PROXY_URL"
proxy_answers() {
  kill -0 "$NGINX_PID" 2> /dev/null || die "nginx exited during start-up"
  answers_200 --cacert "$CA_CERT" "$PROXY_URL/readyz"
}
until_deadline "$START_TIMEOUT_SECONDS" proxy_answers || die "nginx did not answer on $PROXY_URL"

# ---- the smoke test ----------------------------------------------------------------------------------
export PROXY_URL ROOT DATABASE_URL
export SMOKE_DIR="$RUN_DIR/smoke"
mkdir -p "$SMOKE_DIR"
export INSTANCE_URL_LIST="${INSTANCE_URLS[*]}"
export INSTANCE_PID_LIST="${INSTANCE_PIDS[*]}"
# In the background with `wait`, so a TERM reaches this script's trap at once, not after the smoke test.
bash "$HERE/smoke.sh" &
SMOKE_PID=$!
smoke_status=0
wait "$SMOKE_PID" || smoke_status=$?
SMOKE_PID=""
[ "$smoke_status" = 0 ] || die "the smoke test failed (exit $smoke_status)"

# ---- an upgrade: every instance replaced, one at a time, under traffic -------------------------------
# Each instance is taken out of nginx (marked down, reloaded), stopped with SIGTERM (it answers what it
# received), started again, and put back once /readyz answers; instance b, which the smoke test killed,
# comes back the same way. A client keeps calling through the proxy all along: no request may fail.
body=$(curl -sS --cacert "$CA_CERT" --interface 127.0.0.8 -X POST "$PROXY_URL/auth/register" \
  -H 'content-type: application/json' --data '{"email":"grace@example.com","password":"correct horse battery staple"}')
generate_traffic "$(jq -r .access_token <<< "$body")" "$(jq -r .refresh_token <<< "$body")" &
PIDS+=($!)
TRAFFIC_PID=$!
traffic_count() { if [ -f "$RUN_DIR/traffic.log" ]; then wc -l < "$RUN_DIR/traffic.log"; else echo 0; fi; }
traffic_flows() { [ "$(traffic_count)" -ge "$1" ]; }
until_deadline "$START_TIMEOUT_SECONDS" traffic_flows 3 || die "no traffic through the proxy"
for i in 0 1 2; do
  before=$(traffic_count)
  roll_instance "$i"
  # The client went on while this instance was out: the roll happened under traffic.
  until_deadline "$START_TIMEOUT_SECONDS" traffic_flows $((before + 3)) || die "the traffic stopped"
done
touch "$RUN_DIR/traffic.stop"
wait "$TRAFFIC_PID" || die "the traffic generator failed"
total=$(traffic_count)
failed=$(awk '$3 != 200' "$RUN_DIR/traffic.log")
[ -z "$failed" ] || die "requests failed during the rolling restart: $(head -n 5 <<< "$failed" | tr '\n' ';')"
printf 'ok - rolling restart of a, b, c under traffic: %d requests through the proxy (%s), none failed\n' "$total" \
  "$(awk '{n[$2]++} END {for (k in n) printf "%s%d %s", (i++ ? ", " : ""), n[k], k}' "$RUN_DIR/traffic.log")"
say "scale-out example passed"
