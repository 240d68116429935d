# Sourced by the bench scripts (run.sh, groups.sh, memory.sh): stopping what they started and
# removing the work dir on exit, and waiting for the throwaway slapd. The caller sets `work`
# (and `log`); it starts processes into devslapd_pid and bridge_pid.
devslapd_pid="" bridge_pid=""

stop_pid() {  # stop_pid PID: SIGTERM, then wait for it (it is our child)
    [ -n "$1" ] || return 0
    kill -TERM "$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
}
cleanup() {
    trap - INT TERM EXIT
    stop_pid "$bridge_pid"
    stop_pid "$devslapd_pid"
    if [ -n "${KEEP_WORK:-}" ]; then log "work dir kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

wait_for_devslapd() {  # after starting devslapd_pid: until it has written $work/slapd.json
    local backoff=0.01
    until [ -s "$work/slapd.json" ]; do
        kill -0 "$devslapd_pid" 2>/dev/null || { cat "$work/devslapd.log" >&2; exit 1; }
        sleep "$backoff"  # readiness polling: the launcher writes the file once slapd answers
        backoff=0.05
    done
}

# start_devslapd [ARGS...]: the launcher's slapd in $work/slapd (devslapd_bin), waited for. run.sh
# has its own (TLS, CPU pinning).
start_devslapd() {
    rm -f "$work/slapd.json"
    "$devslapd_bin" --dir "$work/slapd" --info-file "$work/slapd.json" "$@" \
        >>"$work/devslapd.log" 2>&1 &
    devslapd_pid=$!
    wait_for_devslapd
}

json_get() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$@"; }

# read_slapd_info: ldap_uri, admin_dn, admin_password, service_dn, service_password_file and
# slapd_pid of the slapd start_devslapd started (from $work/slapd.json and its pid file).
read_slapd_info() {
    ldap_uri=$(json_get "$work/slapd.json" ldap_uri)
    admin_dn=$(json_get "$work/slapd.json" admin_dn)
    admin_password=$(json_get "$work/slapd.json" admin_password)
    service_dn=$(json_get "$work/slapd.json" service_dn)
    service_password_file=$(json_get "$work/slapd.json" service_password_file)
    slapd_pid=$(cat "$work/slapd/slapd.pid")
}

# load_offline LDIF: the caller's start_devslapd creates the config and the seeded DIT, then LDIF
# goes in offline (slapadd is far faster than ldapadd and runs no overlay); sets ldap_port, for
# the caller's next start_devslapd --port "$ldap_port".
load_offline() {
    start_devslapd
    ldap_port=$(json_get "$work/slapd.json" ldap_uri)
    ldap_port=${ldap_port##*:}
    local first_slapd_pid
    first_slapd_pid=$(cat "$work/slapd/slapd.pid")
    stop_pid "$devslapd_pid"
    devslapd_pid=""
    if [ -d "/proc/$first_slapd_pid" ]; then
        log "slapd $first_slapd_pid outlived its launcher; not loading into a live database"
        exit 1
    fi
    log "slapadd of $1"
    /usr/sbin/slapadd -q -f "$work/slapd/slapd.conf" -l "$1" >"$work/slapadd.log" 2>&1 ||
        { cat "$work/slapadd.log" >&2; exit 1; }
}

# start_bridge BINARY CONFIG LOG PORT: serves CONFIG in the background (bridge_pid) and waits
# until its /readyz on PORT answers 200.
start_bridge() {
    SCIMLDAP_PROFILE_DIR="$top/mapping/profiles" "$1" serve --config "$2" >"$3" 2>&1 &
    bridge_pid=$!
    local tries=0
    until curl -fs "http://127.0.0.1:$4/readyz" >/dev/null 2>&1; do
        kill -0 "$bridge_pid" 2>/dev/null || { cat "$3" >&2; exit 1; }
        tries=$((tries + 1))
        [ "$tries" -le 600 ] || { log "bridge not ready"; exit 1; }
        sleep 0.05
    done
}

# bench_build TARGET...: configures BUILD_DIR (Release, the bench tools on) unless SKIP_BUILD is
# set, and builds the targets.
bench_build() {
    [ -z "${SKIP_BUILD:-}" ] || return 0
    log "building ($BUILD_DIR)"
    if [ ! -f "$BUILD_DIR/build.ninja" ]; then
        cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release -DSCIMLDAP_BUILD_BENCH=ON \
            >/dev/null
    fi
    BUILD_DIR=$BUILD_DIR BUILD_JOBS=${BUILD_JOBS:-2} scripts/build.sh "$@" >/dev/null
}

# start_bench_bridge [EXTRA_JSON]: the bridge (bridge_bin) on a free port over $ldap_uri with the
# service account, one tenant "bench" on the seeded DIT and one token, EXTRA_JSON merged into
# the config (objects key by key). Sets token, http_port; the token is also in $work/token.
start_bench_bridge() {
    token=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
    printf '%s' "$token" >"$work/token"
    http_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    python3 - "$http_port" "$ldap_uri" "$service_dn" "$service_password_file" \
        "$("$bridge_bin" hash-token "$token")" "${1:-{\}}" >"$work/bridge.json" <<'PY'
import json, sys
port, uri, bind_dn, password_file, sha256, extra = sys.argv[1:]
config = {
    "listen": {"host": "127.0.0.1", "port": int(port)},
    "http": {"io_threads": 2},
    "ldap": {"uris": [uri], "bind_dn": bind_dn, "password_file": password_file, "pool_size": 2},
    "tenants": [{"name": "bench", "profile": "openldap-inetorgperson",
                 "users_base": "ou=People,dc=example,dc=org",
                 "groups_base": "ou=Groups,dc=example,dc=org",
                 "roles_base": "ou=Roles,dc=example,dc=org"}],
    "tokens": [{"name": "bench", "sha256": sha256, "tenant": "bench"}],
    "logging": {"level": "warn", "format": "text"},
}
def merge(into, more):
    for key, value in more.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            merge(into[key], value)
        else:
            into[key] = value
merge(config, json.loads(extra))
json.dump(config, sys.stdout, indent=2)
PY
    start_bridge "$bridge_bin" "$work/bridge.json" "$work/bridge.log" "$http_port"
}
