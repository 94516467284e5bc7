#!/usr/bin/env bash
# Full TLS 1.3 handshakes per second (a new connection per request) of tlsdoctor-reference beside
# nginx serving the same certificate and key, driven by the same wrk; issue 4's target: ratio >= 1.0x.
# Usage: bench/reference_https.sh [--threads N] [--duration SECONDS] [--rounds R]
#   (defaults: N = 2 server threads / nginx workers, DURATION=10 s, ROUNDS=2; DURATION and ROUNDS
#   may also come from the environment; TLSDOCTOR_REFERENCE=path skips the build)
# Needs wrk, nginx, curl and openssl: scripts/install-deps.sh --bench
set -euo pipefail
cd "$(dirname "$0")/.."

threads=2
duration="${DURATION:-10}"
rounds="${ROUNDS:-2}"
while (($# > 0)); do
  case "$1" in
    --threads) threads="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    -h | --help) sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
[[ "$threads" =~ ^[1-9][0-9]*$ && "$duration" =~ ^[1-9][0-9]*$ && "$rounds" =~ ^[1-9][0-9]*$ ]] || {
  echo "bench: --threads, --duration and --rounds take positive integers" >&2; exit 2; }

# wrk's own settings: two client threads (the cores here), 32 connections in flight.
readonly WRK_THREADS=2 WRK_CONNECTIONS=32
# Startup and verification steps are bounded: 50 polls of 0.2 s, and a run may overrun its
# duration by this much (wrk's 2 s request timeout plus slack) before it is killed.
readonly START_POLLS=50 WRK_GRACE_S=30 STEP_TIMEOUT_S=10
# The /v1/time nonce must be 16 to 64 characters of [A-Za-z0-9_-]; the server does not track
# replays, so one fixed nonce serves every request.
readonly TIME_NONCE=bench-nonce-0123456789

nginx_bin=$(command -v nginx || true)
[[ -z "$nginx_bin" && -x /usr/sbin/nginx ]] && nginx_bin=/usr/sbin/nginx
missing=()
command -v wrk >/dev/null || missing+=(wrk)
[[ -n "$nginx_bin" ]] || missing+=(nginx)
command -v curl >/dev/null || missing+=(curl)
command -v openssl >/dev/null || missing+=(openssl)
if ((${#missing[@]} > 0)); then
  echo "bench: missing ${missing[*]}: apt-get install ${missing[*]} (or scripts/install-deps.sh --bench)" >&2
  exit 2
fi

ref_bin="${TLSDOCTOR_REFERENCE:-build/bench/reference/tlsdoctor-reference}"
if [[ -z "${TLSDOCTOR_REFERENCE:-}" ]]; then
  # Same tree as bench/probe.sh: the release preset with the lab.
  [[ -f build/bench/CMakeCache.txt ]] ||
    cmake --preset release -B build/bench -DTLSDOCTOR_BUILD_TESTS=ON >/dev/null
  # Quiet unless it fails: other engineers' half-written files show up as configure noise.
  build_log=$(cmake --build build/bench -j2 --target tlsdoctor-reference 2>&1) ||
    { echo "$build_log" >&2; echo "bench: building tlsdoctor-reference failed" >&2; exit 2; }
fi
[[ -x "$ref_bin" ]] || { echo "bench: $ref_bin is not an executable" >&2; exit 2; }

work=$(mktemp -d)
ref_pid="" nginx_pid=""
stop_servers() {
  local pid
  for pid in $ref_pid $nginx_pid; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in $ref_pid $nginx_pid; do
    for ((i = 0; i < 50; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  ref_pid="" nginx_pid=""
}
trap 'stop_servers; rm -rf "$work"' EXIT

# A port nothing on 127.0.0.1 answers on (a connect that fails is a free port for our purpose).
free_port() {
  local port
  for ((i = 0; i < 100; i++)); do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return 0; fi
  done
  echo "bench: found no free port" >&2; return 1
}

# Polls until https://127.0.0.1:PORT/healthz answers, failing early if the server exited.
wait_for_https() {
  local port=$1 pid=$2 log=$3
  for ((i = 0; i < START_POLLS; i++)); do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "bench: the server on port $port exited; its log:" >&2; cat "$log" >&2; return 1
    fi
    curl -sk --max-time 1 -o /dev/null "https://127.0.0.1:$port/healthz" && return 0
    sleep 0.2
  done
  echo "bench: nothing accepted on port $port within $((START_POLLS / 5)) s; log:" >&2; cat "$log" >&2
  return 1
}

# User+system CPU clock ticks of a process and its direct children (nginx's workers).
cpu_ticks() {
  local root=$1 total=0 stat pid ppid rest f
  for stat in /proc/[0-9]*/stat; do
    pid=${stat#/proc/}; pid=${pid%/stat}
    # Field 2 (comm) may hold spaces; everything after its closing parenthesis is fixed.
    read -r rest 2>/dev/null <"$stat" || continue
    rest=${rest##*) }
    read -r -a f <<<"$rest"
    ppid=${f[1]}
    if [[ "$pid" == "$root" || "$ppid" == "$root" ]]; then
      total=$((total + f[11] + f[12]))
    fi
  done
  echo "$total"
}

# One TLS connection with a request, to print what was negotiated and how many session tickets
# the server sent (tickets cost the server work per handshake even when nobody resumes).
show_negotiated() {
  local name=$1 port=$2 out proto cipher group tickets
  out=$(printf 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' |
    timeout "$STEP_TIMEOUT_S" openssl s_client -connect "127.0.0.1:$port" -ign_eof 2>&1 || true)
  proto=$(sed -n 's/^New, \([^,]*\), Cipher is \(.*\)$/\1/p' <<<"$out" | head -n 1)
  cipher=$(sed -n 's/^New, [^,]*, Cipher is \(.*\)$/\1/p' <<<"$out" | head -n 1)
  group=$(sed -n 's/^Server Temp Key: \(.*\)$/\1/p' <<<"$out" | head -n 1)
  tickets=$(grep -c 'Post-Handshake New Session Ticket arrived' <<<"$out" || true)
  printf '  %-10s %s, %s, key exchange %s, session tickets sent: %s\n' \
    "$name" "${proto:-NONE}" "${cipher:-?}" "${group:-?}" "$tickets"
  if [[ "$proto" != "TLSv1.3" ]]; then
    echo "bench: $name did not negotiate TLSv1.3 (got '${proto:-nothing}')" >&2; return 1
  fi
}

# wrk output -> "requests_per_s p99_ms errors"; p99 is converted from us/ms/s to ms.
parse_wrk() {
  awk '
    /^Requests\/sec:/ { rps = $2 }
    $1 == "99%" { v = $2; unit = v; sub(/[0-9.]+/, "", unit); sub(/[a-z]+$/, "", v)
                  p99 = (unit == "us") ? v / 1000 : (unit == "s") ? v * 1000 : (unit == "m") ? v * 60000 : v }
    /Socket errors:/ { gsub(/,/, ""); errors += $4 + $6 + $8 + $10 }
    /Non-2xx or 3xx responses:/ { errors += $NF }
    END { if (rps == "") exit 1; printf "%s %.2f %d\n", rps, p99, errors }'
}

rows=()
# Runs wrk for one row of the table; the server pid is there to charge its CPU time.
run_wrk() {
  local name=$1 round=$2 url=$3 pid=$4 before after out parsed
  before=$(cpu_ticks "$pid")
  if ! out=$(timeout $((duration + WRK_GRACE_S)) wrk -t"$WRK_THREADS" -c"$WRK_CONNECTIONS" \
    -d"${duration}s" --latency -H 'Connection: close' "$url" 2>&1); then
    echo "bench: wrk against $name failed or overran:" >&2; echo "$out" >&2; return 1
  fi
  after=$(cpu_ticks "$pid")
  echo "$out" >"$work/wrk-$name-$round.txt"
  parsed=$(parse_wrk <<<"$out") || { echo "bench: cannot read wrk's output:" >&2; echo "$out" >&2; return 1; }
  rows+=("$name $round $parsed $(awk -v t=$((after - before)) -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.2f", t / hz }')")
}

echo "tlsdoctor-reference vs nginx: full TLS 1.3 handshakes, a new connection per request"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min) before starting"
echo "note: the wrk client ($WRK_THREADS threads, $WRK_CONNECTIONS connections) shares these cores with the server,"
echo "      so a row measures server and client together; other work on the machine adds noise."
echo "servers: $threads reference threads / $threads nginx workers; ${duration} s per run, $rounds rounds each, alternating"
echo "         $("$nginx_bin" -v 2>&1 | sed 's/^nginx version: //'), $(openssl version | cut -d' ' -f1-2), $(wrk --version 2>&1 | head -n 1 | cut -d' ' -f1-2)"

# One P-256 certificate and key for both servers, and the reference's signing key.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
  -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 \
  -keyout "$work/key.pem" -out "$work/cert.pem" >/dev/null 2>&1
"$ref_bin" keygen --out "$work/signing" >/dev/null

ref_port=$(free_port)
"$ref_bin" serve --listen "127.0.0.1:$ref_port" --cert "$work/cert.pem" --key "$work/key.pem" \
  --signing-key "$work/signing/signing.key" --threads "$threads" --no-observe \
  >"$work/reference.log" 2>&1 &
ref_pid=$!
wait_for_https "$ref_port" "$ref_pid" "$work/reference.log"

nginx_port=$(free_port)
while [[ "$nginx_port" == "$ref_port" ]]; do nginx_port=$(free_port); done
mkdir -p "$work/nginx/tmp"
# Session cache and tickets off: every connection is a full handshake, as with the reference
# (which does no resumption; wrk does not resume either). With TLS 1.3, OpenSSL still sends two
# stateful tickets per handshake after "ssl_session_tickets off"; NumTickets 0 stops that, so
# that nginx, like the reference, sends none (show_negotiated prints the count for both).
cat >"$work/nginx/nginx.conf" <<EOF
daemon off;
worker_processes $threads;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $work/nginx/tmp/body;
  proxy_temp_path $work/nginx/tmp/proxy;
  fastcgi_temp_path $work/nginx/tmp/fastcgi;
  uwsgi_temp_path $work/nginx/tmp/uwsgi;
  scgi_temp_path $work/nginx/tmp/scgi;
  server {
    listen 127.0.0.1:$nginx_port ssl;
    ssl_certificate $work/cert.pem;
    ssl_certificate_key $work/key.pem;
    ssl_protocols TLSv1.3;
    ssl_session_cache off;
    ssl_session_tickets off;
    ssl_conf_command NumTickets 0;
    location = /healthz { default_type text/plain; return 200 "ok\n"; }
  }
}
EOF
"$nginx_bin" -p "$work/nginx" -e "$work/nginx/error.log" -c "$work/nginx/nginx.conf" \
  >"$work/nginx/stdout.log" 2>&1 &
nginx_pid=$!
wait_for_https "$nginx_port" "$nginx_pid" "$work/nginx/error.log"

echo
echo "negotiated (openssl s_client, one connection each):"
show_negotiated reference "$ref_port"
show_negotiated nginx "$nginx_port"

for ((r = 1; r <= rounds; r++)); do
  run_wrk reference "$r" "https://127.0.0.1:$ref_port/healthz" "$ref_pid"
  run_wrk nginx "$r" "https://127.0.0.1:$nginx_port/healthz" "$nginx_pid"
done
run_wrk reference-time 1 "https://127.0.0.1:$ref_port/v1/time?nonce=$TIME_NONCE" "$ref_pid"

echo
printf '%-34s %5s %13s %9s %7s %12s %15s\n' server round handshakes/s "p99 ms" errors "server CPU s" "handshakes/CPU-s"
for row in "${rows[@]}"; do
  read -r name round rps p99 errors cpu <<<"$row"
  label=$name
  [[ "$name" == reference-time ]] && label="reference /v1/time (signed)*"
  [[ "$name" == reference ]] && label="reference /healthz"
  [[ "$name" == nginx ]] && label="nginx /healthz"
  printf '%-34s %5s %13.0f %9.2f %7d %12.2f %15s\n' "$label" "$round" "$rps" "$p99" "$errors" "$cpu" \
    "$(awk -v n="$rps" -v d="$duration" -v c="$cpu" 'BEGIN { if (c > 0) printf "%.0f", n * d / c; else print "n/a" }')"
done
echo "* a signed JSON answer per request (Ed25519): shows the cost of signing; nginx has no counterpart,"
echo "  so this row is not comparable to nginx and is not part of the ratio."

# Medians over the rounds of each server, then the ratios.
printf '%s\n' "${rows[@]}" | awk -v d="$duration" '
  function median(a, n,   i, j, t) {
    for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
    return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
  $1 == "reference" || $1 == "nginx" {
    n[$1]++; rps[$1, n[$1]] = $3; p99[$1, n[$1]] = $4; err[$1] += $5; eff[$1, n[$1]] = ($6 > 0) ? $3 * d / $6 : 0 }
  END {
    for (s in n) {
      for (i = 1; i <= n[s]; i++) { a[i] = rps[s, i]; b[i] = p99[s, i]; c[i] = eff[s, i] }
      mr[s] = median(a, n[s]); mp[s] = median(b, n[s]); me[s] = median(c, n[s])
    }
    printf "\nmedians over %d rounds:\n", n["reference"]
    printf "  reference: %.0f handshakes/s, p99 %.2f ms, %d errors, %.0f handshakes per server CPU-second\n", mr["reference"], mp["reference"], err["reference"], me["reference"]
    printf "  nginx:     %.0f handshakes/s, p99 %.2f ms, %d errors, %.0f handshakes per server CPU-second\n", mr["nginx"], mp["nginx"], err["nginx"], me["nginx"]
    ratio = (mr["nginx"] > 0) ? mr["reference"] / mr["nginx"] : 0
    printf "\nratio reference / nginx, handshakes/s: %.2fx (target >= 1.0x): %s\n", ratio, (ratio >= 1.0 ? "met" : "MISSED")
    if (me["nginx"] > 0 && me["reference"] > 0)
      printf "ratio reference / nginx, handshakes per server CPU-second (less sensitive to other load): %.2fx\n", me["reference"] / me["nginx"]
    printf "p99 reference / nginx: %.2fx\n", (mp["nginx"] > 0) ? mp["reference"] / mp["nginx"] : 0
    if (err["reference"] + err["nginx"] > 0) print "WARNING: wrk reported errors (see the table)"
  }'
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
