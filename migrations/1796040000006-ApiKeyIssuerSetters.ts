import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Spec §8: a key answers for whoever could sign in as its issuer when it was issued, not only for whoever can now, so
 * that a later outside reset of the issuer's password does not free a key a setter made. Existing keys take their
 * issuer's current chain of credential setters.
 */
export class ApiKeyIssuerSetters1796040000006 implements MigrationInterface {
  name = 'ApiKeyIssuerSetters1796040000006';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "api_keys" ADD "issuer_setter_ids" uuid array NOT NULL DEFAULT '{}'`);
    await queryRunner.query(
      `WITH RECURSIVE chain(key_id, issuer_id, setter_id) AS (
         SELECT k."id", k."created_by", u."credentials_set_by"
           FROM "api_keys" k JOIN "users" u ON u."id" = k."created_by" WHERE u."credentials_set_by" IS NOT NULL
         UNION
         SELECT c.key_id, c.issuer_id, u."credentials_set_by"
           FROM chain c JOIN "users" u ON u."id" = c.setter_id WHERE u."credentials_set_by" IS NOT NULL
       )
       UPDATE "api_keys" k SET "issuer_setter_ids" = s.ids
         FROM (SELECT key_id, array_agg(setter_id ORDER BY setter_id) AS ids FROM chain WHERE setter_id <> issuer_id GROUP BY key_id) s
        WHERE s.key_id = k."id"`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "api_keys" DROP COLUMN "issuer_setter_ids"`);
  }
}
