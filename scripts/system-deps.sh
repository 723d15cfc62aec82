#!/usr/bin/env bash
# Debian packages the app needs beyond Python: Pango (WeasyPrint's PDF renderer) and fonts;
# for the tests also Debian's chromium (driven by Playwright), redis-server (the tests start
# their own, to check that rate limits are shared through it) and PostgreSQL (a test starts a
# cluster of its own to restart it under two app servers). Installed only when missing.
set -euo pipefail
need=()
ldconfig -p 2>/dev/null | grep -q 'libpango-1.0' || need+=(libpango-1.0-0 libpangoft2-1.0-0)
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)
if [ "${1:-}" = "test" ]; then
  [ -x /usr/bin/chromium ] || need+=(chromium)
  [ -x /usr/bin/redis-server ] || need+=(redis-server)
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
fi
[ ${#need[@]} -eq 0 ] && exit 0
echo "Installing Debian packages: ${need[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}"
