#!/usr/bin/env bash
# Idempotent set-up: system packages (Graphviz, a font so layouts are the same everywhere,
# Pango for the PDF, python3-venv, Chromium for the browser tests), then .venv with the locked
# dependencies and the package itself.
#
#   scripts/bootstrap.sh runtime   what building a site needs (requirements.lock; `make site`)
#   scripts/bootstrap.sh dev       that plus the test tools (requirements-dev.lock; `make test`)
#
# Safe to run again: it does nothing when .venv already holds the current lock. When a lock
# changes, .venv is rebuilt from nothing rather than installed over, because
# packages left from an older lock hide missing dependencies. The one exception is adding the
# development lock to a runtime .venv of the same lock generation: the development lock is
# resolved with the runtime lock as constraints (`make lock`), so it only adds packages. A change
# to pyproject.toml alone reinstalls only the package itself (its entry points and data).
set -euo pipefail
cd "$(dirname "$0")/.."

MODE=${1:-dev}
case "$MODE" in
  runtime) lock=requirements.lock ;;
  dev) lock=requirements-dev.lock ;;
  *) echo "bootstrap: unknown mode '$MODE' (runtime or dev)" >&2; exit 2 ;;
esac
PYTHON=${PYTHON:-python3}
need_apt=()

if ! command -v "$PYTHON" >/dev/null 2>&1; then
  echo "bootstrap: $PYTHON not found; install Python 3.11 or newer" >&2
  exit 1
fi
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "bootstrap: Python 3.11 or newer is needed ($("$PYTHON" --version))" >&2
  exit 1
fi
"$PYTHON" -c 'import ensurepip, venv' >/dev/null 2>&1 || need_apt+=(python3-venv)
command -v dot >/dev/null 2>&1 || need_apt+=(graphviz)
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need_apt+=(fonts-dejavu-core)
# Pango for WeasyPrint (build-site pdf), which loads it at run time.
# grep reads all of ldconfig's output (-q would stop early, and under pipefail ldconfig's SIGPIPE
# made Pango look missing on every run)
ldconfig -p 2>/dev/null | grep 'libpangoft2-1\.0\.so\.0' >/dev/null || need_apt+=(libpango-1.0-0 libpangoft2-1.0-0)
# Debian's Chromium for the browser tests (Playwright drives it; it never downloads a browser).
if [ "$MODE" = dev ]; then
  [ -x /usr/bin/chromium ] || need_apt+=(chromium)
fi

if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "bootstrap: installing ${need_apt[*]} with apt-get"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
  else
    echo "bootstrap: missing system packages: ${need_apt[*]}" >&2
    echo "  install them with: sudo apt-get install ${need_apt[*]}" >&2
    exit 1
  fi
fi

generation() { sha256sum "$1" | cut -d' ' -f1; }
runtime_stamp="runtime $(generation requirements.lock)"
dev_stamp="dev $(generation requirements-dev.lock)"
stamp_file=.venv/.bootstrap-stamp
have=$(cat "$stamp_file" 2>/dev/null || true)
# pyproject.toml alone (entry points, package data) needs only the package reinstalled.
project_stamp_file=.venv/.project-stamp
project=$(generation pyproject.toml)
refresh_project() {
  if [ "$(cat "$project_stamp_file" 2>/dev/null || true)" != "$project" ]; then
    "${pip[@]}" --no-deps -e .
    echo "$project" > "$project_stamp_file"
  fi
}
pip=(.venv/bin/python -m pip install --quiet --disable-pip-version-check)
# A lock lists every package with its hashes, so pip installs it without resolving (--no-deps:
# pip's resolver would otherwise ask for extras such as fonttools[woff] unpinned); `pip check`
# then proves that nothing the packages need is missing from the lock.
install_lock() {
  "${pip[@]}" --no-deps -r "$1"
  local out
  out=$(.venv/bin/python -m pip check) || { echo "bootstrap: $1 is incomplete:" >&2; echo "$out" >&2; return 1; }
}

if [ -x .venv/bin/build-site ]; then
  # A development .venv serves a runtime build too; a runtime one serves only itself.
  if [ "$have" = "$dev_stamp" ] || { [ "$MODE" = runtime ] && [ "$have" = "$runtime_stamp" ]; }; then
    refresh_project
    exit 0
  fi
  if [ "$MODE" = dev ] && [ "$have" = "$runtime_stamp" ]; then
    install_lock requirements-dev.lock
    echo "$dev_stamp" > "$stamp_file"
    refresh_project
    echo "bootstrap: .venv ready (development lock added)"
    exit 0
  fi
fi
if [ -e .venv ]; then
  echo "bootstrap: the lock changed since .venv was made; rebuilding it from nothing"
  rm -rf .venv
fi
"$PYTHON" -m venv .venv
install_lock "$lock"
"${pip[@]}" --no-deps -e .
echo "$project" > "$project_stamp_file"
if [ "$MODE" = dev ]; then echo "$dev_stamp" > "$stamp_file"; else echo "$runtime_stamp" > "$stamp_file"; fi
echo "bootstrap: .venv ready ($MODE: $lock)"
