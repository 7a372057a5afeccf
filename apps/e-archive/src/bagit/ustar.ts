/**
 * A minimal POSIX ustar writer (IEEE Std 1003.1, pax "ustar Interchange Format"): regular
 * files and directories, names up to 255 bytes split into prefix and name, sizes up to 8 GiB.
 * Uncompressed, so a bag's files can be checked with any tar and sha256sum.
 */
const BLOCK = 512;

export function tarHeader(
  path: string,
  size: number,
  options: { dir?: boolean; mtime?: Date } = {},
): Buffer {
  const h = Buffer.alloc(BLOCK, 0);
  const { prefix, name } = splitPath(path);
  h.write(name, 0, 100, 'utf8');
  writeOctal(h, options.dir ? 0o755 : 0o644, 100, 8);
  writeOctal(h, 0, 108, 8);
  writeOctal(h, 0, 116, 8);
  writeOctal(h, size, 124, 12);
  writeOctal(h, Math.floor((options.mtime ?? new Date()).getTime() / 1000), 136, 12);
  h.fill(0x20, 148, 156); // the checksum is computed with its own field as spaces
  h.write(options.dir ? '5' : '0', 156, 1, 'latin1');
  h.write('ustar\0', 257, 6, 'latin1');
  h.write('00', 263, 2, 'latin1');
  h.write('root', 265, 32, 'latin1');
  h.write('root', 297, 32, 'latin1');
  h.write(prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'latin1');
  return h;
}

/** Zero bytes that fill the last block of a file's data. */
export function tarPadding(size: number): Buffer {
  const rest = size % BLOCK;
  return Buffer.alloc(rest === 0 ? 0 : BLOCK - rest, 0);
}

/** Two zero blocks end the archive. */
export function tarEnd(): Buffer {
  return Buffer.alloc(BLOCK * 2, 0);
}

export function tarFile(path: string, data: Buffer, mtime?: Date): Buffer[] {
  return [tarHeader(path, data.length, { mtime }), data, tarPadding(data.length)];
}

function writeOctal(h: Buffer, value: number, at: number, width: number): void {
  const s = value.toString(8);
  if (s.length > width - 1) throw new Error(`value ${value} does not fit a ${width}-byte field`);
  h.write(`${s.padStart(width - 1, '0')}\0`, at, width, 'latin1');
}

function splitPath(path: string): { prefix: string; name: string } {
  if (Buffer.byteLength(path) <= 100) return { prefix: '', name: path };
  // Split at a slash so that the name fits 100 bytes and the prefix 155.
  for (let i = path.lastIndexOf('/'); i > 0; i = path.lastIndexOf('/', i - 1)) {
    const prefix = path.slice(0, i);
    const name = path.slice(i + 1);
    if (Buffer.byteLength(name) <= 100 && Buffer.byteLength(prefix) <= 155) return { prefix, name };
  }
  throw new Error(`path too long for ustar: ${path}`);
}
