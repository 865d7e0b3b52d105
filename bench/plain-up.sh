#!/usr/bin/env bash
# One stack of bench/provision.ts's "plain pulumi up" baseline, as a shell loop would run it: in the
# stack's own directory (Pulumi.yaml + Pulumi.<stack>.yaml, written by provision.ts), create the stack,
# start a language host for the program (bench/plain-host.ts: one Node process per update, as Pulumi's
# Node.js language host would), run the plain CLI `pulumi up` against it, stop the host.
#
#   bench/plain-up.sh STACK      (driven by: printf '%s\n' STACK... | xargs -P N -n 1 bench/plain-up.sh)
#
# Environment: PLAIN_WORK (the folder of the stack directories), PLAIN_PULUMI (the CLI), PLAIN_NODE
# (Node.js 24), PLAIN_HOST (plain-host.ts), and the Pulumi variables (PULUMI_HOME,
# PULUMI_CONFIG_PASSPHRASE_FILE, PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION, PULUMI_SKIP_UPDATE_CHECK).
# Output goes to PLAIN_WORK/STACK/up.log, the exit code to PLAIN_WORK/STACK/rc and is also this script's
# (xargs then exits 123 if any stack failed).
set -u
stack=$1
dir=$PLAIN_WORK/$stack
cd "$dir" || exit 1
exec >"$dir/up.log" 2>&1

"$PLAIN_PULUMI" stack init "$stack" --non-interactive || { rc=$?; echo "$rc" >"$dir/rc"; exit $rc; }

coproc HOST { exec "$PLAIN_NODE" --disable-warning=ExperimentalWarning "$PLAIN_HOST"; }
host_pid=$HOST_PID
if ! read -r -t 120 port <&"${HOST[0]}" || [ -z "$port" ]; then
	echo "plain-up: the language host did not start" >&2
	kill "$host_pid" 2>/dev/null
	echo 1 >"$dir/rc"
	exit 1
fi

"$PLAIN_PULUMI" up --yes --skip-preview --non-interactive --stack "$stack" \
	--client="127.0.0.1:$port" --exec-kind auto.inline
rc=$?

kill "$host_pid" 2>/dev/null
wait "$host_pid" 2>/dev/null
echo "$rc" >"$dir/rc"
exit $rc
