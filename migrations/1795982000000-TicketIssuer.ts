import { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Every service ticket records the principal that issued it (spec §8 rule 5). Existing tickets take it from their
 * audit event (issuance is audited in the same transaction), else from the user, or the only API key, of that name.
 */
export class TicketIssuer1795982000000 implements MigrationInterface {
    name = 'TicketIssuer1795982000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "service_tickets" ADD "issuer_id" uuid`);
        await queryRunner.query(`UPDATE "service_tickets" t SET "issuer_id" = a."actor_id" FROM "audit_events" a WHERE a."action" = 'service-ticket.create' AND a."entity_id" = t."id"::text AND a."actor_id" IS NOT NULL`);
        await queryRunner.query(`UPDATE "service_tickets" t SET "issuer_id" = u."id" FROM "users" u WHERE t."issuer_id" IS NULL AND u."username" = t."issued_by"`);
        await queryRunner.query(`UPDATE "service_tickets" t SET "issuer_id" = k."id" FROM "api_keys" k WHERE t."issuer_id" IS NULL AND k."name" = t."issued_by" AND (SELECT count(*) FROM "api_keys" n WHERE n."name" = k."name") = 1`);
        await queryRunner.query(`ALTER TABLE "service_tickets" ALTER COLUMN "issuer_id" SET NOT NULL`);
        await queryRunner.query(`CREATE INDEX "ix_service_tickets_issuer_at" ON "service_tickets" ("issuer_id", "created_at") `);
        await queryRunner.query(`CREATE INDEX "ix_service_tickets_employee_at" ON "service_tickets" ("employee_id", "created_at") WHERE employee_id IS NOT NULL`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."ix_service_tickets_employee_at"`);
        await queryRunner.query(`DROP INDEX "public"."ix_service_tickets_issuer_at"`);
        await queryRunner.query(`ALTER TABLE "service_tickets" DROP COLUMN "issuer_id"`);
    }

}
