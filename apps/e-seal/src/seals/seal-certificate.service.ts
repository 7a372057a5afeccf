import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { issueSealCertificate, normaliseSerial, parseCertificate, type CertificateDer } from '#pki';
import { PlatformPkiService } from '../pki/platform-pki.service.js';
import type { SealEntity } from './seal.entity.js';

export interface MadeCredential {
  keyId: string;
  certificate: CertificateDer;
  serial: string;
  sha256: string;
}

/** Making a seal (制作): its own key pair in the key store and a certificate from the issuing CA. */
@Injectable()
export class SealCertificateService {
  constructor(private readonly pki: PlatformPkiService) {}

  async make(seal: SealEntity): Promise<MadeCredential> {
    const keyId = await this.pki.keyStore.generate(`seal:${seal.id}`, 'RSA-2048');
    const issuingValidTo = parseCertificate(this.pki.issuingCertificate).validToDate;
    const certificate = await issueSealCertificate({
      organisation: { name: seal.ownerName, uscc: seal.ownerUscc },
      seal: { name: seal.name, code: seal.code },
      publicKey: await this.pki.keyStore.getPublicKey(keyId),
      issuer: this.pki.issuer,
      crlDistributionPoint: this.pki.crlUrl,
      caIssuersUrl: this.pki.caIssuersUrl,
      notBefore: seal.validFrom,
      // RFC 5280 6.1: a certificate outliving its issuer would not validate after that date.
      notAfter: seal.validTo < issuingValidTo ? seal.validTo : issuingValidTo,
    });
    return {
      keyId,
      certificate,
      serial: normaliseSerial(parseCertificate(certificate).serialNumber),
      sha256: createHash('sha256').update(certificate).digest('hex'),
    };
  }
}
