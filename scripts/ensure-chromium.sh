#!/usr/bin/env bash
# The browser check drives Debian's Chromium (playwright-core downloads no browser here).
set -euo pipefail
CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ -x "$CHROMIUM" ]; then exit 0; fi
if [ "$(id -u)" != "0" ]; then
	echo "Chromium is missing at $CHROMIUM; install Debian's chromium package (apt-get install chromium) or set CHROMIUM_PATH" >&2
	exit 1
fi
echo "Installing Debian's chromium for the browser check..."
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium > /dev/null
