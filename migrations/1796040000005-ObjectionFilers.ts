import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Four eyes on objections (spec §8): whoever filed one cannot resolve it. Existing objections take their filer and,
 * for an API key, the user who issued it.
 */
export class ObjectionFilers1796040000005 implements MigrationInterface {
  name = 'ObjectionFilers1796040000005';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "appraisal_objections" ADD "filer_ids" uuid array NOT NULL DEFAULT '{}'`);
    await queryRunner.query(
      `UPDATE "appraisal_objections" o SET "filer_ids" = ARRAY(
         SELECT o."filed_by" UNION SELECT k."created_by" FROM "api_keys" k WHERE k."id" = o."filed_by" AND k."created_by" IS NOT NULL)`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "appraisal_objections" DROP COLUMN "filer_ids"`);
  }
}
