import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { witaDate } from '../src/common/time/wita';
import { createTestApp, TestApp } from './app';
import { auth, createEmployee, createUnit, expectProblem, uniqueCode, userToken } from './factories';
import { recreateDatabase } from './global-setup';
import { fillPath, Operation, operations, requestSchema, resolveSchema, SchemaObject } from './openapi-operations';
import { insertFeedback } from './feedback-fixtures';
import { createAppraisal, insertIndicator, insertPeriod } from './planning-fixtures';
import { TEST_DATABASE_URL } from './test-env';

/**
 * Every operation of the committed openapi.yaml, called as an outside client would call it, with input the
 * document says is invalid: each must answer a 4xx problem+json (never 5xx, never 2xx) and change nothing.
 * A database of its own, so the fingerprint of every table sees only this file's requests. No table is left out:
 * throttle counters live in memory or Redis, and the fixture's batch recalculation has finished before the sweep.
 */
const DB = TEST_DATABASE_URL.replace(/\/([^/]+)$/, '/$1_sweep');

interface Variant {
  label: string;
  path?: string;
  query?: string;
  /** A JSON value to send, or raw text with `raw`. */
  body?: unknown;
  raw?: string;
  contentType?: string;
  headers?: Record<string, string>;
}

type Json = Record<string, unknown>;

const MB = 1024 * 1024;
const BAD_DATES = ['0000-00-00', '99999-01-01', '2026-02-30', '2026-13-01', 'yesterday'];
const DEEP = '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000);

/** `allOf: [{$ref}]` (how a nested DTO is documented) and `$ref` alike. */
function schemaOf(s: SchemaObject): SchemaObject {
  if (s.allOf?.length === 1) return { ...schemaOf(s.allOf[0]), nullable: s.nullable };
  return s.$ref ? resolveSchema(s) : s;
}

/** A body with one more key, as raw JSON text (an object literal cannot hold an own `__proto__`). */
function withKey(base: unknown, key: string, valueJson: string): string {
  const text = JSON.stringify(base);
  return text === '{}' ? `{"${key}":${valueJson}}` : `{"${key}":${valueJson},${text.slice(1)}`;
}

function setAt(base: Json, path: string[], value: unknown): Json {
  const copy = structuredClone(base);
  let node: Record<string, unknown> = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string, unknown>;
  if (value === undefined) delete node[path[path.length - 1]];
  else node[path[path.length - 1]] = value;
  return copy;
}

