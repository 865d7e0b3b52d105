#!/bin/sh
# Build desa's toolchain (Pulumi engine, local Kubernetes control plane, S3 server for the local
# services) from the Go module proxy.
#
#   toolchain/build.sh [engine|cluster|services|all|plugin|<piece>...]
#                                                        build what is missing (default: all);
#                                                        engine = pulumi pulumi-kubernetes + plugin,
#                                                        cluster = etcd kubernetes kwok,
#                                                        services = versitygw pebble sftpgo,
#                                                        all = the three;
#                                                        plugin = only install the built k8s plugin
#   toolchain/build.sh env                               print shell exports for the built tools
#   toolchain/build.sh pin <piece>...                    regenerate toolchain/<piece>/go.mod+go.sum
#                                                        from versions.env (maintainers only)
# Pieces: pulumi pulumi-language-nodejs pulumi-kubernetes etcd kubernetes kwok versitygw pebble sftpgo
#
# Output: $DESA_CACHE/toolchain/<piece>-<version>/bin/..., with
#   DESA_CACHE=${DESA_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/desa}
# and the kubernetes plugin installed into $DESA_CACHE/pulumi-home.
# A piece whose directory exists is complete (it is built in a temp dir and renamed), so re-runs,
# interrupted runs and other checkouts reuse it. Nothing here downloads anything but Go modules.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
. "$here/versions.env"

CACHE=${DESA_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/desa}
TC=$CACHE/toolchain
PULUMI_HOME_DIR=$CACHE/pulumi-home

export GOTOOLCHAIN=auto
export CGO_ENABLED=0
export GOFLAGS="${GOFLAGS:+$GOFLAGS }-buildvcs=false -modcacherw" # keeps e.g. a caller's -p=1
export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
# The checksum database has no entry for some pulumi pseudo-versions the proxy serves; the committed
# go.sum files pin every hash, and -mod=readonly builds check against them.
export GONOSUMDB="${GONOSUMDB:+$GONOSUMDB,}github.com/pulumi"
export PULUMI_SKIP_UPDATE_CHECK=true
export PULUMI_HOME="$PULUMI_HOME_DIR"

NICE="nice -n 10"
TIME=""
[ -x /usr/bin/time ] && TIME="/usr/bin/time -v -o"

log() { printf 'toolchain: %s\n' "$*" >&2; }
die() { printf 'toolchain: error: %s\n' "$*" >&2; exit 1; }

command -v go >/dev/null 2>&1 || die "go not found on PATH (Go >= 1.24 needed; GOTOOLCHAIN=auto fetches newer)"

# ---------------------------------------------------------------------------------------------
# Piece metadata
# ---------------------------------------------------------------------------------------------
version_of() {
	case $1 in
	pulumi | pulumi-language-nodejs) echo "$PULUMI_VERSION" ;;
	pulumi-kubernetes) echo "$PULUMI_KUBERNETES_VERSION" ;;
	etcd) echo "$ETCD_VERSION" ;;
	kubernetes) echo "$KUBERNETES_VERSION" ;;
	kwok) echo "$KWOK_VERSION" ;;
	versitygw) echo "$VERSITYGW_VERSION" ;;
	pebble) echo "$PEBBLE_VERSION" ;;
	sftpgo) echo "$SFTPGO_VERSION" ;;
	*) die "unknown piece '$1'" ;;
	esac
}

# The pin line written into each wrapper go.mod; build refuses a wrapper whose pins differ.
pin_line() {
	case $1 in
	pulumi) echo "PULUMI_VERSION=$PULUMI_VERSION" ;;
	pulumi-language-nodejs) echo "PULUMI_VERSION=$PULUMI_VERSION PULUMI_COMMIT=$PULUMI_COMMIT" ;;
	pulumi-kubernetes) echo "PULUMI_KUBERNETES_VERSION=$PULUMI_KUBERNETES_VERSION PULUMI_KUBERNETES_COMMIT=$PULUMI_KUBERNETES_COMMIT" ;;
	etcd) echo "ETCD_VERSION=$ETCD_VERSION" ;;
	kubernetes) echo "KUBERNETES_VERSION=$KUBERNETES_VERSION" ;;
	kwok) echo "KWOK_VERSION=$KWOK_VERSION" ;;
	versitygw) echo "VERSITYGW_VERSION=$VERSITYGW_VERSION" ;;
	pebble) echo "PEBBLE_VERSION=$PEBBLE_VERSION" ;;
	sftpgo) echo "SFTPGO_VERSION=$SFTPGO_VERSION" ;;
	esac
}

dest_of() { echo "$TC/$1-$(version_of "$1")"; }

# ---------------------------------------------------------------------------------------------
# pin: regenerate a wrapper module from versions.env
# ---------------------------------------------------------------------------------------------
PULUMI_LANG_MOD=github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3
K8S_PROVIDER_MOD=github.com/pulumi/pulumi-kubernetes/provider/v4
PEBBLE_MOD=github.com/letsencrypt/pebble/v2
SFTPGO_MOD=github.com/drakkan/sftpgo/v2

