#!/bin/sh
# The local "existing" platform services of desa's embedded default, all on 127.0.0.1, all state under
# one data directory: Dovecot (IMAP, LMTP, SASL), Postfix (MX port + submission), PowerDNS (DNS + HTTP
# API), nginx (one directory per desa) and the Versity S3 gateway.
#
#   toolchain/services.sh start DIR        start every server that is not running (a second start is a
#                                          quick no-op); servers that are not installed are skipped
#   toolchain/services.sh stop DIR         stop them all (data is kept; rm -rf DIR to reset)
#   toolchain/services.sh status DIR       one line per server: "<name> running (pid N)",
#                                          "<name> stopped" or "<name> unavailable: <reason>";
#                                          exit 1 if an available server is stopped
#   toolchain/services.sh reload-mail DIR  make Postfix re-read its maps (after writing them)
#   toolchain/services.sh dkim-key DIR SELECTOR < key.pem   the DKIM signing key for DOMAIN
#
# Ports: DESA_SERVICES_PORT_BASE (default 23800), fixed at first start and remembered in DIR/ports.env:
# SMTP_PORT=base (MX), SUBMISSION_PORT=base+1 (SMTP AUTH), IMAP_PORT=base+2, DNS_PORT=base+3 (UDP+TCP),
# DNS_API_PORT=base+4 (PowerDNS HTTP API), HTTP_PORT=base+5, S3_PORT=base+6, DKIM_PORT=base+7 (the
# OpenDKIM milter Postfix signs through); and DOMAIN= (DESA_DOMAIN,
# default desa.bekasikab.go.id), the mail domain and the zone the sites are served under.
#
# Layout (other programs write the data files; start regenerates the config files, never the data):
#   ports.env
#   secrets/dns-api-key, secrets/s3-root-access, secrets/s3-root-secret   (made once, 0600)
#   mail/dovecot.conf, mail/users (Dovecot passwd-file; replace it by rename, no reload needed),
#   mail/mail/<domain>/<local>/Maildir (owned by the mail uid: nobody as root)
#   postfix/etc/{main.cf,master.cf,vmailbox,valias,senders} (texthash maps; then `reload-mail`),
#   postfix/{queue,data,log}
#   dns/pdns.conf, dns/pdns.sqlite3 (schema only: the zone is created through the API)
#   web/nginx.conf, web/sites/<slug>/index.html (no reload needed), web/conf.d/*.conf (then SIGHUP nginx)
#   s3/data, s3/iam (versitygw posix backend, internal IAM)
#   log/<name>.log, run/<name>.pid
#
# Servers: Debian packages dovecot-core dovecot-imapd dovecot-lmtpd postfix pdns-server
# pdns-backend-sqlite3 sqlite3 nginx; versitygw from `toolchain/build.sh services`. Postfix needs root.
# As root, Dovecot's login and mail processes and nginx's workers run as unprivileged users (dovenull,
# nobody), so DIR and EVERY parent of DIR must be traversable by others (o+x): start checks this, and
# makes DIR itself 0755 (mktemp -d makes 0700). A DIR under /root (0700) does not work as root.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
. "$here/versions.env"
: "${VERSITYGW_VERSION:=v1.8.0}"
CACHE=${DESA_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/desa}
VERSITYGW=$CACHE/toolchain/versitygw-$VERSITYGW_VERSION/bin/versitygw
TPL=$here/services
PATH=$PATH:/usr/sbin:/sbin
TIMEOUT=${DESA_SERVICES_TIMEOUT:-30} # seconds per server to come up
SERVERS="dovecot postfix pdns nginx versitygw opendkim"
PDNS_SCHEMA=/usr/share/pdns-backend-sqlite3/schema/schema.sqlite3.sql

log() { printf 'services: %s\n' "$*" >&2; }
die() { printf 'services: error: %s\n' "$*" >&2; exit 1; }

