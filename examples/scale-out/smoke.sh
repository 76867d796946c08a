#!/usr/bin/env bash
# The smoke test of the scale-out example, run by run.sh once nginx and the three instances are up.
# Each check prints "ok N - what held"; the first that does not hold prints "not ok - why" and exits 1.
# From run.sh (environment): PROXY_URL, CA_CERT, INSTANCE_URL_LIST and INSTANCE_PID_LIST (three each, in
# order a b c), DATABASE_URL, ROOT, SMOKE_DIR, and the TESSERA_* settings the instances share.
#
# Clients are told apart by their source address: loopback is all of 127.0.0.0/8, so curl --interface
# 127.0.0.N connects to nginx from another address, which nginx passes on in X-Forwarded-For.
set -euo pipefail

read -r -a URLS <<< "$INSTANCE_URL_LIST"
read -r -a PIDS <<< "$INSTANCE_PID_LIST"
NAMES=(a b c)
PASSWORD='correct horse battery staple'
EMAIL='ada@example.com'
# How long a revoked session may still be accepted before the check fails. A bound on a loaded
# machine, not the promise: docs/jwt-vs-sessions.md gives the design bound (750 ms) and measurements.
REVOCATION_DEADLINE_MS=10000
CHECKS=0

ok() {
  CHECKS=$((CHECKS + 1))
  printf 'ok %d - %s\n' "$CHECKS" "$*"
}
fail() {
  printf 'not ok - %s\n' "$*" >&2
  exit 1
}
now_ms() { date +%s%3N; }

