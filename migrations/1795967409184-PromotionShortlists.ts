import { MigrationInterface, QueryRunner } from "typeorm";

export class PromotionShortlists1795967409184 implements MigrationInterface {
    name = 'PromotionShortlists1795967409184'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "promotion_shortlists" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" character varying(200) NOT NULL, "parameters" jsonb NOT NULL, "items" jsonb NOT NULL, "unit_id" uuid, "created_by" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_0bd8c1cce3a6fc2b624ec1b1655" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE TYPE "public"."shortlist_decision" AS ENUM('APPROVED', 'REJECTED', 'DEFERRED')`);
        await queryRunner.query(`CREATE TABLE "promotion_shortlist_decisions" ("shortlist_id" uuid NOT NULL, "employee_id" uuid NOT NULL, "decision" "public"."shortlist_decision" NOT NULL, "note" text NOT NULL, "decided_by" uuid NOT NULL, "decided_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_592e230791340386d481236066f" PRIMARY KEY ("shortlist_id", "employee_id"))`);
        await queryRunner.query(`ALTER TABLE "promotion_shortlists" ADD CONSTRAINT "fk_promotion_shortlists_unit" FOREIGN KEY ("unit_id") REFERENCES "units"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "promotion_shortlist_decisions" ADD CONSTRAINT "fk_promotion_shortlist_decisions_shortlist" FOREIGN KEY ("shortlist_id") REFERENCES "promotion_shortlists"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "promotion_shortlist_decisions" ADD CONSTRAINT "fk_promotion_shortlist_decisions_employee" FOREIGN KEY ("employee_id") REFERENCES "employees"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "promotion_shortlist_decisions" DROP CONSTRAINT "fk_promotion_shortlist_decisions_employee"`);
        await queryRunner.query(`ALTER TABLE "promotion_shortlist_decisions" DROP CONSTRAINT "fk_promotion_shortlist_decisions_shortlist"`);
        await queryRunner.query(`ALTER TABLE "promotion_shortlists" DROP CONSTRAINT "fk_promotion_shortlists_unit"`);
        await queryRunner.query(`DROP TABLE "promotion_shortlist_decisions"`);
        await queryRunner.query(`DROP TYPE "public"."shortlist_decision"`);
        await queryRunner.query(`DROP TABLE "promotion_shortlists"`);
    }

}