[ $# -ge 2 ] || die "usage: services.sh start|stop|status|reload-mail DIR"
cmd=$1
if [ "$cmd" = start ]; then mkdir -p "$2"; fi
if [ -d "$2" ]; then D=$(cd "$2" && pwd); else D=$2; fi # status/stop of a missing DIR: all stopped
if [ "$(id -u)" = 0 ]; then ROOT=1; else ROOT=""; fi
NOGROUP=$(id -gn nobody 2>/dev/null || echo nogroup) # nobody's group (Debian: nogroup)

# Ports and domain are fixed at first start and remembered in DIR/ports.env.
if [ -f "$D/ports.env" ]; then
	. "$D/ports.env"
else
	base=${DESA_SERVICES_PORT_BASE:-23800}
	case $base in '' | *[!0-9]*) die "DESA_SERVICES_PORT_BASE must be a number, not '$base'" ;; esac
	[ "$base" -ge 1024 ] && [ "$base" -le 65529 ] || die "DESA_SERVICES_PORT_BASE out of range: $base"
	SMTP_PORT=$base SUBMISSION_PORT=$((base + 1)) IMAP_PORT=$((base + 2)) DNS_PORT=$((base + 3))
	DNS_API_PORT=$((base + 4)) HTTP_PORT=$((base + 5)) S3_PORT=$((base + 6))
	DOMAIN=${DESA_DOMAIN:-desa.bekasikab.go.id}
	case $DOMAIN in '' | *[!a-z0-9.-]* | .* | *. | *..*) die "DESA_DOMAIN is not a lower-case domain: '$DOMAIN'" ;; esac
fi
# The DKIM milter came later: a ports.env without it takes the next port.
DKIM_PORT=${DKIM_PORT:-$((SMTP_PORT + 7))}

# ---------------------------------------------------------------------------------------------
# which servers can run here
# ---------------------------------------------------------------------------------------------
unavailable() { # name -> prints the reason it cannot run here (nothing if it can)
	case $1 in
	dovecot)
		if ! command -v dovecot >/dev/null || ! command -v doveadm >/dev/null; then
			echo "dovecot-core not installed (apt-get install dovecot-core dovecot-imapd dovecot-lmtpd)"
		elif [ ! -x /usr/lib/dovecot/imap ]; then
			echo "dovecot-imapd not installed (apt-get install dovecot-imapd)"
		elif [ ! -x /usr/lib/dovecot/lmtp ]; then
			echo "dovecot-lmtpd not installed (apt-get install dovecot-lmtpd)"
		elif [ -n "$ROOT" ] && ! { id dovenull && id dovecot && id nobody; } >/dev/null 2>&1; then
			echo "the users dovenull, dovecot and nobody are missing (apt-get install --reinstall dovecot-core)"
		fi ;;
	postfix)
		if ! command -v postfix >/dev/null; then
			echo "postfix not installed (apt-get install postfix)"
		elif [ -z "$ROOT" ]; then
			echo "postfix needs root"
		elif ! id postfix >/dev/null 2>&1; then
			echo "the user postfix is missing (apt-get install --reinstall postfix)"
		elif [ -n "$(unavailable dovecot)" ]; then
			echo "postfix needs dovecot (SASL and delivery): $(unavailable dovecot)"
		fi ;;
	pdns)
		if ! command -v pdns_server >/dev/null; then
			echo "pdns-server not installed (apt-get install pdns-server pdns-backend-sqlite3)"
		elif [ ! -f "$PDNS_SCHEMA" ]; then
			echo "pdns-backend-sqlite3 not installed (apt-get install pdns-backend-sqlite3)"
		elif ! command -v sqlite3 >/dev/null; then
			echo "sqlite3 not installed (apt-get install sqlite3)"
		elif ! command -v curl >/dev/null; then
			echo "curl not installed (apt-get install curl)"
		fi ;;
	nginx)
		command -v nginx >/dev/null || echo "nginx not installed (apt-get install nginx)" ;;
	versitygw)
		[ -x "$VERSITYGW" ] || echo "versitygw not built ($VERSITYGW missing; run: toolchain/build.sh services)" ;;
	opendkim)
		if ! command -v opendkim >/dev/null; then
			echo "opendkim not installed (apt-get install opendkim)"
		elif [ -n "$ROOT" ] && ! id opendkim >/dev/null 2>&1; then
			echo "the user opendkim is missing (apt-get install --reinstall opendkim)"
		fi ;;
	esac
}

