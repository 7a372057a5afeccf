import { createHash } from 'node:crypto';
import type { FourPropertiesReport } from '../four-properties/four-properties-report.js';
import type { ArchivalRecord } from '../records/archival-record.js';
import { recordXml } from './record-xml.js';
import { tarEnd, tarFile, tarHeader, tarPadding } from './ustar.js';

export interface BagItem {
  record: ArchivalRecord;
  report: FourPropertiesReport;
  /** Reads the object's bytes (checked against its SHA-256) when the bag reaches it. */
  load(): Promise<Buffer>;
}

export interface BagInfo {
  bagName: string;
  sourceOrganization: string;
  externalIdentifier: string;
  description: string;
  now?: Date;
}

/**
 * A BagIt bag (RFC 8493) as a ustar stream: `<bag>/bagit.txt`, `bag-info.txt`, `data/` with
 * each record's PDF and metadata XML, `manifest-sha256.txt` and `tagmanifest-sha256.txt`.
 * Payload digests are known before the payload is read (the SHA-256 recorded at ingest,
 * which `load` checks), so the bag streams in one pass.
 */
export async function* writeBag(items: BagItem[], info: BagInfo): AsyncGenerator<Buffer> {
  const now = info.now ?? new Date();
  const root = info.bagName;
  const payload = items.map((item) => {
    const base = fileBase(item.record.archivalCode);
    const pdfPath = `data/${base}/${base}.pdf`;
    const xml = Buffer.from(recordXml(item.record, item.report, `${base}.pdf`), 'utf8');
    return { item, pdfPath, xmlPath: `data/${base}/metadata.xml`, xml, base };
  });

  // RFC 8493 2.2.3: manifest lines are "<checksum> <filepath>" with paths relative to the bag.
  const manifest = payload
    .flatMap((p) => [
      `${p.item.record.sha256}  ${encodePath(p.pdfPath)}`,
      `${sha256(p.xml)}  ${encodePath(p.xmlPath)}`,
    ])
    .join('\n');
  const octets = payload.reduce((n, p) => n + p.item.record.size + p.xml.length, 0);
  const bagit = Buffer.from('BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n', 'utf8');
  const bagInfo = Buffer.from(
    [
      `Source-Organization: ${oneLine(info.sourceOrganization)}`,
      `Bagging-Date: ${now.toISOString().slice(0, 10)}`,
      `Payload-Oxum: ${octets}.${payload.length * 2}`,
      `External-Identifier: ${oneLine(info.externalIdentifier)}`,
      `External-Description: ${oneLine(info.description)}`,
      `Bag-Software-Agent: gov-suite e-archive`,
      '',
    ].join('\n'),
    'utf8',
  );
  const manifestFile = Buffer.from(`${manifest}\n`, 'utf8');
  const tagManifest = Buffer.from(
    [
      `${sha256(bagit)}  bagit.txt`,
      `${sha256(bagInfo)}  bag-info.txt`,
      `${sha256(manifestFile)}  manifest-sha256.txt`,
      '',
    ].join('\n'),
    'utf8',
  );

  yield tarHeader(`${root}/`, 0, { dir: true, mtime: now });
  for (const [name, data] of [
    ['bagit.txt', bagit],
    ['bag-info.txt', bagInfo],
    ['manifest-sha256.txt', manifestFile],
    ['tagmanifest-sha256.txt', tagManifest],
  ] as const) {
    yield* tarFile(`${root}/${name}`, data, now);
  }
  yield tarHeader(`${root}/data/`, 0, { dir: true, mtime: now });
  for (const p of payload) {
    yield tarHeader(`${root}/data/${p.base}/`, 0, { dir: true, mtime: now });
    const bytes = await p.item.load();
    yield tarHeader(`${root}/${p.pdfPath}`, bytes.length, { mtime: now });
    yield bytes;
    yield tarPadding(bytes.length);
    yield* tarFile(`${root}/${p.xmlPath}`, p.xml, now);
  }
  yield tarEnd();
}

/** `Z109-WS·2025·Y·BGS-0001` -> `Z109-WS.2025.Y.BGS-0001`: portable file names. */
export function fileBase(archivalCode: string): string {
  return archivalCode.replace(/\u00b7/g, '.');
}

/** RFC 8493 2.1.3: CR, LF and % in a manifest path are percent-encoded. */
function encodePath(p: string): string {
  return p.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function oneLine(s: string): string {
  return s.replace(/[\r\n]+/g, ' ');
}

function sha256(b: Buffer): string {
  return createHash('sha256').update(b).digest('hex');
}
