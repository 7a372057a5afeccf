import type pg from 'pg';
import type { DataSource } from 'typeorm';

/** One statement of a repository's hot path: a stable name (unique per text) and its SQL. */
export interface Statement {
  name: string;
  text: string;
}

/**
 * Raw SQL on a data source's own pg pool, for the few repositories on a hot path (identity's
 * provider store, the audit chain): no TypeORM query runner per call, and on PostgreSQL a
 * named prepared statement per query, parsed and planned once per connection (PostgreSQL
 * docs, "PREPARE": about half of a short statement's server time is parse and plan).
 *
 * PGlite, the embedded database, is ONE session behind every connection: a name one
 * connection prepared already exists for the next, which would fail with "prepared statement
 * already exists". There the statements stay unnamed.
 *
 * @example
 *   const FIND = { name: 'seal_find', text: 'SELECT * FROM e_seal.seal WHERE id = $1' };
 *   const { rows } = await pooledSql(dataSource).query<SealRow>(FIND, [id]);
 */
export class PooledSql {
  private named?: Promise<boolean>;

  constructor(private readonly dataSource: DataSource) {}

  async query<R extends pg.QueryResultRow>(
    statement: Statement,
    values: unknown[],
  ): Promise<pg.QueryResult<R>> {
    const pool = this.pool();
    const named = await (this.named ??= this.preparesStatements(pool));
    return pool.query<R>(
      named
        ? { name: statement.name, text: statement.text, values }
        : { text: statement.text, values },
    );
  }

  /**
   * Runs `work` in one transaction on one pooled connection, committed when it resolves and
   * rolled back when it throws. `opening`, a statement without parameters (e.g. taking a row
   * lock), is sent with BEGIN as one message, saving a round trip; its result is `opened`.
   */
  async transaction<T>(
    work: (tx: PooledTransaction, opened: pg.QueryResult) => Promise<T>,
    opening?: string,
  ): Promise<T> {
    const pool = this.pool();
    const named = await (this.named ??= this.preparesStatements(pool));
    const client = await pool.connect();
    let broken: unknown;
    // A connection lost while checked out emits 'error' besides failing the query in flight;
    // unheard, that event would end the process.
    const onError = (err: Error) => (broken = err);
    client.on('error', onError);
    try {
      // Several statements in one simple-protocol message answer one result each.
      const begun = (await client.query(opening ? `BEGIN; ${opening}` : 'BEGIN')) as
        pg.QueryResult | pg.QueryResult[];
      const opened = Array.isArray(begun) ? begun[begun.length - 1]! : begun;
      const result = await work(
        {
          query: <R extends pg.QueryResultRow>(statement: Statement, values: unknown[]) =>
            client.query<R>(
              named
                ? { name: statement.name, text: statement.text, values }
                : { text: statement.text, values },
            ),
        },
        opened,
      );
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch((rollbackErr: unknown) => (broken = rollbackErr));
      throw err;
    } finally {
      client.off('error', onError);
      // A connection lost, or whose rollback failed, is in an unknown state: the pool drops it.
      client.release(broken instanceof Error ? broken : undefined);
    }
  }

  private pool(): pg.Pool {
    const pool = (this.dataSource.driver as unknown as { master?: pg.Pool }).master;
    if (!pool) throw new Error('the data source is not initialised (no connection pool yet)');
    return pool;
  }

  private async preparesStatements(pool: pg.Pool): Promise<boolean> {
    const { rows } = await pool.query<{ version: string }>('SELECT version() AS version');
    return !/PGlite/i.test(rows[0]?.version ?? '');
  }
}

export interface PooledTransaction {
  query<R extends pg.QueryResultRow>(
    statement: Statement,
    values: unknown[],
  ): Promise<pg.QueryResult<R>>;
}

const byDataSource = new WeakMap<DataSource, PooledSql>();

/** The PooledSql of a data source (one per data source, so detection runs once). */
export function pooledSql(dataSource: DataSource): PooledSql {
  let sql = byDataSource.get(dataSource);
  if (!sql) byDataSource.set(dataSource, (sql = new PooledSql(dataSource)));
  return sql;
}
