# Shared by scripts/*: paths, logging, waiting for a port. Sourced, not run.
set -euo pipefail
RADLAB_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
RADLAB_CACHE="${RADLAB_CACHE:-$HOME/.cache/radlab}"
RADLAB_STATE="${RADLAB_STATE:-$RADLAB_ROOT/.radlab}"
RADLAB_LOGS="$RADLAB_STATE/logs"
RADLAB_RUN="$RADLAB_STATE/run"
mkdir -p "$RADLAB_CACHE" "$RADLAB_LOGS" "$RADLAB_RUN"

say() { printf '[radlab] %s\n' "$*" >&2; }
die() { printf '[radlab] error: %s\n' "$*" >&2; exit 1; }

# apt-get needs root and an index; both are true on the project's machines.
apt_ensure_index() {
  if [ -z "$(ls -A /var/lib/apt/lists 2>/dev/null | grep -v lock | grep -v partial)" ] || [ -n "${RADLAB_APT_UPDATE:-}" ]; then
    say "apt-get update"
    apt-get update -qq >/dev/null
  fi
}

# wait_http URL SECONDS: polls until URL answers with a 2xx/3xx, or fails.
wait_http() {
  local url=$1 secs=${2:-60} i=0
  while [ "$i" -lt "$((secs * 4))" ]; do
    if curl -fsS -o /dev/null --max-time 2 "$url" 2>/dev/null; then return 0; fi
    sleep 0.25; i=$((i + 1))
  done
  return 1
}

# pid file helpers: a service is running when its pid file names a live process.
pid_alive() { local f="$RADLAB_RUN/$1.pid"; [ -f "$f" ] && kill -0 "$(cat "$f")" 2>/dev/null; }
stop_pid() {
  local name=$1 f="$RADLAB_RUN/$1.pid"
  if pid_alive "$name"; then
    local pid; pid=$(cat "$f")
    # the service runs in its own process group (setsid): stop the whole group, no orphans.
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -KILL -- "-$pid" 2>/dev/null || true
  fi
  rm -f "$f"
}

# The services `npm start` and `npm test` install and start. Livy's source release is on no registry
# (scripts/services/livy says where to put it): without it Livy alone is missing, the rest still runs.
# HDFS and Orthanc (the PACS: apt-get ≈ 10 s, start + seeding ≈ 4 s) are optional while they are new: a
# failed install or start leaves only their tests skipped.
# Kubernetes comes last: its cold build, started in the background at the run's beginning, has the
# longest to finish before `start` waits for it.
export RADLAB_STACK="${RADLAB_STACK:-dcgm-exporter prometheus orthanc drill livy hdfs kubernetes}"
RADLAB_STACK_OPTIONAL="${RADLAB_STACK_OPTIONAL:-livy hdfs orthanc}"

# start_stack: starts every service of $RADLAB_STACK; fails only when a service not in
# $RADLAB_STACK_OPTIONAL fails (an optional one's failure is reported, and its tests skip saying why).
start_stack() {
  local svc rc=0
  for svc in $RADLAB_STACK; do
    if ! "$RADLAB_ROOT/scripts/services/$svc" start; then
      case " $RADLAB_STACK_OPTIONAL " in
        *" $svc "*) say "$svc is not running (see above); everything else is" ;;
        *) rc=1 ;;
      esac
    fi
  done
  return $rc
}
