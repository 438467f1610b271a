/**
 * One rate budget for every process that sends with the same Pipedrive credential (n8n queue
 * mode: a main and several workers). Pipedrive counts the burst window per token and the daily
 * tokens per company, wherever the requests come from; limiters that each count only their own
 * requests would, together, overrun both and answer each other's 429s. The limiter asks this
 * store for a place in the window and reports what it spent; the store is the only count.
 *
 * The PostgreSQL implementation below keeps the window marks, a shared "nobody sends before"
 * time and the day's token count in three small tables, and takes a place with one function call
 * under an advisory lock (one round trip, atomic across workers). Times are the callers' clocks
 * (epoch ms): the processes of one n8n installation are expected to keep their clocks in sync
 * (NTP), a skew of a few milliseconds only shifts the window that much.
 */
import { Pool, type PoolConfig } from 'pg';

import { BURST_WINDOW_MS } from './plans';

/**
 * A request in flight holds its place until its answer (then 2 s more): the server counted it at
 * some moment between sending and answering, which a slow answer or a busy worker can put more
 * than a window after the place was taken. A taker whose room waits on such a place asks again
 * after this long; a place not released this long after it was taken (its process died) expires.
 */
export const IN_FLIGHT_RECHECK_MS = 50;
export const IN_FLIGHT_EXPIRY_MS = 120_000;

/** A rolling window the request must fit into, by name (`burst`, `search`) and its limit. */
export interface BudgetWindow {
	name: string;
	limit: number;
}

export type Acquired =
	/** The request may go: its marks (release them with its answer) and the day's tokens so far. */
	| { marks: string[]; spentToday: number }
	/** No room yet: ask again after this many milliseconds. */
	| { waitMs: number };

export interface SharedBudget {
	/**
	 * A place in every window (a search request counts in both), unless the budget is blocked or
	 * a window is full. `resetAt` names the day whose tokens `spentToday` counts.
	 */
	acquire(request: { now: number; windows: BudgetWindow[]; resetAt: number }): Promise<Acquired>;
	/**
	 * The answer arrived: the marks count from `now`, the latest the server could have counted them
	 * (until then they hold their place however long the request takes).
	 */
	release(marks: string[], now: number): Promise<void>;
	/** Gives back marks of a request that was not sent. */
	cancel(marks: string[]): Promise<void>;
	/** Nobody sends before `until` (a 429's wait, or a server-reported empty window). */
	blockUntil(until: number): Promise<void>;
	/** Adds tokens to the day that resets at `resetAt`; resolves with the day's total. */
	spend(tokens: number, resetAt: number): Promise<number>;
	close(): Promise<void>;
}

export const DEFAULT_BUDGET_SCHEMA = 'pipedrive_rate_budget';

function schemaSql(s: string): string {
	return `
create schema if not exists ${s};
create table if not exists ${s}.marks (
	id bigserial primary key, budget text not null, window_name text not null, at bigint not null);
alter table ${s}.marks add column if not exists in_flight boolean not null default false;
create index if not exists marks_budget on ${s}.marks (budget, window_name, at);
create table if not exists ${s}.blocks (budget text primary key, until bigint not null);
create table if not exists ${s}.days (
	budget text not null, reset_at bigint not null, spent bigint not null,
	primary key (budget, reset_at));
create or replace function ${s}.acquire(p_budget text, p_now bigint, p_windows jsonb, p_reset_at bigint)
returns jsonb language plpgsql as $fn$
declare
	w jsonb;
	v_limit int;
	v_count int;
	v_room bigint;
	v_until bigint;
	v_wait bigint := 0;
	v_id bigint;
	v_marks jsonb := '[]'::jsonb;
begin
	-- One taker at a time per budget, across every process.
	perform pg_advisory_xact_lock(hashtext('${s}:' || p_budget));
	delete from ${s}.marks where budget = p_budget and (
		(not in_flight and at <= p_now - ${BURST_WINDOW_MS})
		or (in_flight and at <= p_now - ${IN_FLIGHT_EXPIRY_MS}));
	select until into v_until from ${s}.blocks where budget = p_budget;
	if v_until is not null and v_until > p_now then
		return jsonb_build_object('waitMs', v_until - p_now);
	end if;
	for w in select * from jsonb_array_elements(p_windows) loop
		v_limit := (w->>'limit')::int;
		select count(*) into v_count from ${s}.marks
			where budget = p_budget and window_name = w->>'name';
		if v_count >= v_limit then
			-- The mark that must expire before one more fits; one still in flight has no end yet.
			select case when in_flight then ${IN_FLIGHT_RECHECK_MS} else at + ${BURST_WINDOW_MS} - p_now + 1 end
				into v_room from ${s}.marks where budget = p_budget and window_name = w->>'name'
				order by in_flight, at offset v_count - v_limit limit 1;
			v_wait := greatest(v_wait, v_room);
		end if;
	end loop;
	if v_wait > 0 then
		return jsonb_build_object('waitMs', v_wait);
	end if;
	for w in select * from jsonb_array_elements(p_windows) loop
		insert into ${s}.marks (budget, window_name, at, in_flight)
			values (p_budget, w->>'name', p_now, true)
			returning id into v_id;
		v_marks := v_marks || to_jsonb(v_id::text);
	end loop;
	return jsonb_build_object('marks', v_marks, 'spentToday',
		coalesce((select spent from ${s}.days where budget = p_budget and reset_at = p_reset_at), 0));
end
$fn$;`;
}

