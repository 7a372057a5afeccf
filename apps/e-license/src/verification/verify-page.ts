import type { DocumentVerification } from './verification.service.js';
import { STATUS_TEXT, type VerificationResult } from './verification-result.js';

/** What else a page shows besides the verdict on a license. */
export interface VerifyPageExtras {
  /** The verdict on an uploaded file. */
  document?: DocumentVerification;
  /** The identifier the person typed or scanned, kept in the form after a failed lookup. */
  identifier?: string;
}

/**
 * HTML for people scanning a QR code: zh-CN first with English, phone-sized, no JavaScript.
 *
 * `basePath` is the path of the service's public URL (`/e-license`, or `/gw/e-license` behind
 * PUBLIC_URL=https://host/gw). Every form action is absolute under it: the page is served at
 * `/verify`, `/verify/{identifier}` and `/verify/copy/{id}`, and a relative action resolves
 * differently from each (RFC 3986 5.2), e.g. `./lookup` from `/verify/copy/x` is a copy id.
 *
 * @example renderVerifyPage('/e-license', undefined) // the empty page with both forms
 */
export function renderVerifyPage(
  basePath: string,
  result: VerificationResult | undefined,
  extras: VerifyPageExtras = {},
): string {
  const base = esc(basePath.replace(/\/+$/, ''));
  const body = result ? resultBlock(result) : '';
  const doc = extras.document ? documentBlock(extras.document) : '';
  const identifier = result?.identifier ?? extras.identifier ?? '';
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>电子证照核验 License verification</title>
<style>${STYLE}</style></head><body><main>
<h1>电子证照核验 <span class="en">License verification</span></h1>
${body}${doc}
<section class="card">
<form method="get" action="${base}/verify/lookup">
<label for="identifier">证照标识 <span class="en">Identifier</span></label>
<input id="identifier" name="identifier" required value="${esc(identifier)}">
<label for="code">验证码 <span class="en">Verification code</span></label>
<input id="code" name="code" required maxlength="16" autocomplete="off" autocapitalize="characters">
<button type="submit">核验 Verify</button>
</form></section>
<section class="card">
<form method="post" action="${base}/verify/document" enctype="multipart/form-data">
<label for="file">上传证照文件核验 <span class="en">Verify a license PDF</span></label>
<input id="file" name="file" type="file" accept="application/pdf" required>
<button type="submit">上传核验 Upload and verify</button>
</form></section>
<p class="en">持证人信息已按最小披露原则隐去。Holder details are withheld (minimal disclosure).</p>
</main></body></html>`;
}

// At phone width (360-390 px) a label column sized to its longest label squeezed the values
// to a few characters a line; the English part of each label goes on its own line and the
// column is capped, so values keep most of the width.
const STYLE = `
body{font-family:system-ui,"PingFang SC","Noto Sans CJK SC",sans-serif;margin:0;background:#f5f5f4;color:#1c1917}
main{max-width:34rem;margin:0 auto;padding:1rem}
h1{font-size:1.25rem;margin:.5rem 0 1rem}
.card{background:#fff;border-radius:.5rem;padding:1rem;margin-bottom:1rem;box-shadow:0 1px 2px #0002}
.ok{border-left:6px solid #15803d}.bad{border-left:6px solid #b91c1c}
.verdict{font-size:1.2rem;font-weight:600;margin:0 0 .25rem}
.en{color:#57534e;font-size:.9rem}
dl{display:grid;grid-template-columns:fit-content(40%) minmax(0,1fr);gap:.5rem .75rem;margin:.75rem 0 0}
dt{color:#57534e}dt .en{display:block;font-size:.8rem}
dd{margin:0;overflow-wrap:anywhere}
.hash{font-family:ui-monospace,monospace;font-size:.8rem}
label{display:block;margin:.5rem 0 .25rem}
input{width:100%;box-sizing:border-box;padding:.6rem;font-size:1rem;border:1px solid #a8a29e;border-radius:.35rem}
button{margin-top:.75rem;padding:.6rem 1rem;font-size:1rem;border:0;border-radius:.35rem;background:#1d4ed8;color:#fff}
`;

type Row = [zh: string, en: string, html: string | undefined];

function resultBlock(r: VerificationResult): string {
  const status = r.status ? STATUS_TEXT[r.status] : undefined;
  const rows: Row[] = [
    ['证照名称', 'Name', text(r.name)],
    ['证照状态', 'Status', status && `${esc(status.zh)} <span class="en">${esc(status.en)}</span>`],
    ['证照编号', 'Number', text(r.licenseNumber)],
    ['持证主体', 'Holder', text(r.holderName)],
    ['发证机关', 'Issuer', text(r.issuer?.name)],
    ['发证日期', 'Issued', text(r.issueDate)],
    [
      '有效期',
      'Validity',
      r.validity &&
        `${esc(r.validity.from)} 至 ${r.validity.until ? esc(r.validity.until) : '长期 <span class="en">long-term</span>'}`,
    ],
    ['版本', 'Version', r.version !== undefined ? String(r.version) : undefined],
    ['证照标识', 'Identifier', text(r.identifier)],
  ];
  if (r.copy) {
    rows.unshift(
      ['加注用途', 'Purpose', text(r.copy.purpose)],
      ['使用对象', 'Recipient', text(r.copy.recipient)],
      ['加注件有效期至', 'Copy valid until', text(r.copy.validUntil)],
    );
  }
  return `<section class="card ${r.valid ? 'ok' : 'bad'}">
<p class="verdict">${r.valid ? '✔ ' : '✘ '}${esc(r.message.zh)}</p>
<p class="en">${esc(r.message.en)}</p>
${list(rows)}</section>`;
}

function documentBlock(d: DocumentVerification): string {
  const seal = d.seal.indication === 'TOTAL_PASSED';
  const rows: Row[] = [
    ['电子印章', 'Seal', seal ? '签章有效 valid' : `无效 ${esc(d.seal.indication)}`],
    ['与签发文件一致', 'Same as issued', d.issuedHere ? '是 yes' : '否 no'],
    ['文件摘要', 'SHA-256', `<span class="hash">${esc(d.fileSha256)}</span>`],
  ];
  return `<section class="card ${d.valid ? 'ok' : 'bad'}">
<p class="verdict">${d.valid ? '✔ 文件真实有效' : '✘ 文件未通过核验'}</p>
<p class="en">${d.valid ? 'The file is genuine and the license is valid' : 'The file did not pass verification'}</p>
${list(rows)}</section>`;
}

function list(rows: Row[]): string {
  const items = rows
    .filter(([, , html]) => html !== undefined)
    .map(([zh, en, html]) => `<dt>${zh}<span class="en">${en}</span></dt><dd>${html}</dd>`)
    .join('');
  return items ? `<dl>${items}</dl>` : '';
}

function text(s: string | undefined): string | undefined {
  return s === undefined ? undefined : esc(s);
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
