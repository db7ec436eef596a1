import { DataSource } from 'typeorm';
import { PdfRenderer, PdfRendererUnavailableError } from '../src/modules/documents/pdf-renderer';
import { RecalculationService } from '../src/modules/recalculation/recalculation.service';
import { createTestApp, TestApp } from './app';
import { auth, createEmployee, createUnit, expectProblem } from './factories';
import { insertIndicator, insertPeriod } from './planning-fixtures';

/** The evaluation document when the PDF renderer (worker threads, pdf-renderer.spec.ts) cannot take the render. */
describe('GET /appraisals/{id}/documents/evaluation.pdf with a busy renderer (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  /** An ASSESSED appraisal with one target and a fresh score: its document can be printed. */
  async function scoredAppraisal(): Promise<string> {
    const db = t.app.get(DataSource);
    const unit = await createUnit(t);
    const assessor = await createEmployee(t, { unitId: unit.id });
    const employee = await createEmployee(t, { unitId: unit.id, supervisorId: assessor.id });
    const period = await insertPeriod(t, { status: 'EVALUATION' });
    const indicator = await insertIndicator(t);
    const [a] = await db.query<{ id: string }[]>(
      `INSERT INTO appraisals (employee_id, period_id, unit_id, assessor_id, status, agreed_at, assessed_at)
       VALUES ($1, $2, $3, $4, 'ASSESSED', now(), now()) RETURNING id`,
      [employee.id, period.id, unit.id, assessor.id],
    );
    await db.query(`INSERT INTO appraisal_targets (appraisal_id, indicator_id, target, weight) VALUES ($1, $2, 10, 100)`, [a.id, indicator.id]);
    await t.app.get(RecalculationService).recalculatePeriod(period.id);
    return a.id;
  }

  it('answers 503 renderer-unavailable with Retry-After, as documented, and renders again afterwards', async () => {
    const id = await scoredAppraisal();
    const renderer = t.app.get(PdfRenderer);
    const busy = jest.spyOn(renderer, 'renderPdf').mockRejectedValueOnce(new PdfRendererUnavailableError('Too many documents are being rendered'));
    try {
      const res = await t.http().get(`/appraisals/${id}/documents/evaluation.pdf`).set(auth(t.adminToken));
      expectProblem(res, 503, 'renderer-unavailable');
      expect(res.headers['retry-after']).toBe('3');
      expect(res.body.retryAfter).toBe(3);
      const ok = await t.http().get(`/appraisals/${id}/documents/evaluation.pdf`).set(auth(t.adminToken)).buffer(true);
      expect(ok.status).toBe(200);
      expect(ok.headers['content-type']).toBe('application/pdf');
    } finally {
      busy.mockRestore();
    }
  });
});
