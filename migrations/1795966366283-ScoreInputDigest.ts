import { MigrationInterface, QueryRunner } from "typeorm";

export class ScoreInputDigest1795966366283 implements MigrationInterface {
    name = 'ScoreInputDigest1795966366283'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "appraisal_scores" ADD "input_digest" character(64)`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "appraisal_scores" DROP COLUMN "input_digest"`);
    }

}
