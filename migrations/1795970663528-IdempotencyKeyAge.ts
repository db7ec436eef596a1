import { MigrationInterface, QueryRunner } from "typeorm";

export class IdempotencyKeyAge1795970663528 implements MigrationInterface {
    name = 'IdempotencyKeyAge1795970663528'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE INDEX "ix_idempotency_keys_created_at" ON "idempotency_keys"  ("created_at") `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."ix_idempotency_keys_created_at"`);
    }

}
