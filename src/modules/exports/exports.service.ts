import { Inject, Injectable, Logger } from '@nestjs/common';
import { stringify } from 'csv-stringify';
import ExcelJS from 'exceljs';
import { once } from 'node:events';
import { finished, pipeline, Readable, Transform } from 'node:stream';
import { Actor } from '../../common/auth/principal';
import { ConflictError, NotFoundError, ServiceBusyError } from '../../common/errors/app-error';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { AppraisalView } from '../distribution/distribution.repository';
import { appraisalViewOf, DistributionService } from '../distribution/distribution.service';
import { PeriodEntity } from '../periods/entities/period.entity';
import { PeriodsRepository } from '../periods/periods.repository';
import { PREDICATES } from '../scoring/types';
import { ExportSnapshot, ExportsRepository, ResultSource, Rows } from './exports.repository';
import { fileNamePart } from '../../common/http/file-name';
import { DownloadIdleError, DownloadTooLongError, IdleGuard } from './idle-guard';
import { SiasnFormat, SiasnRow, siasnColumns, siasnRow, SiasnSource } from './siasn';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** A file to stream: its body, media type and download name. */
export interface ExportFile {
  body: Readable;
  type: string;
  fileName: string;
}

/** Seconds a client refused for a full download cap is told to wait: downloads take seconds, not minutes. */
const BUSY_RETRY_AFTER_SECONDS = 5;

/** 503 `exports-busy`: this process streams EXPORT_CONCURRENCY downloads already; Retry-After says when to try again. */
export class ExportsBusyError extends ServiceBusyError {
  constructor(limit: number, retryAfterSeconds: number) {
    super('exports-busy', `This server streams ${limit} downloads at once already; retry after ${retryAfterSeconds} s`, retryAfterSeconds);
  }
}

const RESULT_COLUMNS = [
  'nip',
  'name',
  'unitCode',
  'unitName',
  'status',
  'resultScore',
  'behaviourScore',
  'finalScore',
  'resultRating',
  'behaviourRating',
  'predicate',
  'predicateCode',
  'freshness',
] as const;
const DISTRIBUTION_COLUMNS = [
  'unitCode',
  'unitName',
  'organisationPredicate',
  'total',
  ...PREDICATES,
  'unscored',
  ...PREDICATES.map((p) => `share${p}`),
  'failures',
] as const;

/** Rows between two looks at the response's backpressure while the workbook is written. */
const DRAIN_EVERY = 256;

const numberOrNull = (v: string | null): number | null => (v === null ? null : Number(v));

/** One line of the results sheet, in the order of RESULT_COLUMNS. */
function resultLine(r: ResultSource): (string | number | null)[] {
  return [
    r.nip,
    r.name,
    r.unitCode,
    r.unitName,
    r.status,
    numberOrNull(r.resultScore),
    numberOrNull(r.behaviourScore),
    numberOrNull(r.finalScore),
    r.resultRating,
    r.behaviourRating,
    r.predicate,
    r.predicateCode,
    r.stale ? 'STALE' : 'FRESH',
  ];
}

/**
 * The period exports of spec §10. Each download takes one of EXPORT_CONCURRENCY slots and reads in one snapshot on a
 * connection of its own (ExportSnapshot); every check (period, CLOSED, stale scores, the caller's view) is made in that
 * snapshot before the first byte, so a refusal is an ordinary problem answer; the rows then come from a database cursor
 * straight into the response, through an IdleGuard that ends a download its client stopped reading or that runs too long.
 */
@Injectable()
export class ExportsService {
  private readonly logger = new Logger(ExportsService.name);
  /** Downloads of this process from their slot to their end. */
  private running = 0;

