import { connect } from 'node:net';

export type VirusScanResult =
  | { outcome: 'clean' }
  | { outcome: 'infected'; signature: string }
  /** clamd answered but could not scan this file (e.g. over its StreamMaxLength). */
  | { outcome: 'error'; message: string }
  /** No answer at all: clamd down, unreachable, or too slow. Says nothing about the file. */
  | { outcome: 'unavailable'; message: string };

const CHUNK = 1 << 16;

/**
 * Scans bytes with ClamAV's clamd over TCP with the INSTREAM command (clamd(8)): the
 * `zINSTREAM\0` command, then chunks each prefixed by its length as a 4-byte big-endian
 * integer, then a zero length; clamd answers `stream: OK` or `stream: <name> FOUND`.
 */
export function scanWithClamd(
  host: string,
  port: number,
  bytes: Buffer,
  timeoutMs: number,
): Promise<VirusScanResult> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const replies: Buffer[] = [];
    let settled = false;
    const done = (r: VirusScanResult) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      resolve(r);
    };
    socket.setTimeout(timeoutMs, () =>
      done({ outcome: 'unavailable', message: 'clamd timed out' }),
    );
    socket.on('error', (e) => done({ outcome: 'unavailable', message: `clamd: ${e.message}` }));
    socket.on('data', (d: Buffer) => replies.push(d));
    socket.on('end', () => done(parseReply(Buffer.concat(replies).toString('utf8'))));
    socket.on('close', () =>
      done({ outcome: 'unavailable', message: 'clamd closed the connection' }),
    );
    socket.on('connect', () => {
      socket.write('zINSTREAM\0');
      for (let at = 0; at < bytes.length; at += CHUNK) {
        const chunk = bytes.subarray(at, at + CHUNK);
        const size = Buffer.alloc(4);
        size.writeUInt32BE(chunk.length);
        socket.write(size);
        socket.write(chunk);
      }
      socket.write(Buffer.alloc(4));
    });
  });
}

export function parseReply(reply: string): VirusScanResult {
  const text = reply.replace(/\0/g, '').trim();
  if (text === '') return { outcome: 'unavailable', message: 'clamd closed without an answer' };
  if (/^stream: OK$/.test(text)) return { outcome: 'clean' };
  const found = /^stream: (.+) FOUND$/.exec(text);
  if (found) return { outcome: 'infected', signature: found[1]! };
  return { outcome: 'error', message: `clamd answered: ${text.slice(0, 200)}` };
}
