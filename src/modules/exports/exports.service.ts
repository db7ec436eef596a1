import { Injectable, Logger } from '@nestjs/common';
import { stringify } from 'csv-stringify';
import ExcelJS from 'exceljs';
import { once } from 'node:events';
import { PassThrough, pipeline, Readable, Transform } from 'node:stream';
import { Actor } from '../../common/auth/principal';
import { ConflictError, NotFoundError } from '../../common/errors/app-error';
import { AppraisalView } from '../distribution/distribution.repository';
import { appraisalViewOf, DistributionService } from '../distribution/distribution.service';
import { PeriodEntity } from '../periods/entities/period.entity';
import { PeriodsRepository } from '../periods/periods.repository';
import { PREDICATES } from '../scoring/types';
import { ExportsRepository, ResultSource, RowCursor } from './exports.repository';
import { fileNamePart } from '../../common/http/file-name';
import { SiasnFormat, SiasnRow, siasnColumns, siasnRow, SiasnSource } from './siasn';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** A file to stream: its body, media type and download name. */
export interface ExportFile {
  body: Readable;
  type: string;
  fileName: string;
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
 * The period exports of spec §10. Every check (period, CLOSED, the caller's view) is made before the first byte,
 * so a refusal is an ordinary problem answer; the rows then come from a database cursor straight into the response.
 */
@Injectable()
export class ExportsService {
  private readonly logger = new Logger(ExportsService.name);

  constructor(
    private readonly repo: ExportsRepository,
    private readonly periods: PeriodsRepository,
    private readonly distribution: DistributionService,
  ) {}

  /** One row per FINALIZED appraisal with a predicate of the CLOSED period, in the caller's view, as JSON or CSV. */
  async siasn(actor: Actor, periodId: string, format: SiasnFormat): Promise<ExportFile> {
    const period = await this.period(periodId);
    if (period.status !== 'CLOSED') {
      throw new ConflictError('period-not-closed', `Period ${period.code} is ${period.status}; SIASN takes only the appraisals of a CLOSED period`, {
        periodStatus: period.status,
      });
    }
    const view = appraisalViewOf(actor);
    // BKN keeps what it receives: a score an accepted objection has put back into recalculation is not sent stale.
    const stale = await this.repo.staleFinalized(periodId, view);
    if (stale) {
      throw new ConflictError('score-stale', `${stale} appraisal(s) of period ${period.code} wait for a recalculation; export again when their scores are fresh`);
    }
    const cursor = await this.repo.siasnRows(periodId, view);
    const toRow = (s: SiasnSource) => siasnRow(s, period);
    const name = `siasn-kinerja-${fileNamePart(period.code)}`;
    const body =
      format === 'json'
        ? pipeline(cursor.rows, jsonArray(toRow), (err) => this.closed(cursor.close, err))
        : pipeline(
            cursor.rows,
            mapRows(toRow),
            stringify({ header: true, columns: [...siasnColumns(period.type)], record_delimiter: 'windows' }),
            (err) => this.closed(cursor.close, err),
          );
    return format === 'json'
      ? { body, type: 'application/json; charset=utf-8', fileName: `${name}.json` }
      : { body, type: 'text/csv; charset=utf-8', fileName: `${name}.csv` };
  }

  /**
   * The results workbook of the period, any status: sheet "Hasil" with every appraisal in the caller's view (DRAFT
   * ones too, without scores) and sheet "Distribusi" with the distribution of every unit in view (`units`), as
   * GET /periods/{id}/distribution answers it.
   */
  async results(actor: Actor, periodId: string): Promise<ExportFile> {
    const period = await this.period(periodId);
    const view = appraisalViewOf(actor);
    const cursor = await this.repo.resultRows(periodId, view);
    const out = new PassThrough();
    this.writeWorkbook(period, view, cursor, out).catch((err: unknown) => {
      this.logger.error({ err, periodId }, 'results workbook failed');
      out.destroy(err as Error);
    });
    return { body: out, type: XLSX_TYPE, fileName: `hasil-kinerja-${fileNamePart(period.code)}.xlsx` };
  }

  private async writeWorkbook(
    period: PeriodEntity,
    view: AppraisalView,
    cursor: RowCursor<ResultSource>,
    out: PassThrough,
  ): Promise<void> {
    const book = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
    try {
      const results = book.addWorksheet('Hasil');
      results.addRow([...RESULT_COLUMNS]).commit();
      let n = 0;
      for await (const r of cursor.rows) {
        results.addRow(resultLine(r)).commit();
        if (++n % DRAIN_EVERY === 0 && !(await drained(out))) return;
      }
      results.commit();
    } finally {
      await cursor.close();
    }
    const sheet = book.addWorksheet('Distribusi');
    sheet.addRow([...DISTRIBUTION_COLUMNS]).commit();
    const units = await this.repo.units(period.id, view);
    for (const d of await this.distribution.ofUnits(period.id, units.map((u) => u.id))) {
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

  private closed(close: () => Promise<void>, err: Error | null | undefined): void {
    // A client that goes away mid-file ends the pipeline with ERR_STREAM_PREMATURE_CLOSE: nothing to report.
    if (err && (err as NodeJS.ErrnoException).code !== 'ERR_STREAM_PREMATURE_CLOSE') this.logger.error({ err }, 'export stream failed');
    close().catch((e: unknown) => this.logger.error({ err: e }, 'export cursor close failed'));
  }

  private async period(id: string): Promise<PeriodEntity> {
    const period = await this.periods.findById(id);
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

/** Waits while the response is full; false when the client went away. */
async function drained(out: PassThrough): Promise<boolean> {
  if (out.destroyed) return false;
  if (!out.writableNeedDrain) return true;
  await Promise.race([once(out, 'drain'), once(out, 'close')]);
  return !out.destroyed;
}
