#!/usr/bin/env bash
# Installs Debian's Chromium at /usr/bin/chromium for the browser tests (tests/browser/), when
# it is missing. Idempotent; run as root with no stdin. playwright-core itself comes from npm
# through Deno (pinned in the tests' import, locked in deno.lock); it downloads no browser.
set -euo pipefail

if [[ -x /usr/bin/chromium ]]; then
  echo "[browser.sh] $(/usr/bin/chromium --version 2>/dev/null || echo chromium) is installed" >&2
  exit 0
fi
echo "[browser.sh] installing chromium from apt" >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core </dev/null
/usr/bin/chromium --version >&2
