#!/usr/bin/env bash
# Installs the Debian (bookworm) packages seg needs to build and test.
# Idempotent and quiet when everything is already present.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config clang
  tao-pegtl-dev libfmt-dev nlohmann-json3-dev doctest-dev libcli11-dev libre2-dev
  libphonenumber-dev libssl-dev libxxhash-dev libsimdjson-dev python3
  python3-jsonschema python3-yaml libcurl4-openssl-dev
  librocksdb-dev libcpp-httplib-dev python3-prometheus-client
  librdkafka-dev kcat
  libpq-dev postgresql python3-scipy python3-pil chromium neovim
  llvm-19-dev
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
# npm (the VS Code extension's packaging test, tests/lsp/): Debian's nodejs and npm,
# unless a node with npm is already installed (NodeSource's nodejs bundles npm).
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps: installing ${missing[*]}" >&2
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
