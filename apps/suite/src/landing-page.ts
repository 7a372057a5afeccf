import { SERVICE_NAMES, type SuiteContext } from '#common';

const titles: Record<string, [string, string]> = {
  identity: ['统一身份认证', 'Unified identity'],
  'e-seal': ['电子印章', 'Electronic seals'],
  'e-license': ['电子证照', 'Electronic licenses'],
  'e-archive': ['电子档案', 'Electronic archives'],
};

/** The suite's home page: what runs here and where. */
export function renderLandingPage(ctx: SuiteContext): string {
  const rows = SERVICE_NAMES.map((s) => {
    const [zh, en] = titles[s]!;
    const base = ctx.publicUrls[s];
    return `<li><strong>${zh}</strong> <span lang="en">${en}</span>:
      <a href="${base}/docs">API 文档 API docs</a> ·
      <a href="${base}/health/ready">状态 Health</a></li>`;
  }).join('\n');
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>政务服务支撑平台 Government service support suite</title></head>
<body><main>
<h1>政务服务支撑平台 <small lang="en">Government service support suite</small></h1>
<ul>${rows}</ul>
</main></body></html>`;
}
