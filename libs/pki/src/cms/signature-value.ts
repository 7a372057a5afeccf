import { constants, KeyObject, publicDecrypt, verify } from 'node:crypto';

import * as asn1js from 'asn1js';

import { hashFromOid, type HashAlgorithm } from '../algorithms.js';
import { Oid } from '../oids.js';
import { pkijs } from '../pkijs-engine.js';

/** Outcome of checking one signature value; `unsupported` names what could not be checked. */
export interface SignatureValueCheck {
  valid: boolean;
  /** e.g. `RSA PKCS#1 v1.5 / sha256`, `RSASSA-PSS / sha256`, `ECDSA / sha256`. */
  algorithm: string;
  unsupported?: string;
}

const rsaPkcs1Hashes: Record<string, HashAlgorithm> = {
  [Oid.sha1WithRsa]: 'sha1',
  [Oid.sha256WithRsa]: 'sha256',
  [Oid.sha384WithRsa]: 'sha384',
  [Oid.sha512WithRsa]: 'sha512',
};
const ecdsaHashes: Record<string, HashAlgorithm> = {
  [Oid.ecdsaWithSha1]: 'sha1',
  [Oid.ecdsaWithSha256]: 'sha256',
  [Oid.ecdsaWithSha384]: 'sha384',
  [Oid.ecdsaWithSha512]: 'sha512',
};

/**
 * Verifies `signature` over `data` for the SignerInfo signatureAlgorithm (RFC 5652 5.6):
 * RSA PKCS#1 v1.5 (RFC 3370 3.2), RSASSA-PSS (RFC 4056) and ECDSA (RFC 5753). The digest
 * algorithm of the SignerInfo applies when the signature identifier names no hash.
 */
export function verifySignatureValue(
  algorithm: pkijs.AlgorithmIdentifier,
  digestHash: HashAlgorithm,
  publicKey: KeyObject,
  data: Buffer,
  signature: Buffer,
): SignatureValueCheck {
  const oid = algorithm.algorithmId;
  const keyType = publicKey.asymmetricKeyType;

  if (keyType === 'rsa' && (oid === Oid.rsaEncryption || rsaPkcs1Hashes[oid])) {
    const hash = rsaPkcs1Hashes[oid] ?? digestHash;
    return check(`RSA PKCS#1 v1.5 / ${hash}`, () => verify(hash, data, publicKey, signature));
  }
  if ((keyType === 'rsa' || keyType === 'rsa-pss') && oid === Oid.rsassaPss) {
    return verifyPss(algorithm, publicKey, data, signature);
  }
  if (keyType === 'ec' && (oid === Oid.ecPublicKey || ecdsaHashes[oid])) {
    const hash = ecdsaHashes[oid] ?? digestHash;
    return check(`ECDSA / ${hash}`, () =>
      verify(hash, data, { key: publicKey, dsaEncoding: 'der' }, signature),
    );
  }
  return {
    valid: false,
    algorithm: oid,
    unsupported: `signature algorithm ${oid} with a ${keyType ?? 'unknown'} key`,
  };
}

/**
 * A SignerInfo without signed attributes signs the content itself (RFC 5652 5.4); knowing only
 * its digest, an RSA PKCS#1 v1.5 signature is checked by recovering its DigestInfo
 * (RFC 8017 9.2). Other algorithms would need the content.
 */
export function verifySignatureOverDigest(
  algorithm: pkijs.AlgorithmIdentifier,
  digest: Buffer,
  publicKey: KeyObject,
  signature: Buffer,
): SignatureValueCheck {
  const oid = algorithm.algorithmId;
  if (
    publicKey.asymmetricKeyType !== 'rsa' ||
    !(oid === Oid.rsaEncryption || rsaPkcs1Hashes[oid])
  ) {
    return {
      valid: false,
      algorithm: oid,
      unsupported: `${oid} without signed attributes (only RSA PKCS#1 v1.5 is checked so)`,
    };
  }
  return check('RSA PKCS#1 v1.5 (no signed attributes)', () => {
    const digestInfo = publicDecrypt(
      { key: publicKey, padding: constants.RSA_PKCS1_PADDING },
      signature,
    );
    const parsed = asn1js.fromBER(digestInfo).result as asn1js.Sequence;
    const octets = parsed.valueBlock.value[1];
    return octets instanceof asn1js.OctetString && digest.equals(octets.valueBlock.valueHexView);
  });
}

function verifyPss(
  algorithm: pkijs.AlgorithmIdentifier,
  publicKey: KeyObject,
  data: Buffer,
  signature: Buffer,
): SignatureValueCheck {
  // RFC 4055 3.1: absent parameters mean SHA-1, MGF1 with SHA-1, salt length 20.
  const params = algorithm.algorithmParams
    ? new pkijs.RSASSAPSSParams({ schema: algorithm.algorithmParams })
    : new pkijs.RSASSAPSSParams();
  const hash = hashFromOid(params.hashAlgorithm.algorithmId);
  const mgfParams = params.maskGenAlgorithm.algorithmParams as asn1js.AsnType | undefined;
  const mgfHash = mgfParams
    ? hashFromOid(new pkijs.AlgorithmIdentifier({ schema: mgfParams }).algorithmId)
    : 'sha1';
  if (!hash || params.maskGenAlgorithm.algorithmId !== Oid.mgf1 || mgfHash !== hash) {
    return {
      valid: false,
      algorithm: 'RSASSA-PSS',
      unsupported: 'RSASSA-PSS with a mask generation hash other than its message hash',
    };
  }
  return check(`RSASSA-PSS / ${hash}`, () =>
    verify(
      hash,
      data,
      { key: publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: params.saltLength },
      signature,
    ),
  );
}

function check(algorithm: string, run: () => boolean): SignatureValueCheck {
  try {
    return { valid: run(), algorithm };
  } catch {
    // A malformed signature value (wrong length, bad padding) is an invalid signature.
    return { valid: false, algorithm };
  }
}
