#!/bin/bash
# The services spike: renders the templates beside this script into a fresh temp dir, starts Dovecot,
# Postfix, PowerDNS and nginx on 127.0.0.1 (ports BASE+...), runs checks.py with real clients, stops all.
# Run as root (Postfix's master must start as root). Needs Debian: dovecot-core dovecot-imapd
# dovecot-lmtpd postfix pdns-server pdns-backend-sqlite3 sqlite3 nginx dnsutils.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
BASE=${SPIKE_PORT_BASE:-21000}
IMAP=$((BASE+143)) SMTP=$((BASE+25)) SUBM=$((BASE+587)) DNS=$((BASE+53)) API=$((BASE+81)) HTTP=$((BASE+80))
DOMAIN=desa.bekasikab.go.id
T=$(mktemp -d /tmp/desa-services.XXXXXX)
chmod 755 "$T"   # mktemp makes 0700; Dovecot's mail uid and nginx workers (nobody) must traverse it
API_KEY=$(openssl rand -hex 16)
render() { # template out KEY=VALUE...
  local t=$1 o=$2; shift 2; cp "$HERE/$t" "$o"
  for kv in "$@"; do local k=${kv%%=*} v=${kv#*=}; sed -i "s|@$k@|$v|g" "$o"; done
  if grep -n '@[A-Z_]*@' "$o"; then echo "unrendered placeholder in $o" >&2; exit 1; fi
}
now() { date +%s.%N; }
wait_tcp() { for _ in $(seq 1 200); do (exec 3<>/dev/tcp/127.0.0.1/$1) 2>/dev/null && return 0; sleep 0.05; done; echo "port $1 not up" >&2; return 1; }
elapsed() { printf '%.2f s' "$(echo "$(now) - $1" | bc)"; }

stop_all() {
  set +e
  [ -f "$T/mail/run/master.pid" ] && doveadm -c "$T/mail/dovecot.conf" stop 2>/dev/null
  [ -f "$T/postfix/queue/pid/master.pid" ] && postfix -c "$T/postfix/etc" stop 2>/dev/null
  [ -f "$T/pdns/pdns.pid" ] && kill "$(cat "$T/pdns/pdns.pid")" 2>/dev/null
  [ -f "$T/web/run/nginx.pid" ] && nginx -p "$T/web" -c "$T/web/nginx.conf" -e "$T/web/log/error.log" -s quit 2>/dev/null
  wait 2>/dev/null
  echo "stopped; logs in $T"
}
trap stop_all EXIT

# Mail: Dovecot (IMAP, LMTP, SASL for Postfix) + Postfix (MX port and submission with SMTP AUTH).
M=$T/mail; mkdir -p "$M/log" "$M/mail"; : > "$M/users"; chown nobody:nogroup "$M/mail"
render dovecot.conf.tmpl "$M/dovecot.conf" DIR="$M" LOG="$M/log/dovecot.log" AUTH_USER=root IMAP_PORT=$IMAP DOMAIN=$DOMAIN \
  LOGIN_USER=dovenull INTERNAL_USER=dovecot SOCKET_GROUP=dovecot MAIL_UID=nobody MAIL_GID=nogroup
t0=$(now); dovecot -c "$M/dovecot.conf" -F > "$M/log/stdout" 2>&1 & wait_tcp $IMAP; echo "dovecot up in $(elapsed $t0)"

P=$T/postfix; mkdir -p "$P/etc" "$P/queue" "$P/data" "$P/log"; chown postfix "$P/data"
render postfix-main.cf.tmpl "$P/etc/main.cf" DIR="$P" DOMAIN=$DOMAIN DOVECOT_RUN="$M/run" DKIM_PORT=$((BASE+7))
render postfix-master.cf.tmpl "$P/etc/master.cf" SMTP_PORT=$SMTP SUBMISSION_PORT=$SUBM
: > "$P/etc/vmailbox"; : > "$P/etc/valias"; : > "$P/etc/senders"
postfix -c "$P/etc" check
t0=$(now); postfix -c "$P/etc" start-fg > "$P/log/stdout" 2>&1 & wait_tcp $SUBM; echo "postfix up in $(elapsed $t0)"

# DNS: PowerDNS Authoritative, sqlite3 backend, HTTP API.
D=$T/pdns; mkdir -p "$D/run"
render pdns.conf.tmpl "$D/pdns.conf" DIR="$D" DNS_PORT=$DNS API_PORT=$API API_KEY=$API_KEY
sqlite3 "$D/pdns.sqlite3" < /usr/share/pdns-backend-sqlite3/schema/schema.sqlite3.sql
t0=$(now); pdns_server --config-dir="$D" > "$D/pdns.log" 2>&1 & echo $! > "$D/pdns.pid"
for _ in $(seq 1 200); do curl -sf -o /dev/null -H "X-API-Key: $API_KEY" "http://127.0.0.1:$API/api/v1/servers/localhost" && break; sleep 0.05; done
echo "pdns up in $(elapsed $t0)"

# Web: nginx, one directory per desa.
W=$T/web; mkdir -p "$W/run" "$W/log" "$W/tmp" "$W/sites" "$W/conf.d"
render nginx.conf.tmpl "$W/nginx.conf" DIR="$W" ERROR_LOG="$W/log/error.log" HTTP_PORT=$HTTP "DOMAIN_RE=${DOMAIN//./\\\\.}"
nginx -t -q -p "$W" -c "$W/nginx.conf" -e "$W/log/error.log"
t0=$(now); nginx -p "$W" -c "$W/nginx.conf" -e "$W/log/error.log" > "$W/log/stdout" 2>&1 & wait_tcp $HTTP; echo "nginx up in $(elapsed $t0)"

SPIKE_DIR=$T IMAP=$IMAP SMTP=$SMTP SUBM=$SUBM DNS=$DNS API=$API API_KEY=$API_KEY HTTP=$HTTP DOMAIN=$DOMAIN \
  python3 "$HERE/checks.py"
