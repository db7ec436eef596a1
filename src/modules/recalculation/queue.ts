/** The one queue of spec §6 and its jobs; names and ids are set here only. */
export const SCORES_QUEUE = 'scores';

export enum ScoresJob {
  /** Recompute one appraisal whose mark the relay picked up. */
  Appraisal = 'appraisal',
  /** Recompute a whole period in chunks (POST /periods/{id}/recalculate, nightly schedule). */
  PeriodBatch = 'period-batch',
}

export interface AppraisalJobData {
  appraisalId: string;
}

export interface PeriodBatchJobData {
  runId: string;
}

export interface ScoresJobData {
  [ScoresJob.Appraisal]: AppraisalJobData;
  [ScoresJob.PeriodBatch]: PeriodBatchJobData;
}

/**
 * Jobs are keyed by appraisal, mark version and enqueue time: marks written between two relay ticks
 * coalesce into one job; a mark written while its job runs, or handed back by the sweeper after Redis lost
 * its job, gets a job of its own instead of colliding with a stale id.
 */
export const appraisalJobId = (appraisalId: string, version: string, enqueuedAtMs: number) =>
  `appraisal:${appraisalId}:${version}:${enqueuedAtMs}`;
export const batchJobId = (runId: string) => `batch:${runId}`;
