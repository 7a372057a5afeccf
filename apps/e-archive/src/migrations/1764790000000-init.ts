import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Init1764790000000 implements MigrationInterface {
  name = 'Init1764790000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SCHEMA IF NOT EXISTS "e_archive"`);
  }

  async down(): Promise<void> {}
}
