<?php
// What desa does to an OpenSID database once OpenSID's own seeder has filled it, through the desa's own
// database account (so it also proves that account works). Used by the local servers' sync
// (cli/services/opensid.ts) and by the image's entrypoint (image/entrypoint.sh): one behaviour for both.
//
// Input, JSON on stdin (never arguments: it holds passwords):
//   db             {host, port, name, user, password}
//   identity       the desa's identity for OpenSID's `config` row (core/opensid.ts), or null to leave it
//   adminUsername  the administrator the seeder made ("admin")
//   adminPassword  a new password for it, or null to leave it
//   telemetryOff   true: OpenSID stops sending statistics to pantau.opensid.my.id (enable_track = 0)
// Output, JSON on stdout: {tables, identity, admin, telemetry}; `tables` 0 means the seeder has not run
// yet and nothing was changed. Exit 1 with a message (no secret in it) when the database refuses.

$in = json_decode(stream_get_contents(STDIN), true);
if (!is_array($in) || !isset($in['db']['host'], $in['db']['name'], $in['db']['user'])) {
    fwrite(STDERR, "provision.php: expected a JSON object with db.host, db.name and db.user on stdin\n");
    exit(2);
}
$db = $in['db'];

try {
    $pdo = new PDO(
        sprintf('mysql:host=%s;port=%d;dbname=%s;charset=utf8mb4', $db['host'], (int) ($db['port'] ?? 3306), $db['name']),
        $db['user'],
        $db['password'] ?? '',
        [PDO::ATTR_ERRMODE => PDO::ERRMODE_EXCEPTION, PDO::ATTR_TIMEOUT => 10]
    );
    $q = $pdo->prepare('SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = ?');
    $q->execute([$db['name']]);
    $out = ['tables' => (int) $q->fetchColumn(), 'identity' => false, 'admin' => null, 'telemetry' => false];
    if ($out['tables'] === 0) {
        echo json_encode($out), "\n";
        exit(0);
    }

    if (!empty($in['identity']) && is_array($in['identity'])) {
        // The seeder keeps one row (the app key's); its columns are the names OpenSID itself uses.
        $columns = ['nama_desa', 'kode_desa', 'nama_kecamatan', 'kode_kecamatan', 'nama_kabupaten', 'kode_kabupaten', 'nama_propinsi', 'kode_propinsi'];
        $set = [];
        $values = [];
        foreach ($columns as $c) {
            if (isset($in['identity'][$c])) {
                $set[] = "`$c` = ?";
                $values[] = (string) $in['identity'][$c];
            }
        }
        $id = $pdo->query('SELECT MIN(id) FROM config')->fetchColumn();
        if ($set && $id !== null && $id !== false) {
            $values[] = $id;
            $pdo->prepare('UPDATE config SET ' . implode(', ', $set) . ' WHERE id = ?')->execute($values);
            $out['identity'] = true;
        }
    }

    if (isset($in['adminPassword']) && $in['adminPassword'] !== null) {
        $q = $pdo->prepare('SELECT id, password FROM user WHERE username = ? ORDER BY id LIMIT 1');
        $q->execute([$in['adminUsername'] ?? 'admin']);
        $row = $q->fetch(PDO::FETCH_ASSOC);
        if (!$row) {
            $out['admin'] = 'missing';
        } elseif (password_verify($in['adminPassword'], $row['password'])) {
            $out['admin'] = 'unchanged';
        } else {
            // As OpenSID hashes it (generatePasswordHash: bcrypt).
            $pdo->prepare('UPDATE user SET password = ? WHERE id = ?')->execute([password_hash($in['adminPassword'], PASSWORD_BCRYPT), $row['id']]);
            $out['admin'] = 'set';
        }
    }

    if (!empty($in['telemetryOff'])) {
        $pdo->prepare("UPDATE setting_aplikasi SET value = '0' WHERE `key` = 'enable_track'")->execute();
        $out['telemetry'] = true;
    }
    echo json_encode($out), "\n";
} catch (PDOException $e) {
    // The message names the server and the account, never the password.
    fwrite(STDERR, 'provision.php: ' . $e->getMessage() . "\n");
    exit(1);
}
