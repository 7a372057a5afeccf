import type { DocumentVerification } from './verification.service.js';
import type { VerificationResult } from './verification-result.js';

/** HTML for people scanning a QR code: zh-CN first with English, phone-sized, no JavaScript. */
export function renderVerifyPage(
  result: VerificationResult | undefined,
  extra?: DocumentVerification,
): string {
  const body = result ? resultBlock(result) : '';
  const doc = extra ? documentBlock(extra) : '';
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>电子证照核验 License verification</title>
<style>
body{font-family:system-ui,"PingFang SC","Noto Sans CJK SC",sans-serif;margin:0;background:#f5f5f4;color:#1c1917}
main{max-width:34rem;margin:0 auto;padding:1rem}
h1{font-size:1.25rem;margin:.5rem 0 1rem}
.card{background:#fff;border-radius:.5rem;padding:1rem;margin-bottom:1rem;box-shadow:0 1px 2px #0002}
.ok{border-left:6px solid #15803d}.bad{border-left:6px solid #b91c1c}
.verdict{font-size:1.2rem;font-weight:600;margin:0 0 .25rem}
.en{color:#57534e;font-size:.9rem}
dl{display:grid;grid-template-columns:auto 1fr;gap:.35rem .75rem;margin:.75rem 0 0}
dt{color:#57534e}dd{margin:0;word-break:break-all}
label{display:block;margin:.5rem 0 .25rem}
input{width:100%;box-sizing:border-box;padding:.6rem;font-size:1rem;border:1px solid #a8a29e;border-radius:.35rem}
button{margin-top:.75rem;padding:.6rem 1rem;font-size:1rem;border:0;border-radius:.35rem;background:#1d4ed8;color:#fff}
</style></head><body><main>
<h1>电子证照核验 <span class="en">License verification</span></h1>
${body}${doc}
<section class="card">
<form method="get" action="./lookup">
<label for="identifier">证照标识 Identifier</label>
<input id="identifier" name="identifier" required value="${esc(result?.identifier ?? '')}">
<label for="code">验证码 Verification code</label>
<input id="code" name="code" required maxlength="16" autocomplete="off">
<button type="submit">核验 Verify</button>
</form></section>
<section class="card">
<form method="post" action="./document" enctype="multipart/form-data">
<label for="file">上传证照文件核验 Verify a license PDF</label>
<input id="file" name="file" type="file" accept="application/pdf" required>
<button type="submit">上传核验 Upload and verify</button>
</form></section>
<p class="en">持证人信息已按最小披露原则隐去。Holder details are withheld (minimal disclosure).</p>
</main></body></html>`;
}

function resultBlock(r: VerificationResult): string {
  const rows: [string, string | undefined][] = [
    ['证照名称 Name', r.name],
    ['证照状态 Status', r.status],
    ['证照编号 Number', r.licenseNumber],
    ['持证主体 Holder', r.holderName],
    ['发证机关 Issuer', r.issuer?.name],
    ['发证日期 Issued', r.issueDate],
    [
      '有效期 Validity',
      r.validity ? `${r.validity.from} — ${r.validity.until ?? '长期 long-term'}` : undefined,
    ],
    ['版本 Version', r.version !== undefined ? String(r.version) : undefined],
    ['证照标识 Identifier', r.identifier],
  ];
  if (r.copy) {
    rows.unshift(
      ['加注用途 Purpose', r.copy.purpose],
      ['使用对象 Recipient', r.copy.recipient],
      ['加注件有效期至 Copy valid until', r.copy.validUntil],
    );
  }
  const list = rows
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v!)}</dd>`)
    .join('');
  return `<section class="card ${r.valid ? 'ok' : 'bad'}">
<p class="verdict">${r.valid ? '✔ ' : '✘ '}${esc(r.message.zh)}</p>
<p class="en">${esc(r.message.en)}</p>
${list ? `<dl>${list}</dl>` : ''}</section>`;
}

function documentBlock(d: DocumentVerification): string {
  const seal = d.seal.indication === 'TOTAL_PASSED';
  return `<section class="card ${d.valid ? 'ok' : 'bad'}">
<p class="verdict">${d.valid ? '✔ 文件真实有效' : '✘ 文件未通过核验'}</p>
<p class="en">${d.valid ? 'The file is genuine and the license is valid' : 'The file did not pass verification'}</p>
<dl><dt>电子印章 Seal</dt><dd>${seal ? '签章有效 valid' : `无效 ${esc(d.seal.indication)}`}</dd>
<dt>与签发文件一致 Same as issued</dt><dd>${d.issuedHere ? '是 yes' : '否 no'}</dd>
<dt>SHA-256</dt><dd>${esc(d.fileSha256)}</dd></dl></section>`;
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
