/**
 * The PostgreSQL journal, for n8n queue mode where several workers commit pages of one
 * migration at once and must share one journal. The schema is created on first use (under an
 * advisory lock, so workers starting together do not race). Intents have a unique key per
 * company and source key; a worker may take over an intent only when the handle that wrote it
 * is gone (its anchor connection's backend disappears from `pg_stat_activity` when the worker
 * dies), so two live workers never write the same record. Queries go through a small pool, so
 * the writes a commit keeps in flight journal side by side.
 */
import { randomUUID } from 'node:crypto';
import { Client, Pool, type ClientConfig, type PoolClient } from 'pg';

import type { PipedriveObject } from '../../plan/plan';
import { applyToMap, changesMap } from './memoryIndex';
import {
	collectBatches,
	emptyCounts,
	JOURNAL_BATCH,
	type ClaimResult,
	type EntryAction,
	type Intent,
	type IntentKind,
	type JournalEntry,
	type JournalStore,
	type MappedRecord,
	type NewEntry,
	type RunKind,
	type RunRecord,
	type RunStatus,
} from './journalStore';

export interface PostgresJournalConfig {
	host: string;
	port: number;
	database: string;
	user: string;
	password?: string;
	/**
	 * As in the credential: `disable` (plain), `allow` (TLS without certificate check, for
	 * self-signed servers on a private network), `require` (TLS with a verified certificate).
	 */
	ssl?: 'disable' | 'allow' | 'require';
	/** Schema holding the journal tables; created when missing. */
	schema?: string;
}

export const DEFAULT_JOURNAL_SCHEMA = 'migration_journal';
const SCHEMA_LOCK_KEY = 'n8n-nodes-dental-pipedrive:journal-schema';

function schemaSql(s: string): string {
	return `
create schema if not exists ${s};
create table if not exists ${s}.runs (
	company_id bigint not null, id text not null, kind text not null, spec_hash text not null,
	started_at timestamptz not null, ended_at timestamptz, status text not null, stop_reason text,
	primary key (company_id, id));
create table if not exists ${s}.entries (
	seq bigserial primary key, company_id bigint not null, run_id text not null,
	source_key text not null, bundle_key text not null, object text not null, pipedrive_id text,
	action text not null, payload_hash text, before_image jsonb, error_code text, at timestamptz not null);
create index if not exists entries_company_run on ${s}.entries (company_id, run_id, seq);
create table if not exists ${s}.mapped (
	company_id bigint not null, source_key text not null, bundle_key text not null, object text not null,
	pipedrive_id text not null, payload_hash text not null, created_by_run text, last_seq bigint not null,
	primary key (company_id, source_key));
create table if not exists ${s}.intents (
	company_id bigint not null, source_key text not null, run_id text not null, bundle_key text not null,
	object text not null, kind text not null, payload_hash text, before_image jsonb, at timestamptz not null,
	owner_pid integer not null, owner_started timestamptz not null,
	primary key (company_id, source_key));
alter table ${s}.entries add column if not exists field_prints jsonb, add column if not exists conflicts jsonb;
alter table ${s}.mapped add column if not exists field_prints jsonb;
alter table ${s}.intents add column if not exists sent jsonb;
create index if not exists mapped_company_seq on ${s}.mapped (company_id, last_seq);
create table if not exists ${s}.watermarks (
	company_id bigint not null, name text not null, value text not null, updated_at timestamptz not null,
	primary key (company_id, name));`;
}

interface RunRow {
	id: string;
	company_id: string;
	kind: RunKind;
	spec_hash: string;
	started_at: Date;
	ended_at: Date | null;
	status: RunStatus;
	stop_reason: string | null;
}

interface EntryRow {
	seq: string;
	run_id: string;
	source_key: string;
	bundle_key: string;
	object: PipedriveObject;
	pipedrive_id: string | null;
	action: EntryAction;
	payload_hash: string | null;
	before_image: Record<string, unknown> | null;
	error_code: string | null;
	field_prints: Record<string, string> | null;
	conflicts: string[] | null;
	at: Date;
}

interface MappedRow {
	source_key: string;
	bundle_key: string;
	object: PipedriveObject;
	pipedrive_id: string;
	payload_hash: string;
	created_by_run: string | null;
	/** bigint: the seq of the entry that last set the row (pg answers it as text). */
	last_seq: string;
	field_prints: Record<string, string> | null;
}

