import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { offsetOf, PageQueryDto } from '../../common/pagination/page';
import { ACKNOWLEDGED } from '../distribution/dialogues.sql';
import { DialogueGapDto, DialogueGapsQueryDto } from './dto/dialogue.dto';
import { DialogueEntity } from './entities/dialogue.entity';
import { FeedbackNoteEntity } from './entities/feedback-note.entity';

@Injectable()
export class DialoguesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private dialogues(m?: EntityManager): Repository<DialogueEntity> {
    return (m ?? this.dataSource.manager).getRepository(DialogueEntity);
  }

  private notes(m?: EntityManager): Repository<FeedbackNoteEntity> {
    return (m ?? this.dataSource.manager).getRepository(FeedbackNoteEntity);
  }

  insertDialogue(d: Omit<DialogueEntity, 'id' | 'recordedAt'>, m: EntityManager): Promise<DialogueEntity> {
    return this.dialogues(m).save(this.dialogues(m).create(d));
  }

  findDialogueForUpdate(appraisalId: string, id: string, m: EntityManager): Promise<DialogueEntity | null> {
    return this.dialogues(m).findOne({ where: { id, appraisalId }, lock: { mode: 'pessimistic_write' } });
  }

  saveDialogue(d: DialogueEntity, m: EntityManager): Promise<DialogueEntity> {
    return this.dialogues(m).save(d);
  }

  listDialogues(appraisalId: string, q: PageQueryDto): Promise<[DialogueEntity[], number]> {
    return this.dialogues().findAndCount({
      where: { appraisalId },
      order: { heldOn: 'ASC', recordedAt: 'ASC', id: 'ASC' },
      skip: offsetOf(q),
      take: q.pageSize,
    });
  }

  insertNote(n: Omit<FeedbackNoteEntity, 'id' | 'writtenAt'>, m: EntityManager): Promise<FeedbackNoteEntity> {
    return this.notes(m).save(this.notes(m).create(n));
  }

  listNotes(appraisalId: string, q: PageQueryDto): Promise<[FeedbackNoteEntity[], number]> {
    return this.notes().findAndCount({ where: { appraisalId }, order: { writtenAt: 'ASC', id: 'ASC' }, skip: offsetOf(q), take: q.pageSize });
  }

  /**
   * The appraisals of the period within `scope` (an SQL condition over the appraisals row `a`) with fewer acknowledged
   * dialogues than `minDialogues`, by employee name, then NIP.
   */
  async gaps(
    periodId: string,
    minDialogues: number,
    scope: { sql: string; params: Record<string, unknown> },
    q: DialogueGapsQueryDto,
  ): Promise<[DialogueGapDto[], number]> {
    const filters = [
      ...(q.withinUnitId ? ['a.unit_id IN (SELECT unit_subtree(:withinUnitId))'] : []),
      ...(q.assessorId ? ['a.assessor_id = :assessorId'] : []),
    ];
    const [sql, params] = this.dataSource.driver.escapeQueryWithParameters(
      `WITH gaps AS (
         SELECT a.id AS "appraisalId", a.unit_id AS "unitId",
                json_build_object('id', e.id, 'nip', e.nip, 'name', e.name) AS employee,
                CASE WHEN s.id IS NULL THEN NULL ELSE json_build_object('id', s.id, 'nip', s.nip, 'name', s.name) END AS assessor,
                d.acknowledged AS "acknowledgedDialogues", d.pending AS "pendingDialogues", e.name, e.nip
           FROM appraisals a
           JOIN employees e ON e.id = a.employee_id
           LEFT JOIN employees s ON s.id = a.assessor_id
           CROSS JOIN LATERAL (
                 SELECT (count(*) FILTER (WHERE ${ACKNOWLEDGED('pd')}))::int AS acknowledged,
                        (count(*) FILTER (WHERE NOT ${ACKNOWLEDGED('pd')}))::int AS pending
                   FROM performance_dialogues pd WHERE pd.appraisal_id = a.id) d
          WHERE a.period_id = :periodId AND d.acknowledged < :minDialogues AND ${scope.sql} ${filters.map((f) => `AND ${f}`).join(' ')})
       SELECT (SELECT count(*)::int FROM gaps) AS total,
              COALESCE((SELECT json_agg(to_jsonb(p) - 'rn' ORDER BY p.rn) FROM (
                SELECT "appraisalId", "unitId", employee, assessor, "acknowledgedDialogues", "pendingDialogues",
                       row_number() OVER (ORDER BY name, nip, "appraisalId") AS rn
                  FROM gaps ORDER BY rn LIMIT :limit OFFSET :offset) p), '[]') AS items`,
      { ...scope.params, periodId, minDialogues, withinUnitId: q.withinUnitId, assessorId: q.assessorId, limit: q.pageSize, offset: offsetOf(q) },
    );
    const [row] = await this.dataSource.query<{ total: number; items: Omit<DialogueGapDto, 'minDialogues'>[] }[]>(sql, params);
    return [row.items.map((g) => ({ ...g, minDialogues })), row.total];
  }
}