const SCHEMA_LOCK_KEY = 'n8n-nodes-dental-pipedrive:rate-budget-schema';

/** The budget in PostgreSQL (the journal's database serves well: every worker reaches it). */
export class PostgresSharedBudget implements SharedBudget {
	private ready?: Promise<void>;

	/**
	 * `budget` names what Pipedrive counts together: one credential (token) of one company.
	 * Nothing connects until the first request.
	 */
	constructor(
		private readonly budget: string,
		private readonly pool: Pool,
		private readonly schema = DEFAULT_BUDGET_SCHEMA,
	) {
		if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
			throw new Error(
				`The rate budget schema name '${schema}' is not allowed: use lower-case letters, digits and underscores, starting with a letter.`,
			);
		}
	}

	/** A pool on a connection URL such as postgres://user:password@host:5432/database. */
	static connect(
		budget: string,
		connection: string | PoolConfig,
		schema?: string,
	): PostgresSharedBudget {
		const config = typeof connection === 'string' ? { connectionString: connection } : connection;
		const pool = new Pool({ max: 4, ...config });
		// A dropped idle connection must fail the next query, not crash the n8n process.
		pool.on('error', () => undefined);
		return new PostgresSharedBudget(budget, pool, schema);
	}

	private t(table: string): string {
		return `${this.schema}.${table}`;
	}

	/** Creates the tables and the function once per process (under a lock: workers start together). */
	private async prepare(): Promise<void> {
		this.ready ??= (async () => {
			const client = await this.pool.connect();
			try {
				await client.query('begin');
				await client.query('select pg_advisory_xact_lock(hashtext($1))', [SCHEMA_LOCK_KEY]);
				await client.query(schemaSql(this.schema));
				await client.query('commit');
			} catch (error) {
				await client.query('rollback').catch(() => undefined);
				throw error;
			} finally {
				client.release();
			}
		})().catch((error: unknown) => {
			this.ready = undefined;
			throw error;
		});
		return this.ready;
	}

	async acquire(request: {
		now: number;
		windows: BudgetWindow[];
		resetAt: number;
	}): Promise<Acquired> {
		await this.prepare();
		const { rows } = await this.pool.query<{ result: Acquired }>(
			`select ${this.t('acquire')}($1, $2, $3, $4) as result`,
			[
				this.budget,
				Math.round(request.now),
				JSON.stringify(request.windows),
				Math.round(request.resetAt),
			],
		);
		const result = rows[0].result;
		return 'marks' in result ? { ...result, spentToday: Number(result.spentToday) } : result;
	}

	async release(marks: string[], now: number): Promise<void> {
		if (marks.length === 0) return;
		await this.pool.query(
			`update ${this.t('marks')} set at = $2, in_flight = false where id = any($1::bigint[])`,
			[marks, Math.round(now)],
		);
	}

	async cancel(marks: string[]): Promise<void> {
		if (marks.length === 0) return;
		await this.pool.query(`delete from ${this.t('marks')} where id = any($1::bigint[])`, [marks]);
	}

	async blockUntil(until: number): Promise<void> {
		await this.prepare();
		await this.pool.query(
			`insert into ${this.t('blocks')} (budget, until) values ($1, $2)
			on conflict (budget) do update set until = greatest(${this.t('blocks')}.until, excluded.until)`,
			[this.budget, Math.round(until)],
		);
	}

	async spend(tokens: number, resetAt: number): Promise<number> {
		await this.prepare();
		const { rows } = await this.pool.query<{ spent: string }>(
			`insert into ${this.t('days')} (budget, reset_at, spent) values ($1, $2, $3)
			on conflict (budget, reset_at) do update set spent = ${this.t('days')}.spent + excluded.spent
			returning spent`,
			[this.budget, Math.round(resetAt), tokens],
		);
		return Number(rows[0].spent);
	}

	async close(): Promise<void> {
		await this.pool.end();
	}
}
