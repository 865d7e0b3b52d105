<?php
// Roundcube's defaults, as Debian ships them: desa's config folder (ROUNDCUBE_CONFIG_DIR) holds only its
// own config.inc.php and this file. Rendered by cli/servers/roundcube.ts.
require {{defaults}};
