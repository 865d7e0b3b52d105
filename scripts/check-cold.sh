#!/bin/sh
# The cold set-up check: what a new user's first `npm start` does, on this machine, from nothing.
# It clones the current commit into a temporary folder and runs the README's `npm start` there (the
# steps of package.json's "start" script, one by one, so each is timed) with every cache pointed at a
# new empty folder: DESA_CACHE, GOMODCACHE, GOCACHE and npm's cache. It prints the time of each phase
# (npm, Debian packages, each toolchain piece, the first `desa up`, the report) and the total, the disk
# the caches took, and exits non-zero on any failure. Afterwards it stops what the run started and
# removes its folders.
#
#   npm run check:cold [-- OPTIONS]      (or sh scripts/check-cold.sh OPTIONS)
#     --warm-go-downloads  keep the Go module download cache ($GOMODCACHE) warm: only the build cache,
#                          DESA_CACHE and npm's cache start empty (to measure what downloads cost)
#     --purge-packages     as root: purge the Debian packages bootstrap installs first, so their
#                          install is measured too (it changes this machine; they are reinstalled)
#     --keep               keep the temporary folder (clone, caches, logs) for inspection
#     --dir DIR            where to make the temporary folder (default: $TMPDIR or /tmp)
#
# Only committed work is checked (the clone has no uncommitted changes); a dirty tree is named.
# It takes 30-60 minutes on 2 cores. It is not part of `npm test`/.ci/run.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
say() { printf 'check:cold: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

warm_go="" purge="" keep="" parent=${TMPDIR:-/tmp}
while [ $# -gt 0 ]; do
	case $1 in
	--warm-go-downloads) warm_go=1 ;;
	--purge-packages) purge=1 ;;
	--keep) keep=1 ;;
	--dir) [ $# -ge 2 ] || die "--dir needs a folder"; parent=$2; shift ;;
	-h | --help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) die "unknown option '$1' (see --help)" ;;
	esac
	shift
done
command -v git >/dev/null || die "git is needed"
[ -z "$purge" ] || [ "$(id -u)" = 0 ] || die "--purge-packages needs root"

