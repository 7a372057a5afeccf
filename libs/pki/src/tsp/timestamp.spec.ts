import { createHash } from 'node:crypto';

import { toPem } from '../der.js';
import { PkiError, PkiErrorCode } from '../errors.js';
import { runOpenssl } from '../testing/openssl.js';
import { createTestPki, type TestPki } from '../testing/test-pki.js';
import { createTimeStampRequest } from './timestamp-request.js';
import { respondToTimeStampRequest } from './timestamp-responder.js';
import { extractTimeStampToken, verifyTimeStampToken } from './timestamp-token.js';

const now = new Date('2025-03-01T08:00:00.750Z');
const policyOid = '1.2.156.999.1.1';

describe('RFC 3161 time-stamping', () => {
  let pki: TestPki;
  let tsa: Parameters<typeof respondToTimeStampRequest>[1];
  const digest = createHash('sha256').update('document').digest();

  beforeAll(async () => {
    pki = await createTestPki({ now });
    tsa = {
      key: pki.tsa.privateKey,
      certificate: pki.tsa.certificate,
      chain: [pki.issuing.certificate],
      policyOid,
      now,
      accuracySeconds: 1,
    };
  });

  it('grants a token that openssl ts prints and verifies against the query', async () => {
    const request = createTimeStampRequest(digest);
    const response = await respondToTimeStampRequest(request.der, tsa);
    const files = {
      'req.tsq': request.der,
      'resp.tsr': response,
      'root.pem': toPem(pki.root.certificate),
      'chain.pem': toPem(pki.issuing.certificate) + toPem(pki.tsa.certificate),
    };

    const printed = runOpenssl(['ts', '-reply', '-in', 'resp.tsr', '-text'], files);
    const verified = runOpenssl(
      [
        'ts',
        '-verify',
        '-in',
        'resp.tsr',
        '-queryfile',
        'req.tsq',
        '-CAfile',
        'root.pem',
        '-untrusted',
        'chain.pem',
        '-attime',
        String(Math.floor(now.getTime() / 1000)),
      ],
      files,
    );

    expect(printed.stdout).toContain('Status: Granted.');
    expect(printed.stdout).toContain('Time stamp: Mar  1 08:00:00 2025 GMT');
    expect(printed.stdout).toContain(`Policy OID: ${policyOid}`);
    expect(verified.stdout + verified.stderr).toContain('Verification: OK');
  });

  it('verifies its own token: imprint, signature, signing certificate, EKU and chain', async () => {
    const request = createTimeStampRequest(digest);
    const token = extractTimeStampToken(await respondToTimeStampRequest(request.der, tsa));

    const result = await verifyTimeStampToken(token, digest, {
      trustRoots: [pki.root.certificate],
    });

    expect(result).toMatchObject({
      imprintMatches: true,
      signatureValid: true,
      signingCertificateMatches: true,
      timeStampingUsage: true,
      trusted: true,
    });
    expect(result.genTime.toISOString()).toBe('2025-03-01T08:00:00.000Z');
    expect(result.info.nonce).toEqual(request.nonce);
    expect(result.tsaCertificate).toEqual(pki.tsa.certificate);
  });

  it('reports a token over other data as not matching its imprint', async () => {
    const request = createTimeStampRequest(digest);
    const token = extractTimeStampToken(await respondToTimeStampRequest(request.der, tsa));
    const other = createHash('sha256').update('another document').digest();

    const result = await verifyTimeStampToken(token, other);

    expect(result.imprintMatches).toBe(false);
    expect(result.signatureValid).toBe(true);
  });

  it('rejects a SHA-1 imprint with failInfo badAlg', async () => {
    const sha1 = createHash('sha1').update('document').digest();
    const request = createTimeStampRequest(sha1, { hash: 'sha1' });

    const response = await respondToTimeStampRequest(request.der, tsa);
    const printed = runOpenssl(['ts', '-reply', '-in', 'r.tsr', '-text'], { 'r.tsr': response });

    expect(printed.stdout).toContain('Status: Rejected.');
    expect(printed.stdout).toContain('unrecognized or unsupported algorithm identifier');
    expect(() => extractTimeStampToken(response)).toThrow(PkiError);
  });

  it('rejects bytes that are not a request with status rejection', async () => {
    const response = await respondToTimeStampRequest(Buffer.from('not a request'), tsa);

    expect(() => extractTimeStampToken(response)).toThrow(
      expect.objectContaining({ code: PkiErrorCode.PkiTimestampRejected }),
    );
  });

  it('leaves its certificates out when the request does not ask for them', async () => {
    const request = createTimeStampRequest(digest, { certReq: false });
    const token = extractTimeStampToken(await respondToTimeStampRequest(request.der, tsa));

    const result = await verifyTimeStampToken(token, digest);

    expect(result.info.certificates).toHaveLength(0);
    expect(result.signatureValid).toBe(false);
  });
});
