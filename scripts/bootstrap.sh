#!/usr/bin/env bash
# Idempotent set-up: system packages (Graphviz, a font so layouts are the same everywhere,
# Pango for the PDF, python3-venv, Chromium for the browser tests), then .venv with the pinned
# dependencies and the package itself.
# Run by `make site` and `make test`; safe to run again (it does nothing when all is in place).
set -euo pipefail
cd "$(dirname "$0")/.."

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
ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1\.0\.so\.0' || need_apt+=(libpango-1.0-0 libpangoft2-1.0-0)
# Debian's Chromium for the browser tests (Playwright drives it; it never downloads a browser).
[ -x /usr/bin/chromium ] || need_apt+=(chromium)

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

stamp=.venv/.bootstrap-stamp
want=$(cat requirements.lock pyproject.toml | sha256sum | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -x .venv/bin/build-site ]; then
  exit 0
fi
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
.venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
echo "$want" > "$stamp"
echo "bootstrap: .venv ready"
