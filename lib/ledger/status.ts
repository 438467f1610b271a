import { writeCost } from '../pipedrive/objects';
import type { RateLimiterState } from '../pipedrive/rateLimiter';
import { PIPEDRIVE_OBJECTS, type PipedriveObject } from '../plan/plan';
import type { JournalEntry, MappedRecord, RunRecord } from './store/journalStore';

/**
 * Where a migration that spans days stands, from the journal alone plus today's budget: records
 * in Pipedrive and left per object (against the preflight's planned writes), every run and how it
 * ended, write tokens per UTC day (journal entries priced by the token-cost table; reads are not
 * journaled, so this is a floor), the day it finishes at the pace of the days so far, and the
 * records whose last attempt failed. Identifiers and codes only: no patient values.
 */

export interface StatusInput {
	runs: readonly RunRecord[];
	entries: readonly JournalEntry[];
	mapped: readonly MappedRecord[];
	/** The Provisioner's Preflight output (its `writes` per object and `days`), when given. */
	preflight?: { writes?: Partial<Record<PipedriveObject, number>>; days?: number } | null;
	/** The limiter's view of today's budget (Pipedrive's daily headers once one was seen). */
	budget?: Pick<RateLimiterState, 'dailyBudget' | 'tokensLeftToday' | 'resetAt'> | null;
	now: Date;
}

export interface ObjectProgress {
	object: PipedriveObject;
	/** Records of this object in Pipedrive now (the journal's map). */
	done: number;
	/** The preflight's planned writes; null without a preflight. */
	planned: number | null;
	left: number | null;
	/** Records whose last attempt failed. */
	failed: number;
}

export interface MigrationStatus {
	asOf: string;
	objects: ObjectProgress[];
	totals: { done: number; planned: number | null; left: number | null; failed: number };
	runs: Array<{
		id: string;
		kind: RunRecord['kind'];
		status: RunRecord['status'];
		stopReason: string | null;
		startedAt: string;
		endedAt: string | null;
		created: number;
		updated: number;
		failed: number;
		/** Records held back (e.g. another worker was writing a shared record): not done yet. */
		skipped: number;
		deleted: number;
		/**
		 * Records whose latest entry in this run is a failure or a hold-back. The counts above add
		 * up every attempt ever (the journal is append-only), so a run id used again (a group page
		 * re-run) that finished its records is done when this is 0, whatever it failed before.
		 */
		unfinished: number;
	}>;
	/** One row per UTC day with writes, oldest first. */
	days: Array<{ day: string; records: number; tokens: number }>;
	budget: {
		dailyBudget: number;
		tokensLeftToday: number;
		tokensUsedToday: number;
		resetAt: string;
	} | null;
	pace: {
		/** Records created per day with writes, over the days so far. */
		recordsPerDay: number | null;
		/** Whole days still needed at that pace (0 when done); null when unknown. */
		daysLeft: number | null;
		/** The UTC day the last record lands at that pace. */
		finishDay: string | null;
		/** The preflight's estimate of the whole migration in days, for comparison. */
		preflightDays: number | null;
	};
	failures: Array<{
		sourceKey: string;
		object: PipedriveObject;
		errorCode: string | null;
		runId: string;
		at: string;
	}>;
}

const WRITE_OF: Partial<Record<JournalEntry['action'], 'create' | 'update' | 'delete'>> = {
	created: 'create',
	updated: 'update',
	restored: 'update',
	deleted: 'delete',
};

const DAY_MS = 24 * 60 * 60 * 1000;

