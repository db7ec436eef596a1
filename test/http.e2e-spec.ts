import { createTestApp, TestApp } from './app';
import { auth, expectProblem, uniqueCode } from './factories';

describe('HTTP conventions (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => (t = await createTestApp()));
  afterAll(() => t.close());

  const admin = () => auth(t.adminToken);

  describe('errors are problem+json', () => {
    it('answers an unknown route with 404', async () => {
      const res = await t.http().get('/no-such-thing/here').set(admin());
      expectProblem(res, 404, 'not-found');
      expect(res.body.instance).toBe('/no-such-thing/here');
    });

    it('answers an unknown route with 404 even without credentials', async () => {
      expectProblem(await t.http().get('/no-such-thing'), 404);
    });

    it('answers an unsupported method on a known path with a 4xx problem', async () => {
      const res = await t.http().put('/units').set(admin()).send({});
      expect([404, 405]).toContain(res.status);
      expectProblem(res, res.status);
    });

    it('answers malformed JSON with 400', async () => {
      const res = await t.http().post('/units').set(admin()).set('Content-Type', 'application/json').send('{"code": "X", "name": ');
      expectProblem(res, 400);
      expect(res.body.detail).toMatch(/JSON/);
      expect(JSON.stringify(res.body)).not.toMatch(/at .*\.js:\d+/); // no stack trace
    });

    it('answers malformed JSON on a public endpoint with 400 too', async () => {
      const res = await t.http().post('/auth/login').set('Content-Type', 'application/json').send('{username: admin}');
      expectProblem(res, 400);
    });

    it('answers a text/plain body with 415', async () => {
      const res = await t.http().post('/units').set(admin()).set('Content-Type', 'text/plain').send('code=X&name=Y');
      expectProblem(res, 415, 'unsupported-media-type');
    });

    it('answers a form-encoded login with 415, not a silent empty body', async () => {
      const res = await t.http().post('/auth/login').type('form').send({ username: 'admin', password: 'x' });
      expectProblem(res, 415, 'unsupported-media-type');
    });

    it('accepts application/json with a charset', async () => {
      const code = uniqueCode('cs');
      const res = await t
        .http()
        .post('/units')
        .set(admin())
        .set('Content-Type', 'application/json; charset=utf-8')
        .send(JSON.stringify({ code, name: 'Kecamatan Denpasar Selatan', kind: 'KECAMATAN' }));
      expect(res.status).toBe(201);
      expect(res.body.code).toBe(code);
    });

    it('answers JSON in a charset other than UTF-8 with 415, and stores nothing', async () => {
      const code = uniqueCode('l1');
      const res = await t
        .http()
        .post('/units')
        .set(admin())
        .set('Content-Type', 'application/json; charset=latin1')
        .send(Buffer.from(JSON.stringify({ code, name: 'Kecamatan Kuta Utara \u00e9', kind: 'KECAMATAN' }), 'latin1'));
      expectProblem(res, 415, 'unsupported-media-type');
      const found = await t.http().get('/units').query({ q: code }).set(admin());
      expect(found.status).toBe(200);
      expect(found.body.items).toEqual([]);
    });

    it('answers a JSON body that is not an object (array, null) with 400', async () => {
      for (const body of ['[]', 'null', '"text"']) {
        const res = await t.http().post('/units').set(admin()).set('Content-Type', 'application/json').send(body);
        expectProblem(res, 400);
      }
    });

    it('serves validation errors with errors[] of {field, message}', async () => {
      const res = await t.http().post('/units').set(admin()).send({ code: 'X', kind: 'DINAS' });
      expectProblem(res, 400, 'validation-failed');
      expect(res.body.type).toBe('urn:capaian:problem:validation-failed');
      expect(res.body.title).toBe('Bad Request');
      expect(res.body.errors.length).toBeGreaterThan(0);
      for (const e of res.body.errors) expect(e).toEqual({ field: 'name', message: expect.any(String) });
    });
  });

  describe('request ids', () => {
    it('puts an X-Request-Id on every answer, a fresh one per request', async () => {
      const a = await t.http().get('/health');
      const b = await t.http().get('/units').set(admin());
      const c = await t.http().get('/units');
      for (const r of [a, b, c]) expect(r.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      expect(new Set([a, b, c].map((r) => r.headers['x-request-id'])).size).toBe(3);
    });

    it('echoes a sane incoming X-Request-Id, also as requestId of a problem', async () => {
      const id = `trace-${uniqueCode('rq').toLowerCase()}`;
      const ok = await t.http().get('/health').set('X-Request-Id', id);
      expect(ok.headers['x-request-id']).toBe(id);
      const problem = await t.http().get('/units').set('X-Request-Id', id);
      expectProblem(problem, 401);
      expect(problem.headers['x-request-id']).toBe(id);
      expect(problem.body.requestId).toBe(id);
    });

    it('replaces an insane incoming X-Request-Id with a fresh one', async () => {
      for (const bad of ['has spaces in it', 'x'.repeat(101), '<script>']) {
        const res = await t.http().get('/units').set('X-Request-Id', bad);
        expect(res.headers['x-request-id']).not.toBe(bad);
        expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
        expect(res.body.requestId).toBe(res.headers['x-request-id']);
      }
    });

    it('carries the request id on malformed-body answers too', async () => {
      const res = await t.http().post('/units').set(admin()).set('X-Request-Id', 'malformed-1').set('Content-Type', 'application/json').send('{');
      expectProblem(res, 400);
      expect(res.body.requestId).toBe('malformed-1');
    });
  });

  describe('security headers', () => {
    it('every answer carries the same helmet headers and CSP: an API read, a 404, a malformed body, the Swagger UI', async () => {
      const answers = [
        await t.http().get('/units').set(admin()),
        await t.http().get('/no-such-route'),
        await t.http().post('/units').set(admin()).set('Content-Type', 'application/json').send('{'),
        await t.http().get('/docs'),
      ];
      for (const res of answers) {
        expect(res.headers['content-security-policy']).toContain("script-src 'self'");
        expect(res.headers['content-security-policy']).toContain("style-src 'self' 'unsafe-inline'");
        expect(res.headers['content-security-policy']).toContain("img-src 'self' data:");
        expect(res.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
        expect(res.headers['x-content-type-options']).toBe('nosniff');
        expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
        expect(res.headers['strict-transport-security']).toMatch(/^max-age=\d+/);
        expect(res.headers['x-powered-by']).toBeUndefined();
      }
    });
  });

  describe('health', () => {
    it('GET /health answers 200 {status: ok} without credentials', async () => {
      const res = await t.http().get('/health');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ status: 'ok' });
    });

    it('GET /health/ready answers 200 with the database up', async () => {
      const res = await t.http().get('/health/ready');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'ok', info: { database: { status: 'up' } } });
      expect(res.body.info.redis).toBeUndefined();
    });
  });

  describe('OpenAPI', () => {
    it('GET /docs-json returns an OpenAPI 3 document with the paths and security schemes', async () => {
      const res = await t.http().get('/docs-json');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/json/);
      const doc = res.body;
      expect(doc.openapi).toMatch(/^3\./);
      expect(doc.info).toMatchObject({ title: 'Capaian API', version: expect.any(String) });
      for (const p of ['/units', '/units/{id}', '/units/import', '/auth/login', '/auth/me', '/api-keys', '/users', '/audit-events', '/health']) {
        expect(Object.keys(doc.paths)).toContain(p);
      }
      expect(doc.paths['/auth/login'].post).toBeDefined();
      expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
      expect(doc.components.securitySchemes.apiKey).toMatchObject({ type: 'apiKey', in: 'header', name: 'X-API-Key' });
      // Error answers are documented as problem+json, and protected operations name their security. OpenAPI 3.0
      // allows scopes in a requirement only for OAuth2: the API-key scope is in the extension and the description.
      const createUnit = doc.paths['/units'].post;
      expect(Object.keys(createUnit.responses['400'].content)).toEqual(['application/problem+json']);
      expect(createUnit.security).toEqual([{ bearer: [] }, { apiKey: [] }]);
      expect(createUnit['x-capaian-access']).toEqual({ roles: ['ADMIN'], scope: 'org:write' });
      expect(createUnit.description).toContain('**Access:** ADMIN; API key scope `org:write`.');
      expect(doc.paths['/health'].get.description).toContain('**Access:** no sign-in.');
    });

    it('GET /docs serves the Swagger UI as HTML', async () => {
      const res = await t.http().get('/docs');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/text\/html/);
      expect(res.text).toMatch(/swagger/i);
    });
  });

  // Apps with other settings come last: passport keeps one global 'jwt' strategy bound to the most recently
  // created app, so after such an app is closed the main app can no longer verify bearer tokens.
  describe('with BODY_LIMIT=1kb', () => {
    let small: TestApp;
    beforeAll(async () => (small = await createTestApp({ BODY_LIMIT: '1kb' })));
    afterAll(() => small.close());

    it('answers a 2 KB body with 413 problem+json', async () => {
      const res = await small
        .http()
        .post('/units')
        .set(auth(small.adminToken))
        .set('X-Request-Id', 'too-large-1')
        .send({ code: uniqueCode('big'), name: 'x'.repeat(2048), kind: 'DINAS' });
      expectProblem(res, 413, 'payload-too-large');
      expect(res.body.requestId).toBe('too-large-1');
    });

    it('answers a 2 KB body on a GET with 413 as well: a body is read under the limit whatever the method', async () => {
      const res = await small
        .http()
        .get('/units')
        .set(auth(small.adminToken))
        .set('Content-Type', 'application/json')
        .send(JSON.stringify({ padding: 'x'.repeat(2048) }));
      expectProblem(res, 413, 'payload-too-large');
    });

    it('still accepts a small body', async () => {
      const res = await small.http().post('/units').set(auth(small.adminToken)).send({ code: uniqueCode('small'), name: 'Kecil', kind: 'DINAS' });
      expect(res.status).toBe(201);
    });
  });

  describe('with an unreachable REDIS_URL', () => {
    let noRedis: TestApp;
    beforeAll(async () => (noRedis = await createTestApp({ REDIS_URL: 'redis://127.0.0.1:1' })));
    afterAll(() => noRedis.close());

    it('GET /health/ready answers 503 problem+json naming the failed check, but no host, port or driver message', async () => {
      const res = await noRedis.http().get('/health/ready');
      expectProblem(res, 503, 'not-ready');
      expect(res.body.checks).toEqual({ database: { status: 'up' }, redis: { status: 'down' } });
      expect(JSON.stringify(res.body)).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|:1\b/);
    });

    it('GET /health (liveness) still answers 200', async () => {
      const res = await noRedis.http().get('/health');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ status: 'ok' });
    });
  });
});
