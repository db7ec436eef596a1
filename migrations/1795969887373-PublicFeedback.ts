import { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Citizen feedback (spec §4). Generated, except the two covering partial indexes ix_public_feedback_unit_on and
 * ix_public_feedback_employee_on: INCLUDE is written by hand (their entity declarations say synchronize: false).
 */

export class PublicFeedback1795969887373 implements MigrationInterface {
    name = 'PublicFeedback1795969887373'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "service_tickets" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "token_hash" character(64) NOT NULL, "unit_id" uuid NOT NULL, "employee_id" uuid, "service_name" character varying(200), "issued_by" character varying(100) NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "used_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_bae2cfa32a1181e6339d559812e" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "uq_service_tickets_token" ON "service_tickets"  ("token_hash") `);
        await queryRunner.query(`CREATE TYPE "public"."feedback_channel" AS ENUM('WEB', 'KIOSK', 'MOBILE', 'FORUM', 'OTHER')`);
        await queryRunner.query(`CREATE TYPE "public"."feedback_status" AS ENUM('PUBLISHED', 'VERIFIED', 'HELD', 'REJECTED')`);
        await queryRunner.query(`CREATE TABLE "public_feedback" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "unit_id" uuid NOT NULL, "employee_id" uuid, "service_name" character varying(200), "channel" "public"."feedback_channel" NOT NULL, "u1" smallint NOT NULL, "u2" smallint NOT NULL, "u3" smallint NOT NULL, "u4" smallint NOT NULL, "u5" smallint NOT NULL, "u6" smallint NOT NULL, "u7" smallint NOT NULL, "u8" smallint NOT NULL, "u9" smallint NOT NULL, "comment" character varying(2000), "respondent" jsonb, "ticket_id" uuid, "contact_hash" character(64), "ip_hash" character(64), "status" "public"."feedback_status" NOT NULL, "submitted_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "submitted_on" date NOT NULL, "moderated_at" TIMESTAMP WITH TIME ZONE, "moderated_by" character varying(100), "moderation_note" character varying(1000), CONSTRAINT "ck_public_feedback_answers" CHECK (u1 BETWEEN 1 AND 4 AND u2 BETWEEN 1 AND 4 AND u3 BETWEEN 1 AND 4 AND u4 BETWEEN 1 AND 4 AND u5 BETWEEN 1 AND 4 AND u6 BETWEEN 1 AND 4 AND u7 BETWEEN 1 AND 4 AND u8 BETWEEN 1 AND 4 AND u9 BETWEEN 1 AND 4), CONSTRAINT "PK_69814195307c43cb6642b770023" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "uq_public_feedback_ticket" ON "public_feedback"  ("ticket_id") `);
        await queryRunner.query(`CREATE INDEX "ix_public_feedback_hashes_at" ON "public_feedback"  ("submitted_at") WHERE ip_hash IS NOT NULL OR contact_hash IS NOT NULL`);
        await queryRunner.query(`CREATE INDEX "ix_public_feedback_status_at" ON "public_feedback"  ("status", "submitted_at") `);
        await queryRunner.query(`CREATE INDEX "ix_public_feedback_ip_at" ON "public_feedback"  ("ip_hash", "submitted_at") WHERE ticket_id IS NULL`);
        await queryRunner.query(`CREATE INDEX "ix_public_feedback_contact_at" ON "public_feedback"  ("contact_hash", "submitted_at") WHERE contact_hash IS NOT NULL`);
        await queryRunner.query(`CREATE INDEX "ix_public_feedback_employee_at" ON "public_feedback"  ("employee_id", "submitted_at") WHERE employee_id IS NOT NULL`);
        await queryRunner.query(`CREATE INDEX "ix_public_feedback_employee_on" ON "public_feedback"  ("employee_id", "submitted_on") INCLUDE ("u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8", "u9") WHERE status = 'VERIFIED'`);
        await queryRunner.query(`CREATE INDEX "ix_public_feedback_unit_on" ON "public_feedback"  ("unit_id", "submitted_on") INCLUDE ("u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8", "u9") WHERE status IN ('PUBLISHED', 'VERIFIED')`);
        await queryRunner.query(`ALTER TYPE "public"."audit_actor_type" ADD VALUE 'PUBLIC'`);
        await queryRunner.query(`ALTER TABLE "service_tickets" ADD CONSTRAINT "fk_service_tickets_unit" FOREIGN KEY ("unit_id") REFERENCES "units"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "service_tickets" ADD CONSTRAINT "fk_service_tickets_employee" FOREIGN KEY ("employee_id") REFERENCES "employees"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "public_feedback" ADD CONSTRAINT "fk_public_feedback_unit" FOREIGN KEY ("unit_id") REFERENCES "units"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "public_feedback" ADD CONSTRAINT "fk_public_feedback_employee" FOREIGN KEY ("employee_id") REFERENCES "employees"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "public_feedback" ADD CONSTRAINT "fk_public_feedback_ticket" FOREIGN KEY ("ticket_id") REFERENCES "service_tickets"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "public_feedback" DROP CONSTRAINT "fk_public_feedback_ticket"`);
        await queryRunner.query(`ALTER TABLE "public_feedback" DROP CONSTRAINT "fk_public_feedback_employee"`);
        await queryRunner.query(`ALTER TABLE "public_feedback" DROP CONSTRAINT "fk_public_feedback_unit"`);
        await queryRunner.query(`ALTER TABLE "service_tickets" DROP CONSTRAINT "fk_service_tickets_employee"`);
        await queryRunner.query(`ALTER TABLE "service_tickets" DROP CONSTRAINT "fk_service_tickets_unit"`);
        await queryRunner.query(`CREATE TYPE "public"."audit_actor_type_old" AS ENUM('USER', 'API_KEY', 'SYSTEM')`);
        await queryRunner.query(`ALTER TABLE "audit_events" ALTER COLUMN "actor_type" TYPE "public"."audit_actor_type_old" USING "actor_type"::"text"::"public"."audit_actor_type_old"`);
        await queryRunner.query(`DROP TYPE "public"."audit_actor_type"`);
        await queryRunner.query(`ALTER TYPE "public"."audit_actor_type_old" RENAME TO "audit_actor_type"`);
        await queryRunner.query(`DROP INDEX "public"."ix_public_feedback_unit_on"`);
        await queryRunner.query(`DROP INDEX "public"."ix_public_feedback_employee_on"`);
        await queryRunner.query(`DROP INDEX "public"."ix_public_feedback_employee_at"`);
        await queryRunner.query(`DROP INDEX "public"."ix_public_feedback_contact_at"`);
        await queryRunner.query(`DROP INDEX "public"."ix_public_feedback_ip_at"`);
        await queryRunner.query(`DROP INDEX "public"."ix_public_feedback_status_at"`);
        await queryRunner.query(`DROP INDEX "public"."ix_public_feedback_hashes_at"`);
        await queryRunner.query(`DROP INDEX "public"."uq_public_feedback_ticket"`);
        await queryRunner.query(`DROP TABLE "public_feedback"`);
        await queryRunner.query(`DROP TYPE "public"."feedback_status"`);
        await queryRunner.query(`DROP TYPE "public"."feedback_channel"`);
        await queryRunner.query(`DROP INDEX "public"."uq_service_tickets_token"`);
        await queryRunner.query(`DROP TABLE "service_tickets"`);
    }

}
