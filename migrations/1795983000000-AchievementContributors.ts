import { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Four eyes over everyone who shaped an achievement's evidence (spec §8 rule 2), not only its last submitter.
 * Existing achievements take their submitter and every principal whose creation or correction of it was audited
 * (a correction used to overwrite the submitter), each API key with the user who issued it.
 */
export class AchievementContributors1795983000000 implements MigrationInterface {
    name = 'AchievementContributors1795983000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "achievements" ADD "contributor_ids" uuid array NOT NULL DEFAULT '{}'`);
        await queryRunner.query(`UPDATE "achievements" a SET "contributor_ids" = ARRAY(
            SELECT DISTINCT c."id" FROM (
                SELECT a."submitted_by" AS "id"
                UNION SELECT e."actor_id" FROM "audit_events" e
                 WHERE e."entity_type" = 'achievement' AND e."entity_id" = a."id"::text
                   AND e."action" IN ('achievement.create', 'achievement.update') AND e."actor_id" IS NOT NULL
            ) p, LATERAL (SELECT p."id" UNION SELECT k."created_by" FROM "api_keys" k WHERE k."id" = p."id" AND k."created_by" IS NOT NULL) c)`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "achievements" DROP COLUMN "contributor_ids"`);
    }

}
