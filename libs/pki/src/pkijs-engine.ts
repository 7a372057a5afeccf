import * as pkijs from 'pkijs';

let ready = false;

/**
 * pkijs needs a WebCrypto engine before it can verify or hash; Node's global webcrypto does.
 * Called lazily by every module that uses pkijs, so importing `#pki` has no side effect.
 */
export function ensurePkijsEngine(): void {
  if (ready) return;
  pkijs.setEngine('node', new pkijs.CryptoEngine({ name: 'node', crypto: globalThis.crypto }));
  ready = true;
}

export { pkijs };
