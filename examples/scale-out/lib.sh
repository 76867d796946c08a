# Functions run.sh uses to start and replace instances and to point nginx at them (sourced, not run).
# They read run.sh's variables: ROOT, HERE, RUN_DIR, NAMES, PIDS, INSTANCE_PIDS, INSTANCE_URLS, NGINX,
# NGINX_ARGS, NGINX_PID, PROXY_PORT, START_TIMEOUT_SECONDS.

say() { printf '[scale-out] %s\n' "$*"; }
die() {
  printf '[scale-out] FAILED: %s\n' "$*" >&2
  exit 1
}

# SIGTERM, then SIGKILL for what is still there after a bounded wait (10 s).
stop_pid() {
  local pid=$1
  kill -0 "$pid" 2> /dev/null || return 0
  kill -TERM "$pid" 2> /dev/null || return 0
  for _ in $(seq 1 200); do
    kill -0 "$pid" 2> /dev/null || return 0
    sleep 0.05
  done
  kill -KILL "$pid" 2> /dev/null || true
}

# until_deadline SECONDS COMMAND…: runs COMMAND every 50 ms until it succeeds; fails past the deadline.
until_deadline() {
  local seconds=$1
  shift
  for _ in $(seq 1 $((seconds * 20))); do
    "$@" && return 0
    sleep 0.05
  done
  return 1
}

answers_200() { [ "$(curl -s -o /dev/null -w '%{http_code}' "$@")" = 200 ]; }

# start_instance I: starts instance NAMES[I] on a port of its choosing (port 0; its "listening" line
# says which), each start with its own log file.
INSTANCE_STARTS=0
start_instance() {
  local i=$1
  INSTANCE_STARTS=$((INSTANCE_STARTS + 1))
  INSTANCE_LOGS[i]="$RUN_DIR/instance-${NAMES[i]}-$INSTANCE_STARTS.log"
  (cd "$ROOT" && TESSERA_PORT=0 exec node dist/cli/main.js serve) > "${INSTANCE_LOGS[i]}" 2>&1 &
  PIDS+=($!)
  INSTANCE_PIDS[i]=$!
  say "started instance ${NAMES[i]} pid $!"
}

listening_url() {
  grep -o 'Tessera listening on http://127\.0\.0\.1:[0-9]*' "${INSTANCE_LOGS[$1]}" | head -n 1 |
    sed 's/^Tessera listening on //'
}
has_listened() {
  kill -0 "${INSTANCE_PIDS[$1]}" 2> /dev/null || die "instance ${NAMES[$1]} exited during start-up"
  [ -n "$(listening_url "$1")" ]
}

# wait_instance I: until it listens and /readyz answers 200 (the stores answer); sets INSTANCE_URLS[I].
wait_instance() {
  local i=$1
  until_deadline "$START_TIMEOUT_SECONDS" has_listened "$i" ||
    die "instance ${NAMES[i]} did not start within ${START_TIMEOUT_SECONDS}s"
  INSTANCE_URLS[i]=$(listening_url "$i")
  until_deadline "$START_TIMEOUT_SECONDS" answers_200 "${INSTANCE_URLS[i]}/readyz" ||
    die "instance ${NAMES[i]} never became ready (/readyz)"
  say "instance ${NAMES[i]} ready at ${INSTANCE_URLS[i]}"
}

# write_nginx_config [I]: nginx.conf for the current instances, instance I (if given) marked `down`.
write_nginx_config() {
  local down=${1:-} user="# (not root: nginx runs as the current user)" ports=() i
  # As root (CI, containers) nginx would hand the workers to "nobody", who cannot read the run directory.
  [ "$(id -u)" = 0 ] && user="user $(id -un) $(id -gn);"
  for i in 0 1 2; do ports[i]=${INSTANCE_URLS[i]##*:}; done
  sed -e "s#@RUN_DIR@#$RUN_DIR#g" -e "s#@PROXY_PORT@#$PROXY_PORT#g" -e "s#@USER_DIRECTIVE@#$user#g" \
    -e "s#@PORT_A@#${ports[0]}#g" -e "s#@PORT_B@#${ports[1]}#g" -e "s#@PORT_C@#${ports[2]}#g" \
    "$HERE/nginx.conf" > "$RUN_DIR/nginx.conf"
  if [ -n "$down" ]; then
    sed -i "s#\(server 127\.0\.0\.1:${ports[down]} [^;]*\);#\1 down;#" "$RUN_DIR/nginx.conf"
    grep -q "127.0.0.1:${ports[down]} .* down;" "$RUN_DIR/nginx.conf" || die "could not mark ${NAMES[down]} down"
  fi
  "$NGINX" -t -q "${NGINX_ARGS[@]}" || die "nginx refused the configuration"
}

nginx_workers() { ps -o pid= --ppid "$NGINX_PID" | tr -d ' ' | sort; }
only_new_workers() {
  local now
  now=$(nginx_workers)
  [ -n "$now" ] && [ -z "$(comm -12 <(echo "$1") <(echo "$now"))" ]
}

# reload_nginx: the new configuration, and returns once the workers of the old one have finished
# their requests and exited, so no request can reach an instance the new one no longer names.
reload_nginx() {
  local before
  before=$(nginx_workers)
  "$NGINX" -s reload "${NGINX_ARGS[@]}" 2>> "$RUN_DIR/nginx-error.log" || die "nginx -s reload failed"
  until_deadline "$START_TIMEOUT_SECONDS" only_new_workers "$before" || die "nginx's old workers did not exit"
}

# roll_instance I: the upgrade of one instance: out of the proxy, stopped gracefully, started again,
# ready, back in the proxy.
roll_instance() {
  local i=$1
  write_nginx_config "$i"
  reload_nginx
  stop_pid "${INSTANCE_PIDS[i]}"
  start_instance "$i"
  wait_instance "$i"
  write_nginx_config
  reload_nginx
  say "instance ${NAMES[i]} replaced"
}

# generate_traffic ACCESS_TOKEN REFRESH_TOKEN: requests through the proxy until $RUN_DIR/traffic.stop
# exists, one line each in $RUN_DIR/traffic.log ("<n> <what> <status>"): the protected API, a refresh
# (a write, which nginx never retries), the JWKS. Each from its own address, below the per-IP limits.
generate_traffic() {
  local access=$1 refresh=$2 n=0 what status body="$RUN_DIR/traffic.body"
  while [ ! -e "$RUN_DIR/traffic.stop" ]; do
    n=$((n + 1))
    local call=(curl -s --cacert "$CA_CERT" --max-time 10 --interface "127.0.1.$((n % 250 + 1))" -o "$body" -w '%{http_code}')
    case $((n % 3)) in
      0)
        what=refresh
        status=$("${call[@]}" -X POST "$PROXY_URL/auth/refresh" -H 'content-type: application/json' \
          --data "{\"refresh_token\":\"$refresh\"}") || status="curl-failed"
        if [ "$status" = 200 ]; then
          access=$(jq -r .access_token "$body")
          refresh=$(jq -r .refresh_token "$body")
        fi
        ;;
      1)
        what=api
        status=$("${call[@]}" -H "authorization: Bearer $access" "$PROXY_URL/api/secure") || status="curl-failed"
        ;;
      2)
        what=jwks
        status=$("${call[@]}" "$PROXY_URL/.well-known/jwks.json") || status="curl-failed"
        ;;
    esac
    echo "$n $what $status" >> "$RUN_DIR/traffic.log"
  done
}
