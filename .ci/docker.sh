#!/usr/bin/env bash
# Runs repocate's own Docker engine for tests and builds its local base images.
#
# Usage (as root, no stdin):
#   bash .ci/docker.sh start    start our dockerd (or reuse the one already running), print env
#   bash .ci/docker.sh images   build repocate-test/busybox:latest and repocate-test/debian:bookworm
#   bash .ci/docker.sh stop     stop our dockerd and wait for it to exit
#   bash .ci/docker.sh reset    remove repocate's leftover containers, volumes, images there
#   bash .ci/docker.sh env      print `export DOCKER_HOST=...`
# Sourced (`. .ci/docker.sh start`), it also exports DOCKER_HOST into the caller's shell.
#
# Env: REPOCATE_CI_DEBIAN=0 skips the Debian image (built by default, ~3 min cold, cached as a
# tarball in /var/cache/repocate-ci); REPOCATE_CI_DEBIAN_MIRROR overrides the Debian mirror.
# No image is pulled: both are imported from root filesystems built on this machine.

REPOCATE_CI_STATE=/var/lib/repocate-ci
REPOCATE_CI_RUN=/run/repocate-ci
REPOCATE_CI_CACHE=/var/cache/repocate-ci
REPOCATE_CI_SOCK="$REPOCATE_CI_RUN/docker.sock"
REPOCATE_CI_PIDFILE="$REPOCATE_CI_RUN/docker.pid"
REPOCATE_CI_LOG="$REPOCATE_CI_STATE/dockerd.log"
REPOCATE_CI_DOCKER_HOST="unix://$REPOCATE_CI_SOCK"
REPOCATE_CI_BUSYBOX_IMAGE=repocate-test/busybox:latest
REPOCATE_CI_DEBIAN_IMAGE=repocate-test/debian:bookworm

_rc_log() { echo "[docker.sh] $*" >&2; }

