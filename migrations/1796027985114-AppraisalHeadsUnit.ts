import { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Spec §5.4: whether an appraisal's employee heads its unit becomes part of the appraisal, frozen once it is finalised,
 * instead of being read from the unit's current head at every recomputation. Existing appraisals take today's heads.
 */
export class AppraisalHeadsUnit1796027985114 implements MigrationInterface {
    name = 'AppraisalHeadsUnit1796027985114'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "appraisals" ADD "heads_unit" boolean NOT NULL DEFAULT false`);
        await queryRunner.query(`UPDATE "appraisals" a SET "heads_unit" = true FROM "units" u WHERE u."id" = a."unit_id" AND u."head_employee_id" = a."employee_id"`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "appraisals" DROP COLUMN "heads_unit"`);
    }

}
