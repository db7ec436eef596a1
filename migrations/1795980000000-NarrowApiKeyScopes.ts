import { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Spec §8 rule 6 splits the old broad scopes. Keys holding `appraisals:write` keep only what it now means
 * (appraisals, targets, generate, agree): they get none of the new write scopes (`achievements:verify`,
 * `assessments:write`, `periods:manage`), which an admin grants on a new key. Promotion candidates move
 * from `scores:read` to `promotion:read`; that is a read, so keys that could read them keep doing so.
 */
export class NarrowApiKeyScopes1795980000000 implements MigrationInterface {
    name = 'NarrowApiKeyScopes1795980000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`UPDATE "api_keys" SET "scopes" = array_append("scopes", 'promotion:read') WHERE 'scores:read' = ANY("scopes") AND NOT 'promotion:read' = ANY("scopes")`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`UPDATE "api_keys" SET "scopes" = array_remove("scopes", 'promotion:read')`);
    }

}
