import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import request from 'supertest';
import { ObservedResponse, registerApiServer, ResponseMismatchError, unregisterApiServer, validateResponse } from './response-validation';

/** The check every e2e answer goes through (setup-response-validation.ts) must be able to fail. */
describe('response validation against openapi.yaml', () => {
  const unit = {
    id: randomUUID(),
    code: 'DISHUB',
    name: 'Dinas Perhubungan',
    kind: 'DINAS',
    parentId: null,
    status: 'ACTIVE',
    publicService: false,
    headEmployeeId: null,
    active: true,
    createdAt: '2026-01-05T02:00:00.000Z',
    updatedAt: '2026-01-05T02:00:00.000Z',
  };
  const typed = (contentType: string) => ({ 'content-type': contentType });
  const getUnit = (over: Partial<ObservedResponse>): ObservedResponse => ({
    method: 'GET',
    url: `http://127.0.0.1:4000/units/${unit.id}?x=1`,
    status: 200,
    headers: typed('application/json; charset=utf-8'),
    body: unit,
    ...over,
  });
  const problem = { type: 'urn:capaian:problem:x', title: 'I am a teapot', status: 418, detail: 'no', instance: '/units', code: 'x', requestId: 'r-1' };
  const limited = { ...problem, type: 'urn:capaian:problem:too-many-requests', code: 'too-many-requests', status: 429 };

  it('accepts a documented answer, nullable fields as null included', () => {
    expect(() => validateResponse(getUnit({}))).not.toThrow();
  });

  it('fails on a status the operation does not document', () => {
    const r = getUnit({ status: 418, headers: typed('application/problem+json'), body: problem });
    expect(() => validateResponse(r)).toThrow(ResponseMismatchError);
    expect(() => validateResponse(r)).toThrow(/getUnit \(GET \/units\/\{id\}\) answered 418.*status 418 is not documented/);
  });

  it('fails on null in a field that is not nullable', () => {
    expect(() => validateResponse(getUnit({ body: { ...unit, name: null } }))).toThrow(/\/name must be string/);
  });

  it('fails on a missing required field', () => {
    const { code: _, ...withoutCode } = unit;
    expect(() => validateResponse(getUnit({ body: withoutCode }))).toThrow(/must have required property 'code'/);
  });

  it('fails on a value outside the enum, a bad format and an undocumented media type', () => {
    expect(() => validateResponse(getUnit({ body: { ...unit, kind: 'CLUB' } }))).toThrow(/\/kind must be equal to one of the allowed values/);
    expect(() => validateResponse(getUnit({ body: { ...unit, id: 'not-a-uuid' } }))).toThrow(/\/id must match format "uuid"/);
    expect(() => validateResponse(getUnit({ headers: typed('text/html'), body: '<p>' }))).toThrow(/media type text\/html is not documented/);
  });

  it('fails on a member the schema does not list: in a resource, in a page (allOf of PageMetaDto and items) and in its items', () => {
    expect(() => validateResponse(getUnit({ body: { ...unit, secret: 'x' } }))).toThrow(/must NOT have additional properties \{"additionalProperty":"secret"\}/);
    const page = { method: 'GET', url: '/units', status: 200, headers: typed('application/json'), body: { items: [unit], page: 1, pageSize: 50, total: 1 } };
    expect(() => validateResponse(page)).not.toThrow();
    expect(() => validateResponse({ ...page, body: { ...page.body, next: 2 } })).toThrow(/\(body\) must NOT have additional properties \{"additionalProperty":"next"\}/);
    expect(() => validateResponse({ ...page, body: { ...page.body, items: [{ ...unit, secret: 'x' }] } })).toThrow(/\/items\/0 must NOT have additional properties/);
  });

  it('fails on a missing header that the answer declares required (Retry-After on a 429)', () => {
    const r = { method: 'POST', url: '/auth/login', status: 429, headers: { ...typed('application/problem+json'), 'retry-after': '60' }, body: limited };
    expect(() => validateResponse(r)).not.toThrow();
    expect(() => validateResponse({ ...r, headers: typed('application/problem+json') })).toThrow(/login \(POST \/auth\/login\) answered 429.*the required header Retry-After is missing/);
  });

  it('fails on an error that is not problem+json', () => {
    expect(() => validateResponse(getUnit({ status: 404, body: problem }))).toThrow(/must be application\/problem\+json/);
  });

  it('takes an unknown path only as a 404 problem', () => {
    const notFound = { ...problem, type: 'urn:capaian:problem:not-found', code: 'not-found', status: 404 };
    const unknown = { method: 'GET', url: '/no-such-thing', status: 404, headers: typed('application/problem+json'), body: notFound };
    expect(() => validateResponse(unknown)).not.toThrow();
    expect(() => validateResponse({ ...unknown, status: 200, headers: typed('text/html'), body: '' })).toThrow(/not an operation of openapi.yaml/);
  });

  it('fails on a problem whose status, type or code disagrees with the answer or the table of problem types', () => {
    const notFound = { ...problem, type: 'urn:capaian:problem:not-found', code: 'not-found', status: 404 };
    const r = getUnit({ status: 404, headers: typed('application/problem+json'), body: notFound });
    expect(() => validateResponse(r)).not.toThrow();
    expect(() => validateResponse({ ...r, body: { ...notFound, status: 400 } })).toThrow(/problem's status 400 differs/);
    const { requestId: _, ...withoutRequestId } = notFound;
    expect(() => validateResponse({ ...r, body: withoutRequestId })).toThrow(/must have required property 'requestId'/);
    expect(() => validateResponse({ ...r, body: { ...notFound, type: 'about:blank' } })).toThrow(/type about:blank does not end in its code/);
    expect(() => validateResponse({ ...r, body: { ...notFound, code: 'lost', type: 'urn:capaian:problem:lost' } })).toThrow(/code lost is not listed/);
    expect(() => validateResponse({ ...r, body: { ...notFound, code: 'conflict', type: 'urn:capaian:problem:conflict' } })).toThrow(/code conflict is listed with 409/);
  });

  it('leaves the mounts outside the API alone: Swagger UI and the queue dashboard', () => {
    expect(validateResponse({ method: 'GET', url: '/docs', status: 200, headers: typed('text/html'), body: '<html>' })).toBe(false);
    expect(validateResponse({ method: 'PUT', url: '/admin/queues/api/queues/scores/pause', status: 403, headers: {}, body: '' })).toBe(false);
  });

  describe('installed on supertest and fetch for every spec', () => {
    // A stand-in for the API: GET /units/{id} answers an undocumented status, POST /auth/login a 429 with
    // Retry-After only when asked for it.
    const server = createServer((req, res) => {
      if (req.url !== '/auth/login') return res.writeHead(418, typed('application/problem+json')).end(JSON.stringify(problem));
      const retryAfter = req.headers['x-send-retry-after'] ? { 'retry-after': '60' } : {};
      res.writeHead(429, { ...typed('application/problem+json'), ...retryAfter }).end(JSON.stringify(limited));
    });
    afterAll(() => (unregisterApiServer(server), new Promise((r) => server.close(r))));

    it('fails the supertest request that received the answer, also when the test expected that status', async () => {
      await expect(request(server).get(`/units/${unit.id}`)).rejects.toThrow(/getUnit \(GET \/units\/\{id\}\) answered 418/);
      await expect(request(server).get(`/units/${unit.id}`).expect(418)).rejects.toThrow(ResponseMismatchError);
    });

    it('reads the headers of the answer: a 429 without Retry-After fails the request', async () => {
      await expect(request(server).post('/auth/login').set('X-Send-Retry-After', '1')).resolves.toHaveProperty('status', 429);
      await expect(request(server).post('/auth/login')).rejects.toThrow(/the required header Retry-After is missing/);
    });

    it('fails a fetch to the API', async () => {
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      const { port } = server.address() as { port: number };
      await expect(fetch(`http://127.0.0.1:${port}/units/${unit.id}`)).resolves.toHaveProperty('status', 418); // not known as the API yet
      registerApiServer(server);
      await expect(fetch(`http://127.0.0.1:${port}/units/${unit.id}`)).rejects.toThrow(/status 418 is not documented/);
    });
  });
});
