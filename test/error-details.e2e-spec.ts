import { Logger } from '@nestjs/common';
import { ConflictError } from '../src/common/errors/app-error';
import { RecalculationService } from '../src/modules/recalculation/recalculation.service';
import { createTestApp, TestApp } from './app';
import { auth } from './factories';
import { insertPeriod } from './planning-fixtures';

/** Answers never carry infrastructure details (hosts, ports, driver messages); the log does. Readiness: http.e2e-spec. */
describe('Error details stay in the log (e2e)', () => {
  describe('a failed batch recalculation', () => {
    let t: TestApp;
    let recalculation: RecalculationService;
    beforeAll(async () => {
      t = await createTestApp();
      recalculation = t.app.get(RecalculationService);
    });
    afterAll(() => t.close());
    afterEach(() => jest.restoreAllMocks());

    async function failedRun(cause: Error): Promise<Record<string, unknown>> {
      jest.spyOn(recalculation, 'recalculatePeriod').mockRejectedValueOnce(cause);
      const period = await insertPeriod(t, { status: 'OPEN' });
      const started = await t.http().post(`/periods/${period.id}/recalculate`).set(auth(t.adminToken));
      expect(started.status).toBe(202);
      for (let i = 0; i < 100; i++) {
        const res = await t.http().get(`/recalculations/${started.body.id}`).set(auth(t.adminToken));
        if (res.body.status === 'FAILED') return res.body as Record<string, unknown>;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error('the run never failed');
    }

    it('shows a generic message and logs the details', async () => {
      const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
      const run = await failedRun(new Error('connect ECONNREFUSED 10.0.0.5:5432'));
      expect(run.error).toMatch(/failed unexpectedly; the service log has the details/);
      expect(JSON.stringify(run)).not.toMatch(/10\.0\.0\.5|ECONNREFUSED/);
      expect(logged).toHaveBeenCalledWith(expect.objectContaining({ err: expect.objectContaining({ message: 'connect ECONNREFUSED 10.0.0.5:5432' }) }), 'batch recalculation failed');
    });

    it('shows a domain refusal as it is, since it is written for people', async () => {
      jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
      const run = await failedRun(new ConflictError('period-closed', 'The period is CLOSED'));
      expect(run.error).toBe('The period is CLOSED');
    });
  });
});