# call METHOD URL [curl options…]: sets STATUS, BODY and UPSTREAM (the instance nginx used, or the
# instances it tried, comma-separated). Never fails by itself: the checks decide.
call() {
  local method=$1 url=$2
  shift 2
  STATUS=$(curl -sS --cacert "$CA_CERT" --max-time 30 -X "$method" -o "$SMOKE_DIR/body" \
    -D "$SMOKE_DIR/headers" -w '%{http_code}' "$@" "$url") || STATUS="curl-failed($?)"
  BODY=$(cat "$SMOKE_DIR/body" 2> /dev/null || true)
  UPSTREAM=$(grep -i '^x-tessera-upstream:' "$SMOKE_DIR/headers" 2> /dev/null | cut -d' ' -f2- | tr -d '\r' || true)
}
# post_json URL JSON [curl options…]
post_json() {
  local url=$1 json=$2
  shift 2
  call POST "$url" -H 'content-type: application/json' --data "$json" "$@"
}
expect() {
  [ "$STATUS" = "$1" ] || fail "$2: expected HTTP $1, got $STATUS: $BODY"
}
field() { jq -r "$1" <<< "$BODY"; }
# claim TOKEN NAME: a claim of a JWT's payload (read, not verified: the servers verify).
claim() {
  node -e 'const [t, n] = process.argv.slice(1);
    console.log(JSON.parse(Buffer.from(t.split(".")[1], "base64url"))[n]);' "$1" "$2"
}
name_of_port() {
  for i in 0 1 2; do [ "${URLS[i]##*:}" = "$1" ] && echo "${NAMES[i]}" && return; done
  echo "?"
}
# The instance names in an upstream list ("127.0.0.1:41001, 127.0.0.1:41002" → "a, b").
names_of() {
  local list=$1 out="" addr
  IFS=',' read -r -a addrs <<< "$list"
  for addr in "${addrs[@]}"; do out+="${out:+, }$(name_of_port "${addr##*:}")"; done
  echo "$out"
}

FROM_ADA=(--interface 127.0.0.2)

# ---- TLS, issuer -------------------------------------------------------------------------------------
call GET "$PROXY_URL/.well-known/oauth-authorization-server"
expect 200 "metadata through the proxy"
[ "$(field .issuer)" = "$PROXY_URL" ] || fail "the issuer is $(field .issuer), not the proxy's $PROXY_URL"
ok "TLS ends at nginx ($PROXY_URL, certificate checked); the issuer is the proxy's URL"

# ---- register, login, refresh on another instance, the protected API ---------------------------------
post_json "$PROXY_URL/auth/register" "{\"email\":\"$EMAIL\",\"password\":\"$PASSWORD\"}" "${FROM_ADA[@]}"
expect 201 "register through the proxy"
USER_ID=$(field .user.id)
ok "register through the proxy (201, answered by $(names_of "$UPSTREAM"))"

post_json "$PROXY_URL/auth/login" "{\"email\":\"$EMAIL\",\"password\":\"$PASSWORD\"}" "${FROM_ADA[@]}"
expect 200 "login through the proxy"
LOGIN_UPSTREAM=$UPSTREAM
ACCESS_TOKEN=$(field .access_token)
REFRESH_TOKEN=$(field .refresh_token)
[ "$(claim "$ACCESS_TOKEN" iss)" = "$PROXY_URL" ] || fail "the access token's iss is not $PROXY_URL"
ok "login through the proxy (200, on instance $(names_of "$LOGIN_UPSTREAM"), iss $PROXY_URL)"

post_json "$PROXY_URL/auth/refresh" "{\"refresh_token\":\"$REFRESH_TOKEN\"}" "${FROM_ADA[@]}"
expect 200 "refresh through the proxy"
[ "$UPSTREAM" != "$LOGIN_UPSTREAM" ] ||
  fail "the refresh landed on the login's instance ($UPSTREAM): the round robin did not move on"
[ "$(field .refresh_token)" != "$REFRESH_TOKEN" ] || fail "the refresh token was not rotated"
ACCESS_TOKEN=$(field .access_token)
REFRESH_TOKEN=$(field .refresh_token)
ok "refresh through the proxy on another instance ($(names_of "$UPSTREAM")): a rotated pair"

call GET "$PROXY_URL/api/secure" -H "authorization: Bearer $ACCESS_TOKEN" "${FROM_ADA[@]}"
expect 200 "GET /api/secure through the proxy"
[ "$(field .sub)" = "$USER_ID" ] || fail "/api/secure answered sub $(field .sub), not $USER_ID"
ok "GET /api/secure through the proxy (200, sub is the registered user)"

# ---- one key set everywhere --------------------------------------------------------------------------
call GET "$PROXY_URL/.well-known/jwks.json"
expect 200 "JWKS through the proxy"
PROXY_JWKS=$(jq -S . <<< "$BODY")
KEY_COUNT=$(jq '.keys | length' <<< "$PROXY_JWKS")
[ "$KEY_COUNT" -ge 1 ] || fail "the JWKS holds no key"
for i in 0 1 2; do
  STATUS=$(curl -sS -o "$SMOKE_DIR/body" -w '%{http_code}' "${URLS[i]}/.well-known/jwks.json") || STATUS=failed
  [ "$STATUS" = 200 ] || fail "JWKS of instance ${NAMES[i]}: HTTP $STATUS"
  [ "$(jq -S . "$SMOKE_DIR/body")" = "$PROXY_JWKS" ] || fail "instance ${NAMES[i]} publishes another JWKS"
  # A token signed by whichever instance refreshed verifies on every instance: the keys are shared.
  STATUS=$(curl -sS -o /dev/null -w '%{http_code}' -H "authorization: Bearer $ACCESS_TOKEN" "${URLS[i]}/api/secure") ||
    STATUS=failed
  [ "$STATUS" = 200 ] || fail "instance ${NAMES[i]} refused the access token: HTTP $STATUS"
done
ok "JWKS identical on a, b, c and through the proxy ($KEY_COUNT key(s)); the token verifies on each"

# ---- trusted proxy: the client's address, not nginx's ------------------------------------------------
call GET "$PROXY_URL/auth/sessions" -H "authorization: Bearer $ACCESS_TOKEN" "${FROM_ADA[@]}"
expect 200 "GET /auth/sessions through the proxy"
[ "$(field '.sessions[] | select(.current) | .ip')" = 127.0.0.2 ] ||
  fail "the session's address is not the client's 127.0.0.2: $BODY"
# A client that sends X-Forwarded-For itself does not choose its address: nginx replaces the header.
post_json "$PROXY_URL/auth/login" "{\"email\":\"$EMAIL\",\"password\":\"$PASSWORD\"}" \
  --interface 127.0.0.3 -H 'x-forwarded-for: 203.0.113.9'
expect 200 "login from 127.0.0.3"
SECOND_ACCESS_TOKEN=$(field .access_token)
call GET "$PROXY_URL/auth/sessions" -H "authorization: Bearer $SECOND_ACCESS_TOKEN" --interface 127.0.0.3
expect 200 "GET /auth/sessions from 127.0.0.3"
[ "$(field '.sessions[] | select(.current) | .ip')" = 127.0.0.3 ] ||
  fail "a client-sent X-Forwarded-For was honoured: $BODY"
AUDITED=$(psql "$DATABASE_URL" -qAtc "SELECT string_agg(DISTINCT ip, ' ' ORDER BY ip) FROM audit_events
  WHERE user_id = '$USER_ID' AND type IN ('register', 'login_succeeded', 'refresh')")
[ "$AUDITED" = "127.0.0.2 127.0.0.3" ] || fail "audit_events recorded the addresses '$AUDITED'"
ok "sessions and audit_events record the client's address (127.0.0.2, 127.0.0.3), never nginx's or a forged one"

# ---- the per-IP login limit, shared through Redis ----------------------------------------------------
# Five failed sign-ins from 127.0.0.4, spread by the round robin over the instances, then a sixth: only
# a counter the instances share refuses it (each instance alone saw two at most).
SEEN=""
for n in 1 2 3 4 5; do
  post_json "$PROXY_URL/auth/login" "{\"email\":\"nobody-$n@example.com\",\"password\":\"$PASSWORD\"}" \
    --interface 127.0.0.4
  expect 401 "failed login $n from 127.0.0.4"
  [ "$(field .code)" = invalid_credentials ] || fail "failed login $n: code $(field .code)"
  SEEN+="$UPSTREAM"$'\n'
done
SPREAD=$(sort -u <<< "${SEEN%$'\n'}" | wc -l)
[ "$SPREAD" -ge 2 ] || fail "the five logins all reached one instance"
post_json "$PROXY_URL/auth/login" "{\"email\":\"nobody-6@example.com\",\"password\":\"$PASSWORD\"}" \
  --interface 127.0.0.4
expect 429 "sixth login from 127.0.0.4"
[ "$(field .code)" = rate_limited ] || fail "sixth login: code $(field .code)"
post_json "$PROXY_URL/auth/login" "{\"email\":\"nobody-7@example.com\",\"password\":\"$PASSWORD\"}" \
  --interface 127.0.0.5
expect 401 "a login from another client (127.0.0.5)"
ok "login limit per client address across $SPREAD instances: the 6th from 127.0.0.4 got 429, 127.0.0.5 still 401"

# ---- the master key is shared, or the keys do not open -----------------------------------------------
for variant in another none; do
  if [ "$variant" = another ]; then key=$(openssl rand -hex 32); else key=""; fi
  status=0
  (cd "$ROOT" && env -u TESSERA_MASTER_KEY ${key:+TESSERA_MASTER_KEY=$key} TESSERA_PORT=0 \
    timeout 60 node dist/cli/main.js serve) > "$SMOKE_DIR/refused.log" 2>&1 || status=$?
  [ "$status" != 0 ] && [ "$status" != 124 ] || fail "an instance with $variant master key started (exit $status)"
  grep -q TESSERA_MASTER_KEY "$SMOKE_DIR/refused.log" ||
    fail "an instance with $variant master key failed without naming TESSERA_MASTER_KEY: $(tail -n 3 "$SMOKE_DIR/refused.log")"
done
ok "an instance with another master key, or none, refuses to start and names TESSERA_MASTER_KEY"

# ---- strict mode: a global logout reaches every instance ---------------------------------------------
post_json "$PROXY_URL/auth/logout" '{"scope":"global"}' -H "authorization: Bearer $ACCESS_TOKEN" "${FROM_ADA[@]}"
expect 204 "global logout through the proxy"
LOGGED_OUT_AT=$(now_ms)
# refused_on URL TOKEN: the instance answers 401 session_revoked for the token; ANSWER says what it said.
refused_on() {
  ANSWER=$(curl -sS -o "$SMOKE_DIR/body" -w '%{http_code}' -H "authorization: Bearer $2" "$1/api/secure") ||
    ANSWER=curl-failed
  [ "$ANSWER" = 401 ] && ANSWER="401 $(jq -r .code "$SMOKE_DIR/body")"
  [ "$ANSWER" = "401 session_revoked" ]
}
# Asked directly (not through nginx), each instance in turn until all three refuse both sessions' tokens.
# For each: when the first refused request was sent, and when the last one still accepted (a 200) was.
PENDING=(0 1 2)
REFUSED=()
STALE_MS=(- - -)
while [ ${#PENDING[@]} -gt 0 ]; do
  STILL=()
  for i in "${PENDING[@]}"; do
    sent_ms=$(($(now_ms) - LOGGED_OUT_AT))
    if refused_on "${URLS[i]}" "$ACCESS_TOKEN" && refused_on "${URLS[i]}" "$SECOND_ACCESS_TOKEN"; then
      REFUSED+=("${NAMES[i]} refused at $sent_ms ms$([ "${STALE_MS[i]}" = - ] || echo " (200 at ${STALE_MS[i]} ms)")")
    else
      [ "$ANSWER" = 200 ] && STALE_MS[i]=$sent_ms
      STILL+=("$i")
    fi
  done
  PENDING=("${STILL[@]}")
  if [ ${#PENDING[@]} -gt 0 ] && [ $(($(now_ms) - LOGGED_OUT_AT)) -gt $REVOCATION_DEADLINE_MS ]; then
    fail "${#PENDING[@]} instance(s) still accept the revoked sessions' tokens ${REVOCATION_DEADLINE_MS} ms after the logout (last answer: $ANSWER)"
  fi
done
post_json "$PROXY_URL/auth/refresh" "{\"refresh_token\":\"$REFRESH_TOKEN\"}" "${FROM_ADA[@]}"
expect 401 "refresh after the global logout"
ok "strict mode: after a global logout every instance refuses both sessions' tokens (times are when the \
request was sent, after the 204: $(
  IFS=,
  echo "${REFUSED[*]}"
)), and the refresh token ($(field .code))"

# ---- one instance dies: the proxy goes on -----------------------------------------------------------
DEAD=1
kill -KILL "${PIDS[DEAD]}"
while kill -0 "${PIDS[DEAD]}" 2> /dev/null; do sleep 0.05; done
DEAD_ADDRESS="127.0.0.1:${URLS[DEAD]##*:}"
TRIED_DEAD=0
ANSWERED=0
after_kill() { # every answer counts, and whether nginx first tried the dead instance
  expect "$1" "$2 after instance ${NAMES[DEAD]} was killed"
  ANSWERED=$((ANSWERED + 1))
  case "$UPSTREAM" in *"$DEAD_ADDRESS"*) TRIED_DEAD=$((TRIED_DEAD + 1)) ;; esac
}
FROM_BOB=(--interface 127.0.0.6)
post_json "$PROXY_URL/auth/login" "{\"email\":\"$EMAIL\",\"password\":\"$PASSWORD\"}" "${FROM_BOB[@]}"
after_kill 200 "login"
ACCESS_TOKEN=$(field .access_token)
REFRESH_TOKEN=$(field .refresh_token)
for _ in 1 2 3; do
  call GET "$PROXY_URL/api/secure" -H "authorization: Bearer $ACCESS_TOKEN" "${FROM_BOB[@]}"
  after_kill 200 "GET /api/secure"
  call GET "$PROXY_URL/readyz" "${FROM_BOB[@]}"
  after_kill 200 "GET /readyz"
done
post_json "$PROXY_URL/auth/refresh" "{\"refresh_token\":\"$REFRESH_TOKEN\"}" "${FROM_BOB[@]}"
after_kill 200 "refresh"
ok "instance ${NAMES[DEAD]} killed (SIGKILL): all $ANSWERED requests through the proxy answered ($TRIED_DEAD first tried ${NAMES[DEAD]}, then went on)"

printf 'all %d checks passed\n' "$CHECKS"
