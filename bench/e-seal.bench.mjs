// e-seal: sealing a one-page PDF (seals/s, one core), sealing a 10 MB PDF (ms) and verifying a
// five-signature document (ms), side by side in the same run with @signpdf/signpdf (pdf-lib
// placeholder + PKCS#12 signer) and with this machine's limit (SHA-256 of the file plus one
// RSA-2048 signature with node:crypto). The sealing path is the service's: the vector round
// seal appearance (drawn once per seal, as the service caches it), CAdES with signing-certificate-v2 and an in-process RFC 3161 time-stamp.
import { createHash, createVerify, sign } from 'node:crypto';
import forge from 'node-forge';
import { PDFDocument } from 'pdf-lib';
import signpdfModule from '@signpdf/signpdf';

// CommonJS default export, seen from ESM as { default: SignPdf instance }.
const signpdf = signpdfModule.default ?? signpdfModule;
import { P12Signer } from '@signpdf/signer-p12';
import { pdflibAddPlaceholder } from '@signpdf/placeholder-pdf-lib';

const pdfLib = await import('../dist/libs/pdf/src/index.js');
const pki = await import('../dist/libs/pki/src/index.js');

const MB = 1024 * 1024;

async function time(fn, rounds) {
  const samples = [];
  for (let i = 0; i < rounds; i++) {
    const t = performance.now();
    await fn();
    samples.push(performance.now() - t);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

function p12Of(credential) {
  const key = forge.pki.privateKeyFromPem(
    credential.privateKey.export({ type: 'pkcs1', format: 'pem' }),
  );
  const cert = forge.pki.certificateFromAsn1(
    forge.asn1.fromDer(forge.util.createBuffer(credential.certificate.toString('binary'))),
  );
  const asn1 = forge.pkcs12.toPkcs12Asn1(key, [cert], 'bench', { algorithm: '3des' });
  return Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
}

export async function run() {
  const p = await pki.createTestPki({ now: new Date() });
  const tsa = {
    key: p.tsa.privateKey,
    certificate: p.tsa.certificate,
    chain: [p.issuing.certificate],
    policyOid: '1.2.156.999.1.1',
    accuracySeconds: 1,
  };
  const timestamp = pki.localTimestamper(tsa, () => new Date());
  const signer = (digest) =>
    pki.createCadesSignature({
      digest,
      key: p.seal.privateKey,
      certificate: p.seal.certificate,
      chain: p.chain,
      timestamp,
    });
  // The service draws each seal's vector image once and keeps it (SealAppearanceCache).
  const design = { organization: '示例科技有限公司', sealName: '合同专用章', code: '1101050000001' };
  const appearance = {
    kind: 'pdf',
    pdf: await pdfLib.renderSealPdf(design, { width: 119, height: 119 }),
  };
  const ours = async (pdf, x = 400) =>
    (await pdfLib.signPdf(pdf, { signer, rect: [x, 80, x + 119, 199], reason: 'bench', appearance }))
      .pdf;

  const p12 = p12Of(p.seal);
  const theirs = async (pdf) => {
    const doc = await PDFDocument.load(pdf);
    pdflibAddPlaceholder({ pdfDoc: doc, reason: 'bench', contactInfo: '', name: '', location: '' });
    const withPlaceholder = Buffer.from(await doc.save({ useObjectStreams: false }));
    return signpdf.sign(withPlaceholder, new P12Signer(p12, { passphrase: 'bench' }));
  };
  const limit = (pdf) => {
    const digest = createHash('sha256').update(pdf).digest();
    return sign('sha256', digest, p.seal.privateKey);
  };

  const onePage = await pdfLib.makeSimplePdf();
  const big = await pdfLib.makeSimplePdf({ padding: 10 * MB });
  for (let i = 0; i < 3; i++) {
    await ours(onePage);
    await theirs(onePage);
    limit(onePage);
  }

  const N = 20;
  let t = performance.now();
  for (let i = 0; i < N; i++) await ours(onePage);
  const oursPerSecond = N / ((performance.now() - t) / 1000);
  t = performance.now();
  for (let i = 0; i < N; i++) await theirs(onePage);
  const theirsPerSecond = N / ((performance.now() - t) / 1000);

  const big10Ours = await time(() => ours(big), 3);
  const big10Theirs = await time(() => theirs(big), 3);
  const big10Limit = await time(() => limit(big), 5);

  // Five seals, each an incremental update, verified as the service does: byte ranges, CMS
  // with chain, CRL and time-stamp, and revision comparison for the earlier four.
  let five = onePage;
  for (let i = 0; i < 5; i++) five = await ours(five, 30 + i * 100);
  const crl = await pki.issueCrl({
    issuer: { certificate: p.issuing.certificate, key: p.issuing.privateKey },
    thisUpdate: new Date(),
    nextUpdate: new Date(Date.now() + 86_400_000),
    crlNumber: 1,
    entries: [],
  });
  const verifyFive = async () => {
    const infos = pdfLib.readSignatures(five);
    for (const info of infos) {
      const report = await pki.verifyCmsSignature(
        info.contents,
        (hash) => pdfLib.digestByteRange(five, info.byteRange, hash),
        { trustRoots: [p.root.certificate], crls: [crl], claimedSigningTime: info.signingTime },
      );
      if (!report.valid) throw new Error(`bench document invalid: ${report.problems}`);
      if (!info.coversWholeFile) {
        pdfLib.changesBeyondPermissions(pdfLib.compareRevisions(five, info.revision.end), 2);
      }
    }
  };
  await verifyFive();
  const verifyOurs = await time(verifyFive, 7);
  // One of our own B-T signatures through #pki alone (chain, CRL, time-stamp and its chain),
  // against the machine's floor for it: the two RSA verifications it cannot avoid.
  const last = pdfLib.readSignatures(five).at(-1);
  const lastDigest = pdfLib.digestByteRange(five, last.byteRange, 'sha256');
  const verifyOne = () =>
    pki.verifyCmsSignature(last.contents, lastDigest, {
      trustRoots: [p.root.certificate],
      crls: [crl],
    });
  await verifyOne();
  const verifyOneOurs = await time(verifyOne, 15);
  const rsaSignature = sign('sha256', Buffer.from('x'), p.seal.privateKey);
  const verifyOneLimit = await time(() => {
    for (let i = 0; i < 2; i++) {
      createVerify('sha256').update('x').verify(p.seal.publicKey, rsaSignature);
    }
  }, 15);
  const verifyLimit = await time(() => {
    for (let i = 0; i < 5; i++) {
      createHash('sha256').update(five).digest();
      createVerify('sha256').update('x').verify(p.seal.publicKey, sign('sha256', Buffer.from('x'), p.seal.privateKey));
    }
  }, 7);

  return [
    {
      benchmark: 'e-seal: seal a one-page PDF (PAdES B-T, vector seal)',
      unit: 'seals/s',
      ours: oursPerSecond,
      baseline: theirsPerSecond,
      baselineName: '@signpdf/signpdf + placeholder-pdf-lib + signer-p12 (B-B, no image)',
      target: '>= baseline',
      met: oursPerSecond >= theirsPerSecond,
    },
    {
      benchmark: 'e-seal: seal a 10 MB PDF',
      unit: 'ms',
      ours: big10Ours,
      baseline: big10Limit,
      baselineName: 'machine limit: SHA-256 of the file + one RSA-2048 signature',
      target: '<= 10x limit',
      met: big10Ours <= 10 * big10Limit,
    },
    {
      benchmark: 'e-seal: seal a 10 MB PDF (vs @signpdf)',
      unit: 'ms',
      ours: big10Ours,
      baseline: big10Theirs,
      baselineName: '@signpdf/signpdf + placeholder-pdf-lib + signer-p12',
      target: '<= baseline',
      met: big10Ours <= big10Theirs,
    },
    {
      benchmark: 'e-seal: verify a five-signature document',
      unit: 'ms',
      ours: verifyOurs,
      baseline: verifyLimit,
      baselineName: 'machine limit: 5 x (SHA-256 of the file + RSA sign/verify)',
      target: '< 200 ms',
      met: verifyOurs < 200,
    },
    {
      benchmark: 'e-seal: verify one signature (B-T: chain + CRL + time-stamp)',
      unit: 'ms',
      ours: verifyOneOurs,
      baseline: verifyOneLimit,
      baselineName: 'machine limit: 2 x RSA-2048 verify (signature + time-stamp)',
      target: '< 15 ms',
      met: verifyOneOurs < 15,
    },
  ];
}
