import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Spec §8: whoever set an account's credentials can sign in as it, so the account answers for them in the separation
 * of duties. Existing accounts take the last admin who created them or reset their password, as the audit trail has it
 * (a user changing their own password does not count).
 */
export class UserCredentialsSetBy1796040000004 implements MigrationInterface {
  name = 'UserCredentialsSetBy1796040000004';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users" ADD "credentials_set_by" uuid`);
    await queryRunner.query(
      `ALTER TABLE "users" ADD CONSTRAINT "fk_users_credentials_set_by" FOREIGN KEY ("credentials_set_by") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `UPDATE "users" u SET "credentials_set_by" = s.actor_id
         FROM (SELECT DISTINCT ON (ev."entity_id") ev."entity_id", ev."actor_id"
                 FROM "audit_events" ev
                WHERE ev."entity_type" = 'user' AND ev."actor_type" = 'USER' AND ev."actor_id"::text <> ev."entity_id"
                  AND (ev."action" = 'user.create' OR (ev."action" = 'user.update' AND ev."after" ->> 'passwordChanged' = 'true'))
                ORDER BY ev."entity_id", ev."occurred_at" DESC, ev."id" DESC) s
        WHERE s."entity_id" = u."id"::text AND EXISTS (SELECT 1 FROM "users" x WHERE x."id" = s.actor_id)`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users" DROP CONSTRAINT "fk_users_credentials_set_by"`);
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "credentials_set_by"`);
  }
}
