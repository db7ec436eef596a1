import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AppraisalParties } from '../appraisals/appraisal-access.service';
import type { AppraisalStatus } from '../appraisals/entities/appraisal.entity';
import { SCORE_STALE } from '../recalculation/recalculation-marks';
import { breakdownOf, type StoredBreakdown } from '../scoring/breakdown';
import type { Predicate, Rating } from '../scoring/types';
import type { EvaluationView, PersonView } from './evaluation-document';

/** What the document is printed from; `view` is null while the appraisal has no score. */
export interface DocumentSource {
  parties: AppraisalParties;
  status: AppraisalStatus;
  finalizedAt: Date | null;
  /** A recalculation is pending (a mark exists): the stored score may be out of date. */
  stale: boolean;
  view: Omit<EvaluationView, 'issuedAt' | 'signedOn'> | null;
}

interface SourceRow {
  employee_id: string;
  assessor_id: string | null;
  reviewer_id: string | null;
  unit_id: string;
  status: AppraisalStatus;
  finalized_at: Date | null;
  stale: boolean;
  computed_at: Date | null;
  result_rating: Rating;
  behaviour_rating: Rating | null;
  predicate: Predicate | null;
  breakdown: StoredBreakdown | null;
  period: EvaluationView['period'];
  employee: PersonView;
  assessor: PersonView | null;
  reviewer: PersonView | null;
  organisation: EvaluationView['organisation'];
  indicators: Record<string, { name: string; unitOfMeasure: string }>;
}

const PERSON = (e: string, unit: string) =>
  `json_build_object('name', ${e}.name, 'nip', ${e}.nip, 'rank', ${e}.rank, 'positionTitle', ${e}.position_title, 'unitName', ${unit}.name)`;

/** Reads everything of one appraisal the evaluation document prints, in one round trip. */
@Injectable()
export class DocumentsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Null when there is no such appraisal. The appraisee's unit kerja is the appraisal's unit (its snapshot at creation,
   * as for HR scope and the distribution curve); the assessor's and reviewer's are their current units. The
   * organisation predicate is that of the appraisal's unit in the period, or of its nearest ancestor that has one.
   */
  async read(appraisalId: string): Promise<DocumentSource | null> {
    const [r] = await this.dataSource.query<SourceRow[]>(
      `WITH RECURSIVE ap AS (
         SELECT * FROM appraisals WHERE id = $1
       ), up(id, parent_id, depth) AS (
         SELECT u.id, u.parent_id, 0 FROM units u JOIN ap ON u.id = ap.unit_id
         UNION ALL
         SELECT p.id, p.parent_id, up.depth + 1 FROM units p JOIN up ON p.id = up.parent_id
       )
       SELECT ap.employee_id, ap.assessor_id, ap.reviewer_id, ap.unit_id, ap.status, ap.finalized_at,
              ${SCORE_STALE('ap')} AS stale,
              s.computed_at, s.result_rating, s.behaviour_rating, s.predicate, s.breakdown,
              json_build_object('code', p.code, 'type', p.type, 'startDate', p.start_date, 'endDate', p.end_date) AS period,
              (SELECT ${PERSON('e', 'u')} FROM employees e, units u WHERE e.id = ap.employee_id AND u.id = ap.unit_id) AS employee,
              (SELECT ${PERSON('e', 'u')} FROM employees e JOIN units u ON u.id = e.unit_id WHERE e.id = ap.assessor_id) AS assessor,
              (SELECT ${PERSON('e', 'u')} FROM employees e JOIN units u ON u.id = e.unit_id WHERE e.id = ap.reviewer_id) AS reviewer,
              (SELECT json_build_object('unitName', u.name, 'predicate', op.predicate)
                 FROM up JOIN organisation_predicates op ON op.unit_id = up.id AND op.period_id = ap.period_id
                 JOIN units u ON u.id = up.id
                ORDER BY up.depth LIMIT 1) AS organisation,
              (SELECT COALESCE(json_object_agg(t.id, json_build_object('name', i.name, 'unitOfMeasure', i.unit_of_measure)), '{}')
                 FROM appraisal_targets t JOIN indicators i ON i.id = t.indicator_id WHERE t.appraisal_id = ap.id) AS indicators
         FROM ap JOIN periods p ON p.id = ap.period_id
         LEFT JOIN appraisal_scores s ON s.appraisal_id = ap.id`,
      [appraisalId],
    );
    if (!r) return null;
    const parties = { employeeId: r.employee_id, assessorId: r.assessor_id, reviewerId: r.reviewer_id, unitId: r.unit_id };
    const b = r.breakdown && breakdownOf(r.breakdown);
    const view =
      r.computed_at === null || !b
        ? null
        : {
            period: r.period,
            employee: r.employee,
            assessor: r.assessor,
            reviewer: r.reviewer,
            organisation: r.organisation,
            targets: b.targets.map((t) => ({
              indicatorCode: t.indicatorCode,
              indicatorName: r.indicators[t.targetId]?.name ?? null,
              unitOfMeasure: r.indicators[t.targetId]?.unitOfMeasure ?? null,
              target: t.target,
              realisation: t.realisation,
              capaian: t.capaian,
            })),
            resultRating: r.result_rating,
            resultRatingSource: b.resultRatingSource,
            aspects: b.aspects.map((a) => ({ aspect: a.aspect, rating: a.rating })),
            behaviourRating: r.behaviour_rating,
            predicate: r.predicate,
          };
    return { parties, status: r.status, finalizedAt: r.finalized_at, stale: r.stale, view };
  }
}