# Print the replace directives of a downloaded .mod file, one per line: "old[ v] => new[ v]".
mod_replaces() {
	sed 's://.*$::' "$1" | awk '
		/^replace[ \t]*\(/ { inb = 1; next }
		inb && /^[ \t]*\)/ { inb = 0; next }
		inb && /=>/ { print; next }
		/^replace[ \t]+[^(]/ { sub(/^replace[ \t]+/, ""); print }'
}

# go mod edit -replace argument from "old[ v] => new[ v]"
replace_arg() {
	echo "$1" | awk '{ s = ""; l = ""; r = ""; side = 0
		for (i = 1; i <= NF; i++) { if ($i == "=>") { side = 1; continue }
			if (side == 0) l = (l == "" ? $i : l "@" $i); else r = (r == "" ? $i : r "@" $i) }
		print l "=" r }'
}

gomod_of() { # module@version -> path of its downloaded .mod file (or the proxy's error, and fail)
	j=$(go mod download -json "$1" 2>&1) || true
	if printf '%s\n' "$j" | grep -q '"Error"'; then
		printf '%s\n' "$j" | sed -n 's/^[[:space:]]*"Error": "\(.*\)",*$/\1/p' | sed 's/\\n\\t*/: /g' >&2
		return 1
	fi
	printf '%s\n' "$j" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",*$/\1/p'
}

pin() {
	p=$1
	requires="" tools="" upstream_main=""
	case $p in
	pulumi)
		requires="github.com/pulumi/pulumi/pkg/v3@$PULUMI_VERSION github.com/pulumi/pulumi/sdk/v3@$PULUMI_VERSION"
		tools="github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
		upstream_main="github.com/pulumi/pulumi/pkg/v3@$PULUMI_VERSION" ;;
	pulumi-language-nodejs)
		[ -n "$PULUMI_COMMIT" ] || die "PULUMI_COMMIT (commit behind tag pkg/$PULUMI_VERSION) is not set in versions.env"
		requires="$PULUMI_LANG_MOD@$PULUMI_COMMIT github.com/pulumi/pulumi/pkg/v3@$PULUMI_VERSION github.com/pulumi/pulumi/sdk/v3@$PULUMI_VERSION"
		tools="$PULUMI_LANG_MOD"
		upstream_main="$PULUMI_LANG_MOD@$PULUMI_COMMIT" ;;
	pulumi-kubernetes)
		[ -n "$PULUMI_KUBERNETES_COMMIT" ] || die "PULUMI_KUBERNETES_COMMIT (commit behind tag $PULUMI_KUBERNETES_VERSION) is not set in versions.env"
		requires="$K8S_PROVIDER_MOD@$PULUMI_KUBERNETES_COMMIT github.com/pulumi/pulumi-kubernetes/sdk/v4@$PULUMI_KUBERNETES_VERSION"
		tools="$K8S_PROVIDER_MOD/cmd/pulumi-resource-kubernetes"
		upstream_main="$K8S_PROVIDER_MOD@$PULUMI_KUBERNETES_COMMIT" ;;
	etcd)
		for m in api/v3 client/pkg/v3 client/v3 pkg/v3 server/v3; do requires="$requires go.etcd.io/etcd/$m@$ETCD_VERSION"; done
		tools="go.etcd.io/etcd/server/v3"
		upstream_main="go.etcd.io/etcd/server/v3@$ETCD_VERSION" ;;
	kubernetes)
		requires="k8s.io/kubernetes@$KUBERNETES_VERSION"
		for t in kube-apiserver kube-controller-manager kube-scheduler kubectl; do tools="$tools k8s.io/kubernetes/cmd/$t"; done
		upstream_main="k8s.io/kubernetes@$KUBERNETES_VERSION" ;;
	kwok)
		requires="sigs.k8s.io/kwok@$KWOK_VERSION"
		tools="sigs.k8s.io/kwok/cmd/kwok"
		upstream_main="sigs.k8s.io/kwok@$KWOK_VERSION" ;;
	versitygw)
		requires="github.com/versity/versitygw@$VERSITYGW_VERSION"
		tools="github.com/versity/versitygw/cmd/versitygw"
		upstream_main="github.com/versity/versitygw@$VERSITYGW_VERSION" ;;
	pebble)
		requires="$PEBBLE_MOD@$PEBBLE_VERSION"
		tools="$PEBBLE_MOD/cmd/pebble"
		upstream_main="$PEBBLE_MOD@$PEBBLE_VERSION" ;;
	sftpgo)
		requires="$SFTPGO_MOD@$SFTPGO_VERSION"
		tools="$SFTPGO_MOD"
		upstream_main="$SFTPGO_MOD@$SFTPGO_VERSION" ;;
	*) die "unknown piece '$p'" ;;
	esac
	log "pin $p: $(pin_line "$p")"
	w=$(mktemp -d "${TMPDIR:-/tmp}/desa-pin-$p.XXXXXX")
	# (a plain subshell statement, so that set -e applies inside it; on failure the script stops)
	(
		cd "$w"
		{
			echo "// Wrapper module for desa's toolchain. Generated by toolchain/build.sh pin $p from versions.env:"
			echo "// $(pin_line "$p")"
			echo "// Do not edit by hand: change versions.env and re-run the pin."
			echo "module desa.local/toolchain/$p"
			echo
			echo "go 1.24.0"
		} >go.mod
		for t in $tools; do go mod edit -tool="$t"; done
		# Replace directives of the upstream main module: absolute ones are copied; relative ones
		# (sibling modules in the same repository) become requirements of the published modules.
		upmod=$(gomod_of "$upstream_main") || die "cannot download $upstream_main from the Go module proxy"
		[ -n "$upmod" ] || die "cannot download $upstream_main from the Go module proxy"
		mod_replaces "$upmod" | while IFS= read -r r; do
			case $r in
			*"=> ./"* | *"=> ../"*)
				if [ "$p" = kubernetes ]; then
					# k8s.io/kubernetes vX.Y.Z publishes its staging modules as v0.Y.Z
					old=${r%% *}
					go mod edit -replace="$old=$old@v0.${KUBERNETES_VERSION#v1.}"
				fi ;;
			*) go mod edit -replace="$(replace_arg "$r")" ;;
			esac
		done
		GOFLAGS="$GOFLAGS -mod=mod" go get $requires
		GOFLAGS="$GOFLAGS -mod=mod" go mod tidy
	)
	mkdir -p "$here/$p"
	cp "$w/go.mod" "$here/$p/go.mod"
	cp "$w/go.sum" "$here/$p/go.sum"
	rm -rf "$w"
	log "pin $p: wrote toolchain/$p/go.mod and go.sum"
}

