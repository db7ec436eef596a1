import { MigrationInterface, QueryRunner } from "typeorm";

export class Planning1795962335996 implements MigrationInterface {
    name = 'Planning1795962335996'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TYPE "public"."period_type" AS ENUM('MONTHLY', 'QUARTERLY', 'ANNUAL')`);
        await queryRunner.query(`CREATE TYPE "public"."period_status" AS ENUM('PLANNING', 'OPEN', 'EVALUATION', 'CLOSED')`);
        await queryRunner.query(`CREATE TABLE "periods" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "code" character varying(20) NOT NULL, "type" "public"."period_type" NOT NULL, "start_date" date NOT NULL, "end_date" date NOT NULL, "status" "public"."period_status" NOT NULL DEFAULT 'PLANNING', "policy" jsonb NOT NULL, "closed_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_periods_dates" CHECK (end_date >= start_date), CONSTRAINT "PK_86c6afb6c818d97dc321898627c" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "uq_periods_code" ON "periods"  ("code") `);
        await queryRunner.query(`CREATE INDEX "ix_periods_type_dates" ON "periods"  ("type", "start_date") `);
        await queryRunner.query(`CREATE TYPE "public"."appraisal_status" AS ENUM('DRAFT', 'AGREED', 'ASSESSED', 'FINALIZED')`);
        await queryRunner.query(`CREATE TYPE "public"."rating" AS ENUM('ABOVE_EXPECTATION', 'MEETS_EXPECTATION', 'BELOW_EXPECTATION')`);
        await queryRunner.query(`CREATE TABLE "appraisals" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "employee_id" uuid NOT NULL, "period_id" uuid NOT NULL, "unit_id" uuid NOT NULL, "assessor_id" uuid, "reviewer_id" uuid, "status" "public"."appraisal_status" NOT NULL DEFAULT 'DRAFT', "version" integer NOT NULL DEFAULT 1, "agreed_at" TIMESTAMP WITH TIME ZONE, "behaviour_ratings" jsonb, "behaviour_notes" text, "assessed_at" TIMESTAMP WITH TIME ZONE, "result_rating_override" "public"."rating", "result_rating_override_reason" text, "finalized_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_c4c4dfe76db3c762a3193370d02" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "ix_appraisals_unit" ON "appraisals"  ("unit_id") `);
        await queryRunner.query(`CREATE INDEX "ix_appraisals_reviewer" ON "appraisals"  ("reviewer_id") `);
        await queryRunner.query(`CREATE INDEX "ix_appraisals_assessor" ON "appraisals"  ("assessor_id") `);
        await queryRunner.query(`CREATE INDEX "ix_appraisals_period_status" ON "appraisals"  ("period_id", "status") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "uq_appraisals_employee_period" ON "appraisals"  ("employee_id", "period_id") `);
        await queryRunner.query(`CREATE TYPE "public"."indicator_aspect" AS ENUM('QUANTITY', 'QUALITY', 'TIME', 'COST')`);
        await queryRunner.query(`CREATE TYPE "public"."indicator_direction" AS ENUM('HIGHER_IS_BETTER', 'LOWER_IS_BETTER')`);
        await queryRunner.query(`CREATE TYPE "public"."indicator_aggregation" AS ENUM('SUM', 'AVERAGE', 'LATEST', 'MAX', 'MIN')`);
        await queryRunner.query(`CREATE TABLE "indicators" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "code" character varying(50) NOT NULL, "name" character varying(300) NOT NULL, "description" text, "unit_of_measure" character varying(50) NOT NULL, "aspect" "public"."indicator_aspect" NOT NULL, "direction" "public"."indicator_direction" NOT NULL, "aggregation" "public"."indicator_aggregation" NOT NULL, "job_types" "public"."job_type" array NOT NULL DEFAULT '{}', "unit_id" uuid, "active" boolean NOT NULL DEFAULT true, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_6e24383c110600564187e92042e" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "uq_indicators_code" ON "indicators"  ("code") `);
        await queryRunner.query(`CREATE TABLE "appraisal_targets" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "appraisal_id" uuid NOT NULL, "indicator_id" uuid NOT NULL, "target" numeric(20,4) NOT NULL, "weight" numeric(6,2) NOT NULL, "cascaded_from_target_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_appraisal_targets_positive" CHECK (target > 0 AND weight > 0), CONSTRAINT "PK_ccd1821debcd22daa94b40c3716" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "ix_appraisal_targets_cascaded_from" ON "appraisal_targets"  ("cascaded_from_target_id") `);
        await queryRunner.query(`CREATE INDEX "ix_appraisal_targets_indicator" ON "appraisal_targets"  ("indicator_id") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "uq_appraisal_targets_indicator" ON "appraisal_targets"  ("appraisal_id", "indicator_id") `);
        await queryRunner.query(`CREATE TYPE "public"."achievement_status" AS ENUM('SUBMITTED', 'VERIFIED', 'REJECTED')`);
        await queryRunner.query(`CREATE TABLE "achievements" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "target_id" uuid NOT NULL, "appraisal_id" uuid NOT NULL, "value" numeric(20,4) NOT NULL, "occurred_on" date NOT NULL, "description" text, "evidence_url" character varying(2000), "status" "public"."achievement_status" NOT NULL DEFAULT 'SUBMITTED', "submitted_by" uuid NOT NULL, "decided_by" uuid, "decided_at" TIMESTAMP WITH TIME ZONE, "rejection_reason" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_achievements_value" CHECK (value >= 0), CONSTRAINT "PK_1bc19c37c6249f70186f318d71d" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "ix_achievements_appraisal" ON "achievements"  ("appraisal_id") `);
        await queryRunner.query(`CREATE INDEX "ix_achievements_target_status" ON "achievements"  ("target_id", "status") `);
        await queryRunner.query(`CREATE TABLE "idempotency_keys" ("principal_id" uuid NOT NULL, "operation" character varying(50) NOT NULL, "key" character varying(200) NOT NULL, "request_hash" character(64) NOT NULL, "response_status" integer, "response_body" jsonb, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_3ad686ba27cbd69dbae56affe0d" PRIMARY KEY ("principal_id", "operation", "key"))`);
        await queryRunner.query(`CREATE TYPE "public"."objection_status" AS ENUM('PENDING', 'ACCEPTED', 'REJECTED')`);
        await queryRunner.query(`CREATE TABLE "appraisal_objections" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "appraisal_id" uuid NOT NULL, "reason" text NOT NULL, "filed_by" uuid NOT NULL, "filed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "status" "public"."objection_status" NOT NULL DEFAULT 'PENDING', "decision_note" text, "behaviour_ratings" jsonb, "result_rating_override" "public"."rating", "resolved_by" uuid, "resolved_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_8e0966c9f962e7aba2723b0ef06" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "uq_appraisal_objections_appraisal" ON "appraisal_objections"  ("appraisal_id") `);
        await queryRunner.query(`CREATE TABLE "score_recalculation_marks" ("appraisal_id" uuid NOT NULL, "version" bigint NOT NULL DEFAULT '1', "marked_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "reason" character varying(100) NOT NULL, CONSTRAINT "PK_ec9c97fc95baf382c4f9c0ebf09" PRIMARY KEY ("appraisal_id"))`);
        await queryRunner.query(`ALTER TABLE "appraisals" ADD CONSTRAINT "fk_appraisals_employee" FOREIGN KEY ("employee_id") REFERENCES "employees"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "appraisals" ADD CONSTRAINT "fk_appraisals_period" FOREIGN KEY ("period_id") REFERENCES "periods"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "appraisals" ADD CONSTRAINT "fk_appraisals_unit" FOREIGN KEY ("unit_id") REFERENCES "units"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "appraisals" ADD CONSTRAINT "fk_appraisals_assessor" FOREIGN KEY ("assessor_id") REFERENCES "employees"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "appraisals" ADD CONSTRAINT "fk_appraisals_reviewer" FOREIGN KEY ("reviewer_id") REFERENCES "employees"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "indicators" ADD CONSTRAINT "fk_indicators_unit" FOREIGN KEY ("unit_id") REFERENCES "units"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "appraisal_targets" ADD CONSTRAINT "fk_appraisal_targets_appraisal" FOREIGN KEY ("appraisal_id") REFERENCES "appraisals"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "appraisal_targets" ADD CONSTRAINT "fk_appraisal_targets_indicator" FOREIGN KEY ("indicator_id") REFERENCES "indicators"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "appraisal_targets" ADD CONSTRAINT "fk_appraisal_targets_cascaded_from" FOREIGN KEY ("cascaded_from_target_id") REFERENCES "appraisal_targets"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "achievements" ADD CONSTRAINT "fk_achievements_target" FOREIGN KEY ("target_id") REFERENCES "appraisal_targets"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "achievements" ADD CONSTRAINT "fk_achievements_appraisal" FOREIGN KEY ("appraisal_id") REFERENCES "appraisals"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "appraisal_objections" ADD CONSTRAINT "fk_appraisal_objections_appraisal" FOREIGN KEY ("appraisal_id") REFERENCES "appraisals"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "score_recalculation_marks" ADD CONSTRAINT "fk_score_recalculation_marks_appraisal" FOREIGN KEY ("appraisal_id") REFERENCES "appraisals"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "score_recalculation_marks" DROP CONSTRAINT "fk_score_recalculation_marks_appraisal"`);
        await queryRunner.query(`ALTER TABLE "appraisal_objections" DROP CONSTRAINT "fk_appraisal_objections_appraisal"`);
        await queryRunner.query(`ALTER TABLE "achievements" DROP CONSTRAINT "fk_achievements_appraisal"`);
        await queryRunner.query(`ALTER TABLE "achievements" DROP CONSTRAINT "fk_achievements_target"`);
        await queryRunner.query(`ALTER TABLE "appraisal_targets" DROP CONSTRAINT "fk_appraisal_targets_cascaded_from"`);
        await queryRunner.query(`ALTER TABLE "appraisal_targets" DROP CONSTRAINT "fk_appraisal_targets_indicator"`);
        await queryRunner.query(`ALTER TABLE "appraisal_targets" DROP CONSTRAINT "fk_appraisal_targets_appraisal"`);
        await queryRunner.query(`ALTER TABLE "indicators" DROP CONSTRAINT "fk_indicators_unit"`);
        await queryRunner.query(`ALTER TABLE "appraisals" DROP CONSTRAINT "fk_appraisals_reviewer"`);
        await queryRunner.query(`ALTER TABLE "appraisals" DROP CONSTRAINT "fk_appraisals_assessor"`);
        await queryRunner.query(`ALTER TABLE "appraisals" DROP CONSTRAINT "fk_appraisals_unit"`);
        await queryRunner.query(`ALTER TABLE "appraisals" DROP CONSTRAINT "fk_appraisals_period"`);
        await queryRunner.query(`ALTER TABLE "appraisals" DROP CONSTRAINT "fk_appraisals_employee"`);
        await queryRunner.query(`DROP TABLE "score_recalculation_marks"`);
        await queryRunner.query(`DROP INDEX "public"."uq_appraisal_objections_appraisal"`);
        await queryRunner.query(`DROP TABLE "appraisal_objections"`);
        await queryRunner.query(`DROP TYPE "public"."objection_status"`);
        await queryRunner.query(`DROP TABLE "idempotency_keys"`);
        await queryRunner.query(`DROP INDEX "public"."ix_achievements_target_status"`);
        await queryRunner.query(`DROP INDEX "public"."ix_achievements_appraisal"`);
        await queryRunner.query(`DROP TABLE "achievements"`);
        await queryRunner.query(`DROP TYPE "public"."achievement_status"`);
        await queryRunner.query(`DROP INDEX "public"."uq_appraisal_targets_indicator"`);
        await queryRunner.query(`DROP INDEX "public"."ix_appraisal_targets_indicator"`);
        await queryRunner.query(`DROP INDEX "public"."ix_appraisal_targets_cascaded_from"`);
        await queryRunner.query(`DROP TABLE "appraisal_targets"`);
        await queryRunner.query(`DROP INDEX "public"."uq_indicators_code"`);
        await queryRunner.query(`DROP TABLE "indicators"`);
        await queryRunner.query(`DROP TYPE "public"."indicator_aggregation"`);
        await queryRunner.query(`DROP TYPE "public"."indicator_direction"`);
        await queryRunner.query(`DROP TYPE "public"."indicator_aspect"`);
        await queryRunner.query(`DROP INDEX "public"."uq_appraisals_employee_period"`);
        await queryRunner.query(`DROP INDEX "public"."ix_appraisals_period_status"`);
        await queryRunner.query(`DROP INDEX "public"."ix_appraisals_assessor"`);
        await queryRunner.query(`DROP INDEX "public"."ix_appraisals_reviewer"`);
        await queryRunner.query(`DROP INDEX "public"."ix_appraisals_unit"`);
        await queryRunner.query(`DROP TABLE "appraisals"`);
        await queryRunner.query(`DROP TYPE "public"."rating"`);
        await queryRunner.query(`DROP TYPE "public"."appraisal_status"`);
        await queryRunner.query(`DROP INDEX "public"."ix_periods_type_dates"`);
        await queryRunner.query(`DROP INDEX "public"."uq_periods_code"`);
        await queryRunner.query(`DROP TABLE "periods"`);
        await queryRunner.query(`DROP TYPE "public"."period_status"`);
        await queryRunner.query(`DROP TYPE "public"."period_type"`);
    }

}
