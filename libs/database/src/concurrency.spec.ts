import pg from 'pg';
import { createTestDatabase, type TestDatabase } from './testing/test-database.js';

describe('many connections at once on the configured database', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });

  afterAll(() => db.drop());

  it('keeps every parameterised query of five pools intact under concurrent load', async () => {
    // Several pools, as when four services share the embedded database in one process.
    const pools = Array.from(
      { length: 5 },
      () => new pg.Pool({ connectionString: db.url, max: 4 }),
    );
    try {
      const results = await Promise.all(
        Array.from({ length: 400 }, async (_, i) => {
          const pool = pools[i % pools.length]!;
          if (i % 3 === 0) {
            // A query without parameters goes by the simple protocol, which drops the
            // unnamed statement another connection may be in the middle of using.
            const { rows } = await pool.query<{ v: number }>(`SELECT ${i} AS v`);
            return rows[0]!.v === i;
          }
          // Different statement texts, so a clobbered unnamed statement would show.
          const { rows } = await pool.query<{ v: number; s: string }>(
            i % 2
              ? 'SELECT $1::int * 2 AS v, $2::text AS s'
              : 'SELECT $1::int + $1::int AS v, $2 AS s',
            [i, `q${i}`],
          );
          return rows[0]!.v === i * 2 && rows[0]!.s === `q${i}`;
        }),
      );
      expect(results.every(Boolean)).toBe(true);
    } finally {
      await Promise.all(pools.map((p) => p.end()));
    }
  });

  it('gives reads around concurrent transactions their own answers', async () => {
    const pool = new pg.Pool({ connectionString: db.url, max: 10 });
    try {
      await pool.query('CREATE TABLE mixed (id int PRIMARY KEY)');
      const outcomes = await Promise.all(
        Array.from({ length: 40 }, async (_, i) => {
          await pool.query('SELECT count(*) FROM mixed WHERE id = $1', [i]);
          const c = await pool.connect();
          try {
            await c.query('BEGIN');
            await c.query('INSERT INTO mixed VALUES ($1)', [i]);
            await c.query('SELECT * FROM mixed WHERE id = $1 FOR UPDATE', [i]);
            await c.query('COMMIT');
          } finally {
            c.release();
          }
          const { rows } = await pool.query<{ id: number }>('SELECT id FROM mixed WHERE id = $1', [
            i,
          ]);
          return rows[0]?.id === i;
        }),
      );
      expect(outcomes.filter((ok) => !ok)).toHaveLength(0);
    } finally {
      await pool.end();
    }
  });

  it('lets a connection that dies inside a transaction release the database', async () => {
    const a = new pg.Client({ connectionString: db.url });
    a.on('error', () => undefined); // its own socket is about to be destroyed
    await a.connect();
    await a.query('BEGIN');
    await a.query('SELECT 1');
    // Destroy the socket without COMMIT or ROLLBACK.
    (a as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
    const b = new pg.Client({ connectionString: db.url });
    await b.connect();
    const { rows } = await b.query<{ ok: number }>('SELECT $1::int AS ok', [1]);
    expect(rows[0]!.ok).toBe(1);
    await b.end();
  });
});