# ---------------------------------------------------------------------------------------------
# align: one version of each shared dependency across the pieces
# ---------------------------------------------------------------------------------------------
# The pieces share much of their code (k8s.io/api, client-go and apimachinery in kubernetes, kwok and
# the provider; grpc, protobuf, OpenTelemetry, golang.org/x everywhere; pulumi's sdk in the CLI and the
# provider). Go's build cache reuses a compiled package only when it and everything below it is the
# same version, so the pieces are pinned to the newest version any of them needs of each module they
# share (Go's minimal version selection allows raising a requirement, never lowering it). A replaced
# module (kubernetes' staging modules) keeps its replacement, and the others follow it where they can.
#   toolchain/build.sh align [piece...]     (maintainers; after `pin`; then build and test every piece)
PIECES_ALL="pulumi pulumi-kubernetes etcd kubernetes versitygw"
# Held back, per piece, because its code does not compile against the newer version: the provider
# v4.25.0 against Pulumi's pkg/v3 newer than its own (codegen/schema changed a field to a pointer).
# kwok is left out of the alignment altogether: kwok v0.8.0 needs the Kubernetes libraries v0.36, and
# v0.7.0, which takes v0.33, does not compile against the v0.34 the control plane is built from.
ALIGN_HOLD="pulumi-kubernetes:github.com/pulumi/pulumi/pkg/v3 pulumi-kubernetes:github.com/pulumi/pulumi/sdk/v3"
held() { case " $ALIGN_HOLD " in *" $1:$2 "*) return 0 ;; esac; return 1; }
# piece: "path version replaced" for every module that provides a package to its binaries (modules of
# the graph that provide none do not matter to the build cache, and `go mod tidy` drops their raise)
build_list() {
	(cd "$here/$1" && GOFLAGS="$GOFLAGS -mod=mod" go list -e -deps -f '{{with .Module}}{{if not .Main}}{{.Path}} {{if .Replace}}{{.Replace.Version}} R{{else}}{{.Version}} -{{end}}{{end}}{{end}}' tool 2>/dev/null | sort -u)
}
align() {
	[ $# -gt 0 ] || set -- $PIECES_ALL
	tried=$(mktemp)
	round=1
	while [ $round -le 6 ]; do
		all=$(mktemp)
		for p in "$@"; do build_list "$p" | sed "s|^|$p |"; done >"$all"
		changed=""
		for p in "$@"; do
			# the newest version of each module path over every piece (sort -V orders semver and
			# pseudo-versions), unless held, or already tried in an earlier round without effect
			ups=$(awk -v me="$p" '$1 == me && $4 == "-" { print $2 " " $3 }' "$all" | while read -r m v; do
				held "$p" "$m" && continue
				max=$(awk -v m="$m" '$2 == m && $3 != "" { print $3 }' "$all" | sort -V | tail -n 1)
				[ "$max" != "$v" ] || continue
				grep -qxF "$p $m@$max" "$tried" && continue
				echo "$m@$max"
			done)
			[ -n "$ups" ] || continue
			log "align $p (round $round): raising $(echo "$ups" | wc -l) module(s)"
			for u in $ups; do echo "$p $u" >>"$tried"; done
			holds=$(for h in $ALIGN_HOLD; do [ "${h%%:*}" = "$p" ] && awk -v m="${h#*:}" '$1 == "'"$p"'" && $2 == m { print m "@" $3 }' "$all"; done)
			(
				cd "$here/$p"
				GOFLAGS="$GOFLAGS -mod=mod" go get $ups >/dev/null 2>&1 || {
					# one at a time, so that a module whose newest version cannot be had stays where it is
					for u in $ups; do GOFLAGS="$GOFLAGS -mod=mod" go get "$u" >/dev/null 2>&1 || log "align $p: kept ${u%@*} (go get $u failed)"; done
				}
				# a held module goes back to its version, and with it whatever raise needed it newer
				[ -z "$holds" ] || GOFLAGS="$GOFLAGS -mod=mod" go get $holds >/dev/null 2>&1
				GOFLAGS="$GOFLAGS -mod=mod" go mod tidy
			)
			changed=1
		done
		rm -f "$all"
		[ -n "$changed" ] || break
		round=$((round + 1))
	done
	rm -f "$tried"
	left=$(for p in "$@"; do build_list "$p" | sed "s|^|$p |"; done | awk '{ v[$2] = v[$2] " " $3 } END { for (m in v) { n = split(v[m], a, " "); d = 0; for (i = 2; i <= n; i++) if (a[i] != a[1]) d = 1; if (d) print m } }' | sort)
	if [ -z "$left" ]; then
		log "align: every shared module has one version across: $*"
	else
		log "align: $(echo "$left" | wc -l) module(s) keep more than one version (held or not raisable): $(echo $left | cut -c1-300)"
	fi
}

# ---------------------------------------------------------------------------------------------
# build
# ---------------------------------------------------------------------------------------------
mod_time() { go list -m -f '{{.Time}}' "$1" | cut -c1-19 | sed 's/ /T/;s/$/Z/'; }

# The source folder of a module of the build list, downloaded first: `go list -m -f {{.Dir}}` only
# resolves the module and prints an empty Dir until something else has downloaded its zip (a warm
# module cache hides that; a fresh machine does not).
mod_dir() {
	j=$(go mod download -json "$1" 2>&1) || { printf '%s\n' "$j" >&2; return 1; }
	printf '%s\n' "$j" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",*$/\1/p'
}

# go build with progress, timing and the flags every piece shares. $1 = output dir, rest = args.
gobuild() {
	out=$1; shift
	if [ -n "$TIME" ]; then
		$TIME "$tmp/time.txt" $NICE go build -trimpath ${DESA_BUILD_ACTIONGRAPH:+-debug-actiongraph=$DESA_BUILD_ACTIONGRAPH/$p.json} -o "$out/" "$@"
		# CPU seconds beside wall time: on a busy machine the wall time says little, the CPU time what
		# the build cost (what the shared build cache saves shows there).
		awk -F': ' '/Elapsed \(wall/ { w = $2 } /Maximum resident/ { r = $2 } /(User|System) time/ { c += $2 }
			END { printf "toolchain:   go build: wall %s, CPU %.0f s, peak RSS %.0f MiB\n", w, c, r / 1024 }' "$tmp/time.txt" >&2
		cat "$tmp/time.txt" >>"$tmp/build-info.txt"
	else
		$NICE go build -trimpath -o "$out/" "$@"
	fi
}

build_pulumi() {
	gobuild "$tmp/bin" -tags osusergo,grpcnotrace \
		-ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$PULUMI_VERSION" \
		github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
	"$tmp/bin/pulumi" version >&2
}

build_pulumi_language_nodejs() {
	gobuild "$tmp/bin" -tags osusergo,grpcnotrace \
		-ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$PULUMI_VERSION" \
		"$PULUMI_LANG_MOD"
}

build_pulumi_kubernetes() {
	v=${PULUMI_KUBERNETES_VERSION#v} # upstream stamps the "generic" version, without the v
	# The provider's main.go embeds schema-embed.json and terraform-mapping-embed.json, which upstream
	# generates (cmd/pulumi-resource-kubernetes/generate.go, run with VERSION=$v) and does not commit.
	# Copy the module source, run that same generate.go on it, and build the copy.
	dir=$(mod_dir "$K8S_PROVIDER_MOD") && [ -d "$dir" ] || die "cannot download $K8S_PROVIDER_MOD"
	cp -R "$dir" provider
	chmod -R u+w provider
	mkdir embedgen
	sed '/^\/\/go:build ignore/d; /^\/\/ +build ignore/d' \
		provider/cmd/pulumi-resource-kubernetes/generate.go >embedgen/main.go
	GOFLAGS="$GOFLAGS -mod=mod" $NICE go build -o "$tmp/embedgen.bin" ./embedgen
	(cd provider/cmd/pulumi-resource-kubernetes && VERSION=$v "$tmp/embedgen.bin")
	rm -rf embedgen "$tmp/embedgen.bin"
	[ -s provider/cmd/pulumi-resource-kubernetes/schema-embed.json ] || die "schema-embed.json not generated"
	go mod edit -replace="$K8S_PROVIDER_MOD=./provider"
	# The provider links its own Go SDK (every resource type of every API group, generated code that
	# only the yaml/v2 and helm/v4 components run, never in a hot loop): compiled without inlining,
	# its packages take a quarter less CPU (53 s -> 39 s for core/v1, measured).
	gobuild "$tmp/bin" \
		-gcflags "github.com/pulumi/pulumi-kubernetes/sdk/v4/go/kubernetes/...=-l" \
		-ldflags "-s -w -X $K8S_PROVIDER_MOD/pkg/version.Version=$v" \
		"$K8S_PROVIDER_MOD/cmd/pulumi-resource-kubernetes"
}

build_etcd() {
	gobuild "$tmp/bin" -ldflags "-s -w -X go.etcd.io/etcd/api/v3/version.GitSHA=$ETCD_VERSION" \
		go.etcd.io/etcd/server/v3
	mv "$tmp/bin/server" "$tmp/bin/etcd" # go names the binary after .../server/v3 -> server
	"$tmp/bin/etcd" --version >&2
}

build_kubernetes() {
	kv=$KUBERNETES_VERSION
	minor=$(echo "$kv" | cut -d. -f2)
	date=$(mod_time k8s.io/kubernetes)
	ld="-s -w"
	for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
		ld="$ld -X $pkg.gitVersion=$kv -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor"
		ld="$ld -X $pkg.gitTreeState=clean -X $pkg.buildDate=$date"
	done
	gobuild "$tmp/bin" -ldflags "$ld" \
		k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager \
		k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kubectl
	"$tmp/bin/kube-apiserver" --version >&2
}

build_kwok() {
	gobuild "$tmp/bin" -ldflags "-s -w -X sigs.k8s.io/kwok/pkg/consts.Version=$KWOK_VERSION" sigs.k8s.io/kwok/cmd/kwok
	# kwok simulates nothing without Stage objects; ship the upstream stages of this very version
	# (kustomize/stage/... in the module) as one multi-document file for kwok --config.
	dir=$(mod_dir sigs.k8s.io/kwok) && [ -d "$dir" ] || die "cannot download sigs.k8s.io/kwok"
	mkdir -p "$tmp/share"
	for f in node/fast/node-initialize node/heartbeat-with-lease/node-heartbeat-with-lease \
		pod/fast/pod-ready pod/fast/pod-complete pod/fast/pod-delete; do
		echo "---"
		cat "$dir/kustomize/stage/$f.yaml"
	done >"$tmp/share/kwok-stages.yaml"
	"$tmp/bin/kwok" --version >&2 || true
}

build_versitygw() {
	# As upstream's Makefile/Dockerfile (CGO_ENABLED=0 there too), minus main.Build: the commit hash,
	# which the module proxy does not give.
	ld="-s -w -X main.Version=$VERSITYGW_VERSION -X main.BuildTime=$(mod_time github.com/versity/versitygw)"
	gobuild "$tmp/bin" -ldflags "$ld" github.com/versity/versitygw/cmd/versitygw
	"$tmp/bin/versitygw" --version >&2
}

build_pebble() {
	# Let's Encrypt's test ACME server, the local CA (cli/servers/pebble.ts). Upstream's release build
	# stamps nothing but the version. Its test certificate for 127.0.0.1 (test/certs/localhost, signed by
	# the module's own minica root) is what it serves its API with; desa trusts that root explicitly.
	gobuild "$tmp/bin" -ldflags "-s -w -X main.version=$PEBBLE_VERSION" "$PEBBLE_MOD/cmd/pebble"
	dir=$(mod_dir "$PEBBLE_MOD") && [ -d "$dir" ] || die "cannot download $PEBBLE_MOD"
	mkdir -p "$tmp/share"
	cp "$dir/test/certs/localhost/cert.pem" "$tmp/share/api-cert.pem"
	cp "$dir/test/certs/localhost/key.pem" "$tmp/share/api-key.pem"
	cp "$dir/test/certs/pebble.minica.pem" "$tmp/share/api-ca.pem"
	chmod 644 "$tmp/share/"*.pem
	"$tmp/bin/pebble" -version >&2 || true
}

# SFTPGo's build tags (toolchain/NOTES-services.md says why): no cgo here, so no SQLite (its driver is
# cgo's); the user store is bbolt (pure Go, one file). No MySQL/PostgreSQL, Google Cloud Storage or Azure
# Blob backends: desa uses none of them (nometrics does not compile with the S3 backend in v2.7.5).
# The S3 backend stays (the desa's bucket on
# the S3 gateway was measured against local disk). No `bundle` tag: the web templates, static files and
# OpenAPI schema of the very module are installed beside the binary, in share/, where a plain build reads them.
SFTPGO_TAGS=nosqlite,nomysql,nopgsql,nogcs,noazblob
build_sftpgo() {
	ld="-s -w -X $SFTPGO_MOD/internal/version.date=$(mod_time "$SFTPGO_MOD")"
	gobuild "$tmp/bin" -tags "$SFTPGO_TAGS" -ldflags "$ld" "$SFTPGO_MOD"
	dir=$(mod_dir "$SFTPGO_MOD") && [ -d "$dir" ] || die "cannot download $SFTPGO_MOD"
	mkdir -p "$tmp/share"
	for f in templates static openapi; do cp -R "$dir/$f" "$tmp/share/$f"; done
	chmod -R u+w,a+rX "$tmp/share"
	"$tmp/bin/sftpgo" -v >&2 || true
}

# Remove temp dirs of interrupted runs (their pid is gone).
clean_stale() {
	for d in "$TC"/.build-*; do
		[ -d "$d" ] || continue
		pid=$(basename "$d" | sed -n 's/^\.build-.*-pid\([0-9][0-9]*\)\..*$/\1/p')
		if [ -z "$pid" ] || ! kill -0 "$pid" 2>/dev/null; then
			log "removing leftover $(basename "$d") from an interrupted build"
			chmod -R u+w "$d" 2>/dev/null || true
			rm -rf "$d"
		fi
	done
}

build() {
	p=$1
	dest=$(dest_of "$p")
	if [ -d "$dest" ]; then
		log "$p $(version_of "$p"): cached in $dest"
		return 0
	fi
	src=$here/$p
	[ -f "$src/go.mod" ] || die "toolchain/$p/go.mod missing; run: toolchain/build.sh pin $p"
	grep -qF "// $(pin_line "$p")" "$src/go.mod" ||
		die "toolchain/$p/go.mod does not match versions.env ($(pin_line "$p")); run: toolchain/build.sh pin $p"
	mkdir -p "$TC"
	tmp=$(mktemp -d "$TC/.build-$p-pid$$.XXXXXX") # the pid lets later runs spot leftovers
	chmod 755 "$tmp"
	log "$p $(version_of "$p"): building in $tmp ..."
	start=$(date +%s)
	cp -R "$src" "$tmp/src"
	mkdir "$tmp/bin"
	# A committed go.sum is authoritative; without one (not pinned yet) go resolves and checks sums.
	if [ -s "$tmp/src/go.sum" ]; then mode=-mod=readonly; else mode=-mod=mod; fi
	{
		echo "piece: $p $(version_of "$p")"
		echo "built: $(date -u +%Y-%m-%dT%H:%M:%SZ) with $(go version)"
		echo "pins: $(pin_line "$p")"
	} >"$tmp/build-info.txt"
	fn=build_$(echo "$p" | tr - _)
	# a plain subshell statement, so that set -e applies inside it; on failure the script stops
	# (see the EXIT trap) and the next run removes the temp dir
	(
		cd "$tmp/src"
		export GOFLAGS="$GOFLAGS $mode"
		$fn
	)
	cp "$tmp/src/go.mod" "$tmp/go.mod"
	[ -f "$tmp/src/go.sum" ] && cp "$tmp/src/go.sum" "$tmp/go.sum"
	chmod -R u+w "$tmp/src"
	rm -rf "$tmp/src" "$tmp/time.txt"
	if [ -d "$dest" ]; then # another run finished first
		rm -rf "$tmp"
	else
		mv "$tmp" "$dest"
	fi
	log "$p $(version_of "$p"): done in $(($(date +%s) - start))s -> $dest/bin"
}

install_k8s_plugin() {
	v=$PULUMI_KUBERNETES_VERSION
	if [ -d "$PULUMI_HOME_DIR/plugins/resource-kubernetes-$v" ] &&
		[ ! -e "$PULUMI_HOME_DIR/plugins/resource-kubernetes-$v.partial" ]; then
		log "kubernetes plugin $v: installed in $PULUMI_HOME_DIR"
		return 0
	fi
	mkdir -p "$PULUMI_HOME_DIR"
	log "kubernetes plugin $v: installing into $PULUMI_HOME_DIR"
	"$(dest_of pulumi)/bin/pulumi" plugin install resource kubernetes "$v" \
		--file "$(dest_of pulumi-kubernetes)/bin/pulumi-resource-kubernetes" >&2
}

print_env() {
	path=""
	for p in pulumi pulumi-language-nodejs pulumi-kubernetes etcd kubernetes kwok versitygw pebble sftpgo; do
		[ -d "$(dest_of "$p")/bin" ] && path="$path$(dest_of "$p")/bin:"
	done
	echo "export PATH=\"$path\$PATH\""
	echo "export PULUMI_HOME=\"$PULUMI_HOME_DIR\""
	echo "export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
# The checksum database has no entry for some pulumi pseudo-versions the proxy serves; the committed
# go.sum files pin every hash, and -mod=readonly builds check against them.
export GONOSUMDB="${GONOSUMDB:+$GONOSUMDB,}github.com/pulumi""
	echo "export PULUMI_SKIP_UPDATE_CHECK=true"
}

# The Node.js language host is not built: no version of it is served by the proxy, and desa runs its
# programs inline (the Automation API hosts them). `build.sh pulumi-language-nodejs` still tries.
ENGINE="pulumi pulumi-kubernetes"
CLUSTER="etcd kubernetes kwok"
SERVICES="versitygw pebble sftpgo"

# ---------------------------------------------------------------------------------------------
# scheduling and progress
# ---------------------------------------------------------------------------------------------
# Seconds each piece takes in a cold build on the reference machine (2 cores, 24 GiB), built two at a
# time as below, after `build.sh align` (scripts/check-cold.sh, 2026-12-04, its wall times scaled to an
# idle machine): the basis of the estimates the progress shows, which scale them by how fast this
# machine has been so far.
expected_of() {
	case $1 in
	pulumi) echo 350 ;;
	pulumi-kubernetes) echo 400 ;;
	kubernetes) echo 700 ;;
	kwok) echo 200 ;;
	etcd) echo 30 ;;
	versitygw) echo 70 ;;
	pebble) echo 45 ;;
	sftpgo) echo 120 ;;
	*) echo 300 ;;
	esac
}

