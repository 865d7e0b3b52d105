// Prints the Debian packages the local servers need (cli/servers/table.ts), one line, space-separated:
// scripts/bootstrap.sh installs them after `npm ci`, so the list lives in one place.
//   bin/node scripts/debian-packages.ts
import { debianPackages } from '../cli/servers/table.ts';

process.stdout.write(`${debianPackages().join(' ')}\n`);
