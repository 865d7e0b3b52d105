#!/bin/sh
# The OpenSID image's start (templates/opensid/image): what the local servers' sync does for one desa
# (cli/services/opensid.ts), inside the pod. desa/ and desa/upload are claims; the Secret `opensid` gives
# DB_*, OPENSID_KODE_DESA, OPENSID_IDENTITY and OPENSID_ADMIN_* (templates/opensid/workload.ts).
# 1. desa/config/config.php (the code without dots) once; database.php from the Secret on every start.
# 2. Before Apache (and so before any probe or visitor), PHP's own server on 127.0.0.1, as www-data,
#    answers one request of the login page: it runs OpenSID's seeder on an empty database (its web
#    installer refuses PHP 8.2.x and is skipped once desa/ exists), or its migrations after an upgrade.
# 3. provision.php (the same as the local servers'): the identity and telemetry off the first time, the
#    administrator's password when the Secret's differs from the one applied last (rotation), never
#    over a password the desa changed itself.
set -eu
# Where OpenSID and provision.php are (the image's paths; others only to try this script outside it).
root=${OPENSID_ROOT:-/var/www/html}
provision=${OPENSID_PROVISION:-/usr/local/share/desa/provision.php}
cd "$root"
: "${DB_HOST:?}" "${DB_NAME:?}" "${DB_USER:?}" "${DB_PASSWORD:?}" "${OPENSID_KODE_DESA:?}" "${OPENSID_ADMIN_PASSWORD:?}"

mkdir -p desa/config
if [ ! -f desa/config/config.php ]; then
  php -r 'printf("<?php\n\$config[\"kode_desa\"] = %s;\n\$config[\"user_admin\"] = 0;\n\$config[\"trusted_hosts\"] = [];\n", var_export(getenv("OPENSID_KODE_DESA"), true));' > desa/config/config.php
fi
php -r '
  $v = fn ($k) => var_export((string) getenv($k), true);
  echo "<?php\n";
  echo "\$db[\"default\"][\"hostname\"] = {$v("DB_HOST")};\n";
  echo "\$db[\"default\"][\"port\"] = " . (int) (getenv("DB_PORT") ?: 3306) . ";\n";
  echo "\$db[\"default\"][\"username\"] = {$v("DB_USER")};\n";
  echo "\$db[\"default\"][\"password\"] = {$v("DB_PASSWORD")};\n";
  echo "\$db[\"default\"][\"database\"] = {$v("DB_NAME")};\n";
  echo "\$db[\"default\"][\"dbcollat\"] = \"utf8_general_ci\";\n";
  echo "\$db[\"default\"][\"stricton\"] = true;\n";
' > desa/config/database.php
[ -f desa/app_key ] || php -r 'echo "base64:" . base64_encode(random_bytes(32));' > desa/app_key
chown -R www-data:www-data desa
chmod 600 desa/config/database.php desa/app_key

runuser -u www-data -- php -S 127.0.0.1:8081 -t "$root" "$root/index.php" >/dev/null 2>&1 &
seeder=$!
# The startup probe allows five minutes for this.
tries=0
until curl -fs -o /dev/null --max-time 300 http://127.0.0.1:8081/index.php/siteman; do
  tries=$((tries + 1))
  if [ "$tries" -ge 60 ] || ! kill -0 "$seeder" 2>/dev/null; then
    echo "OpenSID did not answer its login page (its seeder or its migrations); see storage/logs" >&2
    kill "$seeder" 2>/dev/null || true
    exit 1
  fi
  sleep 2
done
kill "$seeder"
wait "$seeder" 2>/dev/null || true

marker=desa/.desa-provisioned
admin_hash=$(printf '%s' "$OPENSID_ADMIN_PASSWORD" | sha256sum | cut -d' ' -f1)
first=true
admin=true
if [ -f "$marker" ]; then
  first=false
  [ "$(cat "$marker")" = "$admin_hash" ] && admin=false
fi
FIRST=$first ADMIN=$admin php -r '
  $in = [
    "db" => ["host" => getenv("DB_HOST"), "port" => (int) (getenv("DB_PORT") ?: 3306), "name" => getenv("DB_NAME"), "user" => getenv("DB_USER"), "password" => getenv("DB_PASSWORD")],
    "identity" => getenv("FIRST") === "true" ? json_decode(getenv("OPENSID_IDENTITY") ?: "null", true) : null,
    "adminUsername" => getenv("OPENSID_ADMIN_USERNAME") ?: "admin",
    "adminPassword" => getenv("ADMIN") === "true" ? getenv("OPENSID_ADMIN_PASSWORD") : null,
    "telemetryOff" => getenv("FIRST") === "true",
  ];
  echo json_encode($in);
' | php "$provision" >/dev/null
printf '%s' "$admin_hash" > "$marker"
chmod 600 "$marker"

exec "$@"
