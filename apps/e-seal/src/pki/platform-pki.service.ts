import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { createPrivateKey } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getLogger, SUITE_CONTEXT, type SuiteContext } from '#common';
import {
  certificatesFromPem,
  createIssuingCa,
  createRootCa,
  EncryptedKeyStore,
  issueTsaCertificate,
  localTimestamper,
  respondToTimeStampRequest,
  type CertificateDer,
  type CertificateIssuer,
  type KeyStore,
} from '#pki';
import { SealError, SealErrorCode } from '../shared/seal-error.js';
import { KeyRecordRepository } from './key-record.repository.js';
import type { PlatformRole } from './platform-credential.entity.js';
import { PlatformCredentialRepository } from './platform-credential.repository.js';

const YEAR = 365 * 24 * 3600 * 1000;
// TODO(e-seal): a private-arc placeholder until the province registers the TSA policy OID.
export const TSA_POLICY_OID = '1.2.156.999.1.1';

interface Credential {
  certificate: CertificateDer;
  keyId: string | null;
}

/**
 * The platform PKI: an offline-capable root, the issuing CA that certifies seals and the
 * time-stamping authority. Created at first start, or imported from `certs/` (see
 * certs/README.md); private keys live only in the encrypted key store.
 */
@Injectable()
export class PlatformPkiService implements OnModuleInit {
  readonly keyStore: KeyStore;
  private readonly log = getLogger('e-seal.pki');
  private credentials?: Record<PlatformRole, Credential>;

  constructor(
    @Inject(SUITE_CONTEXT) private readonly ctx: SuiteContext,
    keyRecords: KeyRecordRepository,
    private readonly repo: PlatformCredentialRepository,
  ) {
    this.keyStore = new EncryptedKeyStore({ masterSecret: ctx.masterKey, records: keyRecords });
  }

  async onModuleInit(): Promise<void> {
    if ((await this.repo.all()).length === 0) {
      const created = (await this.importFromCertsDir()) ?? (await this.generate());
      await this.repo.insertIfAbsent(created);
    }
    const rows = await this.repo.all();
    this.credentials = Object.fromEntries(
      rows.map((r) => [r.role, { certificate: r.certificate, keyId: r.keyId }]),
    ) as Record<PlatformRole, Credential>;
    this.log.info({ origin: rows[0]?.origin }, 'platform PKI ready');
  }

  get root(): CertificateDer {
    return this.get('root').certificate;
  }

  get issuingCertificate(): CertificateDer {
    return this.get('issuing').certificate;
  }

  get tsaCertificate(): CertificateDer {
    return this.get('tsa').certificate;
  }

  /** The CA that certifies seals and signs the CRL. */
  get issuer(): CertificateIssuer {
    const issuing = this.get('issuing');
    return { certificate: issuing.certificate, key: this.keyOf(issuing) };
  }

  /** RFC 5280 4.2.1.13: where relying parties fetch the issuing CA's CRL. */
  get crlUrl(): string {
    return `${this.ctx.publicUrls['e-seal']}/v1/pki/crl`;
  }

  get caIssuersUrl(): string {
    return `${this.ctx.publicUrls['e-seal']}/v1/pki/ca`;
  }

  /** Answers an RFC 3161 TimeStampReq (DER) with a TimeStampResp (DER). */
  respondToTimeStampQuery(request: Buffer): Promise<Buffer> {
    return respondToTimeStampRequest(request, { ...this.tsaOptions(), now: new Date() });
  }

  /** The in-process time-stamp callback for CAdES B-T: the same TSA, no HTTP round trip. */
  timestamper(): (signatureValue: Buffer) => Promise<Buffer> {
    return localTimestamper(this.tsaOptions(), () => new Date());
  }

  private tsaOptions() {
    const tsa = this.get('tsa');
    return {
      key: this.keyOf(tsa),
      certificate: tsa.certificate,
      chain: [this.issuingCertificate],
      policyOid: TSA_POLICY_OID,
      accuracySeconds: 1,
    };
  }

