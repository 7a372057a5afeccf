import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { currentRequestId } from '#common';
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

  constructor(private readonly dataSource: DataSource) {
    const schema = (dataSource.options as { schema?: string }).schema ?? 'public';
    this.table = `"${schema}"."audit_log"`;
    this.head = `"${schema}"."audit_chain_head"`;
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
          const entries = await this.dataSource.transaction((tx) =>
            this.appendAllIn(
              tx,
              batch.map((b) => b.event),
            ),
          );
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
   * insert per 500 entries: a batch writer (e.g. identity's provider events) pays three
   * statements per batch instead of three per event.
   */
  async appendMany(events: AuditEvent[], manager?: EntityManager): Promise<AuditEntry[]> {
    if (events.length === 0) return [];
    if (manager?.queryRunner?.isTransactionActive) return this.appendAllIn(manager, events);
    return this.dataSource.transaction((tx) => this.appendAllIn(tx, events));
  }

  private appendIn(tx: EntityManager, event: AuditEvent): Promise<AuditEntry> {
    return this.appendAllIn(tx, [event]).then(([entry]) => entry!);
  }

  private async appendAllIn(tx: EntityManager, events: AuditEvent[]): Promise<AuditEntry[]> {
    // The head row is the chain's lock: appends are serialised, links never fork.
    const [head] = (await tx.query(
      `SELECT "hash" FROM ${this.head} WHERE "id" = 1 FOR UPDATE`,
    )) as {
      hash: string;
    }[];
    let prevHash = head?.hash ?? GENESIS_HASH;
    const current = currentRequestId() ?? null;
    const out: AuditEntry[] = [];
    for (let from = 0; from < events.length; from += 500) {
      const chunk = events.slice(from, from + 500).map((event) => {
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
      const values = chunk.map((_, i) => {
        const b = i * 9;
        return `($${b + 1},$${b + 2},$${b + 3},$${b + 4},$${b + 5},$${b + 6},$${b + 7},$${b + 8},$${b + 9})`;
      });
      // Rows of one VALUES list take their ids in list order: the chain's order is id order.
      const rows = (await tx.query(
        `INSERT INTO ${this.table}
          ("at","action","actor","subject","outcome","request_id","details","prev_hash","hash")
         VALUES ${values.join(',')} RETURNING "id", "hash"`,
        chunk.flatMap((e) => [
          e.at,
          e.action,
          e.actor,
          e.subject,
          e.outcome,
          e.requestId,
          JSON.stringify(e.details),
          e.prevHash,
          e.hash,
        ]),
      )) as { id: string; hash: string }[];
      rows.forEach((row, i) => {
        const previous = i > 0 ? BigInt(rows[i - 1]!.id) : -1n;
        if (row.hash !== chunk[i]!.hash || BigInt(row.id) <= previous) {
          throw new Error('audit rows were not numbered in chain order');
        }
        out.push({ ...chunk[i]!, id: String(row.id) });
      });
    }
    await tx.query(`UPDATE ${this.head} SET "last_id" = $1, "hash" = $2 WHERE "id" = 1`, [
      out[out.length - 1]!.id,
      prevHash,
    ]);
    return out;
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
