import { Body, Controller, Get, Module, Post } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { IsEmail, IsInt, Max, Min } from 'class-validator';
import { createSuiteContext } from '../config/suite-context.js';
import { CommonError, CommonErrorCode } from '../errors/domain-error.js';
import { createServiceApp } from './create-service-app.js';

class CreateThing {
  @IsInt()
  @Min(1)
  @Max(10)
  count: number;

  @IsEmail()
  email: string;
}

@Controller('things')
class ThingsController {
  @Post()
  create(@Body() body: CreateThing) {
    return { ok: true, count: body.count };
  }

  @Get('conflict')
  conflict() {
    throw new CommonError(CommonErrorCode.Conflict, 409, 'Already there', { thingId: 't1' });
  }

  @Get('crash')
  crash() {
    throw new Error('secret internal detail at /srv/db');
  }
}

@Module({ controllers: [ThingsController] })
class ThingsModule {}

describe('a service application built by createServiceApp', () => {
  let app: NestExpressApplication;
  let base: string;

  beforeAll(async () => {
    const ctx = createSuiteContext('e-seal', {
      NODE_ENV: 'test',
      MASTER_KEY: 'ab'.repeat(32),
      LOG_LEVEL: 'silent',
    });
    app = await createServiceApp({
      name: 'e-seal',
      context: ctx,
      module: ThingsModule,
      openApi: { title: 't', description: 'd' },
    });
    await app.listen(0, '127.0.0.1');
    base = `${await app.getUrl()}/e-seal`;
  });

  afterAll(() => app.close());

  it('answers an invalid body with problem details naming each failing field', async () => {
    const res = await fetch(`${base}/things`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ count: 42, email: 'nope', extra: 1 }),
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const body = (await res.json()) as { code: string; errors: { field: string }[] };
    expect(body.code).toBe('ValidationFailed');
    expect(body.errors.map((e) => e.field).sort()).toEqual(['count', 'email', 'extra']);
  });

  it('answers malformed JSON with a 400 problem, not a crash', async () => {
    const res = await fetch(`${base}/things`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"count": ',
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { code: string }).code).toBe('BadRequest');
  });

  it('turns a module error into its stable code with its extension members', async () => {
    const res = await fetch(`${base}/things/conflict`);
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ code: 'Conflict', thingId: 't1', status: 409 });
  });

  it('answers an unexpected error with a 500 that leaks nothing', async () => {
    const res = await fetch(`${base}/things/crash`);
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).not.toContain('secret internal detail');
    expect(JSON.parse(text)).toMatchObject({ code: 'InternalError' });
  });

  it('echoes a well-formed x-request-id and makes one up otherwise', async () => {
    const given = await fetch(`${base}/health/live`, { headers: { 'x-request-id': 'abc-123' } });
    expect(given.headers.get('x-request-id')).toBe('abc-123');
    const made = await fetch(`${base}/health/live`, { headers: { 'x-request-id': 'bad id!' } });
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers an unknown route with a NotFound problem', async () => {
    const res = await fetch(`${base}/nothing-here`);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { code: string }).code).toBe('NotFound');
  });

  it('serves its OpenAPI document', async () => {
    const res = await fetch(`${base}/docs-json`);
    const doc = (await res.json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toContain('/e-seal/things');
  });
});