# A piece that shares compiled packages with another starts after it, so that it reuses them from the
# build cache instead of compiling the same packages at the same time (`build.sh align` keeps their
# versions equal): the provider reuses the Kubernetes libraries, grpc, protobuf and the rest. The other
# pieces fill the second slot meanwhile.
after_of() {
	case $1 in
	pulumi-kubernetes) echo "kubernetes pulumi" ;;
	esac
}
# The order pieces are started in, when free to start: the critical path first.
PRIORITY="kubernetes pulumi pulumi-kubernetes kwok sftpgo versitygw etcd pebble"

# How many pieces build at once. One `go build` keeps 2 cores busy only part of the time (a chain of
# big packages compiles one after the other; links are mostly serial), so two at a time fill the gaps.
# The provider's build peaks at about 4 GiB: with less than 12 GiB available, one at a time.
jobs_default() {
	avail=$(awk '/MemAvailable/ { print int($2 / 1048576) }' /proc/meminfo 2>/dev/null || echo 0)
	if [ "${avail:-0}" -ge 12 ]; then echo 2; else echo 1; fi
}
JOBS=${DESA_BUILD_JOBS:-$(jobs_default)}
case $JOBS in '' | *[!0-9]* | 0) die "DESA_BUILD_JOBS must be a positive number, not '$JOBS'" ;; esac
if [ -t 2 ]; then TTY=1; else TTY=""; fi
HEARTBEAT=${DESA_BUILD_HEARTBEAT:-60} # seconds between progress lines when not on a terminal

