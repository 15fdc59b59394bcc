// Per-number call history: one Durable Object per tenant, SQLite storage (Cloudflare Durable
// Objects with `new_sqlite_classes`; workerd's local-disk Durable Object storage for `make serve`
// and the tests, which survives a restart). It holds, for each presented number, the last N
// verified calls as the core's CallRecord JSON (src/webhook.rs): outcome, attest, signer,
// failing check, headline, time — the raw token only when the tenant chose to keep it.
//
// The worker talks to it by RPC (`stub.add(...)`, `stub.list(...)`); it is never reachable from
// outside: only the worker holds the HISTORY binding, and the worker has authenticated the
// tenant before it picks the object by the tenant's id.

import { DurableObject } from 'cloudflare:workers';
import { MAX_NUMBERS_PER_READ } from './webhooks-tenants.js';

export class CallHistory extends DurableObject {
  constructor(ctx, env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(`CREATE TABLE IF NOT EXISTS calls (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      number TEXT NOT NULL,
      received_at INTEGER NOT NULL,
      record TEXT NOT NULL
    )`);
    this.sql.exec('CREATE INDEX IF NOT EXISTS calls_by_number ON calls (number, id)');
  }

  /**
   * Stores one call and applies the bounds: at most `maxCalls` per number (the oldest go first)
   * and nothing older than `retentionDays`.
   * @param {object} record the core's CallRecord
   * @param {{ maxCalls: number, retentionDays: number, now: number }} bounds
   * @returns {{ stored: true, kept: number }} how many calls the number now holds
   */
  add(record, { maxCalls, retentionDays, now }) {
    const number = String(record.number);
    this.sql.exec('INSERT INTO calls (number, received_at, record) VALUES (?, ?, ?)', number, Math.floor(record.received_at), JSON.stringify(record));
    this.sql.exec(
      `DELETE FROM calls WHERE number = ? AND id NOT IN
         (SELECT id FROM calls WHERE number = ? ORDER BY id DESC LIMIT ?)`,
      number, number, maxCalls,
    );
    this.expire(retentionDays, now);
    const kept = this.sql.exec('SELECT COUNT(*) AS n FROM calls WHERE number = ?', number).one().n;
    return { stored: true, kept };
  }

  /**
   * The calls of each asked number, newest first.
   * @param {string[]} numbers canonical numbers
   * @returns {Record<string, object[]>}
   */
  list(numbers, { retentionDays, now }) {
    this.expire(retentionDays, now);
    const out = {};
    for (const n of numbers.slice(0, MAX_NUMBERS_PER_READ)) {
      out[n] = this.sql
        .exec('SELECT record FROM calls WHERE number = ? ORDER BY id DESC', n)
        .toArray()
        .map((row) => JSON.parse(row.record));
    }
    return out;
  }

  /** Every number with history: how many calls and the latest time. */
  numbers({ retentionDays, now }) {
    this.expire(retentionDays, now);
    return this.sql
      .exec('SELECT number, COUNT(*) AS calls, MAX(received_at) AS last_at FROM calls GROUP BY number ORDER BY last_at DESC')
      .toArray()
      .map((r) => ({ number: r.number, calls: r.calls, last_at: r.last_at }));
  }

  expire(retentionDays, now) {
    this.sql.exec('DELETE FROM calls WHERE received_at < ?', Math.floor(now - retentionDays * 86400));
  }
}
