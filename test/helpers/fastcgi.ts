// A minimal FastCGI client (the protocol nginx speaks to PHP-FPM): one request to a pool's socket,
// its stdout and stderr back. For the isolation test: a script run by one desa's own pool, as that
// pool runs it (its user, its open_basedir), without a web server in between.
import { connect } from 'node:net';

const VERSION = 1;
const BEGIN_REQUEST = 1;
const END_REQUEST = 3;
const PARAMS = 4;
const STDIN = 5;
const STDOUT = 6;
const STDERR = 7;

function record(type: number, content: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header.writeUInt8(VERSION, 0);
  header.writeUInt8(type, 1);
  header.writeUInt16BE(1, 2); // request id
  header.writeUInt16BE(content.length, 4);
  return Buffer.concat([header, content]);
}

function length(n: number): Buffer {
  if (n < 128) return Buffer.from([n]);
  const b = Buffer.alloc(4);
  b.writeUInt32BE((n | 0x80000000) >>> 0);
  return b;
}

function params(p: Record<string, string>): Buffer {
  return Buffer.concat(Object.entries(p).map(([k, v]) => Buffer.concat([length(Buffer.byteLength(k)), length(Buffer.byteLength(v)), Buffer.from(k), Buffer.from(v)])));
}

/** Runs `script` (an absolute path) through the pool listening on `socket`. */
export function fastcgi(socket: string, script: string): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const c = connect(socket);
    let data = Buffer.alloc(0);
    c.on('error', reject);
    c.on('connect', () => {
      const begin = Buffer.alloc(8);
      begin.writeUInt16BE(1, 0); // responder
      const env = { SCRIPT_FILENAME: script, SCRIPT_NAME: '/probe.php', REQUEST_METHOD: 'GET', REQUEST_URI: '/probe.php', SERVER_PROTOCOL: 'HTTP/1.1', GATEWAY_INTERFACE: 'CGI/1.1', SERVER_NAME: 'localhost', REMOTE_ADDR: '127.0.0.1' };
      c.write(Buffer.concat([record(BEGIN_REQUEST, begin), record(PARAMS, params(env)), record(PARAMS, Buffer.alloc(0)), record(STDIN, Buffer.alloc(0))]));
    });
    c.on('data', (d) => (data = Buffer.concat([data, d])));
    c.on('end', () => {
      let stdout = '';
      let stderr = '';
      for (let i = 0; i + 8 <= data.length; ) {
        const type = data.readUInt8(i + 1);
        const len = data.readUInt16BE(i + 4);
        const pad = data.readUInt8(i + 6);
        const body = data.subarray(i + 8, i + 8 + len).toString('utf8');
        if (type === STDOUT) stdout += body;
        else if (type === STDERR) stderr += body;
        else if (type === END_REQUEST) break;
        i += 8 + len + pad;
      }
      resolve({ stdout, stderr });
    });
  });
}
