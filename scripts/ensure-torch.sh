#!/bin/sh
# The PyTorch cross-check (src/export/pytorch/crossCheck.test.ts) runs exported scripts with Debian's python3-torch.
# Install it when /usr/bin/python3 cannot import torch (as ensure-chromium.sh does for the browser).
set -e
PYTHON=/usr/bin/python3
if [ -x "$PYTHON" ] && "$PYTHON" -c 'import torch' 2>/dev/null; then exit 0; fi
echo "python3-torch not usable from $PYTHON; installing Debian's python3-torch package..."
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3 python3-torch
"$PYTHON" -c 'import torch' || { echo "$PYTHON still cannot import torch" >&2; exit 1; }
