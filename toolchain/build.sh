#!/bin/sh
# Build desa's toolchain (Pulumi engine, local Kubernetes control plane, S3 server for the local
# services) from the Go module proxy.
#
#   toolchain/build.sh [engine|cluster|services|all|plugin|<piece>...]
#                                                        build what is missing (default: all);
#                                                        engine = pulumi pulumi-kubernetes + plugin,
#                                                        cluster = etcd kubernetes kwok,
#                                                        services = versitygw, all = the three;
#                                                        plugin = only install the built k8s plugin
#   toolchain/build.sh env                               print shell exports for the built tools
#   toolchain/build.sh pin <piece>...                    regenerate toolchain/<piece>/go.mod+go.sum
#                                                        from versions.env (maintainers only)
# Pieces: pulumi pulumi-language-nodejs pulumi-kubernetes etcd kubernetes kwok versitygw
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
	esac
}

dest_of() { echo "$TC/$1-$(version_of "$1")"; }

# ---------------------------------------------------------------------------------------------
# pin: regenerate a wrapper module from versions.env
# ---------------------------------------------------------------------------------------------
PULUMI_LANG_MOD=github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3
K8S_PROVIDER_MOD=github.com/pulumi/pulumi-kubernetes/provider/v4

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
		awk -F': ' '/Elapsed \(wall/ { w = $2 } /Maximum resident/ { r = $2 }
			END { printf "toolchain:   go build: wall %s, peak RSS %.0f MiB\n", w, r / 1024 }' "$tmp/time.txt" >&2
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
	gobuild "$tmp/bin" \
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
	for p in pulumi pulumi-language-nodejs pulumi-kubernetes etcd kubernetes kwok versitygw; do
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
SERVICES="versitygw"

[ $# -gt 0 ] || set -- all
case $1 in
env) print_env; exit 0 ;;
pin)
	shift
	[ $# -gt 0 ] || die "usage: build.sh pin <piece>..."
	for p in "$@"; do pin "$p"; done
	exit 0 ;;
esac

mkdir -p "$TC"
trap 'rc=$?; [ $rc -eq 0 ] || log "FAILED (exit $rc); see the messages above"' EXIT
clean_stale
for arg in "$@"; do
	case $arg in
	engine) for p in $ENGINE; do build "$p"; done; install_k8s_plugin ;;
	cluster) for p in $CLUSTER; do build "$p"; done ;;
	services) for p in $SERVICES; do build "$p"; done ;;
	all) for p in $ENGINE $CLUSTER $SERVICES; do build "$p"; done; install_k8s_plugin ;;
	plugin) install_k8s_plugin ;;
	*) version_of "$arg" >/dev/null; build "$arg" ;;
	esac
done
