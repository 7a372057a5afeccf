import { createSuiteContext } from './suite-context.js';
import { ConfigError, loadConfig, redactConfig } from './load-config.js';
import { suiteVariables } from './variables.js';

describe('configuration', () => {
  it('refuses a non-numeric PORT with a message naming PORT', () => {
    expect(() => loadConfig(suiteVariables, { PORT: 'abc' })).toThrow(ConfigError);
    expect(() => loadConfig(suiteVariables, { PORT: 'abc' })).toThrow(/PORT/);
  });

  it('never repeats a secret value in its error message', () => {
    let message = '';
    try {
      loadConfig(suiteVariables, { MASTER_KEY: 'tooshort-secret' });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain('MASTER_KEY');
    expect(message).not.toContain('tooshort-secret');
  });

  it('prints secrets as [secret]', () => {
    const config = loadConfig(suiteVariables, { DATABASE_URL: 'postgres://u:pw@h/db' });
    expect(redactConfig(suiteVariables, config).DATABASE_URL).toBe('[secret]');
  });

  it('requires MASTER_KEY in production', () => {
    expect(() => createSuiteContext('suite', { NODE_ENV: 'production' })).toThrow(/MASTER_KEY/);
  });

  it('derives service URLs from the port and public URL', () => {
    const ctx = createSuiteContext('suite', {
      PORT: '4000',
      PUBLIC_URL: 'https://gov.example/',
      MASTER_KEY: 'ab'.repeat(32),
    });
    expect(ctx.publicUrls['e-license']).toBe('https://gov.example/e-license');
    expect(ctx.serviceUrls.identity).toBe('http://127.0.0.1:4000/identity');
  });

  it('reads TRUST_PROXY as Express trust proxy values and refuses trusting every hop', () => {
    expect(loadConfig(suiteVariables, {}).TRUST_PROXY).toBe('loopback');
    expect(loadConfig(suiteVariables, { TRUST_PROXY: 'false' }).TRUST_PROXY).toBe(false);
    expect(loadConfig(suiteVariables, { TRUST_PROXY: '1' }).TRUST_PROXY).toBe(1);
    expect(loadConfig(suiteVariables, { TRUST_PROXY: 'loopback, 10.0.0.0/8' }).TRUST_PROXY).toBe(
      'loopback, 10.0.0.0/8',
    );
    expect(() => loadConfig(suiteVariables, { TRUST_PROXY: 'true' })).toThrow(/TRUST_PROXY/);
  });
});
