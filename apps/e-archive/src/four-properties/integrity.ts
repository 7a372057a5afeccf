import { check, type CheckResult } from './four-properties-report.js';
import type { IngestCandidate } from './ingest-candidate.js';

/**
 * 完整性 integrity (DA/T 70-2018 5.2): required metadata present, the declared page count
 * matches the document. The gap-free item sequence is checked when the record is stored
 * (`itemSequence`, under the counter's lock).
 */
export function checkIntegrity(c: IngestCandidate): CheckResult[] {
  return [requiredMetadata(c), pageCount(c)];
}

function requiredMetadata(c: IngestCandidate): CheckResult {
  const missing = c.reading.missing;
  return missing.length === 0
    ? check('integrity', 'requiredMetadata', '5.2.1', 'passed', 'Required metadata present')
    : check(
        'integrity',
        'requiredMetadata',
        '5.2.1',
        'failed',
        `Required metadata missing: ${missing.map((i) => i.field).join(', ')}`,
        { issues: missing },
      );
}

function pageCount(c: IngestCandidate): CheckResult {
  const declared = c.reading.metadata?.pageCount;
  const actual = c.inspection.pageCount;
  if (c.inspection.openError || c.inspection.encrypted || declared === undefined) {
    return check('integrity', 'pageCountMatches', '5.2.2', 'skipped', 'Nothing to compare');
  }
  const facts = { declared, actual };
  return declared === actual
    ? check('integrity', 'pageCountMatches', '5.2.2', 'passed', 'Page count as declared', {
        facts,
      })
    : check(
        'integrity',
        'pageCountMatches',
        '5.2.2',
        'failed',
        `Declared ${declared} pages, the document has ${actual}`,
        { facts, issues: [{ field: 'pageCount', message: `the document has ${actual} pages` }] },
      );
}

/** DA/T 22-2015 6.3: item numbers run without gaps. Checked under the counter's lock. */
export function itemSequenceCheck(
  lastItem: number,
  count: number,
  maxItem: number,
  assigned: number,
): CheckResult {
  const facts = { lastItem, recordsInGroup: count, highestItem: maxItem, assigned };
  const ok = count === lastItem && maxItem === lastItem && assigned === lastItem + 1;
  return ok
    ? check(
        'integrity',
        'itemSequence',
        '5.2.3',
        'passed',
        `Item ${assigned} follows without a gap`,
        {
          facts,
        },
      )
    : check('integrity', 'itemSequence', '5.2.3', 'failed', 'The item sequence has a gap', {
        facts,
      });
}
