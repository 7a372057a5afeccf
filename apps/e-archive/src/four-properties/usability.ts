import { check, type CheckResult } from './four-properties-report.js';
import type { IngestCandidate } from './ingest-candidate.js';

/**
 * 可用性 usability (DA/T 70-2018 5.3): the file is a PDF of an allowed version (GB/T 18894
 * and DA/T 47 formats for long-term keeping), opens, is not encrypted, and its fonts are
 * embedded so that it renders the same in fifty years.
 */
export function checkUsability(c: IngestCandidate): CheckResult[] {
  return [opens(c), notEncrypted(c), formatAllowed(c), fontsEmbedded(c)];
}

function opens(c: IngestCandidate): CheckResult {
  const i = c.inspection;
  if (i.openError) {
    return check('usability', 'opens', '5.3.1', 'failed', `The file does not open as a PDF`, {
      issues: [{ message: `${i.openError.code}: ${i.openError.message}` }],
    });
  }
  if (i.pageCount === 0) {
    return check('usability', 'opens', '5.3.1', 'failed', 'The PDF has no pages');
  }
  return check('usability', 'opens', '5.3.1', 'passed', 'The PDF opens', {
    facts: { pages: i.pageCount, repaired: i.repaired },
    warnings: i.repaired
      ? ['the cross-reference data is damaged; objects were found by scanning']
      : [],
  });
}

function notEncrypted(c: IngestCandidate): CheckResult {
  if (c.inspection.openError) return check('usability', 'notEncrypted', '5.3.2', 'skipped', '-');
  return c.inspection.encrypted
    ? check(
        'usability',
        'notEncrypted',
        '5.3.2',
        'failed',
        'The PDF is encrypted; archives keep files readable without a key',
      )
    : check('usability', 'notEncrypted', '5.3.2', 'passed', 'Not encrypted');
}

function formatAllowed(c: IngestCandidate): CheckResult {
  const version = c.inspection.version;
  const facts = { mediaType: c.mediaType, version, allowed: c.allowedVersions };
  if (c.inspection.openError) {
    return check('usability', 'formatAllowed', '5.3.3', 'failed', 'Not a PDF', { facts });
  }
  return version && c.allowedVersions.includes(version)
    ? check('usability', 'formatAllowed', '5.3.3', 'passed', `PDF ${version}`, { facts })
    : check(
        'usability',
        'formatAllowed',
        '5.3.3',
        'failed',
        `PDF version ${version ?? '?'} is not accepted`,
        {
          facts,
        },
      );
}

function fontsEmbedded(c: IngestCandidate): CheckResult {
  const i = c.inspection;
  if (i.openError || i.encrypted) {
    return check('usability', 'fontsEmbedded', '5.3.4', 'skipped', 'The fonts could not be read');
  }
  const missing = i.fonts.filter((f) => !f.embedded && !f.standard14);
  const standard = i.fonts.filter((f) => !f.embedded && f.standard14);
  const facts = {
    fonts: i.fonts.length,
    notEmbedded: [...missing, ...standard].map((f) => f.name),
  };
  if (missing.length > 0) {
    return check('usability', 'fontsEmbedded', '5.3.4', 'failed', 'Fonts are not embedded', {
      facts,
      issues: missing.map((f) => ({ message: `font ${f.name} is not embedded` })),
    });
  }
  // TODO(archive): PDF/A (GB/T 23286.1) also wants the standard 14 fonts embedded; they are
  // accepted with a warning because every conforming reader carries them (ISO 32000-1 9.6.2.2).
  return check('usability', 'fontsEmbedded', '5.3.4', 'passed', 'Fonts embedded', {
    facts,
    warnings: standard.map((f) => `standard font ${f.name} is not embedded`),
  });
}
