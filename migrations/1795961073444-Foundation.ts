import { MigrationInterface, QueryRunner } from "typeorm";

export class Foundation1795961073444 implements MigrationInterface {
    name = 'Foundation1795961073444'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TYPE "public"."audit_actor_type" AS ENUM('USER', 'API_KEY', 'SYSTEM')`);
        await queryRunner.query(`CREATE TABLE "audit_events" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT clock_timestamp(), "actor_type" "public"."audit_actor_type" NOT NULL, "actor_id" uuid, "actor_name" character varying(100) NOT NULL, "action" character varying(100) NOT NULL, "entity_type" character varying(50) NOT NULL, "entity_id" character varying(100), "before" jsonb, "after" jsonb, "request_id" character varying(100), CONSTRAINT "PK_910f64d901a5c3e9878f0d4a407" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "ix_audit_events_occurred_at" ON "audit_events"  ("occurred_at") `);
        await queryRunner.query(`CREATE INDEX "ix_audit_events_entity" ON "audit_events"  ("entity_type", "entity_id", "occurred_at") `);
        await queryRunner.query(`CREATE TYPE "public"."unit_kind" AS ENUM('SEKRETARIAT', 'DINAS', 'BADAN', 'KECAMATAN', 'KELURAHAN', 'BAGIAN', 'BIDANG', 'UPTD', 'OTHER')`);
        await queryRunner.query(`CREATE TABLE "units" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "code" character varying(50) NOT NULL, "name" character varying(200) NOT NULL, "kind" "public"."unit_kind" NOT NULL, "parent_id" uuid, "public_service" boolean NOT NULL DEFAULT false, "active" boolean NOT NULL DEFAULT true, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_units_not_own_parent" CHECK (parent_id IS NULL OR parent_id <> id), CONSTRAINT "PK_5a8f2f064919b587d93936cb223" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "uq_units_code" ON "units"  ("code") `);
        await queryRunner.query(`CREATE INDEX "ix_units_parent_id" ON "units"  ("parent_id") `);
        await queryRunner.query(`CREATE TYPE "public"."employment_type" AS ENUM('PNS', 'PPPK')`);
        await queryRunner.query(`CREATE TYPE "public"."gender" AS ENUM('MALE', 'FEMALE')`);
        await queryRunner.query(`CREATE TYPE "public"."job_type" AS ENUM('JPT_UTAMA', 'JPT_MADYA', 'JPT_PRATAMA', 'ADMINISTRATOR', 'PENGAWAS', 'PELAKSANA', 'FUNGSIONAL')`);
        await queryRunner.query(`CREATE TYPE "public"."functional_level" AS ENUM('AHLI_PERTAMA', 'AHLI_MUDA', 'AHLI_MADYA', 'AHLI_UTAMA', 'PEMULA', 'TERAMPIL', 'MAHIR', 'PENYELIA')`);
        await queryRunner.query(`CREATE TYPE "public"."employee_status" AS ENUM('ACTIVE', 'INACTIVE', 'RETIRED')`);
        await queryRunner.query(`CREATE TYPE "public"."potential" AS ENUM('LOW', 'MEDIUM', 'HIGH')`);
        await queryRunner.query(`CREATE TABLE "employees" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "nip" character(18) NOT NULL, "name" character varying(200) NOT NULL, "employment_type" "public"."employment_type" NOT NULL, "gender" "public"."gender", "birth_date" date, "rank" character varying(10) NOT NULL, "rank_since" date NOT NULL, "job_type" "public"."job_type" NOT NULL, "position_title" character varying(200) NOT NULL, "functional_level" "public"."functional_level", "unit_id" uuid NOT NULL, "supervisor_id" uuid, "service_start" date, "status" "public"."employee_status" NOT NULL DEFAULT 'ACTIVE', "potential" "public"."potential", "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_employees_not_own_supervisor" CHECK (supervisor_id IS NULL OR supervisor_id <> id), CONSTRAINT "ck_employees_nip_digits" CHECK (nip ~ '^[0-9]{18}$'), CONSTRAINT "PK_b9535a98350d5b26e7eb0c26af4" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "uq_employees_nip" ON "employees"  ("nip") `);
        await queryRunner.query(`CREATE INDEX "ix_employees_supervisor_id" ON "employees"  ("supervisor_id") `);
        await queryRunner.query(`CREATE INDEX "ix_employees_unit_id" ON "employees"  ("unit_id") `);
        await queryRunner.query(`CREATE TYPE "public"."user_role" AS ENUM('ADMIN', 'HR_OPERATOR', 'EMPLOYEE')`);
        await queryRunner.query(`CREATE TABLE "users" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "username" character varying(64) NOT NULL, "password_hash" text NOT NULL, "role" "public"."user_role" NOT NULL, "employee_id" uuid, "unit_id" uuid, "active" boolean NOT NULL DEFAULT true, "token_version" integer NOT NULL DEFAULT 0, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_a3ffb1c0c8416b9fc6f907b7433" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "uq_users_username" ON "users"  ("username") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "uq_users_employee_id" ON "users"  ("employee_id") WHERE employee_id IS NOT NULL`);
        await queryRunner.query(`CREATE TABLE "api_keys" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" character varying(100) NOT NULL, "prefix" character varying(16) NOT NULL, "key_hash" character(64) NOT NULL, "scopes" text array NOT NULL, "created_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "last_used_at" TIMESTAMP WITH TIME ZONE, "revoked_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_5c8a79801b44bd27b79228e1dad" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "uq_api_keys_prefix" ON "api_keys"  ("prefix") `);
        await queryRunner.query(`CREATE TYPE "public"."penalty_level" AS ENUM('LIGHT', 'MODERATE', 'HEAVY')`);
        await queryRunner.query(`CREATE TABLE "employee_penalties" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "employee_id" uuid NOT NULL, "level" "public"."penalty_level" NOT NULL, "imposed_on" date NOT NULL, "description" character varying(2000) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_53ecd7a2ae4300873c0205efb02" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "ix_employee_penalties_employee" ON "employee_penalties"  ("employee_id", "imposed_on") `);
        await queryRunner.query(`ALTER TABLE "units" ADD CONSTRAINT "fk_units_parent" FOREIGN KEY ("parent_id") REFERENCES "units"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "employees" ADD CONSTRAINT "fk_employees_unit" FOREIGN KEY ("unit_id") REFERENCES "units"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "employees" ADD CONSTRAINT "fk_employees_supervisor" FOREIGN KEY ("supervisor_id") REFERENCES "employees"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "users" ADD CONSTRAINT "fk_users_employee" FOREIGN KEY ("employee_id") REFERENCES "employees"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "users" ADD CONSTRAINT "fk_users_unit" FOREIGN KEY ("unit_id") REFERENCES "units"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "api_keys" ADD CONSTRAINT "fk_api_keys_created_by" FOREIGN KEY ("created_by") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "employee_penalties" ADD CONSTRAINT "fk_employee_penalties_employee" FOREIGN KEY ("employee_id") REFERENCES "employees"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
        // Subtree of a unit (the unit itself and all descendants); every `withinUnitId` filter uses it.
        await queryRunner.query(`
            CREATE FUNCTION unit_subtree(root uuid) RETURNS SETOF uuid
            LANGUAGE sql STABLE PARALLEL SAFE AS $$
                WITH RECURSIVE t(id) AS (
                    SELECT id FROM units WHERE id = root
                    UNION ALL
                    SELECT u.id FROM units u JOIN t ON u.parent_id = t.id
                )
                SELECT id FROM t
            $$`);
        // The audit log is append-only, whatever the application does.
        await queryRunner.query(`
            CREATE FUNCTION audit_events_append_only() RETURNS trigger
            LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'audit_events is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
            END
            $$`);
        await queryRunner.query(`CREATE TRIGGER audit_events_no_update_delete BEFORE UPDATE OR DELETE ON "audit_events" FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()`);
        await queryRunner.query(`CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON "audit_events" FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP TRIGGER audit_events_no_truncate ON "audit_events"`);
        await queryRunner.query(`DROP TRIGGER audit_events_no_update_delete ON "audit_events"`);
        await queryRunner.query(`DROP FUNCTION audit_events_append_only()`);
        await queryRunner.query(`DROP FUNCTION unit_subtree(uuid)`);
        await queryRunner.query(`ALTER TABLE "employee_penalties" DROP CONSTRAINT "fk_employee_penalties_employee"`);
        await queryRunner.query(`ALTER TABLE "api_keys" DROP CONSTRAINT "fk_api_keys_created_by"`);
        await queryRunner.query(`ALTER TABLE "users" DROP CONSTRAINT "fk_users_unit"`);
        await queryRunner.query(`ALTER TABLE "users" DROP CONSTRAINT "fk_users_employee"`);
        await queryRunner.query(`ALTER TABLE "employees" DROP CONSTRAINT "fk_employees_supervisor"`);
        await queryRunner.query(`ALTER TABLE "employees" DROP CONSTRAINT "fk_employees_unit"`);
        await queryRunner.query(`ALTER TABLE "units" DROP CONSTRAINT "fk_units_parent"`);
        await queryRunner.query(`DROP INDEX "public"."ix_employee_penalties_employee"`);
        await queryRunner.query(`DROP TABLE "employee_penalties"`);
        await queryRunner.query(`DROP TYPE "public"."penalty_level"`);
        await queryRunner.query(`DROP INDEX "public"."uq_api_keys_prefix"`);
        await queryRunner.query(`DROP TABLE "api_keys"`);
        await queryRunner.query(`DROP INDEX "public"."uq_users_employee_id"`);
        await queryRunner.query(`DROP INDEX "public"."uq_users_username"`);
        await queryRunner.query(`DROP TABLE "users"`);
        await queryRunner.query(`DROP TYPE "public"."user_role"`);
        await queryRunner.query(`DROP INDEX "public"."ix_employees_unit_id"`);
        await queryRunner.query(`DROP INDEX "public"."ix_employees_supervisor_id"`);
        await queryRunner.query(`DROP INDEX "public"."uq_employees_nip"`);
        await queryRunner.query(`DROP TABLE "employees"`);
        await queryRunner.query(`DROP TYPE "public"."potential"`);
        await queryRunner.query(`DROP TYPE "public"."employee_status"`);
        await queryRunner.query(`DROP TYPE "public"."functional_level"`);
        await queryRunner.query(`DROP TYPE "public"."job_type"`);
        await queryRunner.query(`DROP TYPE "public"."gender"`);
        await queryRunner.query(`DROP TYPE "public"."employment_type"`);
        await queryRunner.query(`DROP INDEX "public"."ix_units_parent_id"`);
        await queryRunner.query(`DROP INDEX "public"."uq_units_code"`);
        await queryRunner.query(`DROP TABLE "units"`);
        await queryRunner.query(`DROP TYPE "public"."unit_kind"`);
        await queryRunner.query(`DROP INDEX "public"."ix_audit_events_entity"`);
        await queryRunner.query(`DROP INDEX "public"."ix_audit_events_occurred_at"`);
        await queryRunner.query(`DROP TABLE "audit_events"`);
        await queryRunner.query(`DROP TYPE "public"."audit_actor_type"`);
    }

}