fmt_time() { printf '%d:%02d' $(($1 / 60)) $(($1 % 60)); }

# Prints the estimated seconds left: the running pieces' remaining time, then the queue laid out in
# order on $JOBS slots, each piece starting when a slot is free and the pieces it waits for are done;
# every expected time scaled by how fast this machine has been so far (on the pieces done).
estimate() { # "piece:elapsed ..." (running) "piece ..." (queued) scale
	{
		for e_r in $1; do echo "r ${e_r%%:*} ${e_r#*:} $(expected_of "${e_r%%:*}") -"; done
		for e_q in $2; do echo "q $e_q 0 $(expected_of "$e_q") $(after_of "$e_q" | tr ' ' ',')"; done
	} | awk -v jobs="$JOBS" -v scale="$3" '
		{ m += 0; n += 0; left = $4 * scale - $3; if (left < 10) left = 10
		  if ($1 == "r") { fin[$2] = left; slot[n++] = left } else { name[m] = $2; dur[m] = left; aft[m++] = $5 } }
		END {
			for (i = n; i < jobs; i++) slot[i] = 0
			for (k = 0; k < m; k++) {
				best = 0; for (i = 1; i < jobs; i++) if (slot[i] < slot[best]) best = i
				start = slot[best]
				c = split(aft[k], w, ",")
				for (j = 1; j <= c; j++) if ((w[j] in fin) && fin[w[j]] > start) start = fin[w[j]]
				slot[best] = start + dur[k]; fin[name[k]] = slot[best]
			}
			max = 0; for (i = 0; i < jobs; i++) if (slot[i] > max) max = slot[i]
			printf "%d", max }'
}