describe('Bad-input sweep over every operation (e2e)', () => {
  let t: TestApp;
  let db: DataSource;
  /** Ids of the fixture world, by path parameter and by body field name. */
  const ids: Record<string, string> = {};
  const pathIds: Record<string, Record<string, string>> = {};
  let sent = 0;
  let serverErrors = 0;

  beforeAll(async () => {
    await recreateDatabase(DB);
    t = await createTestApp({
      DATABASE_URL: DB,
      PUBLIC_THROTTLE_LIMIT: '1000000',
      FEEDBACK_IP_LIMIT: '1000000',
      LOGIN_THROTTLE_LIMIT: '1000000',
      LOGIN_THROTTLE_USERNAME_LIMIT: '1000000',
      LOGIN_THROTTLE_ADDRESS_LIMIT: '1000000',
      WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
    });
    db = t.app.get(DataSource);
    const admin = auth(t.adminToken);
    const unit = await createUnit(t, { publicService: true });
    const reviewer = await createEmployee(t, { unitId: unit.id, jobType: 'JPT_PRATAMA', rank: 'IV/b' });
    const assessor = await createEmployee(t, { unitId: unit.id, jobType: 'ADMINISTRATOR', rank: 'III/d', supervisorId: reviewer.id });
    const employee = await createEmployee(t, { unitId: unit.id, supervisorId: assessor.id });
    // The current WITA month, so a date of the period (ids.date, its first day) is also "not after today", as a
    // performance dialogue's heldOn and a training's completedOn must be: the bodies every variant changes stay valid.
    const month = witaDate().slice(0, 7);
    const lastDay = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 0)).getUTCDate();
    const period = await insertPeriod(t, { status: 'OPEN', start: `${month}-01`, end: `${month}-${lastDay}` });
    const indicator = await insertIndicator(t);
    const appraisal = await createAppraisal(t, employee.id, period.id);
    const target = await t.http().post(`/appraisals/${appraisal.id}/targets`).set(admin).send({ indicatorId: indicator.id, target: 10, weight: 100 });
    expect(target.status).toBe(201);
    expect((await t.http().post(`/appraisals/${appraisal.id}/agree`).set(admin)).status).toBe(200);
    const achievement = await t.http().post('/achievements').set(admin).send({ targetId: target.body.id, value: 5, occurredOn: period.startDate });
    expect(achievement.status).toBe(201);
    const [feedbackId] = await insertFeedback(t, { unitId: unit.id, employeeId: employee.id, status: 'HELD', submittedOn: period.startDate });
    const shortlist = await t.http().post('/promotion-candidates/shortlists').set(admin).send({ name: 'Sweep', parameters: {} });
    expect(shortlist.status).toBe(201);
    const user = await userToken(t, { role: 'HR_OPERATOR', unitId: unit.id });
    // Objects the admin may still act on (delete, acknowledge), so a bad variant that slipped through would show.
    const training = await t
      .http()
      .post('/assessor-trainings')
      .set(admin)
      .send({ employeeId: assessor.id, course: 'Pelatihan Penilai Sweep', completedOn: period.startDate });
    expect(training.status).toBe(201);
    const self = await userToken(t, { role: 'EMPLOYEE', employeeId: employee.id });
    const dialogue = await t
      .http()
      .post(`/appraisals/${appraisal.id}/dialogues`)
      .set(auth(self.token))
      .send({ heldOn: period.startDate, topics: ['Capaian'], notes: 'Dicatat atas permintaan pegawai' });
    expect(dialogue.status).toBe(201);
    const key = await t.http().post('/api-keys').set(admin).send({ name: uniqueCode('key'), scopes: ['scores:read'] });
    const webhook = await t.http().post('/webhooks').set(admin).send({ url: 'http://127.0.0.1:9/sweep', events: ['score.changed'] });
    expect(webhook.status).toBe(201);
    const webhookTest = await t.http().post(`/webhooks/${webhook.body.id}/test`).set(admin);
    expect(webhookTest.status).toBe(202);
    // Disabled: endpoints are global, and an enabled one would collect the events of every other file's changes.
    expect((await t.http().patch(`/webhooks/${webhook.body.id}`).set(admin).send({ enabled: false })).status).toBe(200);
    const run = await t.http().post(`/periods/${period.id}/recalculate`).set(admin);
    expect(run.status).toBe(202);
    // The batch runs in this process; its writes must not land inside an operation's fingerprint window.
    for (let i = 0; i < 100 && (await t.http().get(`/recalculations/${run.body.id}`).set(admin)).body.status !== 'COMPLETED'; i++) {
      await new Promise((r) => setTimeout(r, 50));
    }

    Object.assign(ids, {
      employeeId: employee.id,
      periodId: period.id,
      unitId: unit.id,
      withinUnitId: unit.id,
      indicatorId: indicator.id,
      targetId: target.body.id as string,
      assessorId: assessor.id,
      reviewerId: reviewer.id,
      supervisorId: assessor.id,
      date: period.startDate,
      nip: employee.nip,
      unitCode: unit.code,
    });
    const byPrefix: Array<[string, string]> = [
      ['/achievements', achievement.body.id as string],
      ['/api-keys', key.body.id as string],
      ['/appraisals', appraisal.id],
      ['/assessor-trainings', training.body.id as string],
      ['/employees', employee.id],
      ['/indicators', indicator.id],
      ['/periods', period.id],
      ['/promotion-candidates/shortlists', shortlist.body.id as string],
      ['/public-feedback', feedbackId],
      ['/public/periods', period.id],
      ['/recalculations', run.body.id as string],
      ['/units', unit.id],
      ['/users', user.id],
      ['/webhooks', webhook.body.id as string],
    ];
    for (const { path } of operations()) {
      const own = byPrefix.find(([prefix]) => path.startsWith(`${prefix}/{id}`));
      pathIds[path] = { ...(own ? { id: own[1] } : {}), targetId: ids.targetId, unitId: unit.id, nip: employee.nip, dialogueId: dialogue.body.id as string, deliveryId: webhookTest.body.deliveryId as string };
    }
  }, 120_000);

  afterAll(async () => {
    console.log(`bad-input sweep: ${sent} requests, ${serverErrors} answered 5xx`);
    await t?.close();
  });

  /** Row count and md5 of every table. */
  async function fingerprint(): Promise<Record<string, string>> {
    const tables = await db.query<{ name: string }[]>(
      `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`,
    );
    const parts = tables.map((x) => `SELECT '${x.name}' AS name, count(*)::text || ':' || md5(coalesce(string_agg(r::text, '|' ORDER BY r::text), '')) AS print FROM "${x.name}" r`);
    const rows = await db.query<{ name: string; print: string }[]>(parts.join(' UNION ALL '));
    return Object.fromEntries(rows.map((r) => [r.name, r.print]));
  }

  /** A value the document accepts, for the body every variant changes one thing of (never sent as it is). */
  function validValue(name: string, raw: SchemaObject): unknown {
    const s = schemaOf(raw);
    if (s.enum) return s.enum[0];
    if (s.format === 'uuid') return ids[name] ?? randomUUID();
    if (s.format === 'date') return ids.date;
    if (s.format === 'date-time') return new Date().toISOString();
    if (name === 'nip' || name === 'employeeNip') return ids.nip;
    if (name === 'unitCode') return ids.unitCode;
    // Never the example's host: a variant that passed validation would resolve it (DNS leaves the machine).
    if (name === 'url') return 'http://127.0.0.1:9/sweep';
    if (s.example !== undefined) return s.example;
    switch (s.type ?? '') {
      case 'integer':
      case 'number':
        return s.minimum ?? 1;
      case 'boolean':
        return false;
      case 'array':
        return s.items ? [validValue(name, s.items)] : [];
      case 'object':
        return validObject(s);
      default:
        return 'x'.repeat(Math.max(1, s.minLength ?? 1));
    }
  }

  function validObject(s: SchemaObject): Json {
    return Object.fromEntries((s.required ?? []).map((p) => [p, validValue(p, s.properties![p])]));
  }

  /** Values of a property the document refuses, each with its label. */
  function badValues(name: string, raw: SchemaObject): Array<[string, unknown]> {
    const s = schemaOf(raw);
    const out: Array<[string, unknown]> = [];
    if (!s.nullable) out.push(['null', null]);
    if (s.enum) out.push(['unknown enum value', 'NOT_A_VALUE'], ['NUL byte', `${String(s.enum[0])}\u0000`]);
    switch (s.type ?? '') {
      case 'string':
        out.push(['number for string', 12345], ['object for string', { a: 1 }], ['NUL byte', 'a\u0000b']);
        if (s.format === 'uuid') out.push(['not a uuid', 'not-a-uuid'], ['random uuid', randomUUID()]);
        else if (s.format === 'date' || s.format === 'date-time') out.push(...BAD_DATES.map((d): [string, unknown] => [`date ${d}`, d]));
        else if (!s.enum) out.push(['huge string', 'a'.repeat(s.maxLength !== undefined ? s.maxLength + 1 : MB + 1)]);
        break;
      case 'integer':
      case 'number':
        out.push(['1e308', 1e308], ['string for number', '12'], ['NaN as string', 'NaN'], ['boolean for number', true]);
        if (s.maximum === undefined || s.maximum < 1e20) out.push(['1e20', 1e20]);
        if (s.minimum !== undefined && s.minimum > -1) out.push(['-1', -1]);
        if (s.type === 'integer') out.push(['fraction for integer', 1.5]);
        break;
      case 'boolean':
        out.push(['string for boolean', 'true'], ['number for boolean', 1]);
        break;
      case 'array':
        out.push(['string for array', 'x'], ['object for array', { a: 1 }]);
        if (s.maxItems !== undefined) out.push(['too many items', Array.from({ length: (s.maxItems as number) + 1 }, () => validValue(name, s.items!))]);
        if (s.items && schemaOf(s.items).type !== 'object') out.push(...badValues(name, s.items).map(([l, v]): [string, unknown] => [`item ${l}`, [v]]));
        break;
      case 'object':
        out.push(['string for object', 'x'], ['array for object', []]);
        break;
    }
    return out;
  }

  /** One variant per bad value of every property, nested ones included, each on an otherwise valid body. */
  function propertyVariants(base: Json, s: SchemaObject, at: string[]): Variant[] {
    return Object.entries(s.properties ?? {}).flatMap(([name, raw]) => {
      const path = [...at, name];
      const label = path.join('.');
      const prop = schemaOf(raw);
      const out: Variant[] = badValues(name, raw).map(([what, value]) => ({ label: `${label}: ${what}`, body: setAt(base, path, value) }));
      if (s.required?.includes(name)) out.push({ label: `${label}: missing`, body: setAt(base, path, undefined) });
      const nested = prop.type === 'object' ? prop : prop.type === 'array' && prop.items && schemaOf(prop.items).type === 'object' ? schemaOf(prop.items) : undefined;
      if (nested?.properties) {
        const value = prop.type === 'object' ? validObject(nested) : [validObject(nested)];
        const withNested = setAt(base, path, value);
        const inner = prop.type === 'object' ? path : [...path, '0'];
        out.push(...propertyVariants(withNested, nested, inner));
        out.push({ label: `${label}: unknown nested field`, body: setAt(withNested, [...inner, 'zzzUnknown'], 1) });
        if (prop.type === 'object') out.push({ label: `${label}: __proto__ key`, raw: JSON.stringify(withNested).replace(`"${name}":{`, `"${name}":{"__proto__":{"polluted":true},`) });
      }
      return out;
    });
  }

  function bodyVariants(op: Operation): Variant[] {
    const s = requestSchema(op.op);
    if (!s) return [];
    const base = validObject(s);
    return [
      ...propertyVariants(base, s, []),
      { label: 'unknown field', body: { ...base, zzzUnknown: 1 } },
      { label: '__proto__ key', raw: withKey(base, '__proto__', '{"polluted":true}') },
      { label: 'constructor key', raw: withKey(base, 'constructor', '{"prototype":{"polluted":true}}') },
      { label: 'prototype key', raw: withKey(base, 'prototype', '{"polluted":true}') },
      { label: 'unknown field nested 100,000 levels', raw: withKey(base, 'zzzDeep', DEEP) },
      { label: 'malformed JSON', raw: '{"a": ' },
      { label: 'array body', raw: '[]' },
      { label: 'null body', raw: 'null' },
      { label: 'string body', raw: '"x"' },
      { label: 'text/plain body', raw: JSON.stringify(base), contentType: 'text/plain' },
      { label: 'form body', raw: 'a=1', contentType: 'application/x-www-form-urlencoded' },
      ...(s.required?.length ? [{ label: 'empty object', body: {} }] : []),
    ];
  }

  function queryVariants(op: Operation): Variant[] {
    const params = (op.op.parameters ?? []).filter((p) => p.in === 'query');
    if (!params.length) return [];
    const out: Variant[] = [
      { label: 'unknown query parameter', query: 'zzzUnknown=1' },
      { label: '__proto__ query parameter', query: '__proto__=1' },
      { label: 'constructor query parameter', query: 'constructor=1' },
    ];
    for (const p of params) {
      const s = schemaOf(p.schema ?? {});
      const q = (v: string) => `${p.name}=${encodeURIComponent(v)}`;
      const add = (label: string, query: string) => out.push({ label: `?${p.name}: ${label}`, query });
      add('NUL byte', q('a\u0000b'));
      add('repeated', `${q('1')}&${q('2')}`);
      if (s.enum) add('unknown enum value', q('NOT_A_VALUE'));
      else if (s.format === 'uuid') add('not a uuid', q('not-a-uuid'));
      else if (s.format === 'date' || s.format === 'date-time') BAD_DATES.forEach((d) => add(`date ${d}`, q(d)));
      else if (s.type === 'integer' || s.type === 'number') {
        for (const v of ['abc', '1e20', '1e308', 'NaN', '99999999999999999999', '1.5', '']) add(`number ${v}`, q(v));
        if (s.minimum !== undefined && s.minimum > -1) add('-1', q('-1'));
      } else if (s.type === 'boolean') add('not a boolean', q('maybe'));
      else if (s.maxLength !== undefined) add('too long', q('a'.repeat(s.maxLength + 1)));
    }
    return out;
  }

  /**
   * What the HTTP layer refuses before routing, so on every operation, with or without parameters or a body:
   * SafeInputMiddleware (400), RequireJsonMiddleware (415) and the body parser (413).
   */
  function httpLayerVariants(): Variant[] {
    const [, size, unit] = /^(\d+)(b|kb|mb)$/i.exec(t.config.http.bodyLimit)!;
    const limit = Number(size) * { b: 1, kb: 1024, mb: MB }[unit.toLowerCase() as 'b' | 'kb' | 'mb'];
    return [
      { label: 'NUL byte in an extra query parameter', query: 'zzzExtra=a%00b' },
      { label: 'text/plain body on any operation', raw: 'x', contentType: 'text/plain' },
      { label: 'JSON body over BODY_LIMIT', raw: JSON.stringify({ zzzPadding: 'a'.repeat(limit + 1024) }) },
    ];
  }

  /** Header parameters (Idempotency-Key, If-Match) on an otherwise valid request. */
  function headerVariants(op: Operation): Variant[] {
    return (op.op.parameters ?? [])
      .filter((p) => p.in === 'header')
      .flatMap((p) => [
        { label: `${p.name}: too long`, headers: { [p.name]: 'k'.repeat(10_000) } },
        { label: `${p.name}: spaces and quotes`, headers: { [p.name]: 'a b "c"' } },
        { label: `${p.name}: non-ASCII`, headers: { [p.name]: 'kunci-é' } },
      ]);
  }

  function pathVariants(op: Operation): Variant[] {
    const names = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
    return names.flatMap((name) => {
      const valid = pathIds[op.path];
      const at = (v: string) => fillPath(op.path, { ...valid, [name]: v }).replace('%2500', '%00');
      return name === 'nip'
        ? [
            { label: `{${name}}: random digits`, path: at('199001152015031999') },
            { label: `{${name}}: not a nip`, path: at('not-a-nip') },
            { label: `{${name}}: NUL byte`, path: at('%00') },
          ]
        : [
            { label: `{${name}}: random uuid`, path: at(randomUUID()) },
            { label: `{${name}}: not a uuid`, path: at('not-a-uuid') },
            { label: `{${name}}: NUL byte`, path: at('%00') },
          ];
    });
  }

  async function send(op: Operation, v: Variant, credentials: boolean) {
    const path = v.path ?? fillPath(op.path, pathIds[op.path]);
    // A non-atomic import reports bad rows in a 200 by contract; atomic=true answers them with 400.
    const atomic = op.op.parameters?.some((p) => p.name === 'atomic') ? 'atomic=true' : undefined;
    const query = v.query ?? atomic;
    let req = t.http()[op.method](query ? `${path}?${query}` : path);
    if (credentials) req = req.set(auth(t.adminToken));
    const base = requestSchema(op.op);
    if (v.raw !== undefined) req = req.set('Content-Type', v.contentType ?? 'application/json').send(v.raw);
    else if (v.body !== undefined) req = req.send(v.body as object);
    else if (base && (v.path || v.headers)) req = req.send(validObject(base));
    if (v.headers) req = req.set(v.headers);
    sent++;
    return req;
  }

  describe('the causes found by the first sweep answer 400 naming the field', () => {
    const admin = () => auth(t.adminToken);
    const fields = (res: { body: { errors?: Array<{ field: string }> } }) => [...new Set((res.body.errors ?? []).map((e) => e.field))];

    it('page beyond the bound of every list', async () => {
      const res = await t.http().get('/units?page=1e20').set(admin());
      expectProblem(res, 400, 'validation-failed');
      expect(fields(res)).toContain('page');
      expect((await t.http().get('/units?page=1000000').set(admin())).status).toBe(200);
    });

    it('a NUL character in a body, query or path', async () => {
      const body = await t.http().patch(`/units/${ids.unitId}`).set(admin()).send({ name: 'Dinas\u0000' });
      expectProblem(body, 400, 'validation-failed');
      expect(fields(body)).toEqual(['name']);
      const query = await t.http().get('/employees?q=a%00b').set(admin());
      expect(fields(query)).toEqual(['q']);
      const path = await t.http().get('/employees/by-nip/1990%00').set(admin());
      expect(fields(path)).toEqual(['path']);
    });

    it('a body nested deeper than 32 levels, before validation recurses into it', async () => {
      const res = await t.http().patch(`/units/${ids.unitId}`).set(admin()).set('Content-Type', 'application/json').send(`{"name":"x","deep":${DEEP}}`);
      expectProblem(res, 400, 'validation-failed');
      expect(fields(res)[0]).toMatch(/^deep(\.a)+$/);
      const shallow = await t.http().patch(`/units/${ids.unitId}`).set(admin()).send({ deep: { a: { a: 1 } } });
      expect(fields(shallow)).toEqual(['deep']); // an unknown field, refused as usual
    });

    it('prototype keys at any depth', async () => {
      for (const [raw, field] of [
        ['{"__proto__":{"x":1}}', '__proto__'],
        ['{"constructor":{"prototype":{"x":1}}}', 'constructor'],
        ['{"name":"x","ratings":{"prototype":1}}', 'ratings.prototype'],
      ]) {
        const res = await t.http().patch(`/units/${ids.unitId}`).set(admin()).set('Content-Type', 'application/json').send(raw);
        expectProblem(res, 400, 'validation-failed');
        expect(fields(res)).toEqual([field]);
      }
      expect(fields(await t.http().get('/units?__proto__=1').set(admin()))).toEqual(['__proto__']);
    });

    it('null for a field the document does not mark nullable, nested ones included', async () => {
      const unit = await t.http().patch(`/units/${ids.unitId}`).set(admin()).send({ name: null, publicService: null });
      expect(fields(unit).sort()).toEqual(['name', 'publicService']);
      const feedback = await t.http().post('/public-feedback').send({ unitCode: ids.unitCode, channel: 'WEB', answers: { U1: 4, U2: 4, U3: 4, U4: 4, U5: 4, U6: 4, U7: 4, U8: 4, U9: 4 }, contact: null, serviceTicket: null });
      expect(fields(feedback).sort()).toEqual(['contact', 'serviceTicket']);
      const shortlist = await t.http().post('/promotion-candidates/shortlists').set(admin()).send({ name: 'x', parameters: { window: null } });
      expect(fields(shortlist)).toEqual(['parameters.window']);
      // Documented nullable: null still clears (spec: "null clears it").
      expect((await t.http().put(`/employees/${ids.employeeId}/potential`).set(admin()).send({ potential: null })).status).toBe(200);
    });

    it('a required nested object left out', async () => {
      expect(fields(await t.http().put(`/appraisals/${pathIds['/appraisals/{id}/behaviour'].id}/behaviour`).set(admin()).send({}))).toContain('ratings');
      expect(fields(await t.http().post('/promotion-candidates/shortlists').set(admin()).send({ name: 'x' }))).toContain('parameters');
      expect(fields(await t.http().post('/public-feedback').send({ unitCode: ids.unitCode, channel: 'WEB' }))).toContain('answers');
    });

    it('shortlist parameters are JSON types, while the query string converts its text', async () => {
      for (const parameters of [{ window: true }, { window: '2' }, { includeIneligible: 'true' }]) {
        const res = await t.http().post('/promotion-candidates/shortlists').set(admin()).send({ name: 'x', parameters });
        expect(fields(res)).toEqual([`parameters.${Object.keys(parameters)[0]}`]);
      }
      expect((await t.http().get('/promotion-candidates?window=2&includeIneligible=true').set(admin())).status).toBe(200);
      expect(fields(await t.http().get('/promotion-candidates?minYearsInRank=').set(admin()))).toEqual(['minYearsInRank']);
    });
  });

  it.each(operations().map((op) => [`${op.method.toUpperCase()} ${op.path}`, op] as const))('%s: every bad variant answers 4xx problem+json and changes nothing', async (_, op) => {
    const variants = [...httpLayerVariants(), ...bodyVariants(op), ...queryVariants(op), ...pathVariants(op), ...headerVariants(op)];
    const callers = op.op.security?.length ? [true] : [true, false];
    const before = await fingerprint();
    const failures: string[] = [];
    for (const v of variants) {
      for (const credentials of callers) {
        const res = await send(op, v, credentials);
        const who = credentials ? '' : ' (no credentials)';
        if (res.status >= 500) serverErrors++;
        if (res.status < 400 || res.status >= 500) failures.push(`${v.label}${who}: ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
        else if (!String(res.headers['content-type']).startsWith('application/problem+json')) failures.push(`${v.label}${who}: ${res.status} as ${res.headers['content-type']}`);
      }
    }
    const after = await fingerprint();
    const changed = Object.keys(before).filter((table) => before[table] !== after[table]);
    expect({ failures, changed }).toEqual({ failures: [], changed: [] });
  });
});
