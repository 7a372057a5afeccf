import { setTimeout as sleep } from 'node:timers/promises';
import { makeSimplePdf, signPdf } from '#pdf';
import { createCadesSignature, createTestPki, localTimestamper } from '#pki';
import { PlatformPkiService } from '../src/pki/platform-pki.service.js';
import { SealRepository } from '../src/seals/seal.repository.js';
import { startSealTestSuite, type SealTestSuite } from '../src/testing/seal-test-suite.js';
import { api, callersFor, ORG_A, sealInUse, verifyPdf } from '../src/testing/seal-fixtures.js';

// A stolen seal key signs with whatever /M (or home-made TSA) the thief likes; only a
// time-stamp from the platform's TSA proves when a signature existed (ETSI EN 319 102-1
// 5.6.2.2). These PDFs are signed with the seal's real key through the real #pdf and #pki
// code, outside the sealing API, as someone holding the key would.
describe('signing times that nothing proves', () => {
  let t: SealTestSuite;
  let sealId: string;
  let backDatedBb: Buffer;
  let selfMadeTsa: Buffer;

  beforeAll(async () => {
    t = await startSealTestSuite();
    sealId = await sealInUse(t, ORG_A);
    const app = t.suite.apps['e-seal'];
    const pki = app.get(PlatformPkiService);
    const seal = (await app.get(SealRepository).findById(sealId))!;
    const key = { keyStore: pki.keyStore, keyId: seal.keyId! };
    const certificate = seal.certificate!;
    const chain = [pki.issuingCertificate, pki.root];
    const backDate = new Date(Date.now() - 10 * 60_000);
    const own = await createTestPki({ now: new Date(), freshKeys: true });
    const ownTsa = localTimestamper(
      {
        key: own.tsa.privateKey,
        certificate: own.tsa.certificate,
        chain: own.chain,
        policyOid: '1.2.156.999.1.1',
      },
      () => backDate,
    );

    backDatedBb = (
      await signPdf(await makeSimplePdf(), {
        signer: (digest) => createCadesSignature({ digest, key, certificate, chain }),
        signingTime: backDate,
        rect: [50, 50, 150, 150],
      })
    ).pdf;
    selfMadeTsa = (
      await signPdf(await makeSimplePdf(), {
        signer: (digest) =>
          createCadesSignature({ digest, key, certificate, chain, timestamp: ownTsa }),
        rect: [50, 50, 150, 150],
      })
    ).pdf;
  });

  afterAll(() => t.stop());

  it('passes a B-B signature of a seal in use, saying its signing time is unproven', async () => {
    const report = await verifyPdf(t, backDatedBb);

    expect(report.signatures[0]).toMatchObject({
      indication: 'TOTAL_PASSED',
      signingTime: { source: 'claimed', proven: false },
      certificate: { revocationAtSigningTime: 'good' },
    });
    expect(report.signatures[0].warnings).toContain('signingTimeUnproven');
  });

  it('does not pass a signature time-stamped by a TSA the platform does not trust', async () => {
    const report = await verifyPdf(t, selfMadeTsa);

    expect(report.signatures[0]).toMatchObject({
      indication: 'INDETERMINATE',
      subIndication: 'NO_POE',
      timestamp: { present: true, valid: true, trusted: false },
      signingTime: { proven: false },
    });
    expect(report.signatures[0].problems).toContain('timestampNotTrusted');
  });

  describe('once the seal is cancelled and its certificate revoked', () => {
    beforeAll(async () => {
      // CRL times are whole seconds: revoke in a later second than the signing.
      await sleep(1100);
      const { admin } = await callersFor(t, ORG_A);
      const cancelled = await api(t, admin, 'POST', `/v1/seals/${sealId}/cancel`, {
        note: '密钥泄露',
      });
      expect(cancelled.json.status).toBe('cancelled');
    });

    it('does not pass a back-dated B-B signature: revoked, and no proof it is older', async () => {
      const report = await verifyPdf(t, backDatedBb);

      expect(report.indication).toBe('INDETERMINATE');
      expect(report.signatures[0]).toMatchObject({
        indication: 'INDETERMINATE',
        subIndication: 'REVOKED_NO_POE',
        certificate: { revocationAtSigningTime: 'revokedNoProofOfTime', revokedNow: true },
        signingTime: { source: 'claimed', proven: false },
      });
      expect(report.signatures[0].warnings).not.toContain('revokedAfterSigning');
    });

    it('does not pass a signature whose self-made TSA claims a time before the revocation', async () => {
      const report = await verifyPdf(t, selfMadeTsa);

      expect(report.signatures[0]).toMatchObject({
        indication: 'INDETERMINATE',
        subIndication: 'REVOKED_NO_POE',
        certificate: { revocationAtSigningTime: 'revokedNoProofOfTime', revokedNow: true },
        signingTime: { proven: false },
      });
      expect(report.signatures[0].problems).toEqual(
        expect.arrayContaining(['timestampNotTrusted', 'revoked']),
      );
    });
  });
});