status_line() {
	now=$(date +%s)
	desc="" run_el=""
	for s_r in $running; do
		s_p=${s_r%%:*} s_t=${s_r##*:}
		desc="$desc${desc:+, }$s_p $(fmt_time $((now - s_t)))"
		run_el="$run_el $s_p:$((now - s_t))"
	done
	scale=1
	[ "$done_exp" -gt 0 ] && scale=$(awk -v a="$done_act" -v e="$done_exp" 'BEGIN { s = a / e; if (s < 0.3) s = 0.3; if (s > 3) s = 3; printf "%.2f", s }')
	left=$(estimate "$run_el" "$queue" "$scale")
	printf '[%s] building %s; %d of %d done; about %d min left' "$(fmt_time $((now - t_all)))" "$desc" "$ndone" "$n" $(((left + 59) / 60))
}

clear_status() { [ -z "$TTY" ] || printf '\r\033[K' >&2; }

kill_tree() { # pid: the process and its descendants
	for c in $(pgrep -P "$1" 2>/dev/null); do kill_tree "$c"; done
	kill "$1" 2>/dev/null || true
}

# Downloads the modules of every piece to build, all at once, while the first compiles run: the
# builds need them in turn and wait on Go's module-cache locks for whatever is still arriving.
prefetch() {
	for p in "$@"; do
		(cd "$here/$p" && GOFLAGS="$GOFLAGS -mod=readonly" go mod download >/dev/null 2>&1) &
	done
	wait
}

# The first queued piece whose after_of pieces are neither queued nor running; fails if none.
next_startable() {
	for c in $queue; do
		ok=1
		for a in $(after_of "$c"); do
			case " $queue $(for r in $running; do printf '%s ' "${r%%:*}"; done)" in *" $a "*) ok="" ;; esac
		done
		if [ -n "$ok" ]; then echo "$c"; return 0; fi
	done
	return 1
}

