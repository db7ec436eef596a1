import { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Unit heads (spec §5.4). Stored scores gain `resultRatingSource` in their breakdown: no unit has a head yet, so each
 * is OVERRIDE when its override applied and COMPUTED otherwise, exactly what a recalculation would write.
 */
export class UnitHeads1796025774978 implements MigrationInterface {
    name = 'UnitHeads1796025774978'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "units" ADD "head_employee_id" uuid`);
        await queryRunner.query(`CREATE INDEX "ix_units_head_employee_id" ON "units"  ("head_employee_id") `);
        await queryRunner.query(`ALTER TABLE "units" ADD CONSTRAINT "fk_units_head_employee" FOREIGN KEY ("head_employee_id") REFERENCES "employees"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`UPDATE "appraisal_scores" SET "breakdown" = "breakdown" || jsonb_build_object('resultRatingSource',
            CASE WHEN ("breakdown"->>'resultRatingOverridden')::boolean THEN 'OVERRIDE' ELSE 'COMPUTED' END)`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`UPDATE "appraisal_scores" SET "breakdown" = "breakdown" - 'resultRatingSource'`);
        await queryRunner.query(`ALTER TABLE "units" DROP CONSTRAINT "fk_units_head_employee"`);
        await queryRunner.query(`DROP INDEX "public"."ix_units_head_employee_id"`);
        await queryRunner.query(`ALTER TABLE "units" DROP COLUMN "head_employee_id"`);
    }

}
