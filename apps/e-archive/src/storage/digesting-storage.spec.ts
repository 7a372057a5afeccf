import { createHash, randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';
import type { Request } from 'express';
import { DigestingStorage, type DigestedUpload } from './digesting-storage.js';
import { Sm3Digester } from './sm3-worker.js';

describe('DigestingStorage', () => {
  const sm3 = new Sm3Digester();
  const storage = new DigestingStorage(sm3);
  afterAll(() => sm3.onModuleDestroy());

  function upload(pieces: Buffer[], finish: (s: PassThrough) => void = (s) => s.end()) {
    const stream = new PassThrough();
    const file = { stream } as unknown as Express.Multer.File;
    const result = new Promise<Partial<DigestedUpload>>((resolve, reject) =>
      storage._handleFile({} as Request, file, (err, info) => (err ? reject(err) : resolve(info!))),
    );
    for (const p of pieces) stream.write(p);
    finish(stream);
    return result;
  }

  it('answers the bytes and the same digests as hashing the whole file at once', async () => {
    const whole = randomBytes(3 * 1024 * 1024 + 17);
    const pieces = [];
    for (let at = 0; at < whole.length; at += 65536) pieces.push(whole.subarray(at, at + 65536));
    const info = await upload(pieces);
    expect(info.size).toBe(whole.length);
    expect(info.buffer!.equals(whole)).toBe(true);
    expect(info.digest!.sha256).toBe(createHash('sha256').update(whole).digest('hex'));
    expect(await info.digest!.sm3).toBe(createHash('sm3').update(whole).digest('hex'));
  });

  it('digests an empty file', async () => {
    const info = await upload([]);
    expect(info.size).toBe(0);
    expect(await info.digest!.sm3).toBe(createHash('sm3').digest('hex'));
  });

  it('passes a broken upload on as an error', async () => {
    await expect(
      upload([Buffer.from('partial')], (s) => s.destroy(new Error('connection reset'))),
    ).rejects.toThrow('connection reset');
  });

  it('keeps concurrent uploads apart and the whole-buffer digest still works', async () => {
    const a = randomBytes(200_000);
    const b = randomBytes(300_000);
    const [ia, ib, direct] = await Promise.all([
      upload([a.subarray(0, 1000), a.subarray(1000)]),
      upload([b.subarray(0, 5), b.subarray(5)]),
      sm3.digest(a),
    ]);
    expect(await ia.digest!.sm3).toBe(createHash('sm3').update(a).digest('hex'));
    expect(await ib.digest!.sm3).toBe(createHash('sm3').update(b).digest('hex'));
    expect(direct).toBe(createHash('sm3').update(a).digest('hex'));
  });
});
