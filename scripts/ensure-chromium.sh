#!/bin/sh
# The e2e tests drive Debian's Chromium (Playwright cannot download its own browser here). Install it when missing.
set -e
CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ -x "$CHROMIUM" ]; then exit 0; fi
echo "Chromium not found at $CHROMIUM; installing Debian's chromium package..."
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium
[ -x "$CHROMIUM" ] || { echo "Chromium still missing at $CHROMIUM" >&2; exit 1; }
