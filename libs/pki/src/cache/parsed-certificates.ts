import { createHash, type KeyObject, type X509Certificate } from 'node:crypto';

import { parseCertificate, type CertificateDer } from '../der.js';
import { ensurePkijsEngine, pkijs } from '../pkijs-engine.js';
import { x509 } from '../x509.js';

// Parsing a certificate with @peculiar/x509 or pkijs costs milliseconds (a schema-checked
// ASN.1 walk), and verifying one PDF touches the same root, issuing CA, TSA and seal
// certificates once per signature and once more per time-stamp. Parsed forms are therefore
// kept, keyed by the SHA-256 of the exact DER: equal keys mean equal bytes, so a cached answer
// is the answer the bytes would give again. Nothing here is trusted because it is cached; only
// the work of parsing (and of checking one fixed signature) is saved.

/** A small least-recently-used map: bounded, so hostile inputs cannot grow it. */
export class LruCache<V> {
  private readonly entries = new Map<string, V>();

  constructor(private readonly max: number) {}

  get(key: string, make: () => V): V {
    const found = this.entries.get(key);
    if (found !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, found);
      return found;
    }
    const made = make();
    this.entries.set(key, made);
    if (this.entries.size > this.max) {
      this.entries.delete(this.entries.keys().next().value as string);
    }
    return made;
  }
}

/** SHA-256 of the bytes, hex: the cache key of any DER object. */
export function derKey(der: Uint8Array): string {
  return createHash('sha256').update(der).digest('hex');
}

/** What path validation reads from a certificate's extensions (RFC 5280 4.2.1). */
export interface CertificateConstraints {
  extensionCount: number;
  /** basicConstraints cA; undefined when the extension is absent. */
  ca?: boolean;
  pathLength?: number;
  /** keyUsage bits (x509.KeyUsageFlags); undefined when the extension is absent. */
  keyUsage?: number;
  extendedKeyUsage?: { critical: boolean; usages: string[] };
}

/**
 * One certificate, parsed once per distinct DER, each form made when first needed. A failure
 * is kept like a value and thrown again on every later use: @peculiar/x509's lazy getters can
 * leave a half-built field behind when they throw (its `extensions` becomes `[]`), so a
 * second look at a corrupt certificate must not get a quieter answer than the first.
 */
export class ParsedCertificate {
  readonly key: string;
  private readonly memo = new Map<string, { value: unknown } | { error: unknown }>();

  constructor(readonly der: CertificateDer) {
    this.key = derKey(der);
  }

  private once<T>(name: string, make: () => T): T {
    let entry = this.memo.get(name);
    if (!entry) {
      try {
        entry = { value: make() };
      } catch (error) {
        entry = { error };
      }
      this.memo.set(name, entry);
    }
    if ('error' in entry) throw entry.error;
    return entry.value as T;
  }

  /** node:crypto's parse (OpenSSL); throws PkiCertificateMalformed like parseCertificate. */
  get node(): X509Certificate {
    return this.once('node', () => parseCertificate(this.der));
  }

  /** @peculiar/x509's parse; read its fields through the getters below, which keep errors. */
  get peculiar(): x509.X509Certificate {
    return this.once('peculiar', () => new x509.X509Certificate(this.der));
  }

  get pkijs(): pkijs.Certificate {
    ensurePkijsEngine();
    return this.once('pkijs', () => pkijs.Certificate.fromBER(this.der));
  }

  get publicKey(): KeyObject {
    return this.once('publicKey', () => this.node.publicKey);
  }

  /** Subject and issuer as RFC 4514 strings, validity and serial (@peculiar/x509's reading). */
  get subject(): string {
    return this.once('subject', () => this.peculiar.subject);
  }

  get issuer(): string {
    return this.once('issuer', () => this.peculiar.issuer);
  }

  get notBefore(): Date {
    return this.once('notBefore', () => this.peculiar.notBefore);
  }

  get notAfter(): Date {
    return this.once('notAfter', () => this.peculiar.notAfter);
  }

  get serialNumber(): string {
    return this.once('serialNumber', () => this.peculiar.serialNumber);
  }

  /** A value derived from the certificate by `make`, computed once under `name`. */
  derived<T>(name: string, make: (certificate: ParsedCertificate) => T): T {
    return this.once(`derived:${name}`, () => make(this));
  }

  get constraints(): CertificateConstraints {
    return this.once('constraints', () => {
      const cert = this.peculiar;
      const basic = cert.getExtension(x509.BasicConstraintsExtension);
      const usage = cert.getExtension(x509.KeyUsagesExtension);
      const eku = cert.getExtension(x509.ExtendedKeyUsageExtension);
      return {
        extensionCount: cert.extensions.length,
        ca: basic ? basic.ca : undefined,
        pathLength: basic?.pathLength,
        keyUsage: usage ? usage.usages : undefined,
        extendedKeyUsage: eku
          ? { critical: eku.critical, usages: eku.usages.map(String) }
          : undefined,
      };
    });
  }
}

const certificates = new LruCache<ParsedCertificate>(256);
const issuedBy = new LruCache<boolean>(1024);

/** The parsed forms of a certificate, shared across calls (keyed by SHA-256 of the DER). */
export function parsedCertificate(der: CertificateDer): ParsedCertificate {
  return certificates.get(derKey(der), () => new ParsedCertificate(Buffer.from(der)));
}

/**
 * Name chaining and the signature (RFC 5280 6.1.3 (a)(1), (a)(4)): `issuer` issued `subject`;
 * not X509_check_issued, which would silently skip an issuer without keyCertSign instead of
 * reporting it. The answer depends only on the two certificates' bytes, so it is kept.
 */
export function issued(issuer: ParsedCertificate, subject: ParsedCertificate): boolean {
  return issuedBy.get(`${subject.key}:${issuer.key}`, () => {
    try {
      return subject.node.issuer === issuer.node.subject && subject.node.verify(issuer.publicKey);
    } catch {
      return false;
    }
  });
}
