#!/usr/bin/env bash
# Debian packages the test suite uses: Chromium for the browser tests, poppler for PDF checks.
# Installs them when missing and we are root with apt; otherwise says what is missing.
set -euo pipefail
packages=(chromium poppler-utils)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing ${missing[*]} ..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
else
  echo "Missing Debian packages: ${missing[*]} (sudo apt-get install -y ${missing[*]})."
  echo "Tests that need them are skipped outside CI."
fi