  constructor(
    private readonly repo: ExportsRepository,
    private readonly periods: PeriodsRepository,
    private readonly distribution: DistributionService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** One row per FINALIZED appraisal with a predicate of the CLOSED period, in the caller's view, as JSON or CSV. */
  siasn(actor: Actor, periodId: string, format: SiasnFormat): Promise<ExportFile> {
    return this.download(periodId, async (s, guard) => {
      const period = await this.period(periodId, s);
      if (period.status !== 'CLOSED') {
        throw new ConflictError('period-not-closed', `Period ${period.code} is ${period.status}; SIASN takes only the appraisals of a CLOSED period`, {
          periodStatus: period.status,
        });
      }
      const view = appraisalViewOf(actor);
      // BKN keeps what it receives: a score an accepted objection has put back into recalculation is not sent stale.
      const stale = await this.repo.staleFinalized(periodId, view, s);
      if (stale) {
        throw new ConflictError('score-stale', `${stale} appraisal(s) of period ${period.code} wait for a recalculation; export again when their scores are fresh`);
      }
      const rows = await this.repo.siasnRows(periodId, view, s);
      const toRow = (r: SiasnSource) => siasnRow(r, period);
      const name = `siasn-kinerja-${fileNamePart(period.code)}`;
      // Once the cursor is read to its end the connection can go back, before the client has read the last bytes; a
      // failure of end() is logged by download(), which awaits the same promise.
      const done = () => void s.end().catch(() => undefined);
      if (format === 'json') {
        pipeline(rows, jsonArray(toRow), guard, done);
        return { body: guard, type: 'application/json; charset=utf-8', fileName: `${name}.json` };
      }
      pipeline(rows, mapRows(toRow), stringify({ header: true, columns: [...siasnColumns(period.type)], record_delimiter: 'windows' }), guard, done);
      return { body: guard, type: 'text/csv; charset=utf-8', fileName: `${name}.csv` };
    });
  }

  /**
   * The results workbook of the period, any status: sheet "Hasil" with every appraisal in the caller's view (DRAFT
   * ones too, without scores) and sheet "Distribusi" with the distribution of every unit in view, as
   * GET /periods/{id}/distribution answers it; both read in one snapshot, so they agree however slowly the file is read.
   */
  results(actor: Actor, periodId: string): Promise<ExportFile> {
    return this.download(periodId, async (s, guard) => {
      const period = await this.period(periodId, s);
      const view = appraisalViewOf(actor);
      const rows = await this.repo.resultRows(periodId, view, s);
      // A failure ends the file; finished() in download() reports it.
      this.writeWorkbook(period, view, s, rows, guard).catch((err: Error) => guard.destroy(err));
      return { body: guard, type: XLSX_TYPE, fileName: `hasil-kinerja-${fileNamePart(period.code)}.xlsx` };
    });
  }

  /**
   * Takes a download slot (503 exports-busy when none is free), opens the snapshot and lets `start` check and start
   * the file, whose body is `guard`. A refusal gives both back at once; otherwise they go back when the body ends,
   * however it ends (read to the end, the client gone, its reading stalled, its time up, a failure), and that end is logged.
   */
  private async download(periodId: string, start: (s: ExportSnapshot, guard: IdleGuard) => Promise<ExportFile>): Promise<ExportFile> {
    const limit = this.config.exports.concurrency;
    if (this.running >= limit) {
      this.logger.warn({ limit }, 'download refused: every export slot is busy');
      throw new ExportsBusyError(limit, BUSY_RETRY_AFTER_SECONDS);
    }
    this.running++;
    let s: ExportSnapshot | undefined;
    let guard: IdleGuard | undefined;
    const release = async () => {
      try {
        await s?.end();
      } catch (err) {
        this.logger.error({ err, periodId }, 'export connection release failed');
      } finally {
        this.running--;
      }
    };
    try {
      s = await this.repo.snapshot();
      guard = new IdleGuard(this.config.exports.idleTimeoutMs, this.config.exports.maxDurationMs);
      const file = await start(s, guard);
      finished(guard, (err) => {
        this.logEnd(periodId, err);
        void release();
      });
      return file;
    } catch (e) {
      guard?.destroy(); // clears its deadline timer
      await release();
      throw e;
    }
  }

  private logEnd(periodId: string, err: Error | null | undefined): void {
    if (!err) return;
    if (err instanceof DownloadIdleError) this.logger.warn({ periodId, timeoutMs: err.timeoutMs }, 'download ended: the client stopped reading');
    else if (err instanceof DownloadTooLongError) this.logger.warn({ periodId, maxDurationMs: err.maxDurationMs }, 'download ended: it ran longer than EXPORT_MAX_DURATION_MS');
    // A client that goes away mid-file ends it with ERR_STREAM_PREMATURE_CLOSE: nothing to report.
    else if ((err as NodeJS.ErrnoException).code !== 'ERR_STREAM_PREMATURE_CLOSE') this.logger.error({ err, periodId }, 'export stream failed');
  }

  private async writeWorkbook(period: PeriodEntity, view: AppraisalView, s: ExportSnapshot, rows: Rows<ResultSource>, out: IdleGuard): Promise<void> {
    const book = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
    const results = book.addWorksheet('Hasil');
    results.addRow([...RESULT_COLUMNS]).commit();
    let n = 0;
    for await (const r of rows) {
      results.addRow(resultLine(r)).commit();
      if (++n % DRAIN_EVERY === 0 && !(await drained(out))) return;
    }
    results.commit();
    // Counted in the snapshot of the rows above; the connection is not needed for the rest.
    const units = await this.distribution.ofUnits(period.id, await this.repo.unitsInView(period.id, view, s), s.manager);
    await s.end();
    const sheet = book.addWorksheet('Distribusi');
    sheet.addRow([...DISTRIBUTION_COLUMNS]).commit();
    for (const d of units) {
      if (out.destroyed) return;
      sheet
        .addRow([
          d.unitCode,
          d.unitName,
          d.organisationPredicate,
          d.total,
          ...PREDICATES.map((p) => d.counts[p]),
          d.counts.unscored,
          ...PREDICATES.map((p) => d.shares[p]),
          d.failures.map((f) => f.rule).join(', ') || null,
        ])
        .commit();
    }
    sheet.commit();
    await book.commit();
  }

  private async period(id: string, s: ExportSnapshot): Promise<PeriodEntity> {
    const period = await this.periods.findById(id, s.manager);
    if (!period) throw new NotFoundError('Period', id);
    return period;
  }
}

function mapRows<I, O>(f: (row: I) => O): Transform {
  return new Transform({ objectMode: true, transform: (row: I, _enc, done) => done(null, f(row)) });
}

/** A JSON array written row by row: `[`, the rows joined by commas, `]`. */
function jsonArray<I>(f: (row: I) => SiasnRow): Transform {
  let first = true;
  return new Transform({
    writableObjectMode: true,
    transform(row: I, _enc, done) {
      done(null, `${first ? '[' : ','}${JSON.stringify(f(row))}`);
      first = false;
    },
    flush(done) {
      done(null, first ? '[]' : ']');
    },
  });
}

/** Waits while the response is full; false when the download has ended (the client went away or stalled). */
async function drained(out: IdleGuard): Promise<boolean> {
  if (out.destroyed) return false;
  if (!out.writableNeedDrain) return true;
  await Promise.race([once(out, 'drain'), once(out, 'close')]);
  return !out.destroyed;
}