commit=$(git -C "$root" rev-parse HEAD)
[ -z "$(git -C "$root" status --porcelain --untracked-files=no)" ] ||
	say "warning: uncommitted changes in $root are not part of the check (it clones commit ${commit%"${commit#????????????}"})"

mkdir -p "$parent"
tmp=$(mktemp -d "$parent/desa-cold-XXXXXX")
chmod 755 "$tmp" # the local servers' unprivileged users enter the clone's .desa/services
clone=$tmp/desa
caches=$tmp/caches
timings=$tmp/timings.tsv
: >"$timings"

cleanup() {
	rc=$?
	if [ -x "$clone/bin/desa" ] && [ -d "$clone/node_modules" ]; then
		(cd "$clone" && bin/desa cluster down >/dev/null 2>&1) || true
	fi
	# Anything still running from the temporary folder (a build, a server) is the check's own.
	left=$(pgrep -f "$tmp/" 2>/dev/null | grep -v "^$$\$" || true)
	if [ -n "$left" ]; then
		say "stopping processes left behind: $(echo $left)"
		kill $left 2>/dev/null || true
		sleep 2
		kill -9 $left 2>/dev/null || true
	fi
	if [ -n "$keep" ]; then
		say "kept $tmp"
	else
		chmod -R u+w "$tmp" 2>/dev/null || true
		rm -rf "$tmp"
	fi
	exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say "cloning commit $commit into $clone"
git clone --quiet --no-hardlinks "$root" "$clone"
git -C "$clone" checkout --quiet "$commit"
# ../shared beside the clone, as CI has it (data and vendored releases some tests read).
[ -d "$root/../shared" ] && ln -s "$(cd "$root/../shared" && pwd)" "$tmp/shared"

mkdir -p "$caches/desa" "$caches/gobuild" "$caches/npm"
export DESA_CACHE="$caches/desa" GOCACHE="$caches/gobuild" npm_config_cache="$caches/npm"
export NODE_COMPILE_CACHE="$caches/desa/node-compile-cache"
if [ -n "$warm_go" ]; then
	say "Go module downloads: warm ($(go env GOMODCACHE)), by request"
else
	mkdir -p "$caches/gomod"
	export GOMODCACHE="$caches/gomod"
fi
export DESA_TIMINGS="$timings" CI=true
# Its own ports, so that a cluster the developer runs (23790) or a test suite (25790-28790) is not in
# the way; the command run is still the README's.
export DESA_CLUSTER_PORT_BASE="${DESA_CLUSTER_PORT_BASE:-29790}"

if [ -n "$purge" ]; then
	# openssl and curl stay: half the machine depends on them (a JDK through ca-certificates-java),
	# and apt refuses to break it; every server package goes.
	pkgs=$(sh "$root/scripts/bootstrap.sh" --print-packages | tr ' ' '\n' | grep -vx 'openssl\|curl' | tr '\n' ' ')
	say "purging the Debian packages bootstrap installs:$pkgs"
	DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq $pkgs >/dev/null 2>&1 || die "apt-get purge failed"
fi

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

# The README's `npm start`, step by step: "sh scripts/bootstrap.sh && bin/desa up && bin/desa report".
start_script=$(cd "$clone" && node -e 'process.stdout.write(require("./package.json").scripts.start)' 2>/dev/null ||
	sed -n 's/^ *"start": *"\(.*\)",*$/\1/p' "$clone/package.json")
[ -n "$start_script" ] || die "no start script in package.json"
say "npm start = $start_script"
t0=$(now)
log=$tmp/npm-start.log
# The machine's load while it runs, sampled each minute: a busy machine stretches every wall time.
(while sleep 60; do cut -d' ' -f1 /proc/loadavg; done) >"$tmp/load" 2>/dev/null &
sampler=$!
failed=""
# Split on && (the script is a plain chain of commands); each step reads no stdin (CI has none).
printf '%s\n' "$start_script" | sed 's/ *&& */\n/g' >"$tmp/steps"
while IFS= read -r step; do
	say "running: $step"
	ts=$(now)
	if ! (cd "$clone" && sh -c "$step") >>"$log" 2>&1 </dev/null; then
		failed=$step
		printf '%s\t%s\n' "$step: FAILED" "$(secs "$ts" "$(now)")" >>"$timings"
		break
	fi
	case $step in
	*bootstrap.sh*) ;; # bootstrap records its own phases (npm, packages, each toolchain piece)
	*) printf '%s\t%s\n' "$step" "$(secs "$ts" "$(now)")" >>"$timings" ;;
	esac
done <"$tmp/steps"
total=$(secs "$t0" "$(now)")
kill "$sampler" 2>/dev/null || true

echo
echo "Cold set-up check of $commit ($(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo))"
echo "Go module downloads: $([ -n "$warm_go" ] && echo "warm (by request)" || echo "cold")"
awk '{ s += $1; n++; if ($1 > m) m = $1 } END { if (n) printf "Load average during the run: mean %.1f, highest %.1f (%d samples; %d cores)\n", s / n, m, n, '"$(nproc)"' }' "$tmp/load"
printf '%-58s %10s\n' "phase" "seconds"
awk -F'\t' '{ printf "%-58s %10s\n", $1, $2 }' "$timings"
printf '%-58s %10s  (%s)\n' "total" "$total" "$(awk -v s="$total" 'BEGIN { printf "%d min %02d s", s / 60, s % 60 }')"
echo
echo "Disk afterwards:"
for d in desa gomod gobuild npm; do
	[ -d "$caches/$d" ] && printf '  %-8s %s\n' "$d" "$(du -sh "$caches/$d" 2>/dev/null | cut -f1)"
done
printf '  %-8s %s\n' clone "$(du -sh "$clone" 2>/dev/null | cut -f1) (node_modules and .desa included)"
if [ -n "$failed" ]; then
	echo
	echo "FAILED at: $failed. The last lines of its output:"
	tail -n 30 "$log"
	exit 1
fi
echo
echo "passed: the README's npm start works from empty caches"
