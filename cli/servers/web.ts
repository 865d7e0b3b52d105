// What the web server (nginx.ts) and the PHP servers behind it (php-fpm.ts, roundcube.ts) share: the
// user nginx's workers run as, and where webmail's pool listens and its pages are. Plain values, so
// that nginx.ts and roundcube.ts need not import each other.

/**
 * The user nginx's workers run as when desa runs as root: Debian's web server user. An OpenSID desa's
 * folder is open to this group and to the desa's own user only, and each PHP-FPM socket (an OpenSID
 * desa's, webmail's) to this user only.
 */
export const WEB_USER = 'www-data';

/** Roundcube's document root as Debian's roundcube-core lays it out (index.php, skins/, plugins/, program/js). */
export const ROUNDCUBE_PUBLIC = '/var/lib/roundcube/public_html';

/** Webmail's PHP-FPM socket, relative to the services folder. */
export const WEBMAIL_SOCKET = 'roundcube/run/fpm.sock';

/** The largest message (with attachments) webmail sends: nginx, PHP and Roundcube agree on it. */
export const WEBMAIL_UPLOAD_MB = 25;
