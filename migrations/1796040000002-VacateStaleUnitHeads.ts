import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Spec §5.4: a unit's head is an ACTIVE employee of it. Moves and status changes left the old unit naming its former
 * head until now; those pointers are cleared, the former head's appraisals there that are not finalised stop being rated
 * as the head's and are marked for recalculation (as markForRecalculation does), and finalised ones stay frozen. Each
 * cleared unit gets a unit.update audit event by the system, as the service writes one, so an operator sees why.
 */
export class VacateStaleUnitHeads1796040000002 implements MigrationInterface {
  name = 'VacateStaleUnitHeads1796040000002';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `WITH vacated AS (
         UPDATE "units" u SET "head_employee_id" = NULL, "updated_at" = now()
           FROM "employees" e
          WHERE e."id" = u."head_employee_id" AND NOT (e."status" = 'ACTIVE' AND e."unit_id" = u."id")
          RETURNING u."id" AS unit_id, u."code", e."id" AS employee_id
       ), audited AS (
         INSERT INTO "audit_events" ("actor_type", "actor_name", "action", "entity_type", "entity_id", "before", "after", "reason")
         SELECT 'SYSTEM', 'system', 'unit.update', 'unit', v.unit_id::text,
                jsonb_build_object('id', v.unit_id, 'code', v."code", 'headEmployeeId', v.employee_id),
                jsonb_build_object('id', v.unit_id, 'code', v."code", 'headEmployeeId', NULL),
                'Migration VacateStaleUnitHeads: the head had left the unit or was no longer ACTIVE'
           FROM vacated v
       ), unflagged AS (
         UPDATE "appraisals" a SET "heads_unit" = false
           FROM vacated v
          WHERE a."unit_id" = v.unit_id AND a."employee_id" = v.employee_id AND a."status" <> 'FINALIZED'
          RETURNING a."id"
       )
       INSERT INTO "score_recalculation_marks" ("appraisal_id", "version", "marked_at", "reason")
       SELECT "id", 1, now(), 'unit.head-vacated' FROM unflagged ORDER BY "id"
       ON CONFLICT ("appraisal_id") DO UPDATE
          SET "version" = "score_recalculation_marks"."version" + 1, "marked_at" = now(), "reason" = EXCLUDED."reason",
              "enqueued_at" = NULL`,
    );
  }

  public async down(): Promise<void> {
    // Nothing to restore: the cleared pointers named employees who could not head those units, which spec §5.4 forbids.
  }
}