interface IntentRow {
	run_id: string;
	source_key: string;
	bundle_key: string;
	object: PipedriveObject;
	kind: IntentKind;
	payload_hash: string | null;
	before_image: Record<string, unknown> | null;
	sent: Array<Record<string, string>> | null;
	at: Date;
	owner_pid: number;
	owner_started: Date;
}

/**
 * Connections of a process's pool for one journal database: several commit writes journal at
 * once (the limiter's width). One pool per process and database, shared by every open handle: in
 * n8n queue mode a worker runs several pages at once, and a pool per page (10 connections each,
 * 8 pages on two workers) took PostgreSQL's 100 connections, failing pages and n8n itself with
 * "sorry, too many clients already".
 */
const POOL_SIZE = 10;

/** The process's pools by connection settings, with the handles open on each. */
const pools = new Map<string, { pool: Pool; handles: number }>();

function sharedPool(config: ClientConfig): { pool: Pool; release: () => Promise<void> } {
	const key = JSON.stringify(config);
	let entry = pools.get(key);
	if (!entry) {
		const pool = new Pool({ ...config, max: POOL_SIZE });
		// A dropped idle connection must fail the next query, not crash the n8n process.
		pool.on('error', () => undefined);
		entry = { pool, handles: 0 };
		pools.set(key, entry);
	}
	entry.handles += 1;
	const held = entry;
	let released = false;
	return {
		pool: held.pool,
		release: async () => {
			if (released) return;
			released = true;
			held.handles -= 1;
			if (held.handles === 0 && pools.get(key) === held) {
				pools.delete(key);
				await held.pool.end();
			}
		},
	};
}

/** The handle's session: the anchor connection whose backend proves its intents live. */
interface Owner {
	pid: number;
	/** `backend_start` as PostgreSQL prints it (microseconds; a JS Date would lose them). */
	started: string;
}

export class PostgresJournalStore implements JournalStore {
	private constructor(
		/** Every query goes through the pool; a transaction holds one of its connections. */
		private readonly client: Pool,
		private readonly releasePool: () => Promise<void>,
		private readonly anchor: Client,
		private readonly owner: Owner,
		private readonly schema: string,
		readonly companyId: number,
	) {}

