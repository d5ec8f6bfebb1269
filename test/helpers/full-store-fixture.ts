/**
 * A SQLite store with rows in every table, written with raw SQL so that each edge is chosen: events
 * tied on detected_at inserted out of id order, JSON with unsorted keys and odd numbers, booleans both
 * ways, nulls, text that is not ASCII, and a deleted re-scan request above the highest kept id.
 */
import type Database from 'better-sqlite3';
import { getTableColumns } from 'drizzle-orm';
import { COPY_TABLES } from '../../src/store/copy/copy-tables.js';

const T = Date.UTC(2026, 10, 27, 8);

/** Fills a migrated, empty SQLite store. */
export function fillFullStore(sqlite: Database.Database): void {
  const run = (text: string, ...params: unknown[]): void => {
    sqlite.prepare(text).run(...params);
  };
  sqlite.transaction(() => {
    const customer = `INSERT INTO customers (uscc, name, tags, paused, created_at, updated_at, removed_at, last_checked_at, next_check_at,
      consecutive_failures, last_error, degraded, queued_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;
    run(customer, '91440300MA5DC6QX9C', '深圳市示例科技有限公司', '["华南","key;x"]', 1, T, T + 1, null, T, T + 86_400_000, 0, null, 0, null);
    run(customer, '91110000100000000T', 'Beijing "Quoted" Co.', '[]', 0, T, T, T + 5, T - 1, null, 3, 'timeout\nline two', 1, T + 7);
    run(customer, '91310000000000000X', 'Ｆｕｌｌｗｉｄｔｈ', '["a"]', 0, T, T, null, null, null, 0, null, 0, null);

    const snapshot = `INSERT INTO snapshots (customer_id, taken_at, hash, provider, provider_version, normaliser_version, section_methods, body)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)`;
    run(snapshot, 1, T, 'h1', 'tianyancha', '2', 3, null, '{"registration":{"name":"深圳","capital":{"currency":"CNY","amount":10000000}},"abnormalOperations":[]}');
    run(snapshot, 1, T + 10, 'h2', 'tianyancha', '2', 3, '{"b":{"provider":"qichacha"},"a":{"provider":"mock"}}', '{"z":1.5,"a":[3,1,2],"m":{"y":null,"x":true}}');

    const kase = `INSERT INTO cases (id, customer_id, state, tier, lead_event_id, opened_at, assignee, acknowledged_at, acknowledged_by,
      acknowledgement_note, resolved_at, resolved_by, decision, resolution_note, acknowledge_due_day, acknowledge_due_at,
      acknowledge_due_provisional, resolve_due_day, resolve_due_at, resolve_due_provisional, acknowledge_overdue_at, resolve_overdue_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;
    // One resolved (every column set, a provisional deadline), one open for the same customer.
    run(kase, 'C-00000000000000aa', 1, 'resolved', 'critical', 'evt-a', T + 10, '李四', T + 20, 'ops', '已致电', T + 40, 'ops', 'terminate', '终止合作',
      '2026-11-30', T + 300_000_000, 0, '2027-01-04', T + 900_000_000, 1, null, T + 900_000_001);
    run(kase, 'C-00000000000000bb', 1, 'open', 'high', 'evt-c', T + 50, null, null, null, null, null, null, null, null,
      '2026-12-01', T + 400_000_000, 0, '2026-12-11', T + 1_000_000_000, 0, T + 400_000_001, null);

    const event = `INSERT INTO events (id, customer_id, snapshot_id, type, tier, baseline, detected_at, source, payload, acknowledged_by,
      acknowledged_at, acknowledgement_note, escalation_count, last_escalated_at, case_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;
    // Three events in one millisecond, inserted c, a, b: their order is the rowid's, not the ids'.
    run(event, 'evt-c', 1, 2, 'abnormal_operations.listed', 'high', 0, T + 10, 'tianyancha', '{"entry":{"key":"k1","reason":"无法联系"},"customer":{"uscc":"91440300MA5DC6QX9C","name":"深圳","tags":[]}}', null, null, null, 0, null, 'C-00000000000000bb');
    run(event, 'evt-a', 1, 2, 'registration.status_changed', 'critical', 0, T + 10, 'tianyancha', '{"change":{"field":"status","before":"active","after":"revoked"}}', 'ops', T + 20, 'called them', 2, T + 30, 'C-00000000000000aa');
    run(event, 'evt-b', 1, 2, 'serious_violation.listed', 'critical', 1, T + 10, 'tianyancha', '{}', null, null, null, 0, null, null);
    run(event, 'evt-0', 2, null, 'registration.name_changed', 'info', 1, T, 'mock', '{"n":-0.25,"big":9007199254740991}', null, null, null, 0, null, null);

    const delivery = `INSERT INTO deliveries (id, event_id, channel, target, status, attempts, next_attempt_at, last_error, created_at, updated_at, sent_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;
    run(delivery, 'd1', 'evt-c', 'webhook', 'ops', 'pending', 2, T + 60, 'HTTP 503', T, T + 1, null);
    run(delivery, 'd2', 'evt-a', 'email', 'ops@example.test', 'sent', 1, null, null, T, T + 2, T + 2);
    run(delivery, 'd3', 'evt-b', 'webhook', 'ops', 'dead', 40, null, 'HTTP 410', T, T + 3, null);

    run('INSERT INTO audit_log (at, actor, action, subject, details) VALUES (?, ?, ?, ?, ?)', T, 'cli:ops', 'customer.add', '91440300MA5DC6QX9C', '{"tags":["华南"],"name":"深圳"}');
    run('INSERT INTO audit_log (at, actor, action, subject, details) VALUES (?, ?, ?, ?, ?)', T + 1, 'cli:ops', 'alert.ack', 'evt-a', '{}');
    run('INSERT INTO meta (key, value) VALUES (?, ?), (?, ?)', 'last_sweep_at', '2026-11-27T08:00:00.000Z', 'provider', 'tianyancha');
    run('INSERT INTO webhook_targets (name, disabled_at, disabled_reason) VALUES (?, ?, ?), (?, ?, ?)', 'ops', T, '410 Gone', 'Zeta', null, null);
    run('INSERT INTO digests (period, sent_at, event_count) VALUES (?, ?, ?)', '2026-11-27', T + 100, 4);
    const rescan = 'INSERT INTO rescan_requests (requested_at, requested_by, kind, uscc, tag, force) VALUES (?, ?, ?, ?, ?, ?)';
    run(rescan, T, 'cli:ops', 'uscc', '91440300MA5DC6QX9C', null, 0);
    run(rescan, T, 'cli:ops', 'tag', null, '华南', 1);
    run(rescan, T, 'cli:ops', 'all', null, null, 0);
    // Done and deleted: the next request must still get id 4, never 3 again.
    run('DELETE FROM rescan_requests WHERE id = 3');
    const target = `INSERT INTO delivery_targets (channel, target, last_attempt_at, last_sent_at, failing_since, failed_attempts, last_error)
      VALUES (?, ?, ?, ?, ?, ?, ?)`;
    run(target, 'webhook', 'ops', T + 3, T, T + 1, 2, 'HTTP 410');
    run(target, 'email', 'Ops@Example.test', T + 2, T + 2, null, 0, null);

    run("UPDATE customers SET grade = 'risk', grade_rule = 'abnormal-operations-in-force', graded_at = ? WHERE id = 1", T + 10);
    const grade = 'INSERT INTO grade_history (customer_id, at, grade, previous_grade, rule) VALUES (?, ?, ?, ?, ?)';
    run(grade, 1, T, 'fair', 'unrated', 'no-figures');
    run(grade, 1, T + 10, 'risk', 'fair', 'abnormal-operations-in-force');
    run(grade, 2, T, 'good', 'unrated', null);
    // Deleted: the next grade must still get id 4, never 3 again.
    run('DELETE FROM grade_history WHERE id = 3');
    const figures = `INSERT INTO trading_figures (customer_id, as_of, on_time_payment_rate, fulfilment_rate, overdue_amount, credit_limit, imported_at)
      VALUES (?, ?, ?, ?, ?, ?, ?)`;
    run(figures, 1, '2026-09-30', 97.25, 100, 12_000.5, 5_000_000, T);
    run(figures, 1, '2026-10-31', 0.1, 99.9, null, null, T + 1);
    run(figures, 2, '2026-10-31', 100, 100, 0, 1e12, T + 2);
    // A revoked token and the one now holding its name: both rows, hashes and all.
    const token = 'INSERT INTO api_tokens (id, name, role, secret_hash, created_at, last_used_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?)';
    run(token, '00a1b2c3d4e5f607', 'erp-sync', 'analyst', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', T, T + 5, T + 9);
    run(token, 'ffeeddccbbaa9988', 'erp-sync', 'admin', '2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae', T + 10, null, null);
  })();
}

const JSON_COLUMNS = new Set(['tags', 'section_methods', 'body', 'payload', 'details']);

/**
 * Every row of every copied table as SQLite stores it (booleans 0/1, JSON parsed so that key order
 * and spacing do not count), in key order, and events in rowid (insertion) order.
 */
export function dumpSqliteStore(sqlite: Database.Database): Record<string, unknown[]> {
  return Object.fromEntries(
    COPY_TABLES.map((table) => {
      const columns = getTableColumns(table.sqlite);
      const order = table.order.kind === 'insertion' ? 'rowid' : table.order.columns.map((key) => columns[key]?.name ?? key).join(', ');
      const rows = sqlite.prepare(`SELECT * FROM ${table.name} ORDER BY ${order}`).all() as Array<Record<string, unknown>>;
      return [table.name, rows.map(parseJsonColumns)];
    }),
  );
}

function parseJsonColumns(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, JSON_COLUMNS.has(k) && typeof v === 'string' ? JSON.parse(v) : v]));
}
