import { MigrationInterface, QueryRunner } from "typeorm";

export class Scoring1795963152767 implements MigrationInterface {
    name = 'Scoring1795963152767'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TYPE "public"."predicate" AS ENUM('SANGAT_BAIK', 'BAIK', 'BUTUH_PERBAIKAN', 'KURANG', 'SANGAT_KURANG')`);
        await queryRunner.query(`CREATE TABLE "appraisal_scores" ("appraisal_id" uuid NOT NULL, "result_score" numeric(7,2) NOT NULL, "behaviour_score" numeric(7,2), "final_score" numeric(7,2), "result_rating" "public"."rating" NOT NULL, "behaviour_rating" "public"."rating", "predicate" "public"."predicate", "predicate_code" smallint, "breakdown" jsonb NOT NULL, "computed_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_6a077572cea8f8a9fdaad1e0897" PRIMARY KEY ("appraisal_id"))`);
        await queryRunner.query(`CREATE INDEX "ix_appraisal_scores_predicate" ON "appraisal_scores"  ("predicate") `);
        await queryRunner.query(`CREATE TYPE "public"."organisation_predicate" AS ENUM('ISTIMEWA', 'BAIK', 'BUTUH_PERBAIKAN', 'KURANG', 'SANGAT_KURANG')`);
        await queryRunner.query(`CREATE TABLE "organisation_predicates" ("period_id" uuid NOT NULL, "unit_id" uuid NOT NULL, "predicate" "public"."organisation_predicate" NOT NULL, "set_by" uuid, "set_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_7c387fd2428a0637e80f297c9a4" PRIMARY KEY ("period_id", "unit_id"))`);
        await queryRunner.query(`CREATE TYPE "public"."recalculation_trigger" AS ENUM('MANUAL', 'SCHEDULE')`);
        await queryRunner.query(`CREATE TYPE "public"."recalculation_status" AS ENUM('QUEUED', 'RUNNING', 'COMPLETED', 'FAILED')`);
        await queryRunner.query(`CREATE TABLE "recalculation_runs" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "period_id" uuid NOT NULL, "trigger" "public"."recalculation_trigger" NOT NULL, "status" "public"."recalculation_status" NOT NULL DEFAULT 'QUEUED', "total" integer NOT NULL DEFAULT '0', "done" integer NOT NULL DEFAULT '0', "error" text, "requested_by" uuid, "dedupe_key" character varying(100), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "started_at" TIMESTAMP WITH TIME ZONE, "finished_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_6bce856b57cd4a2d34843008c0d" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "uq_recalculation_runs_dedupe" ON "recalculation_runs"  ("dedupe_key") WHERE dedupe_key IS NOT NULL`);
        await queryRunner.query(`CREATE INDEX "ix_recalculation_runs_period" ON "recalculation_runs"  ("period_id", "created_at") `);
        await queryRunner.query(`ALTER TABLE "score_recalculation_marks" ADD "enqueued_at" TIMESTAMP WITH TIME ZONE`);
        await queryRunner.query(`CREATE INDEX "ix_score_recalculation_marks_enqueued_at" ON "score_recalculation_marks"  ("enqueued_at") `);
        await queryRunner.query(`ALTER TABLE "appraisal_scores" ADD CONSTRAINT "fk_appraisal_scores_appraisal" FOREIGN KEY ("appraisal_id") REFERENCES "appraisals"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "organisation_predicates" ADD CONSTRAINT "fk_organisation_predicates_period" FOREIGN KEY ("period_id") REFERENCES "periods"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "organisation_predicates" ADD CONSTRAINT "fk_organisation_predicates_unit" FOREIGN KEY ("unit_id") REFERENCES "units"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "recalculation_runs" ADD CONSTRAINT "fk_recalculation_runs_period" FOREIGN KEY ("period_id") REFERENCES "periods"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "recalculation_runs" DROP CONSTRAINT "fk_recalculation_runs_period"`);
        await queryRunner.query(`ALTER TABLE "organisation_predicates" DROP CONSTRAINT "fk_organisation_predicates_unit"`);
        await queryRunner.query(`ALTER TABLE "organisation_predicates" DROP CONSTRAINT "fk_organisation_predicates_period"`);
        await queryRunner.query(`ALTER TABLE "appraisal_scores" DROP CONSTRAINT "fk_appraisal_scores_appraisal"`);
        await queryRunner.query(`DROP INDEX "public"."ix_score_recalculation_marks_enqueued_at"`);
        await queryRunner.query(`ALTER TABLE "score_recalculation_marks" DROP COLUMN "enqueued_at"`);
        await queryRunner.query(`DROP INDEX "public"."ix_recalculation_runs_period"`);
        await queryRunner.query(`DROP INDEX "public"."uq_recalculation_runs_dedupe"`);
        await queryRunner.query(`DROP TABLE "recalculation_runs"`);
        await queryRunner.query(`DROP TYPE "public"."recalculation_status"`);
        await queryRunner.query(`DROP TYPE "public"."recalculation_trigger"`);
        await queryRunner.query(`DROP TABLE "organisation_predicates"`);
        await queryRunner.query(`DROP TYPE "public"."organisation_predicate"`);
        await queryRunner.query(`DROP INDEX "public"."ix_appraisal_scores_predicate"`);
        await queryRunner.query(`DROP TABLE "appraisal_scores"`);
        await queryRunner.query(`DROP TYPE "public"."predicate"`);
    }

}