# build_all PIECE...: builds the missing pieces, $JOBS at a time, longest first, with a line per piece
# and progress (a live line on a terminal, a line every $HEARTBEAT s otherwise). The first failure
# stops the others and prints the failed piece's log.
build_all() {
	todo=""
	for p in "$@"; do
		if [ -d "$(dest_of "$p")" ]; then log "$p $(version_of "$p"): cached in $(dest_of "$p")"; else todo="$todo $p"; fi
	done
	[ -n "$todo" ] || return 0
	queue=""
	for p in $PRIORITY; do case " $todo " in *" $p "*) queue="$queue$p " ;; esac; done
	for p in $todo; do case " $queue " in *" $p "*) ;; *) queue="$queue$p " ;; esac; done
	n=$(echo $queue | wc -w)
	t_all=$(date +%s)
	log "building $n piece(s), $JOBS at a time: $queue(about $(($(estimate "" "$queue" 1) / 60 + 1)) min on 2 cores)"
	logs=$TC/.logs
	mkdir -p "$logs"
	prefetch $queue &
	fetch_pid=$!
	trap 'for o in $running; do o=${o#*:}; kill_tree "${o%%:*}"; done; kill_tree "$fetch_pid"; exit 130' INT TERM
	running="" ndone=0 done_act=0 done_exp=0 last_beat=$t_all
	while [ -n "$queue" ] || [ -n "$running" ]; do
		while [ "$(echo $running | wc -w)" -lt "$JOBS" ]; do
			p=$(next_startable) || break
			queue=$(echo " $queue " | sed "s/ $p / /; s/^ *//")
			i=$((ndone + $(echo $running | wc -w) + 1))
			clear_status
			log "[$i/$n] $p $(version_of "$p"): building (about $(($(expected_of "$p") / 60 + 1)) min)"
			(build "$p") >"$logs/$p.log" 2>&1 &
			running="$running $p:$!:$(date +%s)"
		done
		sleep 1
		still=""
		for r in $running; do
			p=${r%%:*} rest=${r#*:}
			pid=${rest%%:*} t=${rest#*:}
			if kill -0 "$pid" 2>/dev/null; then still="$still $r"; continue; fi
			if wait "$pid"; then rc=0; else rc=$?; fi
			clear_status
			took=$(($(date +%s) - t))
			if [ $rc -ne 0 ]; then
				cat "$logs/$p.log" >&2
				for o in $still $running; do
					op=${o#*:}
					[ "${op%%:*}" = "$pid" ] || kill_tree "${op%%:*}"
				done
				kill_tree "$fetch_pid"
				die "$p $(version_of "$p") failed after $(fmt_time $took) (log above; leftovers are removed by the next run)"
			fi
			grep -v -e '^toolchain: .*: building in ' -e '^toolchain: .*: done in ' "$logs/$p.log" >&2 || true
			ndone=$((ndone + 1))
			done_act=$((done_act + took))
			done_exp=$((done_exp + $(expected_of "$p")))
			cpu=$(awk -F': ' '/(User|System) time/ { c += $2 } END { printf "%.0f", c }' "$(dest_of "$p")/build-info.txt" 2>/dev/null || true)
			log "[$ndone/$n done] $p $(version_of "$p") in $(fmt_time $took)${cpu:+ (CPU $cpu s)}"
			[ -z "${DESA_TIMINGS:-}" ] || printf 'toolchain: %s %s%s\t%s\n' "$p" "$(version_of "$p")" "${cpu:+ (CPU $cpu s)}" "$took" >>"$DESA_TIMINGS"
		done
		running=$still
		[ -n "$running" ] || continue
		if [ -n "$TTY" ]; then
			printf '\r\033[Ktoolchain: %s' "$(status_line)" >&2
		elif [ $(($(date +%s) - last_beat)) -ge "$HEARTBEAT" ]; then
			last_beat=$(date +%s)
			log "$(status_line)"
		fi
	done
	clear_status
	kill_tree "$fetch_pid"
	wait "$fetch_pid" 2>/dev/null || true
	log "built $n piece(s) in $(fmt_time $(($(date +%s) - t_all)))"
}

[ $# -gt 0 ] || set -- all
case $1 in
env) print_env; exit 0 ;;
pin)
	shift
	[ $# -gt 0 ] || die "usage: build.sh pin <piece>..."
	for p in "$@"; do pin "$p"; done
	exit 0 ;;
align)
	shift
	align "$@"
	exit 0 ;;
esac

mkdir -p "$TC"
trap 'rc=$?; [ $rc -eq 0 ] || log "FAILED (exit $rc); see the messages above"' EXIT
clean_stale
pieces="" plugin=""
for arg in "$@"; do
	case $arg in
	engine) pieces="$pieces $ENGINE" plugin=1 ;;
	cluster) pieces="$pieces $CLUSTER" ;;
	services) pieces="$pieces $SERVICES" ;;
	all) pieces="$pieces $ENGINE $CLUSTER $SERVICES" plugin=1 ;;
	plugin) plugin=1 ;;
	*) version_of "$arg" >/dev/null; pieces="$pieces $arg" ;;
	esac
done
# shellcheck disable=SC2086 # word splitting intended
[ -z "$pieces" ] || build_all $(echo $pieces | tr ' ' '\n' | awk '!seen[$0]++')
[ -z "$plugin" ] || install_k8s_plugin
