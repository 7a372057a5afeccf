import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { currentRequestId } from '#common';
import { pooledSql, type PooledSql, type Statement } from '#database';
import { chainHash, GENESIS_HASH, type AuditEntry, type AuditEvent } from './chain-hash.js';

export interface ChainVerification {
  ok: boolean;
  checked: number;
  /** The first entry whose stored hash or link does not match. */
  firstBrokenId?: string;
  reason?: 'hash' | 'link' | 'head';
}

interface Row {
  id: string;
  at: Date;
  action: string;
  actor: string;
  subject: string;
  outcome: string;
  request_id: string | null;
  details: Record<string, unknown>;
  prev_hash: string;
  hash: string;
}

/**
 * The service's append-only, hash-chained audit log (the repository of its two tables).
 *
 * @example
 *   await audit.append({ action: 'seal.used', actor: caller.sub, subject: `seal:${id}` }, tx);
 */
@Injectable()
export class AuditLog {
  private readonly table: string;
  private readonly head: string;
  private readonly sql: PooledSql;
  /** Takes the chain's lock: the head row, read FOR UPDATE. */
  private readonly lockHead: string;
  /** Inserts a batch of linked entries in order and moves the head, in one statement. */
  private readonly appendStatement: Statement;

  constructor(private readonly dataSource: DataSource) {
    const schema = (dataSource.options as { schema?: string }).schema ?? 'public';
    this.table = `"${schema}"."audit_log"`;
    this.head = `"${schema}"."audit_chain_head"`;
    this.sql = pooledSql(dataSource);
    this.lockHead = `SELECT "hash" FROM ${this.head} WHERE "id" = 1 FOR UPDATE`;
    // unnest keeps one statement text for any batch size (prepared once) and nine parameters
    // however many entries; rows inserted in ORDER BY order take their ids in that order, so
    // the chain's order is id order (checked below).
    this.appendStatement = {
      name: `audit_append_${schema}`,
      text: `WITH ins AS (
          INSERT INTO ${this.table}
            ("at","action","actor","subject","outcome","request_id","details","prev_hash","hash")
          SELECT e.at, e.action, e.actor, e.subject, e.outcome, e.request_id, e.details,
                 e.prev_hash, e.hash
          FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[], $5::text[],
                      $6::text[], $7::jsonb[], $8::text[], $9::text[]) WITH ORDINALITY
            AS e(at, action, actor, subject, outcome, request_id, details, prev_hash, hash, n)
          ORDER BY e.n
          RETURNING "id", "hash"),
        moved AS (
          UPDATE ${this.head} SET "last_id" = (SELECT max("id") FROM ins), "hash" = $10
          WHERE "id" = 1)
        SELECT "id", "hash" FROM ins ORDER BY "id"`,
    };
  }

  /** Appends waiting for the transaction in progress (group commit, see append). */
  private queue: {
    event: AuditEvent;
    resolve(e: AuditEntry): void;
    reject(err: unknown): void;
  }[] = [];
  private draining = false;

