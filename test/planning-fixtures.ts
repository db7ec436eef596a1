import { randomInt } from 'node:crypto';
import { DataSource } from 'typeorm';
import { DEFAULT_SCORING_POLICY } from '../src/modules/scoring/policy';
import { TestApp } from './app';
import { auth, createEmployee, createUnit, uniqueCode, userToken } from './factories';

/** Rows the planning endpoints need but whose own endpoints are not the subject of a spec. */
export async function insertPeriod(
  t: TestApp,
  opts: { status?: string; start?: string; end?: string; type?: string } = {},
): Promise<{ id: string; code: string; startDate: string; endDate: string }> {
  const year = randomInt(2100, 9000);
  const month = String(randomInt(1, 13)).padStart(2, '0');
  const start = opts.start ?? `${year}-${month}-01`;
  const end = opts.end ?? `${year}-${month}-28`;
  const code = `${uniqueCode('P')}`.slice(0, 20);
  const [row] = await t.app.get(DataSource).query<{ id: string }[]>(
    `INSERT INTO periods (code, type, start_date, end_date, status, policy) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
    [code, opts.type ?? 'MONTHLY', start, end, opts.status ?? 'OPEN', JSON.stringify(DEFAULT_SCORING_POLICY)],
  );
  return { id: row.id, code, startDate: start, endDate: end };
}

export async function insertIndicator(
  t: TestApp,
  opts: { direction?: string; aggregation?: string; jobTypes?: string[]; unitId?: string | null; active?: boolean } = {},
): Promise<{ id: string; code: string }> {
  const code = uniqueCode('IKI');
  const [row] = await t.app.get(DataSource).query<{ id: string }[]>(
    `INSERT INTO indicators (code, name, unit_of_measure, aspect, direction, aggregation, job_types, unit_id, active)
     VALUES ($1, $2, 'dokumen', 'QUANTITY', $3, $4, $5::job_type[], $6, $7) RETURNING id`,
    [code, `Indicator ${code}`, opts.direction ?? 'HIGHER_IS_BETTER', opts.aggregation ?? 'SUM', opts.jobTypes ?? [], opts.unitId ?? null, opts.active ?? true],
  );
  return { id: row.id, code };
}

export async function setPeriodStatus(t: TestApp, periodId: string, status: string): Promise<void> {
  await t.app.get(DataSource).query('UPDATE periods SET status = $2 WHERE id = $1', [periodId, status]);
}

/**
 * A unit with a reviewer (kepala dinas) ← assessor (kepala bidang) ← employee (pelaksana) chain, each with
 * an EMPLOYEE user, as the appraisal rules need them.
 */
export async function orgChain(t: TestApp) {
  const unit = await createUnit(t);
  const reviewer = await createEmployee(t, { unitId: unit.id, jobType: 'JPT_PRATAMA', rank: 'IV/b', name: 'Kepala Dinas' });
  const assessor = await createEmployee(t, { unitId: unit.id, jobType: 'ADMINISTRATOR', rank: 'III/d', name: 'Kepala Bidang', supervisorId: reviewer.id });
  const employee = await createEmployee(t, { unitId: unit.id, jobType: 'PELAKSANA', rank: 'III/a', name: 'Pelaksana', supervisorId: assessor.id });
  const [reviewerUser, assessorUser, employeeUser] = await Promise.all(
    [reviewer, assessor, employee].map((e) => userToken(t, { role: 'EMPLOYEE', employeeId: e.id })),
  );
  return { unit, reviewer, assessor, employee, reviewerUser, assessorUser, employeeUser };
}

export async function createAppraisal(t: TestApp, employeeId: string, periodId: string): Promise<{ id: string } & Record<string, unknown>> {
  const res = await t.http().post('/appraisals').set(auth(t.adminToken)).send({ employeeId, periodId });
  if (res.status !== 201) throw new Error(`createAppraisal: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string };
}
