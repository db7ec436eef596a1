import type { Job, Queue } from 'bull';
import { AppConfig } from '../../config/app-config';
import { ScoresJob } from './queue';
import { RecalculationService } from './recalculation.service';
import { ScoresWorker } from './scores-worker.service';

type Handler = (job: Job) => Promise<unknown>;

/** A worker on a stand-in queue that records the handlers it registers, and a recalculation that records its calls. */
function worker(processMarks: (ids: string[]) => Promise<number>) {
  const handlers = new Map<string, Handler>();
  const queue = { on: jest.fn(), process: (name: string, _c: number, h: Handler) => void handlers.set(name, h) } as unknown as Queue;
  const recalculation = { processMarks: jest.fn(processMarks) } as unknown as RecalculationService;
  const w = new ScoresWorker(recalculation, { recalculation: { worker: true, concurrency: 8 } } as AppConfig, queue);
  w.onModuleInit();
  const job = (appraisalId: string) => handlers.get(ScoresJob.Appraisal)!({ data: { appraisalId } } as Job);
  return { job, processMarks: recalculation.processMarks as jest.Mock };
}

describe('ScoresWorker: appraisal jobs in flight are recomputed together', () => {
  it('recomputes the jobs that arrive together in one call, each appraisal once', async () => {
    const w = worker((ids) => Promise.resolve(ids.length));
    await Promise.all([w.job('a'), w.job('b'), w.job('a'), w.job('c')]);
    expect(w.processMarks.mock.calls).toEqual([[['a', 'b', 'c']]]);
  });

  it('takes the jobs that arrive during a recomputation in the next one', async () => {
    let release!: () => void;
    const first = new Promise<void>((r) => (release = r));
    const w = worker(async (ids) => {
      if (ids.includes('a')) await first;
      return ids.length;
    });
    const a = w.job('a');
    await new Promise((r) => setImmediate(r));
    const later = [w.job('b'), w.job('c')];
    release();
    await Promise.all([a, ...later]);
    expect(w.processMarks.mock.calls).toEqual([[['a']], [['b', 'c']]]);
  });

  it('recomputes each appraisal alone when a joint recomputation fails, so only the bad one fails (and is retried)', async () => {
    const w = worker((ids) => (ids.includes('bad') ? Promise.reject(new Error('numeric field overflow')) : Promise.resolve(ids.length)));
    const results = await Promise.allSettled([w.job('bad'), w.job('x'), w.job('bad')]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled', 'rejected']);
    expect(w.processMarks.mock.calls).toEqual([[['bad', 'x']], [['bad']], [['x']]]);
    await expect(w.job('y')).resolves.toBeUndefined();
  });
});