  /**
   * Appends inside the caller's transaction when given one, so event and change commit
   * together. Without one, the event is committed before the promise settles, together with
   * the events other requests appended meanwhile (group commit): one transaction, one lock of
   * the chain head and one disk flush for all of them instead of one each, which is what
   * otherwise caps sign-ins and other audited requests. A batch that fails fails for each of
   * its callers.
   */
  async append(event: AuditEvent, manager?: EntityManager): Promise<AuditEntry> {
    if (manager?.queryRunner?.isTransactionActive) return this.appendIn(manager, event);
    const entry = new Promise<AuditEntry>((resolve, reject) => {
      this.queue.push({
        event: { ...event, requestId: event.requestId ?? currentRequestId() ?? null },
        resolve,
        reject,
      });
    });
    if (!this.draining) void this.drain();
    return entry;
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, 500);
        try {
          const entries = await this.appendPooled(batch.map((b) => b.event));
          batch.forEach((b, i) => b.resolve(entries[i]!));
        } catch (err) {
          for (const b of batch) b.reject(err);
        }
      }
    } finally {
      this.draining = false;
    }
  }

  /**
   * Appends several events in order, as one link each, with one lock of the head and one
   * statement for the whole batch: a batch writer (e.g. identity's provider events) pays three
   * round trips per batch (lock, append, commit) instead of several per event.
   */
  async appendMany(events: AuditEvent[], manager?: EntityManager): Promise<AuditEntry[]> {
    if (events.length === 0) return [];
    if (manager?.queryRunner?.isTransactionActive) return this.appendAllIn(manager, events);
    return this.appendPooled(events);
  }

  private appendIn(tx: EntityManager, event: AuditEvent): Promise<AuditEntry> {
    return this.appendAllIn(tx, [event]).then(([entry]) => entry!);
  }

  /** In the caller's TypeORM transaction. */
  private async appendAllIn(tx: EntityManager, events: AuditEvent[]): Promise<AuditEntry[]> {
    const [head] = (await tx.query(this.lockHead)) as { hash: string }[];
    const linked = this.link(head?.hash ?? GENESIS_HASH, events);
    const rows = (await tx.query(this.appendStatement.text, appendValues(linked))) as Inserted[];
    return numbered(linked, rows);
  }

  /** In a transaction of its own on the pool: BEGIN and the lock in one round trip. */
  private appendPooled(events: AuditEvent[]): Promise<AuditEntry[]> {
    return this.sql.transaction(async (tx, opened) => {
      const head = opened.rows[0] as { hash: string } | undefined;
      const linked = this.link(head?.hash ?? GENESIS_HASH, events);
      const { rows } = await tx.query<Inserted>(this.appendStatement, appendValues(linked));
      return numbered(linked, rows);
    }, this.lockHead);
  }

  /** The head row is the chain's lock: appends are serialised, links never fork. */
  private link(headHash: string, events: AuditEvent[]): Linked[] {
    let prevHash = headHash;
    const current = currentRequestId() ?? null;
    return events.map((event) => {
      const entry = {
        action: event.action,
        actor: event.actor,
        subject: event.subject ?? '',
        outcome: event.outcome ?? 'success',
        at: new Date().toISOString(),
        requestId: event.requestId === undefined ? current : event.requestId,
        details: event.details ?? {},
      };
      const linked = { ...entry, prevHash, hash: chainHash(prevHash, entry) };
      prevHash = linked.hash;
      return linked;
    });
  }

  /** Entries about one subject, oldest first. */
  async forSubject(subject: string, limit = 200): Promise<AuditEntry[]> {
    const rows = (await this.dataSource.query(
      `SELECT * FROM ${this.table} WHERE "subject" = $1 ORDER BY "id" LIMIT $2`,
      [subject, limit],
    )) as Row[];
    return rows.map(toEntry);
  }

  /**
   * Recomputes every link, in id order, in batches; names the first broken one. Checks the
   * chain up to the head as it was when the check began, so appends made meanwhile (which
   * extend the chain) do not make a whole chain look broken.
   */
  async verifyChain(batchSize = 1000): Promise<ChainVerification> {
    const [head] = (await this.dataSource.query(
      `SELECT "last_id", "hash" FROM ${this.head} WHERE "id" = 1`,
    )) as { last_id: string | null; hash: string }[];
    const until = head?.last_id ?? '0';
    let prev = GENESIS_HASH;
    let lastId = '0';
    let checked = 0;
    for (;;) {
      const rows = (await this.dataSource.query(
        `SELECT * FROM ${this.table} WHERE "id" > $1 AND "id" <= $2 ORDER BY "id" LIMIT $3`,
        [lastId, until, batchSize],
      )) as Row[];
      if (rows.length === 0) break;
      for (const r of rows) {
        const e = toEntry(r);
        if (e.prevHash !== prev) return { ok: false, checked, firstBrokenId: e.id, reason: 'link' };
        if (chainHash(prev, e) !== e.hash) {
          return { ok: false, checked, firstBrokenId: e.id, reason: 'hash' };
        }
        prev = e.hash;
        lastId = e.id;
        checked++;
      }
    }
    // A deleted tail leaves earlier links intact; the head still remembers the last hash.
    if (head && head.hash !== prev) return { ok: false, checked, reason: 'head' };
    return { ok: true, checked };
  }
}

type Linked = Omit<AuditEntry, 'id'>;
type Inserted = { id: string; hash: string };

function appendValues(linked: Linked[]): unknown[] {
  return [
    linked.map((e) => e.at),
    linked.map((e) => e.action),
    linked.map((e) => e.actor),
    linked.map((e) => e.subject),
    linked.map((e) => e.outcome),
    linked.map((e) => e.requestId),
    linked.map((e) => JSON.stringify(e.details)),
    linked.map((e) => e.prevHash),
    linked.map((e) => e.hash),
    linked[linked.length - 1]!.hash,
  ];
}

/** The entries with their ids, once checked that ids follow the chain's order. */
function numbered(linked: Linked[], rows: Inserted[]): AuditEntry[] {
  if (rows.length !== linked.length) throw new Error('audit rows missing after the append');
  return rows.map((row, i) => {
    const previous = i > 0 ? BigInt(rows[i - 1]!.id) : -1n;
    if (row.hash !== linked[i]!.hash || BigInt(row.id) <= previous) {
      throw new Error('audit rows were not numbered in chain order');
    }
    return { ...linked[i]!, id: String(row.id) };
  });
}

function toEntry(r: Row): AuditEntry {
  return {
    id: String(r.id),
    at: new Date(r.at).toISOString(),
    action: r.action,
    actor: r.actor,
    subject: r.subject,
    outcome: r.outcome as 'success' | 'failure',
    requestId: r.request_id,
    details: r.details,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}
