import { MigrationInterface, QueryRunner } from "typeorm";

export class AuditReason1795981000000 implements MigrationInterface {
    name = 'AuditReason1795981000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "audit_events" ADD "reason" text`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "audit_events" DROP COLUMN "reason"`);
    }

}