	/** Connects, creates the schema when missing, and scopes the handle to one company. */
	static async open(
		config: PostgresJournalConfig,
		companyId: number,
	): Promise<PostgresJournalStore> {
		const schema = config.schema?.trim() || DEFAULT_JOURNAL_SCHEMA;
		if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
			throw new Error(
				`The journal schema name '${schema}' is not allowed: use lower-case letters, digits and underscores, starting with a letter.`,
			);
		}
		const clientConfig: ClientConfig = {
			host: config.host,
			port: config.port,
			database: config.database,
			user: config.user,
			password: config.password,
			ssl:
				config.ssl === 'require'
					? { rejectUnauthorized: true }
					: config.ssl === 'allow'
						? { rejectUnauthorized: false }
						: undefined,
		};
		// One anchor connection per handle: its backend is the liveness proof for the intents the
		// handle writes (through any pooled connection), so a dead process's intents go stale.
		const anchor = new Client(clientConfig);
		// A dropped connection must fail the next query, not crash the n8n process.
		anchor.on('error', () => undefined);
		await anchor.connect();
		const { pool, release } = sharedPool(clientConfig);
		try {
			await anchor.query('begin');
			await anchor.query('select pg_advisory_xact_lock(hashtext($1))', [SCHEMA_LOCK_KEY]);
			await anchor.query(schemaSql(schema));
			await anchor.query('commit');
			const { rows } = await anchor.query<{ pid: number; started: string }>(
				'select pid, backend_start::text as started from pg_stat_activity where pid = pg_backend_pid()',
			);
			return new PostgresJournalStore(pool, release, anchor, rows[0], schema, companyId);
		} catch (error) {
			await anchor.query('rollback').catch(() => undefined);
			await anchor.end();
			await release();
			throw error;
		}
	}

	private t(table: string): string {
		return `${this.schema}.${table}`;
	}

	async startRun(run: { kind: RunKind; specHash: string; id?: string }): Promise<RunRecord> {
		const id = run.id ?? randomUUID();
		const result = await this.client.query(
			`insert into ${this.t('runs')} (company_id, id, kind, spec_hash, started_at, status)
			 values ($1, $2, $3, $4, now(), 'running') on conflict do nothing`,
			[this.companyId, id, run.kind, run.specHash],
		);
		if (result.rowCount === 0)
			throw new Error(`Run ${id} already exists in the journal; give a new run id.`);
		return this.requireRun(id);
	}

	async resumeRun(runId: string): Promise<RunRecord> {
		await this.requireRun(runId);
		await this.client.query(
			`update ${this.t('runs')} set status = 'running', stop_reason = null, ended_at = null where company_id = $1 and id = $2`,
			[this.companyId, runId],
		);
		return this.requireRun(runId);
	}

	async endRun(
		runId: string,
		outcome: { status: Exclude<RunStatus, 'running'>; stopReason?: string },
	): Promise<RunRecord> {
		await this.requireRun(runId);
		await this.client.query(
			`update ${this.t('runs')} set status = $3, stop_reason = $4, ended_at = now() where company_id = $1 and id = $2`,
			[this.companyId, runId, outcome.status, outcome.stopReason ?? null],
		);
		return this.requireRun(runId);
	}

	async getRun(runId: string): Promise<RunRecord | null> {
		const { rows } = await this.client.query<RunRow>(
			`select * from ${this.t('runs')} where company_id = $1 and id = $2`,
			[this.companyId, runId],
		);
		return rows[0] ? this.toRun(rows[0]) : null;
	}

	async listRuns(): Promise<RunRecord[]> {
		const { rows } = await this.client.query<RunRow>(
			`select * from ${this.t('runs')} where company_id = $1 order by started_at, id`,
			[this.companyId],
		);
		const runs: RunRecord[] = [];
		for (const row of rows) runs.push(await this.toRun(row));
		return runs;
	}

	async claimIntent(intent: Omit<Intent, 'at'>): Promise<ClaimResult> {
		for (;;) {
			const result = await this.claimOnce(intent);
			if (result) return result;
		}
	}

	private async claimOnce(intent: Omit<Intent, 'at'>): Promise<ClaimResult | null> {
		return this.transaction(async (db) => {
			const values = [
				this.companyId,
				intent.sourceKey,
				intent.runId,
				intent.bundleKey,
				intent.object,
				intent.kind,
				intent.payloadHash,
				intent.beforeImage === null ? null : JSON.stringify(intent.beforeImage),
				this.owner.pid,
				this.owner.started,
				intent.sent ? JSON.stringify(intent.sent) : null,
			];
			const me = `$9::integer, $10::timestamptz`;
			const inserted = await db.query(
				`insert into ${this.t('intents')} (company_id, source_key, run_id, bundle_key, object, kind, payload_hash, before_image, at, owner_pid, owner_started, sent)
				 values ($1, $2, $3, $4, $5, $6, $7, $8, now(), ${me}, $11) on conflict do nothing`,
				values,
			);
			if (inserted.rowCount === 1) return { status: 'claimed' } as const;
			const { rows } = await db.query<IntentRow & { owner_alive: boolean; mine: boolean }>(
				`select i.*, (i.owner_pid = $3 and i.owner_started = $4::timestamptz) as mine,
				   exists (select 1 from pg_stat_activity a where a.pid = i.owner_pid and a.backend_start = i.owner_started) as owner_alive
				 from ${this.t('intents')} i where company_id = $1 and source_key = $2 for update`,
				[this.companyId, intent.sourceKey, this.owner.pid, this.owner.started],
			);
			const existing = rows[0];
			// The holder recorded its outcome between our insert and this read: claim again.
			if (!existing) return null;
			if (existing.owner_alive && !existing.mine) return { status: 'busy' } as const;
			await db.query(
				`update ${this.t('intents')} set run_id = $3, bundle_key = $4, object = $5, kind = $6, payload_hash = $7, before_image = $8, at = now(),
				   owner_pid = $9, owner_started = $10::timestamptz, sent = $11
				 where company_id = $1 and source_key = $2`,
				values,
			);
			return { status: 'stale', previous: toIntent(existing) } as const;
		});
	}

	async openIntents(): Promise<Intent[]> {
		const { rows } = await this.client.query<IntentRow>(
			`select * from ${this.t('intents')} where company_id = $1 order by at, source_key`,
			[this.companyId],
		);
		return rows.map(toIntent);
	}

	async settleUnsent(intent: { runId: string; sourceKey: string }): Promise<boolean> {
		const deleted = await this.client.query(
			`delete from ${this.t('intents')} where company_id = $1 and source_key = $2 and run_id = $3
			   and owner_pid = $4 and owner_started = $5::timestamptz`,
			[this.companyId, intent.sourceKey, intent.runId, this.owner.pid, this.owner.started],
		);
		return deleted.rowCount === 1;
	}

	async record(entry: NewEntry): Promise<JournalEntry> {
		const run = await this.client.query(
			`select 1 from ${this.t('runs')} where company_id = $1 and id = $2`,
			[this.companyId, entry.runId],
		);
		if (run.rowCount === 0) {
			throw new Error(
				`Run ${entry.runId} is not in this company's journal; check the run id and the target account.`,
			);
		}
		return this.transaction(async (db) => {
			const { rows } = await db.query<EntryRow>(
				`insert into ${this.t('entries')} (company_id, run_id, source_key, bundle_key, object, pipedrive_id, action, payload_hash, before_image, error_code, at, field_prints, conflicts)
				 values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, coalesce($11::timestamptz, now()), $12, $13) returning *`,
				[
					this.companyId,
					entry.runId,
					entry.sourceKey,
					entry.bundleKey,
					entry.object,
					entry.pipedriveId,
					entry.action,
					entry.payloadHash,
					entry.beforeImage === null ? null : JSON.stringify(entry.beforeImage),
					entry.errorCode,
					entry.at ?? null,
					entry.fieldPrints ? JSON.stringify(entry.fieldPrints) : null,
					entry.conflicts ? JSON.stringify(entry.conflicts) : null,
				],
			);
			const full = toEntry(rows[0]);
			await db.query(`delete from ${this.t('intents')} where company_id = $1 and source_key = $2`, [
				this.companyId,
				entry.sourceKey,
			]);
			await this.applyMapRule(db, full);
			return full;
		});
	}

	async lookup(sourceKeys: readonly string[]): Promise<Map<string, MappedRecord>> {
		const { rows } = await this.client.query<MappedRow>(
			`select * from ${this.t('mapped')} where company_id = $1 and source_key = any($2::text[])`,
			[this.companyId, [...sourceKeys]],
		);
		return new Map(rows.map((row) => [row.source_key, toMapped(row)]));
	}

	async listMapped(): Promise<MappedRecord[]> {
		return collectBatches(this.mappedBatches());
	}

	async listEntries(filter?: { runIds?: readonly string[] }): Promise<JournalEntry[]> {
		return collectBatches(this.entryBatches(filter));
	}

	async *entryBatches(filter?: { runIds?: readonly string[] }): AsyncGenerator<JournalEntry[]> {
		const runs = filter?.runIds ? 'and run_id = any($3::text[])' : '';
		for (let after = '0'; ; ) {
			const { rows } = await this.client.query<EntryRow>(
				`select * from ${this.t('entries')} where company_id = $1 and seq > $2 ${runs} order by seq limit ${JOURNAL_BATCH}`,
				[this.companyId, after, ...(filter?.runIds ? [[...filter.runIds]] : [])],
			);
			if (rows.length > 0) yield rows.map(toEntry);
			if (rows.length < JOURNAL_BATCH) return;
			after = String(rows[rows.length - 1].seq);
		}
	}

	async *mappedBatches(): AsyncGenerator<MappedRecord[]> {
		for (let after = '0'; ; ) {
			const { rows } = await this.client.query<MappedRow>(
				`select * from ${this.t('mapped')} where company_id = $1 and last_seq > $2 order by last_seq limit ${JOURNAL_BATCH}`,
				[this.companyId, after],
			);
			if (rows.length > 0) yield rows.map(toMapped);
			if (rows.length < JOURNAL_BATCH) return;
			after = String(rows[rows.length - 1].last_seq);
		}
	}

	async getWatermark(name: string): Promise<string | null> {
		const { rows } = await this.client.query<{ value: string }>(
			`select value from ${this.t('watermarks')} where company_id = $1 and name = $2`,
			[this.companyId, name],
		);
		return rows[0]?.value ?? null;
	}

	async setWatermark(name: string, value: string): Promise<void> {
		await this.client.query(
			`insert into ${this.t('watermarks')} (company_id, name, value, updated_at) values ($1, $2, $3, now())
			 on conflict (company_id, name) do update set value = excluded.value, updated_at = excluded.updated_at`,
			[this.companyId, name, value],
		);
	}

	async close(): Promise<void> {
		await this.releasePool();
		await this.anchor.end();
	}

	/** Applies the shared map rule (memoryIndex.applyToMap) to the row of one source key. */
	private async applyMapRule(db: PoolClient, entry: JournalEntry): Promise<void> {
		// An outcome that leaves the map alone (unchanged, failed, skipped) keeps the row and its
		// place (`last_seq`): no read, no write.
		if (!changesMap(entry.action)) return;
		const { rows } = await db.query<MappedRow>(
			`select * from ${this.t('mapped')} where company_id = $1 and source_key = $2 for update`,
			[this.companyId, entry.sourceKey],
		);
		const mapped = new Map<string, MappedRecord>(
			rows.map((row) => [row.source_key, toMapped(row)]),
		);
		applyToMap(mapped, entry);
		const next = mapped.get(entry.sourceKey);
		if (!next) {
			await db.query(`delete from ${this.t('mapped')} where company_id = $1 and source_key = $2`, [
				this.companyId,
				entry.sourceKey,
			]);
			return;
		}
		await db.query(
			`insert into ${this.t('mapped')} (company_id, source_key, bundle_key, object, pipedrive_id, payload_hash, created_by_run, last_seq, field_prints)
			 values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
			 on conflict (company_id, source_key) do update set bundle_key = excluded.bundle_key, object = excluded.object,
			   pipedrive_id = excluded.pipedrive_id, payload_hash = excluded.payload_hash,
			   created_by_run = excluded.created_by_run, last_seq = excluded.last_seq, field_prints = excluded.field_prints`,
			[
				this.companyId,
				next.sourceKey,
				next.bundleKey,
				next.object,
				next.pipedriveId,
				next.payloadHash,
				next.createdByRun,
				entry.seq,
				next.fieldPrints ? JSON.stringify(next.fieldPrints) : null,
			],
		);
	}

	private async requireRun(runId: string): Promise<RunRecord> {
		const run = await this.getRun(runId);
		if (!run)
			throw new Error(
				`Run ${runId} is not in this company's journal; check the run id and the target account.`,
			);
		return run;
	}

	private async toRun(row: RunRow): Promise<RunRecord> {
		const { rows } = await this.client.query<{
			action: EntryAction;
			n: string;
		}>(
			`select action, count(*) as n from ${this.t('entries')} where company_id = $1 and run_id = $2 group by action`,
			[this.companyId, row.id],
		);
		const counts = emptyCounts();
		for (const { action, n } of rows) counts[action] = Number(n);
		return {
			id: row.id,
			companyId: Number(row.company_id),
			kind: row.kind,
			specHash: row.spec_hash,
			startedAt: row.started_at.toISOString(),
			endedAt: row.ended_at ? row.ended_at.toISOString() : null,
			status: row.status,
			stopReason: row.stop_reason,
			counts,
		};
	}

	private async transaction<T>(work: (db: PoolClient) => Promise<T>): Promise<T> {
		const db = await this.client.connect();
		try {
			await db.query('begin');
			try {
				const result = await work(db);
				await db.query('commit');
				return result;
			} catch (error) {
				await db.query('rollback');
				throw error;
			}
		} finally {
			db.release();
		}
	}
}

function toIntent(row: IntentRow): Intent {
	return {
		runId: row.run_id,
		sourceKey: row.source_key,
		bundleKey: row.bundle_key,
		object: row.object,
		kind: row.kind,
		payloadHash: row.payload_hash,
		beforeImage: row.before_image,
		...(row.sent ? { sent: row.sent } : {}),
		at: row.at.toISOString(),
	};
}

function toEntry(row: EntryRow): JournalEntry {
	return {
		runId: row.run_id,
		seq: Number(row.seq),
		sourceKey: row.source_key,
		bundleKey: row.bundle_key,
		object: row.object,
		pipedriveId: row.pipedrive_id,
		action: row.action,
		payloadHash: row.payload_hash,
		beforeImage: row.before_image,
		errorCode: row.error_code,
		fieldPrints: row.field_prints,
		conflicts: row.conflicts,
		at: row.at.toISOString(),
	};
}

function toMapped(row: MappedRow): MappedRecord {
	return {
		sourceKey: row.source_key,
		bundleKey: row.bundle_key,
		object: row.object,
		pipedriveId: row.pipedrive_id,
		payloadHash: row.payload_hash,
		createdByRun: row.created_by_run,
		fieldPrints: row.field_prints,
	};
}
