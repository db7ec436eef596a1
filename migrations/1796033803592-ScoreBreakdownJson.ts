import { MigrationInterface, QueryRunner } from "typeorm";

/** The score breakdown is written and read whole, never queried inside: json keeps the text as written (no jsonb parse on every score write). */
export class ScoreBreakdownJson1796033803592 implements MigrationInterface {
    name = 'ScoreBreakdownJson1796033803592'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "appraisal_scores" ALTER COLUMN "breakdown" TYPE json USING "breakdown"::json`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "appraisal_scores" ALTER COLUMN "breakdown" TYPE jsonb USING "breakdown"::jsonb`);
    }

}