# ---------------------------------------------------------------------------------------------
# processes: DIR/run/<name>.pid, DIR/log/<name>.log
# ---------------------------------------------------------------------------------------------
own_pidfile() { # name -> the pid file the server writes itself (a fallback when run/<name>.pid is lost)
	case $1 in
	dovecot) echo "$D/mail/run/master.pid" ;;
	postfix) echo "$D/postfix/queue/pid/master.pid" ;;
	pdns) echo "$D/dns/run/pdns.pid" ;;
	nginx) echo "$D/web/run/nginx.pid" ;;
	opendkim) echo "$D/dkim/run/opendkim.pid" ;;
	*) echo /nonexistent ;;
	esac
}

alive() { # pid: a process that has not exited (a zombie waiting for its parent, here init, counts as gone)
	kill -0 "$1" 2>/dev/null || return 1
	state=$(sed 's/.*) //; s/ .*//' "/proc/$1/stat" 2>/dev/null) || return 1
	[ "$state" != Z ] && [ "$state" != X ]
}

ours() { # pid: is it alive, and is it a server of DIR (command line, or for Postfix's master the cwd)?
	alive "$1" || return 1
	tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null | grep -qF "$D/" && return 0
	case $(readlink "/proc/$1/cwd" 2>/dev/null) in "$D"/*) return 0 ;; esac
	return 1
}

pid_of() { # name -> prints the pid of the running server, or fails
	for f in "$D/run/$1.pid" "$(own_pidfile "$1")"; do
		[ -r "$f" ] || continue
		pid=$(tr -d ' \n' <"$f")
		case $pid in '' | *[!0-9]*) continue ;; esac
		if ours "$pid"; then
			echo "$pid"
			return 0
		fi
	done
	return 1
}

spawn() { # name command...: detached from the caller (own session, no terminal, stdio to the log)
	name=$1
	shift
	setsid "$@" >>"$D/log/$name.log" 2>&1 </dev/null &
	echo $! >"$D/run/$name.pid"
}

listening() { # port [udp]: is something listening on it on 127.0.0.1 (or on all addresses)?
	hex=$(printf '%04X' "$1")
	if [ "${2:-}" = udp ]; then files="/proc/net/udp" state=07; else files="/proc/net/tcp" state=0A; fi
	awk -v p=":$hex" -v s="$state" '
		$4 == s && (substr($2, 9) == p) && (substr($2, 1, 8) == "0100007F" || substr($2, 1, 8) == "7F000001" || substr($2, 1, 8) == "00000000") { f = 1 }
		END { exit !f }' $files
}

pdns_api_ok() { # the key goes to curl on stdin, not on its command line
	printf 'X-API-Key: %s\n' "$(cat "$D/secrets/dns-api-key")" |
		curl -fsS -o /dev/null --max-time 2 -H @- "http://127.0.0.1:$DNS_API_PORT/api/v1/servers/localhost"
}

ready() { # name: does it answer?
	case $1 in
	dovecot) listening "$IMAP_PORT" ;;
	postfix) listening "$SMTP_PORT" && listening "$SUBMISSION_PORT" ;;
	pdns) listening "$DNS_PORT" && listening "$DNS_PORT" udp && pdns_api_ok >/dev/null 2>&1 ;;
	# nginx writes its own pid file once every listener is bound (it retries a busy one for 2 s).
	nginx) [ "$(cat "$D/web/run/nginx.pid" 2>/dev/null)" = "$(cat "$D/run/nginx.pid")" ] && listening "$HTTP_PORT" ;;
	versitygw) listening "$S3_PORT" ;;
	opendkim) listening "$DKIM_PORT" ;;
	esac
}

ports_of() {
	case $1 in
	dovecot) echo "$IMAP_PORT" ;;
	postfix) echo "$SMTP_PORT $SUBMISSION_PORT" ;;
	pdns) echo "$DNS_PORT $DNS_API_PORT" ;;
	nginx) echo "$HTTP_PORT" ;;
	versitygw) echo "$S3_PORT" ;;
	opendkim) echo "$DKIM_PORT" ;;
	esac
}

logs_of() {
	case $1 in
	postfix) echo "$D/log/postfix.log $D/postfix/log/postfix.log" ;;
	*) echo "$D/log/$1.log" ;;
	esac
}

fail() { # name message: show the server's last log lines, stop what was started of it; returns 1
	for f in $(logs_of "$1"); do
		[ -s "$f" ] || continue
		printf 'services: --- last lines of %s\n' "$f" >&2
		tail -n 20 "$f" >&2
	done
	stop_one "$1" >/dev/null 2>&1 || true
	log "error: $1: $2"
	return 1
}

wait_ready() { # name seconds
	i=0
	until ready "$1"; do
		pid=$(pid_of "$1") || { fail "$1" "exited during start-up (see $D/log/$1.log)"; return 1; }
		i=$((i + 1))
		[ $i -le $(($2 * 10)) ] || { fail "$1" "not up after ${2}s (pid $pid; see $D/log/$1.log)"; return 1; }
		sleep 0.1
	done
}

# ---------------------------------------------------------------------------------------------
# configuration (derived, rewritten on every start) and data (made once, never wiped)
# ---------------------------------------------------------------------------------------------
render() { # template out KEY=VALUE...: fill @KEY@ placeholders; refuse to leave one unfilled
	t=$1 o=$2
	shift 2
	expr=""
	for kv in "$@"; do
		k=${kv%%=*} v=$(printf '%s' "${kv#*=}" | sed 's/[\\&|]/\\&/g')
		expr="$expr;s|@$k@|$v|g"
	done
	sed "${expr#;}" "$TPL/$t" >"$o.tmp"
	if grep -n '@[A-Z_][A-Z_]*@' "$o.tmp" >&2; then
		rm -f "$o.tmp"
		die "unfilled placeholder in $o (template $TPL/$t)"
	fi
	# Postfix waits until main.cf is more than a second old (up to 2 s per start): replace the file
	# only when it changed, and give a new one the template's (old) modification time.
	if cmp -s "$o.tmp" "$o"; then
		rm -f "$o.tmp"
	else
		touch -r "$TPL/$t" "$o.tmp"
		mv "$o.tmp" "$o"
	fi
}

make_once() { # file command...: create file with the command's output unless it exists (atomically)
	[ -e "$1" ] && return 0
	f=$1
	shift
	"$@" >"$f.tmp" && mv "$f.tmp" "$f"
}

secret() { # file bytes: a random hex secret, made once, 0600
	(umask 077 && make_once "$D/secrets/$1" openssl rand -hex "$2")
	chmod 600 "$D/secrets/$1"
}

prepare_common() {
	# Servers that drop privileges (Dovecot's login/mail processes, Postfix's daemons, nginx's workers)
	# enter DIR: it must be traversable by others, and so must its parents (not changed here).
	chmod 755 "$D"
	# Unix socket paths are limited to 107 bytes; Dovecot's longest is DIR/mail/run/ + 25 characters.
	[ ${#D} -le 70 ] || die "DIR path too long for unix sockets (${#D} > 70 characters): $D"
	mkdir -p "$D/run" "$D/log"
	mkdir -p "$D/secrets"
	chmod 700 "$D/secrets"
	secret dns-api-key 24
	secret s3-root-access 10
	secret s3-root-secret 20
	if [ ! -f "$D/ports.env" ]; then
		cat >"$D/ports.env.tmp" <<EOF
SMTP_PORT=$SMTP_PORT
SUBMISSION_PORT=$SUBMISSION_PORT
IMAP_PORT=$IMAP_PORT
DNS_PORT=$DNS_PORT
DNS_API_PORT=$DNS_API_PORT
HTTP_PORT=$HTTP_PORT
S3_PORT=$S3_PORT
DKIM_PORT=$DKIM_PORT
DOMAIN=$DOMAIN
EOF
		mv "$D/ports.env.tmp" "$D/ports.env"
	fi
	if [ -n "$ROOT" ] && command -v setpriv >/dev/null; then
		if ! setpriv --reuid=nobody --regid="$NOGROUP" --clear-groups test -x "$D/run"; then
			p=$D
			while [ "$p" != / ]; do
				setpriv --reuid=nobody --regid="$NOGROUP" --clear-groups test -x "$p" 2>/dev/null || bad=$p
				p=$(dirname "$p")
			done
			die "${bad:-$D} is not traversable by other users (mail and web processes run as nobody): chmod o+x it, or use a DIR elsewhere"
		fi
	fi
}

prepare_dovecot() {
	M=$D/mail
	mkdir -p "$M/mail"
	[ -e "$M/users" ] || : >"$M/users"
	if [ -n "$ROOT" ]; then
		chown "nobody:$NOGROUP" "$M/mail"
		set -- LOGIN_USER=dovenull INTERNAL_USER=dovecot SOCKET_GROUP=dovecot MAIL_UID=nobody MAIL_GID="$NOGROUP" \
			AUTH_USER=root
	else
		u=$(id -un) g=$(id -gn)
		# shellcheck disable=SC2016 # a Dovecot variable, not a shell one
		set -- LOGIN_USER="$u" INTERNAL_USER="$u" SOCKET_GROUP="$g" MAIL_UID="$u" MAIL_GID="$g" \
			AUTH_USER='$default_internal_user'
	fi
	render dovecot.conf.tmpl "$M/dovecot.conf" DIR="$M" LOG="$D/log/dovecot.log" IMAP_PORT="$IMAP_PORT" \
		DOMAIN="$DOMAIN" "$@"
}

prepare_postfix() {
	P=$D/postfix
	mkdir -p "$P/etc" "$P/queue" "$P/data" "$P/log"
	chown postfix "$P/data"
	for m in vmailbox valias senders; do [ -e "$P/etc/$m" ] || : >"$P/etc/$m"; done
	render postfix-main.cf.tmpl "$P/etc/main.cf" DIR="$P" DOMAIN="$DOMAIN" DOVECOT_RUN="$D/mail/run" DKIM_PORT="$DKIM_PORT"
	render postfix-master.cf.tmpl "$P/etc/master.cf" SMTP_PORT="$SMTP_PORT" SUBMISSION_PORT="$SUBMISSION_PORT"
}

prepare_pdns() {
	mkdir -p "$D/dns/run"
	(umask 077 && render pdns.conf.tmpl "$D/dns/pdns.conf" DIR="$D/dns" DNS_PORT="$DNS_PORT" \
		API_PORT="$DNS_API_PORT" API_KEY="$(cat "$D/secrets/dns-api-key")")
	if [ ! -s "$D/dns/pdns.sqlite3" ]; then # made once, atomically: an interrupted start leaves no half schema
		rm -f "$D/dns/pdns.sqlite3.tmp"
		sqlite3 "$D/dns/pdns.sqlite3.tmp" <"$PDNS_SCHEMA"
		mv "$D/dns/pdns.sqlite3.tmp" "$D/dns/pdns.sqlite3"
	fi
}

prepare_nginx() {
	W=$D/web
	mkdir -p "$W/run" "$W/log" "$W/tmp" "$W/sites" "$W/conf.d"
	chmod 755 "$W" "$W/sites"
	render nginx.conf.tmpl "$W/nginx.conf" DIR="$W" HTTP_PORT="$HTTP_PORT" ERROR_LOG="$D/log/nginx.log" \
		DOMAIN_RE="$(printf '%s' "$DOMAIN" | sed 's/\./\\./g')"
}

prepare_opendkim() {
	K=$D/dkim
	mkdir -p "$K/keys" "$K/run"
	[ -e "$K/KeyTable" ] || : >"$K/KeyTable"
	[ -e "$K/SigningTable" ] || : >"$K/SigningTable"
	if [ -n "$ROOT" ]; then
		chown -R opendkim:opendkim "$K/keys" "$K/run"
		chmod 700 "$K/keys"
		user=opendkim
	else
		user=$(id -un)
	fi
	render opendkim.conf.tmpl "$K/opendkim.conf" DIR="$K" PORT="$DKIM_PORT" USER="$user"
}

# dkim-key DIR SELECTOR < key.pem: the signing key (from the platform's mail-dkim Secret) for DOMAIN,
# readable only by OpenDKIM; the tables name it, and a running OpenDKIM re-reads them (SIGUSR1).
# Nothing changes, and nothing is signalled, when the key is the one in place.
dkim_key() {
	sel=$1
	case $sel in '' | *[!a-z0-9-]*) die "dkim-key: the selector must be a DNS label, not '$sel'" ;; esac
	prepare_opendkim
	key=$K/keys/$sel.private
	(umask 077 && cat >"$key.tmp")
	grep -q 'PRIVATE KEY-----' "$key.tmp" || { rm -f "$key.tmp"; die "dkim-key: no PEM private key on stdin"; }
	[ -n "$ROOT" ] && chown opendkim:opendkim "$key.tmp"
	changed=""
	if cmp -s "$key.tmp" "$key"; then rm -f "$key.tmp"; else mv "$key.tmp" "$key" && changed=1; fi
	printf '%s._domainkey.%s %s:%s:%s\n' "$sel" "$DOMAIN" "$DOMAIN" "$sel" "$key" >"$K/KeyTable.tmp"
	printf '*@%s %s._domainkey.%s\n' "$DOMAIN" "$sel" "$DOMAIN" >"$K/SigningTable.tmp"
	for t in KeyTable SigningTable; do
		if cmp -s "$K/$t.tmp" "$K/$t"; then rm -f "$K/$t.tmp"; else mv "$K/$t.tmp" "$K/$t" && changed=1; fi
	done
	if [ -n "$changed" ] && pid=$(pid_of opendkim); then kill -USR1 "$pid"; fi
	return 0
}

prepare_versitygw() {
	mkdir -p "$D/s3/data" "$D/s3/iam"
	chmod 700 "$D/s3/iam" # the accounts' secrets
}

# ---------------------------------------------------------------------------------------------
# start / stop
# ---------------------------------------------------------------------------------------------
launch() { # name: start the (prepared, not running) server
	case $1 in
	dovecot)
		spawn dovecot dovecot -c "$D/mail/dovecot.conf" -F ;;
	postfix)
		# `postfix start-fg` keeps its shell script as the parent of master (SIGTERM to it would
		# orphan master), so `start`: it checks the instance (creating the queue directories), then
		# its master daemonizes itself; the pid comes from queue/pid/master.pid. Postfix prints some
		# fatal errors only to a terminal: if the log says nothing, run `postfix -c DIR/postfix/etc check`.
		setsid postfix -c "$D/postfix/etc" start >>"$D/log/postfix.log" 2>&1 </dev/null ||
			{ fail postfix "postfix start failed"; return 1; }
		tr -d ' ' <"$D/postfix/queue/pid/master.pid" >"$D/run/postfix.pid" ;;
	pdns)
		spawn pdns pdns_server --config-dir="$D/dns" ;;
	nginx)
		nginx -t -q -p "$D/web" -c "$D/web/nginx.conf" -e "$D/log/nginx.log" >>"$D/log/nginx.log" 2>&1 ||
			{ fail nginx "nginx -t rejected $D/web/nginx.conf"; return 1; }
		rm -f "$D/web/run/nginx.pid"
		spawn nginx nginx -p "$D/web" -c "$D/web/nginx.conf" -e "$D/log/nginx.log" ;;
	opendkim)
		spawn opendkim opendkim -x "$D/dkim/opendkim.conf" -f ;;
	versitygw)
		# The root credentials go through the environment (readable only by the owner in /proc), not
		# the command line (readable by everyone in ps).
		(
			ROOT_ACCESS_KEY=$(cat "$D/secrets/s3-root-access") ROOT_SECRET_KEY=$(cat "$D/secrets/s3-root-secret")
			export ROOT_ACCESS_KEY ROOT_SECRET_KEY
			spawn versitygw "$VERSITYGW" --port "127.0.0.1:$S3_PORT" --iam-dir "$D/s3/iam" --iam-cache-disable --quiet \
				posix "$D/s3/data"
		) ;;
	esac
}

start() {
	prepare_common
	t0=$(date +%s)
	skipped="" started="" failed=""
	# Launch every server that is not running, then wait for them together (none needs another to be
	# up to start: Postfix connects to Dovecot's sockets per connection).
	for n in $SERVERS; do
		why=$(unavailable "$n")
		if [ -n "$why" ]; then
			log "warning: $n unavailable: $why; skipped"
			skipped="$skipped $n"
			continue
		fi
		"prepare_$n"
		if pid=$(pid_of "$n"); then
			log "$n already running (pid $pid)"
			continue
		fi
		rm -f "$D/run/$n.pid"
		busy=""
		for p in $(ports_of "$n"); do listening "$p" && busy="$busy $p"; done
		if [ -n "$busy" ]; then
			log "error: $n: port(s)$busy on 127.0.0.1 used by another process"
			failed="$failed $n"
			continue
		fi
		if launch "$n"; then started="$started $n"; else failed="$failed $n"; fi
	done
	for n in $started; do
		if wait_ready "$n" "$TIMEOUT"; then
			log "$n started (pid $(pid_of "$n"), log $D/log/$n.log)"
		else
			failed="$failed $n"
		fi
	done
	[ -z "$failed" ] || die "did not come up:$failed (the others are running; see $D/log)"
	if [ -n "$started" ]; then
		log "ready in $(($(date +%s) - t0))s${skipped:+ (unavailable:$skipped)}; ports in $D/ports.env"
	else
		log "all servers were running${skipped:+ (unavailable:$skipped)}; ports in $D/ports.env"
	fi
}

stop_one() { # name: SIGTERM, wait up to 15s, then SIGKILL; remove the pid file
	if pid=$(pid_of "$1"); then
		kill -TERM "$pid" 2>/dev/null || true
		i=0
		while alive "$pid" && [ $i -lt 150 ]; do sleep 0.1; i=$((i + 1)); done
		if alive "$pid"; then
			log "$1 (pid $pid) ignored SIGTERM for 15s; killing"
			kill -KILL "$pid" 2>/dev/null || true
		fi
		log "$1 stopped"
	fi
	rm -f "$D/run/$1.pid"
}

stop() {
	# Reverse order: Postfix before the Dovecot it delivers to.
	for n in versitygw nginx pdns postfix opendkim dovecot; do stop_one "$n"; done
}

status() {
	rc=0
	for n in $SERVERS; do
		if pid=$(pid_of "$n"); then
			echo "$n running (pid $pid)"
		else
			why=$(unavailable "$n")
			if [ -n "$why" ]; then echo "$n unavailable: $why"; else echo "$n stopped"; rc=1; fi
		fi
	done
	return $rc
}

reload_mail() {
	why=$(unavailable postfix)
	[ -z "$why" ] || die "postfix unavailable: $why"
	pid_of postfix >/dev/null || die "postfix is not running (toolchain/services.sh start $D)"
	postfix -c "$D/postfix/etc" reload >>"$D/log/postfix.log" 2>&1 || die "postfix reload failed (see $D/log/postfix.log)"
}

case $cmd in
start) start ;;
stop) stop ;;
status) status ;;
reload-mail) reload_mail ;;
dkim-key) [ $# -ge 3 ] || die "usage: services.sh dkim-key DIR SELECTOR < key.pem"; dkim_key "$3" ;;
*) die "unknown command '$cmd'" ;;
esac
