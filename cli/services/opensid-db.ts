// The OpenSID databases on the local MariaDB, administered as the system user desa runs as (unix_socket
// authentication on the server's socket, cli/servers/mariadb.ts): one database and one account per desa,
// the account allowed on its own database only, from 127.0.0.1 only. SQL goes on stdin (passwords never
// reach a command line); dumps go straight to a file.
import { chmodSync, openSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { mariadbAdmin, MARIADB_SOCKET } from '../servers/mariadb.ts';
import { run } from '../process.ts';

/** A SQL string literal. */
export const sqlString = (v: string) => `'${v.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;

/** A database or account name: only what desa makes (opensid_<digits>), checked before it reaches SQL. */
export function sqlName(name: string): string {
  if (!/^opensid_\d{10}$/.test(name)) throw new Error(`"${name}" is not an OpenSID database or account name`);
  return name;
}

/** The account of a desa: its user at 127.0.0.1, where its PHP connects from (skip-name-resolve). */
const account = (user: string) => `${sqlString(sqlName(user))}@'127.0.0.1'`;

/** Statements that make the database and account exist, with this password, allowed on that database only. */
export function accountSql(database: string, user: string, password: string): string {
  const db = sqlName(database);
  return [
    `CREATE DATABASE IF NOT EXISTS \`${db}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci;`,
    `CREATE USER IF NOT EXISTS ${account(user)} IDENTIFIED BY ${sqlString(password)};`,
    `ALTER USER ${account(user)} IDENTIFIED BY ${sqlString(password)};`,
    `GRANT ALL PRIVILEGES ON \`${db}\`.* TO ${account(user)};`,
    '',
  ].join('\n');
}

export interface DbAdmin {
  /** Runs statements; the rows of the last result, tab-separated. */
  sql(statements: string): Promise<string>;
  ensureAccount(database: string, user: string, password: string): Promise<void>;
  /** Tables in the database (0 when it is empty or absent). */
  tables(database: string): Promise<number>;
  databaseExists(database: string): Promise<boolean>;
  /** The whole database as SQL into `file` (0600). */
  dump(database: string, file: string): Promise<void>;
  /** A dump made by `dump`, loaded into the (existing, empty) database. */
  restore(database: string, file: string): Promise<void>;
  /** The account goes: nobody logs in to the database any more. */
  dropAccount(user: string): Promise<void>;
  dropDatabase(database: string): Promise<void>;
}

export function dbAdmin(o: { dir: string; root: boolean; self: { user: string }; env: NodeJS.ProcessEnv }): DbAdmin {
  const socket = join(o.dir, MARIADB_SOCKET);
  const connect = ['--no-defaults', `--socket=${socket}`, `--user=${mariadbAdmin(o)}`];
  const client = (args: string[], extra: { input?: string; inputFile?: string; what: string }) =>
    run('mariadb', [...connect, '--batch', '--skip-column-names', ...args], { env: o.env, timeout: 600_000, ...extra });
  const sql = async (statements: string) => (await client([], { input: statements, what: 'MariaDB (the OpenSID databases)' })).stdout;
  return {
    sql,
    ensureAccount: async (database, user, password) => void (await sql(accountSql(database, user, password))),
    tables: async (database) => Number((await sql(`SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = ${sqlString(sqlName(database))};`)).trim()),
    databaseExists: async (database) => (await sql(`SHOW DATABASES LIKE ${sqlString(sqlName(database))};`)).trim() !== '',
    dump: async (database, file) => {
      closeSync(openSync(file, 'w', 0o600));
      chmodSync(file, 0o600);
      await run('mariadb-dump', [...connect, '--single-transaction', '--routines', '--triggers', '--hex-blob', sqlName(database)], {
        env: o.env,
        timeout: 0,
        stdoutFile: file,
        what: `mariadb-dump ${database}`,
      });
    },
    restore: async (database, file) => void (await client([sqlName(database)], { inputFile: file, what: `restoring ${database} from ${file}` })),
    dropAccount: async (user) => void (await sql(`DROP USER IF EXISTS ${account(user)};`)),
    dropDatabase: async (database) => void (await sql(`DROP DATABASE IF EXISTS \`${sqlName(database)}\`;`)),
  };
}
