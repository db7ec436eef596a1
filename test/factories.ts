import { randomInt } from 'node:crypto';
import { TestApp } from './app';

let seq = 0;
/** Codes unique across parallel test files and reruns against the same database. */
export const uniqueCode = (prefix: string) =>
  `${prefix}-${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}${(seq++).toString(36)}`.toUpperCase();

const pad = (n: number, w: number) => String(n).padStart(w, '0');

/** A valid PNS NIP (Perka BKN 22/2007) with random parts, unique enough for parallel e2e files. */
export function pnsNip(opts: { gender?: 1 | 2; birth?: string } = {}): string {
  const y = opts.birth ? Number(opts.birth.slice(0, 4)) : randomInt(1965, 2000);
  const birth = opts.birth ?? `${y}${pad(randomInt(1, 13), 2)}${pad(randomInt(1, 29), 2)}`;
  const tmt = `${y + randomInt(19, 26)}${pad(randomInt(1, 13), 2)}`;
  return `${birth}${tmt}${opts.gender ?? randomInt(1, 3)}${pad(randomInt(1, 1000), 3)}`;
}

export const pppkNumber = () => `${randomInt(10 ** 8, 10 ** 9)}${pad(randomInt(0, 10 ** 9), 9)}`;

export const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

export async function createUnit(
  t: TestApp,
  body: Partial<{ code: string; name: string; kind: string; parentId: string | null; publicService: boolean }> = {},
): Promise<{ id: string; code: string }> {
  const code = body.code ?? uniqueCode('U');
  const res = await t
    .http()
    .post('/units')
    .set(auth(t.adminToken))
    .send({ name: `Unit ${code}`, kind: 'DINAS', ...body, code });
  if (res.status !== 201) throw new Error(`createUnit: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string; code: string };
}

/** The fields of a valid new PNS employee (a fresh NIP each time), without a unit. */
export const employeeBody = () => ({
  nip: pnsNip(),
  name: 'Ni Luh Putu Test',
  employmentType: 'PNS',
  rank: 'III/a',
  rankSince: '2020-04-01',
  jobType: 'PELAKSANA',
  positionTitle: 'Pengadministrasi Umum',
});

/** An employee import row restating a record as GET /employees/{id} answers it, in `unitCode` under `supervisorNip`, with changes. */
export const employeeImportRow = (e: Record<string, unknown>, unitCode: string, supervisorNip: string | null, changes: object = {}) => ({
  nip: e.nip,
  name: e.name,
  employmentType: e.employmentType,
  rank: e.rank,
  rankSince: e.rankSince,
  jobType: e.jobType,
  positionTitle: e.positionTitle,
  unitCode,
  supervisorNip,
  ...changes,
});

export async function createEmployee(
  t: TestApp,
  body: Record<string, unknown> & { unitId: string },
): Promise<{ id: string; nip: string } & Record<string, unknown>> {
  const res = await t
    .http()
    .post('/employees')
    .set(auth(t.adminToken))
    .send({ ...employeeBody(), ...body });
  if (res.status !== 201) throw new Error(`createEmployee: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string; nip: string };
}

/** Creates a user through the API and logs in as them. */
export async function userToken(
  t: TestApp,
  body: { role: 'ADMIN' | 'HR_OPERATOR' | 'EMPLOYEE'; unitId?: string; employeeId?: string },
): Promise<{ id: string; token: string; username: string }> {
  const username = uniqueCode('user').toLowerCase();
  const password = 'correct-horse-battery';
  const created = await t.http().post('/users').set(auth(t.adminToken)).send({ username, password, ...body });
  if (created.status !== 201) throw new Error(`userToken: ${created.status} ${JSON.stringify(created.body)}`);
  const login = await t.http().post('/auth/login').send({ username, password });
  if (login.status !== 200) throw new Error(`login: ${login.status} ${JSON.stringify(login.body)}`);
  return { id: created.body.id as string, token: login.body.accessToken as string, username };
}

export async function apiKey(t: TestApp, scopes: string[]): Promise<{ id: string; key: string }> {
  const res = await t.http().post('/api-keys').set(auth(t.adminToken)).send({ name: uniqueCode('key'), scopes });
  if (res.status !== 201) throw new Error(`apiKey: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string; key: string };
}

/** Every problem answer has the RFC 9457 shape and the request id. */
export function expectProblem(res: { status: number; headers: Record<string, string>; body: Record<string, unknown> }, status: number, code?: string): void {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status, type: expect.stringMatching(/^urn:capaian:problem:/), title: expect.any(String), detail: expect.any(String), instance: expect.any(String) });
  expect(res.body.requestId).toBe(res.headers['x-request-id']);
  if (code) expect(res.body.code).toBe(code);
}
