/** Escapes text for HTML element content and attribute values. */
export function esc(value: unknown): string {
  return String(value ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

/** Both languages on one page: Chinese first, English beneath (GB/T 37668 accessible web pages). */
export function bi(zh: string, en: string): string {
  return `${esc(zh)} <span lang="en" class="en">${esc(en)}</span>`;
}

const STYLE = `body{font-family:system-ui,"PingFang SC","Microsoft YaHei",sans-serif;margin:0;background:#f4f6f9;color:#1b1f24}
main{max-width:28rem;margin:3rem auto;background:#fff;padding:2rem;border-radius:8px;box-shadow:0 1px 4px #0002;overflow-wrap:anywhere}
.secret{display:block;font-size:1.15rem;margin-top:.3rem}
h1{font-size:1.4rem;margin-top:0}.en{display:block;font-size:.85em;color:#555}
label{display:block;margin:1rem 0 .3rem;font-weight:600}
input[type=text],input[type=password]{width:100%;box-sizing:border-box;padding:.6rem;font-size:1rem;border:1px solid #777;border-radius:4px}
input:focus,button:focus{outline:3px solid #1a5fb4;outline-offset:2px}
button{margin-top:1.2rem;padding:.6rem 1.2rem;font-size:1rem;border:0;border-radius:4px;background:#1a5fb4;color:#fff;cursor:pointer}
button .en{color:inherit;opacity:.9}
button.secondary{background:#e5e8ec;color:#1b1f24}
.error{color:#a51d2d;margin:.3rem 0}.alert{border-left:4px solid #a51d2d;background:#fdecec;padding:.6rem}
ul{padding-left:1.2rem}`;

/** A page with no script (it works with JavaScript off) and the suite's security headers. */
export function page(title: { zh: string; en: string }, body: string): string {
  return `<!doctype html>
<html lang="zh-CN">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(title.zh)} | ${esc(title.en)}</title><style>${STYLE}</style></head>
<body><main><h1>${bi(title.zh, title.en)}</h1>
${body}
</main></body></html>`;
}

export interface Message {
  zh: string;
  en: string;
}

export interface FieldOptions {
  id: string;
  /** The form field name, when several forms on a page share one (default: the id). */
  name?: string;
  label: Message;
  type?: 'text' | 'password';
  /** Further attributes, written as is (required, autocomplete, ...). */
  attrs?: string;
  value?: string;
  error?: Message;
}

/**
 * A labelled input with its own error text beneath it, which its aria-describedby names, so
 * that a screen reader reads each field's own problem (WCAG 2.1 SC 3.3.1, 1.3.1).
 */
export function field(o: FieldOptions): string {
  const errorId = `${o.id}-error`;
  const described = o.error ? ` aria-describedby="${errorId}" aria-invalid="true"` : '';
  const value = o.value === undefined ? '' : ` value="${esc(o.value)}"`;
  const input = `<input type="${o.type ?? 'text'}" id="${esc(o.id)}" name="${esc(o.name ?? o.id)}" ${
    o.attrs ?? ''
  }${value}${described}>`;
  const error = o.error
    ? `\n<p class="error" id="${errorId}">${bi(o.error.zh, o.error.en)}</p>`
    : '';
  return `<label for="${esc(o.id)}">${bi(o.label.zh, o.label.en)}</label>\n${input}${error}`;
}

/** The page-level error list, announced to screen readers (WCAG 2.1 SC 3.3.1). */
export function alert(message: { zh: string; en: string } | undefined): string {
  return message
    ? `<p class="alert" role="alert" id="form-error">${bi(message.zh, message.en)}</p>`
    : '';
}