  private keyOf(c: Credential) {
    if (!c.keyId) throw new SealError(SealErrorCode.PkiNotReady, 503, 'credential has no key');
    return { keyStore: this.keyStore, keyId: c.keyId };
  }

  private get(role: PlatformRole): Credential {
    const c = this.credentials?.[role];
    if (!c) throw new SealError(SealErrorCode.PkiNotReady, 503, 'the platform PKI is starting');
    return c;
  }

  private async generate() {
    const now = new Date(Date.now() - 60_000);
    const rootKey = await this.keyStore.generate('platform:root', 'RSA-3072');
    const issuingKey = await this.keyStore.generate('platform:issuing', 'RSA-2048');
    const tsaKey = await this.keyStore.generate('platform:tsa', 'RSA-2048');
    const key = (keyId: string) => ({ keyStore: this.keyStore, keyId });

    const root = await createRootCa({
      subject: { country: 'CN', organisation: '政务服务平台', commonName: '政务服务平台根证书' },
      key: key(rootKey),
      publicKey: await this.keyStore.getPublicKey(rootKey),
      notBefore: now,
      notAfter: new Date(now.getTime() + 20 * YEAR),
    });
    const issuing = await createIssuingCa({
      subject: { country: 'CN', organisation: '政务服务平台', commonName: '电子印章签发证书' },
      publicKey: await this.keyStore.getPublicKey(issuingKey),
      issuer: { certificate: root, key: key(rootKey) },
      notBefore: now,
      notAfter: new Date(now.getTime() + 10 * YEAR),
    });
    const tsa = await issueTsaCertificate({
      subject: {
        country: 'CN',
        organisation: '政务服务平台',
        commonName: '政务服务平台时间戳服务',
      },
      publicKey: await this.keyStore.getPublicKey(tsaKey),
      issuer: { certificate: issuing, key: key(issuingKey) },
      crlDistributionPoint: this.crlUrl,
      notBefore: now,
      notAfter: new Date(now.getTime() + 8 * YEAR),
    });
    this.log.info('platform PKI generated: root, issuing CA and TSA');
    return [
      { role: 'root' as const, certificate: root, keyId: rootKey, origin: 'generated' as const },
      {
        role: 'issuing' as const,
        certificate: issuing,
        keyId: issuingKey,
        origin: 'generated' as const,
      },
      { role: 'tsa' as const, certificate: tsa, keyId: tsaKey, origin: 'generated' as const },
    ];
  }

  /**
   * certs/root.pem, certs/issuing.pem + issuing.key, certs/tsa.pem + tsa.key (PKCS#8 PEM).
   * The root's key is never read: an imported root stays offline.
   */
  private async importFromCertsDir() {
    // TODO(e-seal): the directory is fixed (cwd/certs) until a config variable is declared.
    const dir = join(process.cwd(), 'certs');
    const files = ['root.pem', 'issuing.pem', 'issuing.key', 'tsa.pem', 'tsa.key'];
    if (!files.every((f) => existsSync(join(dir, f)))) return undefined;
    const read = (f: string) => readFileSync(join(dir, f), 'utf8');
    const cert = (f: string) => certificatesFromPem(read(f))[0]!;
    const issuingKey = await this.keyStore.importPrivateKey(
      'platform:issuing',
      createPrivateKey(read('issuing.key')),
    );
    const tsaKey = await this.keyStore.importPrivateKey(
      'platform:tsa',
      createPrivateKey(read('tsa.key')),
    );
    this.log.info({ dir }, 'platform PKI imported from certificate files');
    return [
      {
        role: 'root' as const,
        certificate: cert('root.pem'),
        keyId: null,
        origin: 'imported' as const,
      },
      {
        role: 'issuing' as const,
        certificate: cert('issuing.pem'),
        keyId: issuingKey,
        origin: 'imported' as const,
      },
      {
        role: 'tsa' as const,
        certificate: cert('tsa.pem'),
        keyId: tsaKey,
        origin: 'imported' as const,
      },
    ];
  }
}
