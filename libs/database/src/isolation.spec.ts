import { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from './testing/test-database.js';

describe('transactions on the configured database', () => {
  let db: TestDatabase;
  let ds: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = new DataSource({ type: 'postgres', url: db.url, extra: { max: 10 } });
    await ds.initialize();
    await ds.query('CREATE TABLE counter (id int PRIMARY KEY, n int NOT NULL)');
    await ds.query('INSERT INTO counter VALUES (1, 0)');
  });

  afterAll(async () => {
    await ds.destroy();
    await db.drop();
  });

  it('keeps 20 concurrent read-modify-write transactions isolated: +20, not fewer', async () => {
    await Promise.all(
      Array.from({ length: 20 }, () =>
        ds.transaction(async (tx) => {
          const [row] = (await tx.query('SELECT n FROM counter WHERE id = 1 FOR UPDATE')) as {
            n: number;
          }[];
          // Give the other transactions every chance to interleave.
          await new Promise((r) => setTimeout(r, 5));
          await tx.query('UPDATE counter SET n = $1 WHERE id = 1', [row!.n + 1]);
        }),
      ),
    );
    const [row] = (await ds.query('SELECT n FROM counter WHERE id = 1')) as { n: number }[];
    expect(row!.n).toBe(20);
  });

  it('rolls back a failed transaction completely', async () => {
    await expect(
      ds.transaction(async (tx) => {
        await tx.query('UPDATE counter SET n = n + 100 WHERE id = 1');
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const [row] = (await ds.query('SELECT n FROM counter WHERE id = 1')) as { n: number }[];
    expect(row!.n).toBe(20);
  });
});