# Temporary directories to remove when the command ends, however it ends.
_RC_TMP=()
_rc_cleanup() { ((${#_RC_TMP[@]} == 0)) || rm -rf "${_RC_TMP[@]}"; }

_rc_docker() { docker -H "$REPOCATE_CI_DOCKER_HOST" "$@"; }

# True when the engine on our socket answers.
_rc_answers() { _rc_docker info >/dev/null 2>&1; }

# Prints the pid of our running dockerd, or fails.
_rc_pid() {
  local pid
  [[ -s "$REPOCATE_CI_PIDFILE" ]] || return 1
  pid="$(cat "$REPOCATE_CI_PIDFILE")"
  [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null || return 1
  echo "$pid"
}

_rc_install() {
  local missing=()
  command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
  command -v docker >/dev/null 2>&1 || missing+=(docker.io)
  [[ -x /bin/busybox ]] || missing+=(busybox-static)
  command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
  ((${#missing[@]} == 0)) && return 0
  _rc_log "installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io busybox-static debootstrap \
    </dev/null
}

_rc_start() {
  _rc_install
  mkdir -p "$REPOCATE_CI_STATE" "$REPOCATE_CI_RUN" "$REPOCATE_CI_CACHE"
  if _rc_pid >/dev/null && _rc_answers; then
    _rc_log "reusing dockerd pid $(_rc_pid) on $REPOCATE_CI_SOCK"
    return 0
  fi
  if _rc_pid >/dev/null; then
    # Ours but not answering (still starting, or wedged): give it the same bounded wait.
    _rc_log "dockerd pid $(_rc_pid) is alive but not answering yet; waiting"
  else
    rm -f "$REPOCATE_CI_PIDFILE"
    _rc_log "starting dockerd on $REPOCATE_CI_SOCK (log: $REPOCATE_CI_LOG)"
    # setsid: the daemon outlives this shell and gets no terminal signals from it.
    setsid dockerd \
      --data-root "$REPOCATE_CI_STATE/docker" \
      --exec-root "$REPOCATE_CI_RUN/exec" \
      -H "$REPOCATE_CI_DOCKER_HOST" \
      --pidfile "$REPOCATE_CI_PIDFILE" \
      --storage-driver vfs \
      </dev/null >>"$REPOCATE_CI_LOG" 2>&1 9>&- &
  fi
  local i
  for ((i = 0; i < 120; i++)); do
    if _rc_answers; then
      _rc_log "dockerd answers after $((i / 2)) s: $(_rc_docker version -f '{{.Server.Version}}')"
      return 0
    fi
    sleep 0.5
  done
  _rc_log "dockerd did not answer on $REPOCATE_CI_SOCK within 60 s; last lines of $REPOCATE_CI_LOG:"
  tail -n 40 "$REPOCATE_CI_LOG" >&2 || true
  return 1
}

_rc_stop() {
  local pid i
  if ! pid="$(_rc_pid)"; then
    _rc_log "no dockerd of ours is running"
    rm -f "$REPOCATE_CI_PIDFILE"
    return 0
  fi
  _rc_log "stopping dockerd pid $pid"
  kill -TERM "$pid"
  for ((i = 0; i < 120; i++)); do
    kill -0 "$pid" 2>/dev/null || {
      _rc_log "dockerd stopped"
      return 0
    }
    sleep 0.5
  done
  _rc_log "dockerd pid $pid still alive after 60 s; sending KILL"
  kill -KILL "$pid" 2>/dev/null || true
}

_rc_image_exists() { _rc_docker image inspect "$1" >/dev/null 2>&1; }

_rc_busybox_image() {
  if _rc_image_exists "$REPOCATE_CI_BUSYBOX_IMAGE"; then
    _rc_log "$REPOCATE_CI_BUSYBOX_IMAGE exists"
    return 0
  fi
  local root applet
  root="$(mktemp -d)"
  _RC_TMP+=("$root")
  mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,etc,tmp,root,home/dev,proc,sys,dev,var/tmp}
  chmod 1777 "$root/tmp" "$root/var/tmp"
  cp /bin/busybox "$root/bin/busybox"
  # busybox --list-full prints each applet's install path, e.g. usr/bin/env.
  while read -r applet; do
    [[ -n "$applet" && "$applet" != bin/busybox ]] || continue
    mkdir -p "$root/$(dirname "$applet")"
    ln -sf /bin/busybox "$root/$applet"
  done < <(/bin/busybox --list-full)
  cat >"$root/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
dev:x:1000:1000:dev:/home/dev:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
EOF
  cat >"$root/etc/group" <<'EOF'
root:x:0:
dev:x:1000:
nogroup:x:65534:
EOF
  chown 1000:1000 "$root/home/dev"
  _rc_log "importing $REPOCATE_CI_BUSYBOX_IMAGE"
  tar -C "$root" --numeric-owner -c . |
    _rc_docker import --change 'CMD ["/bin/sh"]' - "$REPOCATE_CI_BUSYBOX_IMAGE" >/dev/null
}

# The first plain http mirror apt is configured with (deb822 or one-line sources).
_rc_debian_mirror() {
  if [[ -n "${REPOCATE_CI_DEBIAN_MIRROR:-}" ]]; then
    echo "$REPOCATE_CI_DEBIAN_MIRROR"
    return
  fi
  local m
  m="$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources \
    2>/dev/null | grep -oE 'https?://[^ ]+/debian/?( |$)' | grep -v security | head -n 1 |
    tr -d ' ')" || true
  echo "${m:-http://deb.debian.org/debian}"
}

_rc_debian_image() {
  if _rc_image_exists "$REPOCATE_CI_DEBIAN_IMAGE"; then
    _rc_log "$REPOCATE_CI_DEBIAN_IMAGE exists"
    return 0
  fi
  local tarball="$REPOCATE_CI_CACHE/debian-bookworm.tar"
  if [[ ! -s "$tarball" ]]; then
    local root mirror
    root="$(mktemp -d "$REPOCATE_CI_CACHE/debootstrap.XXXXXX")"
    _RC_TMP+=("$root")
    mirror="$(_rc_debian_mirror)"
    _rc_log "debootstrap --variant=minbase bookworm from $mirror (a few minutes)"
    if ! debootstrap --variant=minbase bookworm "$root" "$mirror" \
      >"$REPOCATE_CI_CACHE/debootstrap.log" 2>&1 </dev/null; then
      _rc_log "debootstrap failed; last lines of $REPOCATE_CI_CACHE/debootstrap.log:"
      tail -n 30 "$REPOCATE_CI_CACHE/debootstrap.log" >&2
      return 1
    fi
    rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
    tar -C "$root" --numeric-owner -cf "$tarball.tmp" .
    mv "$tarball.tmp" "$tarball"
  else
    _rc_log "reusing $tarball"
  fi
  _rc_log "importing $REPOCATE_CI_DEBIAN_IMAGE"
  _rc_docker import --change 'CMD ["/bin/bash"]' "$tarball" "$REPOCATE_CI_DEBIAN_IMAGE" >/dev/null
}

_rc_images() {
  _rc_answers || {
    _rc_log "no engine answers on $REPOCATE_CI_SOCK: run '$0 start' first"
    return 1
  }
  mkdir -p "$REPOCATE_CI_CACHE"
  _rc_busybox_image
  if [[ "${REPOCATE_CI_DEBIAN:-1}" != 0 ]]; then
    _rc_debian_image
  else
    _rc_log "REPOCATE_CI_DEBIAN=0: skipping $REPOCATE_CI_DEBIAN_IMAGE"
  fi
}

# Removes what repocate made on OUR test engine (never another engine): containers and volumes
# labelled dev.repocate.managed=true and images tagged repocate/*, left by an interrupted run.
_rc_reset() {
  _rc_answers || { _rc_log "our engine is not running; nothing to reset"; return 0; }
  local ids
  ids="$(_rc_docker ps -aq --filter label=dev.repocate.managed=true)"
  [[ -z "$ids" ]] || _rc_docker rm -f $ids >/dev/null
  ids="$(_rc_docker volume ls -q --filter label=dev.repocate.managed=true)"
  [[ -z "$ids" ]] || _rc_docker volume rm -f $ids >/dev/null
  ids="$(_rc_docker images --filter reference='repocate/*' -q | sort -u)"
  [[ -z "$ids" ]] || _rc_docker rmi -f $ids >/dev/null 2>&1 || true
  _rc_log "reset: removed repocate's leftovers from the test engine"
}

# Serializes start/images/stop across concurrent callers (fd 9 stays open until we exit).
_rc_lock() {
  mkdir -p "$REPOCATE_CI_RUN"
  exec 9>"$REPOCATE_CI_RUN/lock"
  flock -w 600 9 || {
    _rc_log "another docker.sh still holds $REPOCATE_CI_RUN/lock after 600 s"
    return 1
  }
}

_rc_main() {
  case "${1:-}" in start | images | stop | reset) _rc_lock ;; esac
  case "${1:-}" in
    start)
      _rc_start
      echo "export DOCKER_HOST=$REPOCATE_CI_DOCKER_HOST"
      ;;
    images) _rc_images ;;
    stop) _rc_stop ;;
    reset) _rc_reset ;;
    env) echo "export DOCKER_HOST=$REPOCATE_CI_DOCKER_HOST" ;;
    *)
      echo "usage: $0 start|images|stop|reset|env" >&2
      return 2
      ;;
  esac
}

if [[ "${BASH_SOURCE[0]}" != "$0" ]]; then
  # Sourced: run as a child bash so `set -e` and the trap hold there whatever the caller's
  # context (bash ignores `set -e` inside conditions and `||` lists, subshells included), then
  # export DOCKER_HOST into the caller.
  _rc_status=0
  bash "${BASH_SOURCE[0]}" "$@" || _rc_status=$?
  if ((_rc_status == 0)); then
    case "${1:-}" in start | env) export DOCKER_HOST="$REPOCATE_CI_DOCKER_HOST" ;; esac
  fi
  return "$_rc_status"
else
  set -euo pipefail
  trap _rc_cleanup EXIT
  _rc_main "$@"
fi
