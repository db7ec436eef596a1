import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The recalculation's covering index keyed by appraisal, then target and the LATEST order (occurred_on, created_at, id):
 * a chunk's aggregate groups the index's own order (no hash of every achievement), and a LATEST target's realisation is
 * one backward probe instead of reading and sorting every achievement of the appraisal (see bench/README.md).
 */
export class VerifiedAchievementsByTarget1796040000001 implements MigrationInterface {
  name = 'VerifiedAchievementsByTarget1796040000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."ix_achievements_verified_by_appraisal"`);
    await queryRunner.query(
      `CREATE INDEX "ix_achievements_verified_by_appraisal" ON "achievements" ("appraisal_id", "target_id", "occurred_on", "created_at", "id")
       INCLUDE ("value") WHERE status = 'VERIFIED'`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."ix_achievements_verified_by_appraisal"`);
    await queryRunner.query(
      `CREATE INDEX "ix_achievements_verified_by_appraisal" ON "achievements" ("appraisal_id")
       INCLUDE ("target_id", "value", "occurred_on", "created_at", "id") WHERE status = 'VERIFIED'`,
    );
  }
}