export function migrationStatus(input: StatusInput): MigrationStatus {
	const planned = input.preflight?.writes;
	const failures = lastFailures(input.entries);
	const unfinished = unfinishedPerRun(input.entries);
	const objects = PIPEDRIVE_OBJECTS.map((object): ObjectProgress => {
		const done = input.mapped.filter((record) => record.object === object).length;
		const plan = planned ? (planned[object] ?? 0) : null;
		return {
			object,
			done,
			planned: plan,
			left: plan === null ? null : Math.max(0, plan - done),
			failed: failures.filter((failure) => failure.object === object).length,
		};
	});
	const sum = (pick: (row: ObjectProgress) => number) =>
		objects.reduce((total, row) => total + pick(row), 0);
	const totals = {
		done: sum((row) => row.done),
		planned: planned ? sum((row) => row.planned ?? 0) : null,
		left: planned ? sum((row) => row.left ?? 0) : null,
		failed: failures.length,
	};
	const days = perDay(input.entries);
	const today = input.now.toISOString().slice(0, 10);
	const budget = input.budget
		? {
				dailyBudget: input.budget.dailyBudget,
				tokensLeftToday: input.budget.tokensLeftToday,
				tokensUsedToday: input.budget.dailyBudget - input.budget.tokensLeftToday,
				resetAt: input.budget.resetAt,
			}
		: null;
	return {
		asOf: input.now.toISOString(),
		objects,
		totals,
		runs: input.runs.map((run) => ({
			id: run.id,
			kind: run.kind,
			status: run.status,
			stopReason: run.stopReason,
			startedAt: run.startedAt,
			endedAt: run.endedAt,
			created: run.counts.created,
			updated: run.counts.updated,
			failed: run.counts.failed,
			skipped: run.counts.skipped,
			deleted: run.counts.deleted,
			unfinished: unfinished.get(run.id) ?? 0,
		})),
		days: days.map(({ day, records, tokens }) => ({ day, records, tokens })),
		budget,
		pace: pace(days, totals.left, today, input.preflight?.days ?? null),
		failures,
	};
}

interface DayRow {
	day: string;
	records: number;
	created: number;
	tokens: number;
}

function perDay(entries: readonly JournalEntry[]): DayRow[] {
	const byDay = new Map<string, DayRow>();
	for (const entry of entries) {
		const write = WRITE_OF[entry.action];
		if (!write) continue;
		const day = entry.at.slice(0, 10);
		const row = byDay.get(day) ?? { day, records: 0, created: 0, tokens: 0 };
		row.records += 1;
		if (entry.action === 'created') row.created += 1;
		row.tokens += writeCost(entry.object, write);
		byDay.set(day, row);
	}
	return [...byDay.values()].sort((a, b) => a.day.localeCompare(b.day));
}

function pace(
	days: readonly DayRow[],
	left: number | null,
	today: string,
	preflightDays: number | null,
): MigrationStatus['pace'] {
	const created = days.reduce((total, day) => total + day.created, 0);
	const activeDays = days.filter((day) => day.created > 0).length;
	const recordsPerDay = activeDays === 0 ? null : Math.round(created / activeDays);
	if (left === null || (left > 0 && !recordsPerDay)) {
		return { recordsPerDay, daysLeft: null, finishDay: null, preflightDays };
	}
	if (left === 0) {
		return { recordsPerDay, daysLeft: 0, finishDay: days.at(-1)?.day ?? today, preflightDays };
	}
	// Today counts as the first of the days left: the run resumes when the budget resets.
	const daysLeft = Math.ceil(left / recordsPerDay!);
	const finishDay = new Date(Date.parse(today) + (daysLeft - 1) * DAY_MS)
		.toISOString()
		.slice(0, 10);
	return { recordsPerDay, daysLeft, finishDay, preflightDays };
}

/** Per run id, the source keys whose latest entry in that run is a failure or a hold-back. */
function unfinishedPerRun(entries: readonly JournalEntry[]): Map<string, number> {
	const latest = new Map<string, Map<string, JournalEntry['action']>>();
	for (const entry of entries) {
		const run = latest.get(entry.runId) ?? new Map<string, JournalEntry['action']>();
		run.set(`${entry.object}:${entry.sourceKey}`, entry.action);
		latest.set(entry.runId, run);
	}
	const counts = new Map<string, number>();
	for (const [runId, actions] of latest)
		counts.set(
			runId,
			[...actions.values()].filter((action) => action === 'failed' || action === 'skipped').length,
		);
	return counts;
}

/** Source keys whose latest journal entry is a failure: what someone should look at. */
function lastFailures(entries: readonly JournalEntry[]): MigrationStatus['failures'] {
	const latest = new Map<string, JournalEntry>();
	for (const entry of entries) latest.set(entry.sourceKey, entry);
	return [...latest.values()]
		.filter((entry) => entry.action === 'failed')
		.map((entry) => ({
			sourceKey: entry.sourceKey,
			object: entry.object,
			errorCode: entry.errorCode,
			runId: entry.runId,
			at: entry.at,
		}));
}
