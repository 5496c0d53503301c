#!/usr/bin/env bash
# Starts the Docker engine when it is not already answering, and waits (bounded) until it does.
# Idempotent: a running daemon is left alone. Used by .ci/run before the Docker-backed tests.
set -euo pipefail

DOCKER=${DOCKER:-/usr/bin/docker}
DOCKERD=${DOCKERD:-/usr/sbin/dockerd}
LOG=${DOCKERD_LOG:-/tmp/dockerd.log}
WAIT_SECONDS=${DOCKERD_WAIT_SECONDS:-30}

if "$DOCKER" info >/dev/null 2>&1; then
  echo "start-dockerd: Docker engine already running"
  exit 0
fi

if [ ! -x "$DOCKERD" ]; then
  echo "start-dockerd: $DOCKERD not found (install Debian's docker.io)" >&2
  exit 1
fi

# A daemon killed without cleanup leaves its pid file behind, and a new dockerd refuses to start.
PIDFILE=/var/run/docker.pid
if [ -f "$PIDFILE" ] && ! kill -0 "$(cat "$PIDFILE" 2>/dev/null)" 2>/dev/null; then
  echo "start-dockerd: removing stale $PIDFILE"
  rm -f "$PIDFILE"
fi

echo "start-dockerd: starting $DOCKERD (log: $LOG)"
# setsid: the daemon must outlive this script and the shell that ran it.
setsid "$DOCKERD" >>"$LOG" 2>&1 </dev/null &

for ((i = 0; i < WAIT_SECONDS * 4; i++)); do
  if "$DOCKER" info >/dev/null 2>&1; then
    echo "start-dockerd: ready after $((i / 4)).$(((i % 4) * 25))s"
    exit 0
  fi
  sleep 0.25
done

echo "start-dockerd: Docker engine did not answer within ${WAIT_SECONDS}s; last lines of $LOG:" >&2
tail -n 30 "$LOG" >&2 || true
exit 1
