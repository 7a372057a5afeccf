import { renderVerifyPage } from './verify-page.js';

describe('the verification page', () => {
  it('posts its forms under the public base path, whatever page it is served at', () => {
    const html = renderVerifyPage('/gw/e-license/', undefined);

    const actions = [...html.matchAll(/action="([^"]*)"/g)].map((m) => m[1]);
    expect(actions).toEqual(['/gw/e-license/verify/lookup', '/gw/e-license/verify/document']);
  });

  it('keeps the identifier a person entered when no license matched it', () => {
    const html = renderVerifyPage(
      '/e-license',
      { valid: false, outcome: 'not-found', message: { zh: '未找到', en: 'Not found' } },
      { identifier: '1.2.156.3005.2.x"<' },
    );

    expect(html).toContain('value="1.2.156.3005.2.x&#34;&#60;"');
  });
});
