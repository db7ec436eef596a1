import { MigrationInterface, QueryRunner } from "typeorm";

/** Spec §11: assessor trainings, performance dialogues (recorded by one party, acknowledged by the other) and continuous feedback notes. */
export class AssessorsAndDialogue1796024808364 implements MigrationInterface {
    name = 'AssessorsAndDialogue1796024808364'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "assessor_trainings" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "employee_id" uuid NOT NULL, "course" character varying(200) NOT NULL, "completed_on" date NOT NULL, "valid_until" date, "certificate_url" character varying(2000), "recorded_by" uuid NOT NULL, "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_assessor_trainings_validity" CHECK (valid_until IS NULL OR valid_until >= completed_on), CONSTRAINT "PK_c8db90625bbf374f5b0c8e01eb8" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "uq_assessor_trainings_course" ON "assessor_trainings"  ("employee_id", "course", "completed_on") `);
        await queryRunner.query(`CREATE TYPE "public"."dialogue_party" AS ENUM('ASSESSOR', 'EMPLOYEE')`);
        await queryRunner.query(`CREATE TABLE "performance_dialogues" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "appraisal_id" uuid NOT NULL, "assessor_id" uuid, "held_on" date NOT NULL, "topics" jsonb NOT NULL, "notes" text NOT NULL, "agreed_actions" jsonb NOT NULL, "requested_by" "public"."dialogue_party" NOT NULL, "recorded_by" uuid NOT NULL, "recorder_ids" uuid array NOT NULL, "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "acknowledged_by" uuid, "acknowledged_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_0a2c8f78402c0a45009af822c0c" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "ix_performance_dialogues_assessor" ON "performance_dialogues"  ("assessor_id") `);
        await queryRunner.query(`CREATE INDEX "ix_performance_dialogues_appraisal" ON "performance_dialogues"  ("appraisal_id", "held_on") `);
        await queryRunner.query(`CREATE TYPE "public"."feedback_note_kind" AS ENUM('PRAISE', 'GUIDANCE', 'CONCERN')`);
        await queryRunner.query(`CREATE TYPE "public"."feedback_note_author" AS ENUM('ASSESSOR', 'REVIEWER', 'ADMIN')`);
        await queryRunner.query(`CREATE TABLE "appraisal_feedback_notes" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "appraisal_id" uuid NOT NULL, "kind" "public"."feedback_note_kind" NOT NULL, "note" text NOT NULL, "author" "public"."feedback_note_author" NOT NULL, "written_by" uuid NOT NULL, "written_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_26b806d4537d3ca2a0ac65a4457" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "ix_appraisal_feedback_notes_appraisal" ON "appraisal_feedback_notes"  ("appraisal_id", "written_at") `);
        await queryRunner.query(`ALTER TABLE "assessor_trainings" ADD CONSTRAINT "fk_assessor_trainings_employee" FOREIGN KEY ("employee_id") REFERENCES "employees"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "performance_dialogues" ADD CONSTRAINT "fk_performance_dialogues_appraisal" FOREIGN KEY ("appraisal_id") REFERENCES "appraisals"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "appraisal_feedback_notes" ADD CONSTRAINT "fk_appraisal_feedback_notes_appraisal" FOREIGN KEY ("appraisal_id") REFERENCES "appraisals"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "appraisal_feedback_notes" DROP CONSTRAINT "fk_appraisal_feedback_notes_appraisal"`);
        await queryRunner.query(`ALTER TABLE "performance_dialogues" DROP CONSTRAINT "fk_performance_dialogues_appraisal"`);
        await queryRunner.query(`ALTER TABLE "assessor_trainings" DROP CONSTRAINT "fk_assessor_trainings_employee"`);
        await queryRunner.query(`DROP INDEX "public"."ix_appraisal_feedback_notes_appraisal"`);
        await queryRunner.query(`DROP TABLE "appraisal_feedback_notes"`);
        await queryRunner.query(`DROP TYPE "public"."feedback_note_author"`);
        await queryRunner.query(`DROP TYPE "public"."feedback_note_kind"`);
        await queryRunner.query(`DROP INDEX "public"."ix_performance_dialogues_appraisal"`);
        await queryRunner.query(`DROP INDEX "public"."ix_performance_dialogues_assessor"`);
        await queryRunner.query(`DROP TABLE "performance_dialogues"`);
        await queryRunner.query(`DROP TYPE "public"."dialogue_party"`);
        await queryRunner.query(`DROP INDEX "public"."uq_assessor_trainings_course"`);
        await queryRunner.query(`DROP TABLE "assessor_trainings"`);
    }

}
