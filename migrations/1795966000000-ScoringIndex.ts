import { MigrationInterface, QueryRunner } from 'typeorm';

/** Covering partial index for the recalculation's per-chunk aggregate (see bench/README.md). */
export class ScoringIndex1795966000000 implements MigrationInterface {
  name = 'ScoringIndex1795966000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "ix_achievements_verified_by_appraisal" ON "achievements" ("appraisal_id")
       INCLUDE ("target_id", "value", "occurred_on", "created_at", "id") WHERE status = 'VERIFIED'`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."ix_achievements_verified_by_appraisal"`);
  }
}
