#!/usr/bin/env bash
# The README promises Python 3.11 or newer. Debian 12's own Python is 3.11.2, and some current
# releases (pymdown-extensions 13, for one) need 3.11.5, so a lock made on a newer patch
# release can fail on the oldest one we promise. This resolves the whole lock with the oldest
# Python 3.11 on the machine, as a dry run: nothing is installed, only package metadata is read.
set -euo pipefail
cd "$(dirname "$0")/.."
oldest=""
for candidate in /usr/bin/python3.11 /usr/local/bin/python3.11 "$(command -v python3.11 || true)"; do
  [ -x "$candidate" ] || continue
  version=$("$candidate" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])')
  if [ -z "$oldest" ] || [ "$(printf '%s\n%s\n' "$version" "$oldest_version" | sort -V | head -1)" = "$version" ]; then
    oldest=$candidate; oldest_version=$version
  fi
done
if [ -z "$oldest" ]; then
  echo "python floor: no Python 3.11 interpreter here; skipped (install python3.11 to check)"
  exit 0
fi
if ! "$oldest" -m pip --version >/dev/null 2>&1; then
  echo "python floor: $oldest ($oldest_version) has no pip; skipped (install python3-pip)"
  exit 0
fi
echo "python floor: resolving requirements.lock and requirements-dev.lock with $oldest ($oldest_version), dry run"
# --break-system-packages only lifts Debian's guard against installing into its Python;
# --dry-run installs nothing.
for lock in requirements.lock requirements-dev.lock; do
  "$oldest" -m pip install --dry-run --ignore-installed --break-system-packages --quiet \
    --disable-pip-version-check --no-deps -r "$lock" 2> >(grep -v "^WARNING: Location" >&2)
done
echo "python floor: every pinned package installs on Python $oldest_version"
