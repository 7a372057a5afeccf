import { formatArchivalCode, isWellFormedArchivalCode } from '../archival-code.js';
import { check, type CheckResult } from './four-properties-report.js';
import type { IngestCandidate } from './ingest-candidate.js';
import { sealCoverage } from './seal-coverage.js';

/**
 * 真实性 authenticity (DA/T 70-2018 5.1): the content is what the sender sent (fixity as
 * declared), seals and signatures are intact, metadata are in format and range, and the
 * archival code is well formed.
 */
export function checkAuthenticity(c: IngestCandidate): CheckResult[] {
  return [fixityAsDeclared(c), signaturesVerified(c), metadataFormat(c), archivalCode(c)];
}

function fixityAsDeclared(c: IngestCandidate): CheckResult {
  const declared = c.reading.metadata?.sha256;
  const facts = { sha256: c.sha256, declared };
  if (!declared) {
    return check('authenticity', 'fixityAsDeclared', '5.1.1', 'skipped', 'No hash declared', {
      facts,
    });
  }
  return declared === c.sha256
    ? check('authenticity', 'fixityAsDeclared', '5.1.1', 'passed', 'SHA-256 as declared', {
        facts,
      })
    : check(
        'authenticity',
        'fixityAsDeclared',
        '5.1.1',
        'failed',
        'The SHA-256 of the file differs from the declared one',
        { facts },
      );
}

function signaturesVerified(c: IngestCandidate): CheckResult {
  const name = 'signaturesVerified';
  const i = c.inspection;
  if (i.openError || i.encrypted) {
    return check('authenticity', name, '5.1.3', 'skipped', 'The file could not be read');
  }
  // ISO 32000-1 12.8.2.3: usage rights enable reader features and seal nothing; they are
  // signed by the reader's vendor, so they are noted and neither verified nor relied on.
  const rights = i.signatureDictionaries.filter((d) => d.usageRights).length;
  const rightsNote = rights ? [`${rights} usage-rights signature(s) noted, not verified`] : [];
  if (i.signatureCount === 0) {
    return check('authenticity', name, '5.1.3', 'passed', 'The file has no seals or signatures', {
      facts: { count: 0 },
      warnings: rightsNote,
    });
  }

  const sigs = c.seals?.signatures ?? [];
  const coverage = sealCoverage(c);
  const facts = { count: sigs.length, verifiedBy: 'e-seal', signatures: sigs.map((s) => s.raw) };
  const issues = [
    ...sigs
      .filter((s) => !s.intact)
      .map((s) => ({ field: s.fieldName, message: s.problems.join('; ') || 'not intact' })),
    // A signature dictionary e-seal did not verify is not a seal, whatever it claims.
    ...coverage.unverified,
  ];
  if (issues.length > 0) {
    return check(
      'authenticity',
      name,
      '5.1.3',
      'failed',
      'A seal or signature is broken or was not verified',
      { facts, issues },
    );
  }
  // A signer outside the platform's trust (another CA, an expired certificate) does not make
  // the record inauthentic: the signature is intact and the report keeps who signed. It does
  // not vouch for scripts either: see security.noActiveContent.
  const warnings = sigs
    .filter((s) => s.trusted !== true)
    .map((s) => `${s.fieldName ?? 'signature'}: signer not trusted here`);
  return check('authenticity', name, '5.1.3', 'passed', 'Every seal and signature is intact', {
    facts,
    warnings: [...warnings, ...rightsNote],
  });
}

function metadataFormat(c: IngestCandidate): CheckResult {
  const issues = c.reading.invalid;
  return issues.length === 0
    ? check('authenticity', 'metadataFormat', '5.1.2', 'passed', 'Metadata in format and range')
    : check(
        'authenticity',
        'metadataFormat',
        '5.1.2',
        'failed',
        `Metadata out of format or range: ${issues.map((i) => i.field).join(', ')}`,
        { issues },
      );
}

function archivalCode(c: IngestCandidate): CheckResult {
  const m = c.reading.metadata;
  if (!m) {
    return check('authenticity', 'archivalCodeWellFormed', '5.1.2', 'skipped', 'Metadata invalid');
  }
  // The item number is assigned when the record is stored; its form is the same for any item.
  const code = formatArchivalCode({ ...m, item: 1 });
  return isWellFormedArchivalCode(code)
    ? check(
        'authenticity',
        'archivalCodeWellFormed',
        '5.1.2',
        'passed',
        'Archival code well formed',
      )
    : check(
        'authenticity',
        'archivalCodeWellFormed',
        '5.1.2',
        'failed',
        'Malformed archival code',
        {
          facts: { code },
        },
      );
}
