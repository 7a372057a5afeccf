// Makes pglite-socket's query queue keep one connection's protocol sequence together.
//
// Why: PGlite is one PostgreSQL session. pglite-socket queues each protocol message of each
// connection and, outside a transaction, runs them in arrival order. The extended query
// protocol (what `pg` uses for every parameterised query) is a sequence Parse, Bind,
// Describe, Execute, Sync; when another connection's Parse lands between them, it replaces
// the unnamed prepared statement and the first connection gets "unnamed prepared statement
// does not exist". Seen under concurrent load with several pools.
//
// What this does: once a connection's message has run, the queue serves only that
// connection until its sequence ends (a Sync, a simple Query or a Terminate) AND it is not
// inside a transaction. Other connections wait their turn, so every sequence and every
// transaction runs as if the session were theirs alone.
const SEQUENCE_ENDS = new Set([0x53 /* S: Sync */, 0x51 /* Q: Query */, 0x58 /* X: Terminate */]);

export function keepProtocolSequencesTogether(queue, db) {
  let owner = null;

  queue.processQueue = async function processQueue() {
    if (this.processing || this.queue.length === 0) return;
    this.processing = true;
    try {
      while (this.queue.length > 0) {
        const index = owner === null ? 0 : this.queue.findIndex((q) => q.handlerId === owner);
        // The owner's next message has not arrived yet: wait for it, serve nobody else.
        if (index === -1) break;
        const [query] = this.queue.splice(index, 1);

        let size = 0;
        try {
          await db.runExclusive(() =>
            db.execProtocolRawStream(query.message, {
              onRawData: (data) => {
                size += data.length;
                query.onData(data);
              },
            }),
          );
        } catch (err) {
          owner = db.isInTransaction() ? query.handlerId : null;
          query.reject(err);
          continue;
        }

        // A startup message has no type byte (it begins with its length, first byte 0).
        const type = query.message[0];
        const sequenceEnded = type === 0 || SEQUENCE_ENDS.has(type);
        owner = !sequenceEnded || db.isInTransaction() ? query.handlerId : null;
        this.lastHandlerId = query.handlerId;
        query.resolve(size);
      }
    } finally {
      this.processing = false;
    }
  };

  // A connection that goes away mid-sequence or mid-transaction must not hold the session.
  queue.clearTransactionIfNeeded = async function clearTransactionIfNeeded(handlerId) {
    if (owner !== handlerId) return;
    if (db.isInTransaction()) await db.exec('ROLLBACK');
    owner = null;
    this.lastHandlerId = null;
    await this.processQueue();
  };
}

/**
 * pglite-socket handles each socket 'data' event in its own task; when a second chunk
 * arrives while the first is still being processed, two loops take messages from the same
 * buffer and a sequence can reach the database out of order. Chain the calls per connection.
 */
export function handleDataInOrder(HandlerClass) {
  const original = HandlerClass.prototype.handleData;
  if (typeof original !== 'function') throw new Error('pglite-socket changed: no handleData');
  HandlerClass.prototype.handleData = function handleData(data) {
    const run = () => original.call(this, data);
    const next = (this.pendingData ?? Promise.resolve()).then(run, run);
    this.pendingData = next.catch(() => undefined);
    return next;
  };
}
