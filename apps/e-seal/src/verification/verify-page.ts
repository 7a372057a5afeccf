import type { SignatureReport, VerificationReport } from './verification-report.js';

const esc = (s: unknown): string =>
  String(s ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

const indicationText: Record<string, [string, string, string]> = {
  TOTAL_PASSED: ['有效', 'Valid', '#1b7f3b'],
  TOTAL_FAILED: ['无效', 'Invalid', '#b3261e'],
  INDETERMINATE: ['无法确认', 'Indeterminate', '#8a5a00'],
  NO_SIGNATURE: ['无签章', 'No signature', '#555'],
};

const style = `
body{font-family:system-ui,"PingFang SC","Microsoft YaHei",sans-serif;margin:0;background:#f6f6f6;color:#1a1a1a;line-height:1.5}
main{max-width:46rem;margin:0 auto;padding:1rem}
h1{font-size:1.4rem;margin:.5rem 0}.en{color:#555;font-size:.9em}
form,section{background:#fff;border:1px solid #ddd;border-radius:.5rem;padding:1rem;margin:1rem 0}
input[type=file]{display:block;margin:.5rem 0 1rem;max-width:100%}
button{font-size:1rem;padding:.6rem 1.2rem;background:#b3261e;color:#fff;border:0;border-radius:.3rem}
.badge{display:inline-block;padding:.2rem .6rem;border-radius:1rem;color:#fff;font-weight:600}
dl{display:grid;grid-template-columns:minmax(8rem,auto) 1fr;gap:.2rem .8rem;margin:0}
dt{color:#555}dd{margin:0;overflow-wrap:anywhere}
ul{margin:.3rem 0;padding-left:1.2rem}
@media (max-width:36rem){dl{grid-template-columns:1fr}dd{margin-bottom:.5rem}}`;

/** The report's codes as a reader says them, Chinese then English; an unknown code as is. */
const SEAL_STATUS: Record<string, string> = {
  applied: '已申请 applied',
  made: '已制作 made',
  filed: '已备案 filed',
  in_use: '使用中 in use',
  suspended: '已暂停 suspended',
  cancelled: '已注销 cancelled',
  expired: '已过期 expired',
};
const REVOCATION: Record<string, string> = {
  good: '未吊销 not revoked',
  revoked: '已吊销 revoked',
  revokedAfterSigning: '签章后吊销 revoked after signing',
  revokedNoProofOfTime: '已吊销，签章时间无证明 revoked, signing time not proven',
  unknown: '无法确认 unknown',
  notChecked: '未检查 not checked',
};
const TIME_SOURCE: Record<string, string> = {
  timestamp: '时间戳 time-stamp',
  claimed: '签署方声明 claimed by the signer',
  signingTimeAttribute: '签名属性 signing-time attribute',
  none: '无 none',
};
const say = (codes: Record<string, string>, code: string | null | undefined): string =>
  esc(code == null ? '—' : (codes[code] ?? code));

function layout(body: string): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>电子印章验证 Seal verification</title><style>${style}</style></head>
<body><main>${body}</main></body></html>`;
}

export function renderVerifyForm(error?: { zh: string; en: string }): string {
  return layout(`<h1>电子印章验证 <span class="en">Verify a sealed PDF</span></h1>
<p>上传加盖电子印章的 PDF 文件，查看每个签章的验证结果。文件不会被保存。<br>
<span class="en">Upload a sealed PDF to see the result for each signature. The file is not kept.</span></p>
${error ? `<section role="alert"><strong>${esc(error.zh)}</strong><br><span class="en">${esc(error.en)}</span></section>` : ''}
<form method="post" action="verify" enctype="multipart/form-data">
<label for="file">PDF 文件 <span class="en">PDF file</span></label>
<input id="file" name="file" type="file" accept="application/pdf,.pdf" required>
<button type="submit">验证 Verify</button></form>`);
}

export function renderVerifyReport(report: VerificationReport): string {
  const [zh, en, colour] = indicationText[report.indication] ?? indicationText.NO_SIGNATURE!;
  const items = report.signatures.map(renderSignature).join('');
  return layout(`<h1>验证结果 <span class="en">Verification result</span></h1>
<section><span class="badge" style="background:${colour}">${zh} ${en}</span>
<p>${esc(report.summary.zh)}<br><span class="en">${esc(report.summary.en)}</span></p>
<dl><dt>文件摘要 SHA-256</dt><dd>${esc(report.fileSha256)}</dd>
<dt>验证时间 Verified at</dt><dd>${esc(report.verifiedAt)}</dd></dl></section>
${items}<p><a href="verify">再验证一个文件 Verify another file</a></p>`);
}

function yesNo(v: boolean | undefined): string {
  return v ? '是 yes' : '否 no';
}

function renderSignature(s: SignatureReport): string {
  const [zh, en, colour] = indicationText[s.indication]!;
  const seal = s.seal
    ? `<dt>印章 Seal</dt><dd>${esc(s.seal.name)}（${esc(s.seal.code)}）</dd>
<dt>印章状态 Seal status</dt><dd>签章时 at signing: ${say(SEAL_STATUS, s.seal.statusAtSigningTime)}；当前 now: ${say(SEAL_STATUS, s.seal.currentStatus)}</dd>`
    : '';
  const list = (xs: string[]) =>
    xs.length ? `<ul>${xs.map((x) => `<li>${esc(x)}</li>`).join('')}</ul>` : '—';
  return `<section><h2>${s.kind === 'timestamp' ? '文档时间戳 Document time-stamp' : '签章 Signature'} ${s.index + 1}
<span class="badge" style="background:${colour}">${zh} ${en}</span></h2>
<dl><dt>签署方 Signer</dt><dd>${esc(s.signer?.organisationName ?? s.signer?.commonName ?? '—')}</dd>
<dt>统一社会信用代码 USCC</dt><dd>${esc(s.signer?.uscc ?? '—')}</dd>
${seal}
<dt>签署时间 Signing time</dt><dd>${esc(s.signingTime.time ?? '—')}（${say(TIME_SOURCE, s.signingTime.source)}；${s.signingTime.proven ? '已由可信时间戳证明 proven by a trusted time-stamp' : '未经可信时间戳证明 not proven by a trusted time-stamp'}）</dd>
<dt>完整性 Integrity</dt><dd>${yesNo(s.integrity.intact)}；覆盖全文 covers whole file: ${yesNo(s.integrity.coversWholeFile)}</dd>
<dt>证书链 Chain</dt><dd>${s.chain.issuedByThisPlatform ? '本平台签发 issued by this platform' : '非本平台签发 not issued by this platform'}</dd>
<dt>吊销状态 Revocation</dt><dd>${say(REVOCATION, s.certificate.revocationAtSigningTime)}${s.certificate.revocationDate ? ` (${esc(s.certificate.revocationDate)})` : ''}</dd>
<dt>时间戳 Time-stamp</dt><dd>${s.timestamp.present ? `${esc(s.timestamp.genTime)}，有效 valid: ${yesNo(s.timestamp.valid)}` : '无 none'}</dd>
<dt>签后修改 Changes after signing</dt><dd>${list(s.modifications.beyondPermissions)}</dd>
<dt>问题 Problems</dt><dd>${list(s.problems)}</dd>
<dt>提示 Notes</dt><dd>${list(s.warnings)}</dd></dl></section>`;
}
