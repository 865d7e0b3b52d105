#!/bin/sh
# A local Kubernetes control plane with simulated nodes: etcd, kube-apiserver, kube-controller-manager,
# kube-scheduler and kwok, all on 127.0.0.1, all state under one data directory; and desa's own volume
# provisioner (cli/cluster/provisioner.ts, on the project's Node.js): the default StorageClass
# `desa-local`, whose claims get a folder under DIR/volumes and bind at once.
#
#   toolchain/cluster.sh start DIR [NODES]   start (or restart) the cluster; NODES kwok nodes (default 1)
#   toolchain/cluster.sh stop DIR            stop it cleanly (data is kept; rm -rf DIR to reset)
#   toolchain/cluster.sh status DIR          show which components run
#   toolchain/cluster.sh env DIR             print `export KUBECONFIG=...`
#
# Ports: DESA_CLUSTER_PORT_BASE (default 23790): etcd client = base, etcd peer = base+1,
# kube-apiserver = base+3. Use different bases to run several clusters side by side.
# DESA_ETCD_UNSAFE_NO_FSYNC=true makes etcd skip fsync (faster, for throwaway test clusters).
# Binaries come from build.sh's cache: run `toolchain/build.sh cluster` first.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
. "$here/versions.env"
CACHE=${DESA_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/desa}
ETCD_BIN=$CACHE/toolchain/etcd-$ETCD_VERSION/bin
KUBE_BIN=$CACHE/toolchain/kubernetes-$KUBERNETES_VERSION/bin
KWOK_DIR=$CACHE/toolchain/kwok-$KWOK_VERSION

SERVICE_CIDR=10.96.0.0/16
SERVICE_IP=10.96.0.1 # first address of SERVICE_CIDR: the `kubernetes` service
POD_CIDR=10.244.0.0/16
NODE_IP=10.240.0.1 # reported by every simulated node

log() { printf 'cluster: %s\n' "$*" >&2; }
die() { printf 'cluster: error: %s\n' "$*" >&2; exit 1; }

