/**
 * The four-properties report of DA/T 70-2018 (文书类电子档案检测一般要求): each property
 * (authenticity 真实性, integrity 完整性, usability 可用性, security 安全性) is a list of named
 * checks, each with its outcome and the facts it found.
 */
export type FourProperty = 'authenticity' | 'integrity' | 'usability' | 'security';
export const FOUR_PROPERTIES: readonly FourProperty[] = [
  'authenticity',
  'integrity',
  'usability',
  'security',
];

/** `notConfigured` and `skipped` do not fail the item; they are shown so no one assumes a pass. */
export type CheckOutcome = 'passed' | 'failed' | 'notConfigured' | 'skipped';

export interface CheckResult {
  /** Stable name, e.g. `authenticity.fixityAsDeclared`. */
  name: string;
  /** The DA/T 70-2018 item the check implements. */
  clause: string;
  outcome: CheckOutcome;
  message: string;
  issues?: { field?: string; message: string }[];
  warnings?: string[];
  facts?: Record<string, unknown>;
}

export interface PropertyResult {
  passed: boolean;
  checks: CheckResult[];
}

export interface FourPropertiesReport {
  standard: 'DA/T 70-2018';
  checkedAt: string;
  passed: boolean;
  /** Names of the failed checks, for a quick look. */
  failed: string[];
  properties: Record<FourProperty, PropertyResult>;
}

export function check(
  property: FourProperty,
  name: string,
  clause: string,
  outcome: CheckOutcome,
  message: string,
  extra: Pick<CheckResult, 'issues' | 'warnings' | 'facts'> = {},
): CheckResult {
  return { name: `${property}.${name}`, clause, outcome, message, ...extra };
}

export function buildReport(checks: CheckResult[], now = new Date()): FourPropertiesReport {
  const properties = {} as Record<FourProperty, PropertyResult>;
  for (const p of FOUR_PROPERTIES) {
    const own = checks.filter((c) => c.name.startsWith(`${p}.`));
    properties[p] = { passed: own.every((c) => c.outcome !== 'failed'), checks: own };
  }
  const failed = checks.filter((c) => c.outcome === 'failed').map((c) => c.name);
  return {
    standard: 'DA/T 70-2018',
    checkedAt: now.toISOString(),
    passed: failed.length === 0,
    failed,
    properties,
  };
}

/** The report with one more check (the item sequence, checked when the record is stored). */
export function addCheck(report: FourPropertiesReport, extra: CheckResult): FourPropertiesReport {
  const all = FOUR_PROPERTIES.flatMap((p) => report.properties[p].checks);
  return buildReport([...all, extra], new Date(report.checkedAt));
}
