import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { securityHeaders } from '#common';
import {
  forwardAsExpressSees,
  providerPath,
  staticHeaders,
  type ExpressInternals,
  type Middleware,
} from './ahead-of-express.js';

async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void) {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const close = (server: Server) => new Promise((resolve) => server.close(resolve));

describe('serving the provider ahead of Express', () => {
  it('sets exactly the headers helmet sets, captured once', async () => {
    const helmet = securityHeaders() as unknown as Middleware;
    const captured = staticHeaders(helmet);
    const answer = (mw: Middleware) => (req: IncomingMessage, res: ServerResponse) =>
      mw(req, res, () => res.end('ok'));
    const direct = await listen(answer(helmet));
    const fast = await listen(answer(captured));
    try {
      const headers = async (base: string) => {
        const { date: _date, ...rest } = Object.fromEntries((await fetch(base)).headers);
        return rest;
      };
      const expected = await headers(direct.base);

      expect(captured).not.toBe(helmet);
      expect(expected['content-security-policy']).toContain("default-src 'self'");
      expect(await headers(fast.base)).toEqual(expected);
    } finally {
      await close(direct.server);
      await close(fast.server);
    }
  });

  it("tells the provider the client, scheme and host Express sees under 'trust proxy'", async () => {
    const app = express();
    app.set('trust proxy', 'loopback');
    app.get('/express-view', (req, res) => {
      res.json({ for: req.ip, proto: req.protocol, host: req.host });
    });
    const internals = app as unknown as ExpressInternals;
    const { server, base } = await listen((req, res) => {
      if (req.url !== '/ahead') return app(req, res);
      forwardAsExpressSees(internals, req, res);
      const h = req.headers;
      res.end(
        JSON.stringify({
          for: h['x-forwarded-for'],
          proto: h['x-forwarded-proto'],
          host: h['x-forwarded-host'],
        }),
      );
    });
    try {
      const seen = async (path: string, headers: Record<string, string>) =>
        (await fetch(`${base}${path}`, { headers })).json();
      const cases: Record<string, string>[] = [
        {},
        { 'x-forwarded-for': '203.0.113.7', 'x-forwarded-proto': 'https' },
        { 'x-forwarded-host': 'id.example.gov.cn' },
      ];
      for (const headers of cases) {
        expect(await seen('/ahead', headers)).toEqual(await seen('/express-view', headers));
      }
      expect(await seen('/ahead', { 'x-forwarded-for': '203.0.113.7' })).toMatchObject({
        for: '203.0.113.7',
      });
    } finally {
      await close(server);
    }
  });

  it("takes only the provider's own paths under the service prefix", () => {
    expect(providerPath('/identity/token', '/identity')).toBe('/token');
    expect(providerPath('/identity/.well-known/openid-configuration', '/identity')).toBe(
      '/.well-known/openid-configuration',
    );
    expect(providerPath('/identity/auth?client_id=x', '/identity')).toBe('/auth?client_id=x');
    expect(providerPath('/identity/interaction/abc', '/identity')).toBeUndefined();
    expect(providerPath('/identity/tokenish', '/identity')).toBeUndefined();
    expect(providerPath('/e-seal/token', '/identity')).toBeUndefined();
  });
});
