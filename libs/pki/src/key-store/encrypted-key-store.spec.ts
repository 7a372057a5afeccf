import { createPublicKey, verify } from 'node:crypto';

import { PkiErrorCode } from '../errors.js';
import { EncryptedKeyStore } from './encrypted-key-store.js';
import { InMemoryKeyRecordStore } from './key-record-store.js';

const masterSecret = 'a-test-master-secret-of-at-least-32-bytes!';

describe('EncryptedKeyStore', () => {
  it('signs with a generated key so that its public key verifies', async () => {
    const keys = new EncryptedKeyStore({ masterSecret, records: new InMemoryKeyRecordStore() });
    const keyId = await keys.generate('seal:1');
    const data = Buffer.from('to be signed');

    const signature = await keys.sign(keyId, data);

    expect(verify('sha256', data, await keys.getPublicKey(keyId), signature)).toBe(true);
  });

  it('keeps no plaintext key material at rest', async () => {
    const records = new InMemoryKeyRecordStore();
    const keys = new EncryptedKeyStore({ masterSecret, records });
    const keyId = await keys.generate('seal:2', 'EC-P256');
    const pkcs8 = (await keys.getPrivateKey(keyId)).export({ format: 'der', type: 'pkcs8' });

    const stored = JSON.stringify(
      records.all().map((r) => ({ ...r, c: r.ciphertext.toString('hex') })),
    );

    expect(stored).not.toContain(pkcs8.toString('hex'));
    expect(stored).not.toContain(pkcs8.subarray(-32).toString('hex'));
    expect(records.all()[0]?.iv).toHaveLength(12);
  });

  it('decrypts a stored key in a new process with the same master secret', async () => {
    const records = new InMemoryKeyRecordStore();
    const keyId = await new EncryptedKeyStore({ masterSecret, records }).generate('seal:3');

    const reopened = new EncryptedKeyStore({ masterSecret, records });
    const privateKey = await reopened.getPrivateKey(keyId);

    expect(createPublicKey(privateKey).export({ format: 'der', type: 'spki' })).toEqual(
      records.all()[0]?.publicKey,
    );
    expect(await reopened.getPrivateKey(keyId)).toBe(privateKey);
  });

  it('fails to decrypt with a wrong master secret', async () => {
    const records = new InMemoryKeyRecordStore();
    const keyId = await new EncryptedKeyStore({ masterSecret, records }).generate('seal:4');

    const wrong = new EncryptedKeyStore({ masterSecret: `${masterSecret}-wrong`, records });

    await expect(wrong.getPrivateKey(keyId)).rejects.toMatchObject({
      code: PkiErrorCode.PkiKeyDecryptionFailed,
    });
  });

  it('refuses a record moved to another label (key id and label are authenticated)', async () => {
    const records = new InMemoryKeyRecordStore();
    const keyId = await new EncryptedKeyStore({ masterSecret, records }).generate('seal:5');
    const record = records.all()[0]!;
    await records.save({ ...record, label: 'seal:other' });

    const reopened = new EncryptedKeyStore({ masterSecret, records });

    await expect(reopened.getPrivateKey(keyId)).rejects.toMatchObject({
      code: PkiErrorCode.PkiKeyDecryptionFailed,
    });
  });

  it('reports an unknown key id as not found', async () => {
    const keys = new EncryptedKeyStore({ masterSecret, records: new InMemoryKeyRecordStore() });

    await expect(keys.getPrivateKey('missing')).rejects.toMatchObject({
      code: PkiErrorCode.PkiKeyNotFound,
    });
  });
});
