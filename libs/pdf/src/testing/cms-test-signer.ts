import forge from 'node-forge';
import type { CmsSigner } from '../signing/sign-pdf.js';
import type { TestPki } from './test-pki.js';

/**
 * A test-only CMS signer (node-forge, detached SignedData with signed attributes). It hashes
 * the signed parts itself and checks that the digest handed over matches. Production uses
 * the CAdES signer of libs/pki.
 */
export function makeForgeCmsSigner(pki: TestPki): CmsSigner {
  return (digest, info) => {
    const p7 = forge.pkcs7.createSignedData();
    const content = Buffer.concat(info.signedParts as Buffer[]);
    p7.content = forge.util.createBuffer(content.toString('binary'));
    p7.addCertificate(pki.signer);
    p7.addCertificate(pki.root);
    p7.addSigner({
      key: pki.signerKey as forge.pki.rsa.PrivateKey,
      certificate: pki.signer,
      digestAlgorithm: forge.pki.oids.sha256,
      authenticatedAttributes: [
        { type: forge.pki.oids.contentType, value: forge.pki.oids.data },
        { type: forge.pki.oids.messageDigest },
        { type: forge.pki.oids.signingTime, value: info.signingTime as unknown as string },
      ],
    });
    p7.sign({ detached: true });
    const der = Buffer.from(forge.asn1.toDer(p7.toAsn1()).getBytes(), 'binary');
    if (!der.includes(digest))
      return Promise.reject(new Error('digest handed over is not the one signed'));
    return Promise.resolve(der);
  };
}

/** The messageDigest signed attribute of a CMS SignedData (first signer), for digest checks. */
export function cmsMessageDigest(der: Buffer): Buffer | undefined {
  const asn1 = forge.asn1.fromDer(forge.util.createBuffer(der.toString('binary')), false);
  let found: Buffer | undefined;
  const oid = forge.asn1.oidToDer(forge.pki.oids.messageDigest).getBytes();
  const walk = (node: forge.asn1.Asn1, depth: number): void => {
    if (found || depth > 40 || !Array.isArray(node.value)) return;
    const kids = node.value;
    if (
      kids.length === 2 &&
      kids[0].type === forge.asn1.Type.OID &&
      kids[0].value === oid &&
      Array.isArray(kids[1].value)
    ) {
      const v = kids[1].value[0];
      if (v && typeof v.value === 'string') found = Buffer.from(v.value, 'binary');
      return;
    }
    for (const k of kids) walk(k, depth + 1);
  };
  walk(asn1, 0);
  return found;
}
