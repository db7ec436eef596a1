import { randomInt, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { API_SCOPES, ApiScope } from '../src/common/auth/principal';
import { witaDate } from '../src/common/time/wita';
import { RecalculationService } from '../src/modules/recalculation/recalculation.service';
import { recordTestEvent } from '../src/modules/webhook-outbox/outbox';
import { encryptSecret, generateSecret } from '../src/modules/webhooks/secret-box';
import { ACCESS_MATRIX, Caller, CALLERS, Expect, expected, PEOPLE, Person, ROLE_OF } from './access-matrix.table';
import { createTestApp, TestApp } from './app';
import { apiKey, auth, createEmployee, createUnit, employeeBody, pnsNip, uniqueCode, userToken } from './factories';
import { insertFeedback } from './feedback-fixtures';
import { fillPath, operations, requestSchema } from './openapi-operations';
import { insertIndicator, insertPeriod } from './planning-fixtures';

/**
 * Spec §8 as one table (test/access-matrix.table.ts): every operation of openapi.yaml × every caller. Each
 * cell sends a request that would succeed for a caller with the right (a valid body, an object in the state
 * the operation needs, fresh for every cell when the operation changes it), so the answer is about access.
 */

type Subject = 'E' | 'Eadm' | 'Ehr';
const SUBJECT_OF: Partial<Record<Caller, Subject>> = { adminLinked: 'Eadm', hrLinked: 'Ehr' };
const PASSWORD = 'correct-horse-battery';
/**
 * One cell at a time: operations whose cells share one object they all write (one decision per shortlist and employee),
 * and the downloads, of which a process streams only EXPORT_CONCURRENCY at once (503 beyond).
 */
const SERIAL = new Set(['recordShortlistDecision', 'exportSiasn', 'exportResults']);
const ANSWERS = { U1: 4, U2: 4, U3: 3, U4: 4, U5: 3, U6: 4, U7: 4, U8: 3, U9: 4 };
/** A closed loopback port (discard): admitted by WEBHOOK_ALLOWED_HOSTS below, never sent to. */
const WEBHOOK_URL = 'http://127.0.0.1:9/matrix';
/**
 * A client address of its own for every request (TRUST_PROXY=loopback): the per-address feedback count lives in
 * the shared e2e database, and this file's public requests must not use up the budget of 127.0.0.1 that
 * public-feedback.e2e-spec.ts tests.
 */
const clientIp = () => `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;

interface Emp {
  id: string;
  nip: string;
}
interface SubjectWorld {
  emp: Emp;
  /** AGREED, in the OPEN period, with a target, a score, an objection and a SUBMITTED achievement: for reads. */
  appraisalId: string;
  targetId: string;
  achievementId: string;
  feedbackId: string;
}
interface Req {
  ids?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
}
interface Cell {
  caller: Caller;
  s: SubjectWorld;
}

describe('access matrix (e2e, spec §8)', () => {
  let t: TestApp;
  let db: DataSource;
  const tokens = {} as Record<Person, string>;
  const keys = {} as Record<ApiScope, string>;
  const subjects = {} as Record<Subject, SubjectWorld>;
  /** The bidang where E and the assessor work, below the dinas whose subtree the in-scope HR operators manage. */
  let unit: { id: string; code: string };
  let outUnit: { id: string; code: string };
  let emp: Record<'A' | 'A2' | 'R' | 'O' | 'Z', Emp>;
  let indicatorId: string;
  let pOpen: Awaited<ReturnType<typeof insertPeriod>>;
  let pClosed: string;
  let pPolicy: string;
  let spareUnitId: string;
  let shortlistId: string;
  let recalculationId: string;
  let spareUser: { id: string; username: string };

  const headersOf = (caller: Caller): Record<string, string> => {
    if (caller === 'anonymous') return {};
    if (caller.startsWith('key:')) return { 'X-API-Key': keys[caller.slice(4) as ApiScope] };
    return auth(tokens[caller as Person]);
  };

  /**
   * An appraisal of the subject in a period of its own, in the state an operation needs. `NOW`: an OPEN period of the
   * current WITA month, for what is dated "inside the period and not after today" (performance dialogues).
   */
  async function appraisal(
    s: SubjectWorld,
    opts: { status: 'DRAFT' | 'AGREED' | 'FINALIZED'; period: 'OPEN' | 'CLOSED' | 'NOW'; target?: boolean; objection?: boolean },
  ): Promise<{ id: string; targetId?: string }> {
    const period = await insertPeriod(t, opts.period === 'NOW' ? { status: 'OPEN', ...currentMonth() } : { status: opts.period });
    const now = opts.status === 'DRAFT' ? null : new Date();
    const [a] = await db.query<{ id: string }[]>(
      `INSERT INTO appraisals (employee_id, period_id, unit_id, assessor_id, reviewer_id, status, agreed_at, finalized_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
      [s.emp.id, period.id, unit.id, emp.A.id, emp.R.id, opts.status, now, opts.status === 'FINALIZED' ? now : null],
    );
    const targetId = opts.target ? await insertTarget(a.id) : undefined;
    if (opts.objection) await db.query(`INSERT INTO appraisal_objections (appraisal_id, reason, filed_by) VALUES ($1, 'Nilai perilaku tidak sesuai', $2)`, [a.id, randomUUID()]);
    return { id: a.id, targetId };
  }

  async function insertTarget(appraisalId: string): Promise<string> {
    const [row] = await db.query<{ id: string }[]>(
      `INSERT INTO appraisal_targets (appraisal_id, indicator_id, target, weight) VALUES ($1, $2, 10, 100) RETURNING id`,
      [appraisalId, indicatorId],
    );
    return row.id;
  }

  /** A SUBMITTED achievement of the subject's appraisal, submitted by nobody in the matrix (four eyes stays out of the way). */
  async function achievement(s: SubjectWorld): Promise<string> {
    const [row] = await db.query<{ id: string }[]>(
      `INSERT INTO achievements (target_id, appraisal_id, value, occurred_on, status, submitted_by) VALUES ($1, $2, 5, $3, 'SUBMITTED', $4) RETURNING id`,
      [s.targetId, s.appraisalId, pOpen.startDate, randomUUID()],
    );
    return row.id;
  }

  function currentMonth(): { start: string; end: string } {
    const month = witaDate().slice(0, 7);
    const [year, m] = month.split('-').map(Number);
    return { start: `${month}-01`, end: `${month}-${new Date(Date.UTC(year, m, 0)).getUTCDate()}` };
  }

  /** An unacknowledged dialogue held today, recorded at the employee's request by nobody in the matrix (four eyes stays out of the way). */
  async function dialogue(appraisalId: string): Promise<string> {
    const recorder = randomUUID();
    const [row] = await db.query<{ id: string }[]>(
      `INSERT INTO performance_dialogues (appraisal_id, assessor_id, held_on, topics, notes, agreed_actions, requested_by, recorded_by, recorder_ids)
       VALUES ($1, $2, $3, '["Capaian bulan ini"]', 'Capaian sesuai rencana', '[]', 'EMPLOYEE', $4, ARRAY[$4]::uuid[]) RETURNING id`,
      [appraisalId, emp.A.id, witaDate(), recorder],
    );
    return row.id;
  }

  /**
   * A webhook endpoint of its own for a cell (org-wide: no subject). Endpoints are global, and an enabled one would
   * collect the events of every other file's changes: DISABLED, or ENABLED with no event (test and retry refuse a
   * DISABLED one).
   */
  async function webhook(status: 'DISABLED' | 'ENABLED' = 'DISABLED'): Promise<string> {
    const [row] = await db.query<{ id: string }[]>(
      `INSERT INTO webhook_endpoints (url, events, secret, status)
       VALUES ($1, CASE WHEN $3 = 'ENABLED' THEN '{}'::varchar[] ELSE ARRAY['score.changed'] END, $2, $3::webhook_endpoint_status) RETURNING id`,
      [WEBHOOK_URL, encryptSecret(generateSecret(), t.config.webhooks.secretKey), status],
    );
    return row.id;
  }

  /** A training of the subject's employee, recorded by nobody in the matrix. */
  async function training(s: SubjectWorld): Promise<string> {
    const [row] = await db.query<{ id: string }[]>(
      `INSERT INTO assessor_trainings (employee_id, course, completed_on, recorded_by) VALUES ($1, $2, '2025-06-02', $3) RETURNING id`,
      [s.emp.id, `Pelatihan Penilai ${uniqueCode('C')}`, randomUUID()],
    );
    return row.id;
  }

  async function feedback(s: SubjectWorld, status: 'HELD' | 'PUBLISHED'): Promise<string> {
    const [id] = await insertFeedback(t, { unitId: unit.id, employeeId: s.emp.id, status, submittedOn: new Date().toISOString().slice(0, 10) });
    return id;
  }

  const usedPeriodCodes = new Set<string>();
  function monthlyPeriodBody() {
    for (;;) {
      const year = randomInt(1000, 2000);
      const month = String(randomInt(1, 13)).padStart(2, '0');
      const code = `${year}-${month}`;
      if (usedPeriodCodes.has(code)) continue;
      usedPeriodCodes.add(code);
      const last = new Date(Date.UTC(year, Number(month), 0)).getUTCDate();
      return { code, type: 'MONTHLY', startDate: `${year}-${month}-01`, endDate: `${year}-${month}-${last}` };
    }
  }

  /** How to call each operation so that it would succeed for a caller with the right. */
  const REQUESTS: Record<string, (c: Cell) => Promise<Req> | Req> = {
    listAppraisals: () => ({ query: { periodId: pOpen.id } }),
    getAppraisal: ({ s }) => ({ ids: { id: s.appraisalId } }),
    createAppraisal: async ({ s }) => ({ body: { employeeId: s.emp.id, periodId: (await insertPeriod(t, { status: 'OPEN' })).id } }),
    generateAppraisals: async () => ({ ids: { id: (await insertPeriod(t, { status: 'OPEN' })).id }, body: { withinUnitId: unit.id } }),
    updateAppraisal: async ({ s }) => ({
      ids: { id: (await appraisal(s, { status: 'DRAFT', period: 'OPEN' })).id },
      body: { assessorId: emp.A2.id, reason: 'Kepala bidang dimutasi' },
    }),
    agreeAppraisal: async ({ s }) => ({ ids: { id: (await appraisal(s, { status: 'DRAFT', period: 'OPEN', target: true })).id } }),
    listTargets: ({ s }) => ({ ids: { id: s.appraisalId } }),
    createTarget: async ({ s }) => ({
      ids: { id: (await appraisal(s, { status: 'DRAFT', period: 'OPEN' })).id },
      body: { indicatorId, target: 12, weight: 100 },
    }),
    updateTarget: async ({ s }) => {
      const a = await appraisal(s, { status: 'DRAFT', period: 'OPEN', target: true });
      return { ids: { id: a.id, targetId: a.targetId! }, body: { target: 14 } };
    },
    deleteTarget: async ({ s }) => {
      const a = await appraisal(s, { status: 'DRAFT', period: 'OPEN', target: true });
      return { ids: { id: a.id, targetId: a.targetId! } };
    },
    assessBehaviour: async ({ s }) => ({
      ids: { id: (await appraisal(s, { status: 'AGREED', period: 'OPEN', target: true })).id },
      body: {
        ratings: {
          BERORIENTASI_PELAYANAN: 'MEETS_EXPECTATION',
          AKUNTABEL: 'MEETS_EXPECTATION',
          KOMPETEN: 'ABOVE_EXPECTATION',
          HARMONIS: 'MEETS_EXPECTATION',
          LOYAL: 'MEETS_EXPECTATION',
          ADAPTIF: 'MEETS_EXPECTATION',
          KOLABORATIF: 'MEETS_EXPECTATION',
        },
      },
    }),
    overrideResultRating: async ({ s }) => ({
      ids: { id: (await appraisal(s, { status: 'AGREED', period: 'OPEN', target: true })).id },
      body: { rating: 'ABOVE_EXPECTATION', reason: 'Capaian di luar target tertulis' },
    }),
    withdrawResultRatingOverride: async ({ s }) => ({ ids: { id: (await appraisal(s, { status: 'AGREED', period: 'OPEN', target: true })).id } }),
    getAppraisalScore: ({ s }) => ({ ids: { id: s.appraisalId } }),
    // An appraisal with a FRESH score of its own: writes of other rows mark the standard one, which would answer 409 score-stale.
    getEvaluationDocument: async ({ s }) => {
      const { id } = await appraisal(s, { status: 'AGREED', period: 'OPEN', target: true });
      const [{ period_id }] = await db.query<{ period_id: string }[]>('SELECT period_id FROM appraisals WHERE id = $1', [id]);
      await t.app.get(RecalculationService).recalculatePeriod(period_id);
      return { ids: { id } };
    },
    getObjection: ({ s }) => ({ ids: { id: s.appraisalId } }),
    fileObjection: async ({ s }) => ({
      ids: { id: (await appraisal(s, { status: 'FINALIZED', period: 'CLOSED', target: true })).id },
      body: { reason: 'Capaian belum diverifikasi seluruhnya' },
    }),
    resolveObjection: async ({ s }) => ({
      ids: { id: (await appraisal(s, { status: 'FINALIZED', period: 'CLOSED', target: true, objection: true })).id },
      body: { decision: 'REJECTED', note: 'Penilaian sudah sesuai bukti' },
    }),
    listDialogues: ({ s }) => ({ ids: { id: s.appraisalId } }),
    recordDialogue: async ({ s }) => ({
      ids: { id: (await appraisal(s, { status: 'AGREED', period: 'NOW', target: true })).id },
      body: { heldOn: witaDate(), topics: ['Capaian bulan ini'], notes: 'Capaian sesuai rencana', agreedActions: [{ action: 'Melengkapi bukti dukung' }] },
    }),
    acknowledgeDialogue: async ({ s }) => {
      const { id } = await appraisal(s, { status: 'AGREED', period: 'NOW', target: true });
      return { ids: { id, dialogueId: await dialogue(id) } };
    },
    listFeedbackNotes: ({ s }) => ({ ids: { id: s.appraisalId } }),
    writeFeedbackNote: ({ s }) => ({ ids: { id: s.appraisalId }, body: { kind: 'GUIDANCE', note: 'Lampirkan foto lapangan pada bukti dukung' } }),

    listAchievements: ({ s }) => ({ query: { appraisalId: s.appraisalId } }),
    getAchievement: ({ s }) => ({ ids: { id: s.achievementId } }),
    createAchievement: ({ s }) => ({ body: { targetId: s.targetId, value: 3, occurredOn: pOpen.startDate } }),
    updateAchievement: async ({ s }) => ({ ids: { id: await achievement(s) }, body: { value: 7 } }),
    deleteAchievement: async ({ s }) => ({ ids: { id: await achievement(s) } }),
    verifyAchievement: async ({ s }) => ({ ids: { id: await achievement(s) } }),
    rejectAchievement: async ({ s }) => ({ ids: { id: await achievement(s) }, body: { reason: 'Bukti tidak terbaca' } }),

    listEmployees: () => ({ query: { withinUnitId: unit.id } }),
    getEmployee: ({ s }) => ({ ids: { id: s.emp.id } }),
    getEmployeeByNip: ({ s }) => ({ ids: { nip: s.emp.nip } }),
    listPenalties: ({ s }) => ({ ids: { id: s.emp.id } }),
    getEmployeeServiceIndex: ({ s }) => ({ ids: { id: s.emp.id }, query: { periodId: pOpen.id } }),
    createEmployee: () => ({ body: { ...employeeBody(), unitId: unit.id } }),
    importEmployees: () => ({ query: { atomic: 'true' }, body: { employees: [{ ...employeeBody(), unitCode: unit.code }] } }),
    updateEmployee: ({ s }) => ({ ids: { id: s.emp.id }, body: { rank: 'III/b' } }),
    setEmployeePotential: ({ s }) => ({ ids: { id: s.emp.id }, body: { potential: 'MEDIUM' } }),
    createPenalty: ({ s }) => ({ ids: { id: s.emp.id }, body: { level: 'LIGHT', imposedOn: '2025-01-02', description: 'Teguran lisan' } }),
    listAssessorTrainings: ({ s }) => ({ query: { employeeId: s.emp.id } }),
    // A course of its own per cell: (employee, course, completedOn) is unique (409 duplicate-training).
    createAssessorTraining: ({ s }) => ({
      body: { employeeId: s.emp.id, course: `Pelatihan Penilai ${uniqueCode('C')}`, completedOn: '2025-06-02', validUntil: '2027-06-01' },
    }),
    deleteAssessorTraining: async ({ s }) => ({ ids: { id: await training(s) } }),

    listUnits: () => ({ query: { withinUnitId: unit.id } }),
    getUnit: () => ({ ids: { id: unit.id } }),
    getUnitServiceIndex: () => ({ ids: { id: unit.id }, query: { periodId: pOpen.id } }),
    createUnit: () => ({ body: { code: uniqueCode('UM'), name: 'Bidang Matriks', kind: 'BIDANG' } }),
    updateUnit: () => ({ ids: { id: spareUnitId }, body: { name: `Bidang ${uniqueCode('N')}` } }),
    deleteUnit: async () => ({ ids: { id: (await createUnit(t, { kind: 'OTHER' })).id } }),
    importUnits: () => ({ query: { atomic: 'true' }, body: { units: [{ code: uniqueCode('UI'), name: 'Bidang Impor', kind: 'BIDANG' }] } }),

    listPeriods: () => ({}),
    getPeriod: () => ({ ids: { id: pOpen.id } }),
    getPeriodPolicy: () => ({ ids: { id: pOpen.id } }),
    createPeriod: () => ({ body: monthlyPeriodBody() }),
    transitionPeriod: async () => ({ ids: { id: (await insertPeriod(t, { status: 'PLANNING' })).id }, body: { to: 'OPEN' } }),
    updatePeriodPolicy: () => ({ ids: { id: pPolicy }, body: { capaianCap: 120 } }),
    recalculatePeriod: () => ({ ids: { id: pPolicy } }),
    getRecalculation: () => ({ ids: { id: recalculationId } }),
    getOrganisationPredicate: () => ({ ids: { id: pOpen.id, unitId: unit.id } }),
    setOrganisationPredicate: () => ({ ids: { id: pPolicy, unitId: unit.id }, body: { predicate: 'BAIK' } }),
    getDistribution: () => ({ ids: { id: pOpen.id }, query: { unitId: unit.id } }),
    getAssessorStats: () => ({ ids: { id: pOpen.id }, query: { withinUnitId: unit.id } }),
    getTrainingNeeds: () => ({ ids: { id: pOpen.id }, query: { withinUnitId: unit.id } }),
    getDialogueGaps: () => ({ ids: { id: pOpen.id }, query: { withinUnitId: unit.id } }),
    exportSiasn: () => ({ ids: { id: pClosed }, query: { format: 'csv' } }),
    exportResults: () => ({ ids: { id: pOpen.id } }),

    listIndicators: () => ({}),
    getIndicator: () => ({ ids: { id: indicatorId } }),
    createIndicator: () => ({
      body: { code: uniqueCode('IKM'), name: 'Dokumen selesai', unitOfMeasure: 'dokumen', aspect: 'QUANTITY', direction: 'HIGHER_IS_BETTER', aggregation: 'SUM' },
    }),
    updateIndicator: () => ({ ids: { id: indicatorId }, body: { description: `Diperbarui ${uniqueCode('D')}` } }),

    listPublicFeedback: () => ({ query: { withinUnitId: unit.id } }),
    getPublicFeedback: ({ s }) => ({ ids: { id: s.feedbackId } }),
    publishPublicFeedback: async ({ s }) => ({ ids: { id: await feedback(s, 'HELD') }, body: { note: 'Wajar' } }),
    rejectPublicFeedback: async ({ s }) => ({ ids: { id: await feedback(s, 'HELD') }, body: { note: 'Spam' } }),
    issueServiceTicket: ({ s }) => ({ body: { unitCode: unit.code, employeeNip: s.emp.nip, serviceName: 'Uji KIR' } }),
    submitPublicFeedback: ({ s }) => ({ body: { unitCode: unit.code, employeeNip: s.emp.nip, channel: 'WEB', answers: ANSWERS } }),
    getPublicServiceIndex: () => ({ query: { unitCode: unit.code, periodId: pOpen.id } }),
    getPublicPeriodSummary: () => ({ ids: { id: pClosed } }),

    listPromotionCandidates: () => ({ query: { withinUnitId: unit.id, includeIneligible: 'true' } }),
    createShortlist: () => ({ body: { name: 'Baperjakat matriks', parameters: { withinUnitId: unit.id, includeIneligible: true } } }),
    getShortlist: () => ({ ids: { id: shortlistId } }),
    recordShortlistDecision: ({ s }) => ({ ids: { id: shortlistId }, body: { employeeId: s.emp.id, decision: 'DEFERRED', note: 'Menunggu formasi' } }),

    createUser: () => ({ body: { username: uniqueCode('mx').toLowerCase(), password: PASSWORD, role: 'HR_OPERATOR', unitId: unit.id } }),
    listUsers: () => ({}),
    getUser: () => ({ ids: { id: spareUser.id } }),
    updateUser: () => ({ ids: { id: spareUser.id }, body: { active: true } }),
    createApiKey: () => ({ body: { name: uniqueCode('mx-key'), scopes: ['org:read'] } }),
    listApiKeys: () => ({}),
    revokeApiKey: async () => ({ ids: { id: (await apiKey(t, ['org:read'])).id } }),
    listAuditEvents: () => ({}),
    createWebhook: () => ({ body: { url: WEBHOOK_URL, events: ['score.changed'], description: 'Matriks' } }),
    listWebhooks: () => ({}),
    getWebhook: async () => ({ ids: { id: await webhook() } }),
    updateWebhook: async () => ({ ids: { id: await webhook() }, body: { events: ['appraisal.finalized'] } }),
    deleteWebhook: async () => ({ ids: { id: await webhook() } }),
    rotateWebhookSecret: async () => ({ ids: { id: await webhook() } }),
    testWebhook: async () => ({ ids: { id: await webhook('ENABLED') } }),
    listWebhookDeliveries: async () => ({ ids: { id: await webhook() } }),
    retryWebhookDelivery: async () => {
      const id = await webhook('ENABLED');
      return { ids: { id, deliveryId: (await db.transaction((m) => recordTestEvent(m, id, { matrix: true })))! } };
    },

    login: () => ({ body: { username: spareUser.username, password: PASSWORD } }),
    me: () => ({}),
    live: () => ({}),
    ready: () => ({}),
  };

  beforeAll(async () => {
    t = await createTestApp({
      TRUST_PROXY: 'loopback',
      FEEDBACK_IP_LIMIT: '1000',
      LOGIN_THROTTLE_LIMIT: '1000',
      LOGIN_THROTTLE_USERNAME_LIMIT: '1000',
      LOGIN_THROTTLE_ADDRESS_LIMIT: '1000',
      FEEDBACK_TICKETS_PER_OFFICER_DAY: '1000',
      // Webhook URLs on a closed loopback port; no worker runs here (RECALC_WORKER=false), so nothing is sent anyway.
      WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
    });
    db = t.app.get(DataSource);
    const root = await createUnit(t, { publicService: true });
    unit = await createUnit(t, { parentId: root.id, kind: 'BIDANG' });
    outUnit = await createUnit(t);
    const R = await createEmployee(t, { unitId: root.id, jobType: 'JPT_PRATAMA', rank: 'IV/b', name: 'Kepala Dinas' });
    const [A, A2] = await Promise.all(
      ['Kepala Bidang', 'Kepala Bidang Dua'].map((name) => createEmployee(t, { unitId: unit.id, jobType: 'ADMINISTRATOR', rank: 'III/d', name, supervisorId: R.id })),
    );
    const [E, Eadm, Ehr, O] = await Promise.all(
      ['Pelaksana', 'Pelaksana Admin', 'Pelaksana HR', 'Rekan'].map((name) => createEmployee(t, { unitId: unit.id, name, supervisorId: A.id })),
    );
    const Z = await createEmployee(t, { unitId: outUnit.id, name: 'Pegawai Lain' });
    emp = { A, A2, R, O, Z };
    const users: [Person, Parameters<typeof userToken>[1]][] = [
      ['admin', { role: 'ADMIN' }],
      ['adminLinked', { role: 'ADMIN', employeeId: Eadm.id }],
      ['hrIn', { role: 'HR_OPERATOR', unitId: root.id }],
      ['hrOut', { role: 'HR_OPERATOR', unitId: outUnit.id }],
      ['hrLinked', { role: 'HR_OPERATOR', unitId: root.id, employeeId: Ehr.id }],
      ['self', { role: 'EMPLOYEE', employeeId: E.id }],
      ['other', { role: 'EMPLOYEE', employeeId: O.id }],
      ['assessor', { role: 'EMPLOYEE', employeeId: A.id }],
      ['reviewer', { role: 'EMPLOYEE', employeeId: R.id }],
    ];
    await Promise.all(users.map(async ([who, body]) => (tokens[who] = (await userToken(t, body)).token)));
    await Promise.all(API_SCOPES.map(async (s) => (keys[s] = (await apiKey(t, [s])).key)));
    const spare = await userToken(t, { role: 'HR_OPERATOR', unitId: unit.id });
    spareUser = { id: spare.id, username: spare.username };

    indicatorId = (await insertIndicator(t)).id;
    pOpen = await insertPeriod(t, { status: 'OPEN' });
    pClosed = (await insertPeriod(t, { status: 'CLOSED' })).id;
    pPolicy = (await insertPeriod(t, { status: 'OPEN' })).id;
    spareUnitId = (await createUnit(t, { kind: 'OTHER' })).id;
    await db.query(`INSERT INTO organisation_predicates (period_id, unit_id, predicate) VALUES ($1, $2, 'BAIK')`, [pOpen.id, unit.id]);

    for (const [key, e] of [['E', E], ['Eadm', Eadm], ['Ehr', Ehr]] as const) {
      const [a] = await db.query<{ id: string }[]>(
        `INSERT INTO appraisals (employee_id, period_id, unit_id, assessor_id, reviewer_id, status, agreed_at) VALUES ($1, $2, $3, $4, $5, 'AGREED', now()) RETURNING id`,
        [e.id, pOpen.id, unit.id, A.id, R.id],
      );
      const targetId = await insertTarget(a.id);
      await db.query(`INSERT INTO appraisal_objections (appraisal_id, reason, filed_by) VALUES ($1, 'Keberatan', $2)`, [a.id, randomUUID()]);
      const s: SubjectWorld = { emp: e, appraisalId: a.id, targetId, achievementId: '', feedbackId: '' };
      s.achievementId = await achievement(s);
      s.feedbackId = await feedback(s, 'PUBLISHED');
      subjects[key] = s;
    }
    // The subjects' scores, from their targets (the SUBMITTED achievement does not count yet).
    await t.app.get(RecalculationService).recalculatePeriod(pOpen.id);

    const shortlist = await t
      .http()
      .post('/promotion-candidates/shortlists')
      .set(auth(tokens.hrIn))
      .send({ name: 'Baperjakat U', parameters: { withinUnitId: unit.id, includeIneligible: true } });
    if (shortlist.status !== 201) throw new Error(`shortlist: ${shortlist.status} ${JSON.stringify(shortlist.body)}`);
    shortlistId = shortlist.body.id;
    const run = await t.http().post(`/periods/${pPolicy}/recalculate`).set(auth(t.adminToken));
    if (run.status !== 202) throw new Error(`recalculate: ${run.status} ${JSON.stringify(run.body)}`);
    recalculationId = run.body.id;
  }, 60_000);

  afterAll(async () => {
    // The endpoints createWebhook made (enabled): not left to collect other files' events.
    await db?.query('DELETE FROM webhook_endpoints WHERE url = $1', [WEBHOOK_URL]);
    await t?.close();
  });

  const OPERATIONS = operations();

  it('has a row, and a request, for every operation of openapi.yaml, and nothing else', () => {
    const ids = OPERATIONS.map((o) => o.operationId).sort();
    expect(Object.keys(ACCESS_MATRIX).sort()).toEqual(ids);
    expect(Object.keys(REQUESTS).sort()).toEqual(ids);
  });

  it("agrees with every operation's x-capaian-access on roles and API-key scope", () => {
    const disagreements: string[] = [];
    for (const { operationId, op } of OPERATIONS) {
      const row = ACCESS_MATRIX[operationId];
      if (!row) continue;
      const access = op['x-capaian-access'];
      if (!access) {
        if (!row.public) disagreements.push(`${operationId}: public in openapi.yaml, not in the table`);
        continue;
      }
      if (row.public) disagreements.push(`${operationId}: public in the table, not in openapi.yaml`);
      if (row.key !== access.scope) disagreements.push(`${operationId}: API key scope ${row.key} in the table, ${access.scope} in openapi.yaml`);
      for (const p of PEOPLE) {
        const refusedByRole = isCode(row.people[p], 'role-not-allowed');
        if (refusedByRole === access.roles.includes(ROLE_OF[p])) {
          disagreements.push(`${operationId}: ${p} (${ROLE_OF[p]}) ${refusedByRole ? 'refused' : 'admitted'} by role in the table, not in openapi.yaml`);
        }
      }
    }
    expect(disagreements).toEqual([]);
  });

  describe.each(OPERATIONS.map((o) => [o.operationId, o] as const))('%s', (operationId, o) => {
    it(`answers every caller as the table says`, async () => {
      const row = ACCESS_MATRIX[operationId];
      const build = REQUESTS[operationId];
      if (!row || !build) throw new Error(`no row for ${operationId}`);
      const schema = requestSchema(o.op);
      const cell = async (caller: Caller): Promise<string | null> => {
        const req = await build({ caller, s: subjects[SUBJECT_OF[caller] ?? 'E'] });
        if (schema) {
          const sent = Object.keys(req.body as object);
          const unknown = sent.filter((k) => !schema.properties?.[k]);
          const missing = (schema.required ?? []).filter((k) => !sent.includes(k));
          if (unknown.length || missing.length) return `${caller}: the body does not fit the schema (unknown [${unknown.join(', ')}], missing [${missing.join(', ')}])`;
        }
        let call = t.http()[o.method](fillPath(o.path, req.ids ?? {})).set(headersOf(caller)).set('X-Forwarded-For', clientIp());
        if (req.query) call = call.query(req.query);
        const res = req.body === undefined ? await call : await call.send(req.body as object);
        return describeMismatch(caller, expected(row, caller), res);
      };
      const mismatches: (string | null)[] = [];
      if (SERIAL.has(operationId)) for (const caller of CALLERS) mismatches.push(await cell(caller));
      else mismatches.push(...(await Promise.all(CALLERS.map(cell))));
      expect(mismatches.filter(Boolean)).toEqual([]);
    });
  });

  /**
   * No existence oracle (§8): an id that exists outside the caller's scope, sent in a path, body or query,
   * answers exactly as a random missing id does: same status, same problem code, same detail and field
   * errors once the id itself is blanked out (only requestId and instance may differ).
   */
  describe('no existence oracle', () => {
    type Send = (id: string) => Promise<{ status: number; body: unknown }>;
    let W: Emp;
    /** The import probes send one row twice: its key (the NIP) must be the same both times. */
    const importNip = pnsNip();
    let outAppraisal: { id: string; targetId: string };
    let outTrainingId: string;
    const call = (caller: Person, method: 'get' | 'post' | 'patch' | 'delete', path: string, body?: object, query?: Record<string, string>) => {
      let c = t.http()[method](path).set(auth(tokens[caller]));
      if (query) c = c.query(query);
      return body ? c.send(body) : c;
    };

    beforeAll(async () => {
      W = await createEmployee(t, { unitId: unit.id, name: 'Pegawai Uji Rujukan', supervisorId: emp.A.id });
      const [a] = await db.query<{ id: string }[]>(
        `INSERT INTO appraisals (employee_id, period_id, unit_id, status, agreed_at) VALUES ($1, $2, $3, 'AGREED', now()) RETURNING id`,
        [emp.Z.id, pOpen.id, outUnit.id],
      );
      outAppraisal = { id: a.id, targetId: await insertTarget(a.id) };
      const [tr] = await db.query<{ id: string }[]>(
        `INSERT INTO assessor_trainings (employee_id, course, completed_on, recorded_by) VALUES ($1, 'Pelatihan Penilai', '2025-06-02', $2) RETURNING id`,
        [emp.Z.id, randomUUID()],
      );
      outTrainingId = tr.id;
    });

    /** [what (the caller is named when not the HR operator of U), how to send the id, the out-of-scope id, a missing id of the same kind] */
    const probes: [string, Send, () => string, () => string][] = [];
    const probe = (what: string, send: Send, outOfScope: () => string, missing: () => string = () => randomUUID()) =>
      probes.push([what, send, outOfScope, missing]);

    // Paths
    probe('GET /employees/{id}', (id) => call('hrIn', 'get', `/employees/${id}`), () => emp.Z.id);
    probe('GET /employees/by-nip/{nip}', (nip) => call('hrIn', 'get', `/employees/by-nip/${nip}`), () => emp.Z.nip, () => pnsNip());
    probe('GET /employees/{id} (employee)', (id) => call('other', 'get', `/employees/${id}`), () => emp.Z.id);
    probe('GET /units/{id}', (id) => call('hrIn', 'get', `/units/${id}`), () => outUnit.id);
    probe('GET /appraisals/{id}', (id) => call('hrIn', 'get', `/appraisals/${id}`), () => outAppraisal.id);
    probe('GET /appraisals/{id} (employee)', (id) => call('other', 'get', `/appraisals/${id}`), () => subjects.E.appraisalId);
    probe('GET /achievements/{id} (employee)', (id) => call('other', 'get', `/achievements/${id}`), () => subjects.E.achievementId);
    probe('GET /appraisals/{id}/dialogues (employee)', (id) => call('other', 'get', `/appraisals/${id}/dialogues`), () => subjects.E.appraisalId);
    probe('GET /appraisals/{id}/feedback-notes (employee)', (id) => call('other', 'get', `/appraisals/${id}/feedback-notes`), () => subjects.E.appraisalId);
    probe('DELETE /assessor-trainings/{id}', (id) => call('hrIn', 'delete', `/assessor-trainings/${id}`), () => outTrainingId);
    probe('GET /employees/{id}/service-index (employee)', (id) => call('other', 'get', `/employees/${id}/service-index`, undefined, { periodId: pOpen.id }), () => emp.Z.id);
    // Bodies
    probe('POST /appraisals employeeId', (id) => call('hrIn', 'post', '/appraisals', { employeeId: id, periodId: pOpen.id }), () => emp.Z.id);
    probe(
      'POST /periods/{id}/appraisals/generate withinUnitId',
      async (id) => call('hrIn', 'post', `/periods/${(await insertPeriod(t, { status: 'OPEN' })).id}/appraisals/generate`, { withinUnitId: id }),
      () => outUnit.id,
    );
    probe('POST /employees unitId', (id) => call('hrIn', 'post', '/employees', { ...employeeBody(), unitId: id }), () => outUnit.id);
    probe('POST /employees unitCode', (code) => call('hrIn', 'post', '/employees', { ...employeeBody(), unitCode: code }), () => outUnit.code, () => uniqueCode('NOUNIT'));
    probe('POST /employees supervisorId', (id) => call('hrIn', 'post', '/employees', { ...employeeBody(), unitId: unit.id, supervisorId: id }), () => emp.Z.id);
    probe(
      'POST /employees supervisorNip',
      (nip) => call('hrIn', 'post', '/employees', { ...employeeBody(), unitId: unit.id, supervisorNip: nip }),
      () => emp.Z.nip,
      () => pnsNip(),
    );
    probe('PATCH /employees/{id} supervisorId', (id) => call('hrIn', 'patch', `/employees/${W.id}`, { supervisorId: id }), () => emp.Z.id);
    probe('PATCH /employees/{id} supervisorNip', (nip) => call('hrIn', 'patch', `/employees/${W.id}`, { supervisorNip: nip }), () => emp.Z.nip, () => pnsNip());
    probe('PATCH /employees/{id} unitId', (id) => call('hrIn', 'patch', `/employees/${W.id}`, { unitId: id }), () => outUnit.id);
    probe(
      'POST /employees/import unitCode',
      (code) => call('hrIn', 'post', '/employees/import', { employees: [{ ...employeeBody(), nip: importNip, unitCode: code }] }, { atomic: 'true' }),
      () => outUnit.code,
      () => uniqueCode('NOUNIT'),
    );
    probe(
      'POST /employees/import supervisorNip',
      (nip) => call('hrIn', 'post', '/employees/import', { employees: [{ ...employeeBody(), nip: importNip, unitCode: unit.code, supervisorNip: nip }] }, { atomic: 'true' }),
      () => emp.Z.nip,
      () => pnsNip(),
    );
    probe(
      'PATCH /appraisals/{id} assessorId',
      async (id) => call('hrIn', 'patch', `/appraisals/${(await appraisal(subjects.E, { status: 'DRAFT', period: 'OPEN' })).id}`, { assessorId: id, reason: 'Mutasi' }),
      () => emp.Z.id,
    );
    probe(
      'PATCH /appraisals/{id} reviewerId',
      async (id) => call('hrIn', 'patch', `/appraisals/${(await appraisal(subjects.E, { status: 'DRAFT', period: 'OPEN' })).id}`, { reviewerId: id, reason: 'Mutasi' }),
      () => emp.Z.id,
    );
    probe(
      'POST /appraisals/{id}/targets cascadedFromTargetId',
      async (id) =>
        call('hrIn', 'post', `/appraisals/${(await appraisal(subjects.E, { status: 'DRAFT', period: 'OPEN' })).id}/targets`, {
          indicatorId,
          target: 5,
          weight: 100,
          cascadedFromTargetId: id,
        }),
      () => outAppraisal.targetId,
    );
    probe(
      'POST /public-feedback employeeNip (anonymous)',
      (nip) => t.http().post('/public-feedback').set('X-Forwarded-For', clientIp()).send({ unitCode: unit.code, employeeNip: nip, channel: 'WEB', answers: ANSWERS }),
      () => emp.Z.nip,
      () => pnsNip(),
    );
    probe(
      'POST /assessor-trainings employeeId',
      (id) => call('hrIn', 'post', '/assessor-trainings', { employeeId: id, course: 'Pelatihan Penilai', completedOn: '2025-06-02' }),
      () => emp.Z.id,
    );
    probe('POST /achievements targetId', (id) => call('hrIn', 'post', '/achievements', { targetId: id, value: 1, occurredOn: pOpen.startDate }), () => outAppraisal.targetId);
    probe('POST /public-feedback/tickets unitCode', (code) => call('hrIn', 'post', '/public-feedback/tickets', { unitCode: code }), () => outUnit.code, () => uniqueCode('NOUNIT'));
    probe(
      'POST /public-feedback/tickets employeeNip',
      (nip) => call('hrIn', 'post', '/public-feedback/tickets', { unitCode: unit.code, employeeNip: nip }),
      () => emp.Z.nip,
      () => pnsNip(),
    );
    probe(
      'POST /promotion-candidates/shortlists withinUnitId',
      (id) => call('hrIn', 'post', '/promotion-candidates/shortlists', { name: 'Uji', parameters: { withinUnitId: id } }),
      () => outUnit.id,
    );
    probe(
      'POST /promotion-candidates/shortlists/{id}/decisions employeeId',
      (id) => call('hrIn', 'post', `/promotion-candidates/shortlists/${shortlistId}/decisions`, { employeeId: id, decision: 'DEFERRED', note: 'x' }),
      () => emp.Z.id,
    );
    // Queries
    probe('GET /achievements?appraisalId', (id) => call('hrIn', 'get', '/achievements', undefined, { appraisalId: id }), () => outAppraisal.id);
    probe('GET /achievements?targetId', (id) => call('hrIn', 'get', '/achievements', undefined, { targetId: id }), () => outAppraisal.targetId);
    probe('GET /achievements?appraisalId (employee)', (id) => call('other', 'get', '/achievements', undefined, { appraisalId: id }), () => subjects.E.appraisalId);
    probe('GET /periods/{id}/assessor-stats?withinUnitId', (id) => call('hrIn', 'get', `/periods/${pOpen.id}/assessor-stats`, undefined, { withinUnitId: id }), () => outUnit.id);
    probe('GET /periods/{id}/training-needs?withinUnitId', (id) => call('hrIn', 'get', `/periods/${pOpen.id}/training-needs`, undefined, { withinUnitId: id }), () => outUnit.id);
    probe('GET /periods/{id}/dialogue-gaps?withinUnitId', (id) => call('hrIn', 'get', `/periods/${pOpen.id}/dialogue-gaps`, undefined, { withinUnitId: id }), () => outUnit.id);
    probe('GET /periods/{id}/dialogue-gaps?assessorId', (id) => call('hrIn', 'get', `/periods/${pOpen.id}/dialogue-gaps`, undefined, { assessorId: id }), () => emp.Z.id);
    probe('GET /assessor-trainings?employeeId', (id) => call('hrIn', 'get', '/assessor-trainings', undefined, { employeeId: id }), () => emp.Z.id);
    probe('GET /assessor-trainings?unitId', (id) => call('hrIn', 'get', '/assessor-trainings', undefined, { unitId: id }), () => outUnit.id);
    probe('GET /periods/{id}/distribution?unitId', (id) => call('hrIn', 'get', `/periods/${pOpen.id}/distribution`, undefined, { unitId: id }), () => outUnit.id);
    probe('GET /promotion-candidates?withinUnitId', (id) => call('hrIn', 'get', '/promotion-candidates', undefined, { withinUnitId: id }), () => outUnit.id);
    probe('GET /public-feedback?withinUnitId', (id) => call('hrIn', 'get', '/public-feedback', undefined, { withinUnitId: id }), () => outUnit.id);
    probe('GET /public-feedback?employeeId', (id) => call('hrIn', 'get', '/public-feedback', undefined, { employeeId: id }), () => emp.Z.id);
    probe('GET /appraisals?employeeId (employee)', (id) => call('other', 'get', '/appraisals', undefined, { employeeId: id }), () => emp.Z.id);
    probe('GET /appraisals?withinUnitId', (id) => call('hrIn', 'get', '/appraisals', undefined, { withinUnitId: id }), () => outUnit.id);
    probe('GET /employees?withinUnitId', (id) => call('hrIn', 'get', '/employees', undefined, { withinUnitId: id }), () => outUnit.id);
    probe('GET /employees?supervisorId', (id) => call('hrIn', 'get', '/employees', undefined, { supervisorId: id }), () => emp.Z.id);
    probe('GET /units?withinUnitId', (id) => call('hrIn', 'get', '/units', undefined, { withinUnitId: id }), () => outUnit.id);

    it.each(probes)('%s answers an id out of scope as a missing one', async (_what, send, outOfScope, missing) => {
      const [o, m] = [outOfScope(), missing()];
      const [a, b] = [await send(o), await send(m)];
      expect({ status: a.status, body: blank(a.body, o) }).toEqual({ status: b.status, body: blank(b.body, m) });
      // Both answers must be about the id (a missing resource, a refused field, an empty list), not a refusal of the caller.
      expect([200, 400, 404]).toContain(b.status);
    });
  });
});

/** The answer with the id blanked out and without the members that differ per request. */
function blank(body: unknown, id: string): unknown {
  const { requestId: _r, instance: _i, ...rest } = body as Record<string, unknown>;
  return JSON.parse(JSON.stringify(rest).split(id).join('<id>'));
}

function isCode(e: Expect, code: string): boolean {
  return e !== 'ok' && e.code === code;
}

/** Null when the answer is the expected one, else a line naming the cell and both answers. */
function describeMismatch(caller: Caller, want: Expect, res: { status: number; headers: Record<string, string>; body: { code?: string; detail?: string } }): string | null {
  const got = res.status < 400 ? String(res.status) : `${res.status} ${res.body?.code} (${res.body?.detail})`;
  if (want === 'ok') return res.status >= 200 && res.status < 300 ? null : `${caller}: want 2xx, got ${got}`;
  const fits =
    res.status === want.status &&
    /^application\/problem\+json/.test(res.headers['content-type'] ?? '') &&
    res.body.code === want.code;
  return fits ? null : `${caller}: want ${want.status} ${want.code}, got ${got}`;
}
