import { check, type CheckResult } from './four-properties-report.js';
import type { IngestCandidate } from './ingest-candidate.js';
import { sealCoverage } from './seal-coverage.js';

/**
 * 安全性 security (DA/T 70-2018 5.4): no active content (JavaScript, launch actions), no
 * embedded executables, and no virus found by ClamAV when a clamd is configured.
 */
export function checkSecurity(c: IngestCandidate): CheckResult[] {
  return [noActiveContent(c), noEmbeddedExecutables(c), virusScan(c)];
}

function noActiveContent(c: IngestCandidate): CheckResult {
  const i = c.inspection;
  if (i.openError || i.encrypted) {
    return check('security', 'noActiveContent', '5.4.1', 'skipped', 'The file could not be read');
  }
  const scripts = [...i.javaScript, ...i.formScripts];
  const issues = scripts.map((js) => ({ message: `JavaScript: ${js || '(script)'}` }));
  if (i.launchActions) issues.push({ message: `${i.launchActions} launch action(s)` });
  const facts = { documentScripts: i.javaScript.length, formScripts: i.formScripts.length };
  if (issues.length === 0) {
    return check(
      'security',
      'noActiveContent',
      '5.4.1',
      'passed',
      'No JavaScript or launch actions',
      {
        facts,
      },
    );
  }

  // A sealed original is kept exactly as sealed (DA/T 92: the electronic record is the only
  // copy): its scripts cannot be removed without breaking the seals. They are recorded and
  // never executed, but only when this platform's seals vouch for every byte of the file;
  // a foreign or self-made signature, or one e-seal did not verify, vouches for nothing.
  // Launch actions refuse the file in any case.
  const coverage = sealCoverage(c);
  if (i.launchActions === 0 && coverage.sealedByPlatform) {
    return check(
      'security',
      'noActiveContent',
      '5.4.1',
      'passed',
      'Scripts kept in an original sealed by this platform',
      {
        warnings: [
          `${i.javaScript.length} document script(s) and ${i.formScripts.length} form-field ` +
            'script(s) kept unaltered because the document is sealed; they are never executed',
        ],
        facts,
      },
    );
  }
  const why = scripts.length > 0 && i.signatureCount > 0 ? coverage.reasons : [];
  return check('security', 'noActiveContent', '5.4.1', 'failed', 'The PDF has active content', {
    issues: [...issues, ...why.map((r) => ({ message: `scripts not tolerated: ${r}` }))],
    facts,
  });
}

function noEmbeddedExecutables(c: IngestCandidate): CheckResult {
  const i = c.inspection;
  if (i.openError || i.encrypted) {
    return check('security', 'noEmbeddedExecutables', '5.4.2', 'skipped', 'Not readable');
  }
  const exe = i.embeddedFiles.filter((f) => f.executable);
  const facts = { embeddedFiles: i.embeddedFiles.map((f) => f.name) };
  return exe.length === 0
    ? check('security', 'noEmbeddedExecutables', '5.4.2', 'passed', 'No embedded executables', {
        facts,
      })
    : check('security', 'noEmbeddedExecutables', '5.4.2', 'failed', 'Executables are embedded', {
        facts,
        issues: exe.map((f) => ({ message: `embedded executable ${f.name}: ${f.reason}` })),
      });
}

function virusScan(c: IngestCandidate): CheckResult {
  const r = c.virusScan;
  if (!r) {
    return check(
      'security',
      'virusScan',
      '5.4.3',
      'notConfigured',
      'No virus scanner configured (set CLAMD_HOST)',
    );
  }
  switch (r.outcome) {
    case 'clean':
      return check('security', 'virusScan', '5.4.3', 'passed', 'ClamAV found nothing');
    case 'infected':
      return check('security', 'virusScan', '5.4.3', 'failed', `ClamAV found ${r.signature}`, {
        issues: [{ message: `signature ${r.signature}` }],
      });
    case 'error':
    case 'unavailable':
      // clamd could not scan this file: it must not go through unscanned. (An unavailable
      // clamd is refused before the checks run, with ArchiveVirusScanUnavailable.)
      return check('security', 'virusScan', '5.4.3', 'failed', 'The virus scan failed', {
        issues: [{ message: r.message }],
      });
  }
}