[ $# -ge 2 ] || die "usage: cluster.sh start|stop|status|env DIR [NODES]"
cmd=$1
mkdir -p "$2"
D=$(cd "$2" && pwd)
NODES=${3:-1}

# Ports are fixed at first start and remembered in DIR/ports.env.
if [ -f "$D/ports.env" ]; then
	. "$D/ports.env"
else
	base=${DESA_CLUSTER_PORT_BASE:-23790}
	ETCD_PORT=$base ETCD_PEER_PORT=$((base + 1)) API_PORT=$((base + 3))
fi
API=https://127.0.0.1:$API_PORT

# ---------------------------------------------------------------------------------------------
# PKI: one CA; apiserver serving cert; client certs; service-account signing key (all ECDSA P-256)
# ---------------------------------------------------------------------------------------------
cert() { # name CN O ext...
	name=$1 cn=$2 org=$3
	shift 3
	subj="/CN=$cn"
	[ -n "$org" ] && subj="/O=$org$subj"
	openssl ecparam -name prime256v1 -genkey -noout -out "$name.key" 2>/dev/null
	openssl req -new -key "$name.key" -subj "$subj" -out "$name.csr"
	printf '%s\n' "$@" >"$name.ext"
	openssl x509 -req -in "$name.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -days 3650 \
		-extfile "$name.ext" -out "$name.crt" 2>/dev/null
	rm -f "$name.csr" "$name.ext"
}

# Secrets are encrypted at rest in etcd (secretbox), with a key made once beside the certificates (0600):
# the passwords the desa stacks generate then appear in no file in plain text. `identity` last, so that
# objects written before the key existed are still read.
make_encryption() {
	[ -f "$D/pki/encryption.yaml" ] && return 0
	(
		umask 077
		key=$(head -c 32 /dev/urandom | base64)
		printf 'apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources:\n  - resources: [secrets]\n    providers:\n      - secretbox:\n          keys:\n            - name: desa-1\n              secret: %s\n      - identity: {}\n' "$key" >"$D/pki/encryption.yaml.tmp"
		mv "$D/pki/encryption.yaml.tmp" "$D/pki/encryption.yaml"
	)
}

make_pki() {
	[ -f "$D/pki/.done" ] && return 0
	log "creating certificates in $D/pki"
	rm -rf "$D/pki"
	mkdir -p "$D/pki"
	(
		cd "$D/pki"
		umask 077
		openssl ecparam -name prime256v1 -genkey -noout -out ca.key 2>/dev/null
		openssl req -x509 -new -key ca.key -subj "/CN=desa-local-ca" -days 3650 -out ca.crt \
			-addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
		cert apiserver kube-apiserver "" \
			"basicConstraints=CA:FALSE" "keyUsage=critical,digitalSignature,keyEncipherment" \
			"extendedKeyUsage=serverAuth" \
			"subjectAltName=IP:127.0.0.1,IP:$SERVICE_IP,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local"
		client="basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=clientAuth"
		# shellcheck disable=SC2086
		IFS='
'
		cert admin desa-admin system:masters $client
		cert controller-manager system:kube-controller-manager "" $client
		cert scheduler system:kube-scheduler "" $client
		cert kwok kwok-controller system:masters $client
		unset IFS
		openssl ecparam -name prime256v1 -genkey -noout -out sa.key 2>/dev/null
		openssl ec -in sa.key -pubout -out sa.pub 2>/dev/null
		rm -f ca.srl
		touch .done
	)
}

kubeconfig() { # name -> $D/name.kubeconfig, self-contained (certificates inlined)
	b64() { base64 <"$D/pki/$1" | tr -d '\n'; }
	cat >"$D/$1.kubeconfig" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: desa-local
  cluster:
    server: $API
    certificate-authority-data: $(b64 ca.crt)
users:
- name: $1
  user:
    client-certificate-data: $(b64 "$1.crt")
    client-key-data: $(b64 "$1.key")
contexts:
- name: desa-local
  context: {cluster: desa-local, user: $1}
current-context: desa-local
EOF
	chmod 600 "$D/$1.kubeconfig"
}

# ---------------------------------------------------------------------------------------------
# processes: DIR/run/<name>.pid, DIR/logs/<name>.log
# ---------------------------------------------------------------------------------------------
running() { # name: is it running, and is that pid really ours (its command line names DIR)?
	pid=$(cat "$D/run/$1.pid" 2>/dev/null) || return 1
	kill -0 "$pid" 2>/dev/null || return 1
	tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF "$D/" || return 1
}

spawn() { # name binary args...
	name=$1
	shift
	if running "$name"; then
		log "$name already running (pid $(cat "$D/run/$name.pid"))"
		return 0
	fi
	nohup "$@" >>"$D/logs/$name.log" 2>&1 </dev/null &
	echo $! >"$D/run/$name.pid"
	log "$name started (pid $!, log $D/logs/$name.log)"
}

wait_for() { # description seconds command...
	what=$1 secs=$2
	shift 2
	i=0
	until "$@" >/dev/null 2>&1; do
		i=$((i + 1))
		[ $i -le $((secs * 5)) ] || die "timed out after ${secs}s waiting for $what (see $D/logs)"
		sleep 0.2
	done
}

apicurl() { # path
	curl -fsS --cacert "$D/pki/ca.crt" --cert "$D/pki/admin.crt" --key "$D/pki/admin.key" "$API$1"
}

kc() { "$KUBE_BIN/kubectl" --kubeconfig "$D/admin.kubeconfig" "$@"; }

start() {
	for b in "$ETCD_BIN/etcd" "$KUBE_BIN/kube-apiserver" "$KWOK_DIR/bin/kwok"; do
		[ -x "$b" ] || die "$b missing; run: toolchain/build.sh cluster"
	done
	mkdir -p "$D/run" "$D/logs" "$D/etcd"
	chmod 700 "$D/etcd"
	[ -f "$D/ports.env" ] || printf 'ETCD_PORT=%s\nETCD_PEER_PORT=%s\nAPI_PORT=%s\n' \
		"$ETCD_PORT" "$ETCD_PEER_PORT" "$API_PORT" >"$D/ports.env"
	make_pki
	make_encryption
	for n in admin controller-manager scheduler kwok; do kubeconfig "$n"; done
	t0=$(date +%s)

	# etcd: single member, loopback only.
	nofsync=""
	[ "${DESA_ETCD_UNSAFE_NO_FSYNC:-}" = true ] && nofsync=--unsafe-no-fsync
	spawn etcd "$ETCD_BIN/etcd" \
		--name=desa --data-dir="$D/etcd" \
		--listen-client-urls="http://127.0.0.1:$ETCD_PORT" --advertise-client-urls="http://127.0.0.1:$ETCD_PORT" \
		--listen-peer-urls="http://127.0.0.1:$ETCD_PEER_PORT" --initial-advertise-peer-urls="http://127.0.0.1:$ETCD_PEER_PORT" \
		--initial-cluster="desa=http://127.0.0.1:$ETCD_PEER_PORT" \
		--auto-compaction-mode=periodic --auto-compaction-retention=5m --quota-backend-bytes=4294967296 \
		--log-level=warn $nofsync
	wait_for etcd 30 curl -fsS "http://127.0.0.1:$ETCD_PORT/health"

	# kube-apiserver: loopback only, certificates from $D/pki, RBAC, client-certificate auth.
	# --endpoint-reconciler-type=none: the `kubernetes` Service would otherwise get 127.0.0.1 endpoints,
	# which endpoint validation rejects (loopback); nothing in this cluster needs them.
	spawn kube-apiserver "$KUBE_BIN/kube-apiserver" \
		--etcd-servers="http://127.0.0.1:$ETCD_PORT" \
		--bind-address=127.0.0.1 --advertise-address=127.0.0.1 --secure-port="$API_PORT" \
		--tls-cert-file="$D/pki/apiserver.crt" --tls-private-key-file="$D/pki/apiserver.key" \
		--client-ca-file="$D/pki/ca.crt" \
		--service-account-issuer=https://kubernetes.default.svc.cluster.local \
		--service-account-key-file="$D/pki/sa.pub" --service-account-signing-key-file="$D/pki/sa.key" \
		--service-cluster-ip-range="$SERVICE_CIDR" \
		--encryption-provider-config="$D/pki/encryption.yaml" \
		--authorization-mode=RBAC \
		--endpoint-reconciler-type=none \
		--allow-privileged=true --profiling=false
	wait_for kube-apiserver 60 apicurl /readyz

	# kube-controller-manager: Deployments -> ReplicaSets -> Pods, service accounts, GC, namespaces...
	spawn kube-controller-manager "$KUBE_BIN/kube-controller-manager" \
		--kubeconfig="$D/controller-manager.kubeconfig" \
		--authentication-kubeconfig="$D/controller-manager.kubeconfig" \
		--authorization-kubeconfig="$D/controller-manager.kubeconfig" \
		--leader-elect=false --secure-port=0 \
		--use-service-account-credentials=true \
		--service-account-private-key-file="$D/pki/sa.key" --root-ca-file="$D/pki/ca.crt" \
		--flex-volume-plugin-dir="$D/flexvolume" \
		--service-cluster-ip-range="$SERVICE_CIDR"

	# kube-scheduler: binds pods to the simulated nodes.
	spawn kube-scheduler "$KUBE_BIN/kube-scheduler" \
		--kubeconfig="$D/scheduler.kubeconfig" \
		--authentication-kubeconfig="$D/scheduler.kubeconfig" \
		--authorization-kubeconfig="$D/scheduler.kubeconfig" \
		--leader-elect=false --secure-port=0

	# kwok: plays kubelet for every node. Stages (from the kwok module, see build.sh):
	# node-initialize, node-heartbeat-with-lease, pod-ready, pod-complete (Job pods), pod-delete.
	spawn kwok "$KWOK_DIR/bin/kwok" \
		--kubeconfig="$D/kwok.kubeconfig" \
		--config="$KWOK_DIR/share/kwok-stages.yaml" \
		--manage-all-nodes=true \
		--node-lease-duration-seconds=40 \
		--node-ip="$NODE_IP" --cidr="$POD_CIDR"

	# Volumes: the default StorageClass and its host-path provisioner (folders under $D/volumes).
	spawn volume-provisioner "$here/../bin/node" "$here/../cli/cluster/provisioner.ts" \
		--kubeconfig="$D/admin.kubeconfig" --dir="$D/volumes"

	# Simulated nodes. No taint, so ordinary Deployments schedule onto them without tolerations.
	i=0
	while [ $i -lt "$NODES" ]; do
		cat <<EOF
---
apiVersion: v1
kind: Node
metadata:
  name: kwok-node-$i
  annotations:
    kwok.x-k8s.io/node: fake
    node.alpha.kubernetes.io/ttl: "0"
  labels:
    type: kwok
    kubernetes.io/hostname: kwok-node-$i
    kubernetes.io/os: linux
    kubernetes.io/arch: amd64
    node-role.kubernetes.io/agent: ""
status:
  allocatable: {cpu: "32", memory: 256Gi, ephemeral-storage: 1Ti, pods: "1000"}
  capacity: {cpu: "32", memory: 256Gi, ephemeral-storage: 1Ti, pods: "1000"}
EOF
		i=$((i + 1))
	done | kc apply -f - >/dev/null
	wait_for "nodes Ready" 60 kc wait --for=condition=Ready node --all --timeout=1s
	# Pods can be created once a namespace's `default` ServiceAccount exists (controller-manager).
	wait_for "default service account" 60 kc -n default get serviceaccount default
	wait_for "the default StorageClass" 60 kc get storageclass desa-local
	log "ready in $(($(date +%s) - t0))s: $NODES node(s); export KUBECONFIG=$D/admin.kubeconfig"
}

stop_group() { # send SIGTERM to the named components together, wait up to 15s, then SIGKILL
	pids=""
	for n in "$@"; do
		if running "$n"; then
			pid=$(cat "$D/run/$n.pid")
			kill -TERM "$pid" 2>/dev/null || true
			pids="$pids $n:$pid"
		fi
		rm -f "$D/run/$n.pid"
	done
	for np in $pids; do
		n=${np%%:*} pid=${np#*:} i=0
		while kill -0 "$pid" 2>/dev/null && [ $i -lt 150 ]; do sleep 0.1; i=$((i + 1)); done
		if kill -0 "$pid" 2>/dev/null; then
			log "$n (pid $pid) ignored SIGTERM for 15s; killing"
			kill -KILL "$pid" 2>/dev/null || true
		fi
		log "$n stopped"
	done
}

stop() {
	# clients first, then the apiserver, then etcd (so nothing writes to a stopping store)
	stop_group volume-provisioner kwok kube-scheduler kube-controller-manager
	stop_group kube-apiserver
	stop_group etcd
}

status() {
	rc=0
	for n in etcd kube-apiserver kube-controller-manager kube-scheduler kwok volume-provisioner; do
		if running "$n"; then echo "$n running (pid $(cat "$D/run/$n.pid"))"; else echo "$n stopped"; rc=1; fi
	done
	return $rc
}

case $cmd in
start) start ;;
stop) stop ;;
status) status ;;
env) echo "export KUBECONFIG=\"$D/admin.kubeconfig\"" ;;
*) die "unknown command '$cmd'" ;;
esac
