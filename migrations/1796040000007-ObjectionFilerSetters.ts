import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Four eyes on objections (spec §8): who could sign in as the filer when the objection was filed (their credential
 * setters; a key's, those its issuer had when it was issued) may not resolve it, even after a later reset of the
 * filer's password. Existing objections have none recorded: the resolve check also reads the setters as they are now.
 */
export class ObjectionFilerSetters1796040000007 implements MigrationInterface {
  name = 'ObjectionFilerSetters1796040000007';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "appraisal_objections" ADD "filer_setter_ids" uuid array NOT NULL DEFAULT '{}'`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "appraisal_objections" DROP COLUMN "filer_setter_ids"`);
  }
}
