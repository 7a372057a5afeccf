import type { FourPropertiesReport } from '../four-properties/four-properties-report.js';
import type { ArchivalRecord } from '../records/archival-record.js';

/**
 * A record's metadata as XML for the bag: the DA/T 46-2009 elements (element names in English,
 * the standard's Chinese name in a `zh` attribute), both fixity values and the DA/T 70 report.
 */
export function recordXml(
  r: ArchivalRecord,
  report: FourPropertiesReport,
  fileName: string,
): string {
  const el = (tag: string, zh: string, value: string | number | null) =>
    value === null || value === ''
      ? ''
      : `    <${tag} zh="${zh}">${escape(String(value))}</${tag}>\n`;
  const checks = Object.values(report.properties)
    .flatMap((p) => p.checks)
    .map(
      (c) =>
        `      <check name="${escape(c.name)}" clause="${escape(c.clause)}" outcome="${c.outcome}">${escape(c.message)}</check>\n`,
    )
    .join('');
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<record xmlns="urn:gov-suite:e-archive:record:1" standard="DA/T 46-2009" id="${r.id}">\n` +
    `  <description>\n` +
    el('archivalCode', '档号', r.archivalCode) +
    el('fondsCode', '全宗号', r.fondsCode) +
    el('category', '门类', r.category) +
    el('year', '年度', r.year) +
    el('retention', '保管期限', r.retention) +
    el('organisation', '机构问题', r.organisation) +
    el('item', '件号', r.item) +
    el('title', '题名', r.title) +
    el('documentNumber', '文号', r.documentNumber) +
    el('creator', '责任者', r.creator) +
    el('date', '日期', r.date) +
    el('pageCount', '页数', r.pageCount) +
    el('openness', '开放状态', r.openness) +
    `  </description>\n` +
    `  <object file="${escape(fileName)}" mediaType="${escape(r.mediaType)}" size="${r.size}">\n` +
    `    <fixity algorithm="SHA-256">${r.sha256}</fixity>\n` +
    `    <fixity algorithm="SM3">${r.sm3}</fixity>\n` +
    `  </object>\n` +
    `  <provenance sourceSystem="${escape(r.sourceSystem)}" sourceId="${escape(r.sourceId)}" ` +
    `ingestedBy="${escape(r.ingestedBy)}" ingestedAt="${r.ingestedAt}"/>\n` +
    `  <fourProperties standard="${report.standard}" passed="${report.passed}" checkedAt="${report.checkedAt}">\n` +
    checks +
    `  </fourProperties>\n` +
    `</record>\n`
  );
}

function escape(s: string): string {
  return s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
