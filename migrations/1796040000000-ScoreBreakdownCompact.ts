import { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Stored score breakdowns become compact (`StoredBreakdown` in src/modules/scoring/breakdown.ts): each target and aspect a
 * positional array, resultRatingOverridden left out (it is resultRatingSource OVERRIDE). The API's answers do not change.
 */
export class ScoreBreakdownCompact1796040000000 implements MigrationInterface {
    name = 'ScoreBreakdownCompact1796040000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`UPDATE "appraisal_scores" SET "breakdown" = json_build_object(
            't', (SELECT COALESCE(json_agg(json_build_array(x->'targetId', x->'indicatorCode', x->'weight', x->'target', x->'realisation', x->'capaian') ORDER BY n), '[]')
                    FROM json_array_elements("breakdown"->'targets') WITH ORDINALITY AS e(x, n)),
            'a', (SELECT COALESCE(json_agg(json_build_array(x->'aspect', x->'rating', x->'assessorValue', x->'publicValue', x->'publicSource', x->'value') ORDER BY n), '[]')
                    FROM json_array_elements("breakdown"->'aspects') WITH ORDINALITY AS e(x, n)),
            'c', "breakdown"->'computedResultRating',
            's', "breakdown"->'resultRatingSource')
          WHERE json_typeof("breakdown"->'targets') = 'array'`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`UPDATE "appraisal_scores" SET "breakdown" = json_build_object(
            'targets', (SELECT COALESCE(json_agg(json_build_object('targetId', x->0, 'indicatorCode', x->1, 'weight', x->2, 'target', x->3, 'realisation', x->4, 'capaian', x->5) ORDER BY n), '[]')
                          FROM json_array_elements("breakdown"->'t') WITH ORDINALITY AS e(x, n)),
            'aspects', (SELECT COALESCE(json_agg(json_build_object('aspect', x->0, 'rating', x->1, 'assessorValue', x->2, 'publicValue', x->3, 'publicSource', x->4, 'value', x->5) ORDER BY n), '[]')
                          FROM json_array_elements("breakdown"->'a') WITH ORDINALITY AS e(x, n)),
            'computedResultRating', "breakdown"->'c',
            'resultRatingOverridden', to_json("breakdown"->>'s' = 'OVERRIDE'),
            'resultRatingSource', "breakdown"->'s')
          WHERE json_typeof("breakdown"->'t') = 'array'`);
    }

}
