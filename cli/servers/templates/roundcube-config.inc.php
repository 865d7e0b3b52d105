<?php
// Roundcube webmail of desa, rendered by cli/servers/roundcube.ts on every start from typed values (do not
// edit: the next start writes it again). Read through ROUNDCUBE_CONFIG_DIR, set in its PHP-FPM pool;
// /etc/roundcube/config.inc.php is not read. Every value is a PHP string literal made by
// roundcubeSettings() in cli/servers/roundcube.ts.
$config = [];

$config['db_dsnw'] = {{dbDsn}};

// Mailboxes: the local Dovecot; `<slug>.<role>` or the full address, the domain added when missing.
$config['imap_host'] = {{imapHost}};
$config['username_domain'] = {{usernameDomain}};
$config['login_lc'] = 2;

// Sending: Postfix's submission port, with the user's own login (Postfix lets a login send only as itself).
$config['smtp_host'] = {{smtpHost}};
$config['smtp_user'] = '%u';
$config['smtp_pass'] = '%p';
// Both over TLS, the certificate verified against the local CA (the file a user trusts) for the mail host.
$tls = ['ssl' => ['verify_peer' => true, 'verify_peer_name' => true, 'cafile' => {{caFile}}, 'peer_name' => {{peerName}}]];
$config['imap_conn_options'] = $tls;
$config['smtp_conn_options'] = $tls;
$config['max_message_size'] = {{maxMessageSize}};

// What people see: Bahasa Indonesia, the elastic skin, the Kabupaten's name.
$config['product_name'] = {{productName}};
$config['language'] = {{language}};
$config['skin'] = {{skin}};
$config['support_url'] = '';
$config['useragent'] = 'Webmail';

// The key that encrypts the IMAP password in the session: made once by desa (secrets/, 0600), handed
// to the pool in its environment, never written here.
$config['des_key'] = getenv('DESA_ROUNDCUBE_DES_KEY');

// No plugins: the password plugin in particular stays off (desa generates and rotates passwords; its
// dovecot_passwdfile driver would write the file the sync owns).
$config['plugins'] = [];
$config['enable_installer'] = false;
$config['enable_spellcheck'] = false;

$config['temp_dir'] = {{tempDir}};
$config['log_dir'] = {{logDir}};
$config['log_driver'] = 'file';
