import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { Worker } from 'node:worker_threads';

// Plain CommonJS so that the same code runs from dist/ and under the test runner.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
parentPort.on('message', ({ id, bytes }) => {
  try {
    parentPort.postMessage({ id, hex: createHash('sm3').update(bytes).digest('hex') });
  } catch (e) {
    parentPort.postMessage({ id, error: String(e && e.message || e) });
  }
});`;

/**
 * SM3 (GB/T 32905-2016) of ingested objects on a worker thread: it is several times slower
 * than SHA-256, so it runs while the main thread checks the PDF and writes the object.
 */
@Injectable()
export class Sm3Digester implements OnModuleDestroy {
  private worker: Worker | undefined;
  private next = 0;
  private readonly pending = new Map<
    number,
    { resolve(h: string): void; reject(e: Error): void }
  >();

  digest(bytes: Buffer): Promise<string> {
    const worker = this.start();
    if (!worker) return Promise.resolve(createHash('sm3').update(bytes).digest('hex'));
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.ref();
      worker.postMessage({
        id,
        bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length),
      });
    });
  }

  async onModuleDestroy(): Promise<void> {
    await this.worker?.terminate();
    this.worker = undefined;
  }

  private start(): Worker | undefined {
    if (this.worker) return this.worker;
    const w = new Worker(WORKER_SOURCE, { eval: true });
    w.on('message', (m: { id: number; hex?: string; error?: string }) => {
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (this.pending.size === 0) w.unref();
      if (m.hex) p?.resolve(m.hex);
      else p?.reject(new Error(m.error ?? 'sm3 failed'));
    });
    w.on('error', (err) => {
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
      this.worker = undefined;
    });
    w.unref();
    this.worker = w;
    return w;
  }
}
