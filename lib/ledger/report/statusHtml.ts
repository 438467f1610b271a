import {
	escapeHtml,
	htmlPage,
	legend,
	SORT_SCRIPT,
	stackedBar,
	table,
	td,
	tiles,
} from '../../report/html';
import type { MigrationStatus } from '../status';

/**
 * The live status of a migration as one page for the practice manager: the headline figures,
 * a progress bar per object (in Pipedrive / failed / left), write tokens per day against the
 * daily budget, every run and how it ended, and the records to look at.
 */
export function statusHtml(status: MigrationStatus, title = 'Migration status'): string {
	const { totals, pace, budget } = status;
	const share =
		totals.planned === null || totals.planned === 0
			? null
			: Math.min(100, Math.floor((totals.done / totals.planned) * 100));
	const finish =
		pace.daysLeft === 0
			? 'done'
			: pace.finishDay === null
				? 'unknown'
				: `${pace.finishDay} (${pace.daysLeft} days)`;
	const objectRows = status.objects
		.filter((row) => row.done > 0 || (row.planned ?? 0) > 0 || row.failed > 0)
		.map((row) => {
			const bar = stackedBar([
				{ kind: 'done', count: row.done },
				{ kind: 'failed', count: row.failed },
				{ kind: 'left', count: Math.max(0, (row.left ?? 0) - row.failed) },
			]);
			return `<tr>${td(row.object)}<td>${bar}</td>${[row.done, row.planned ?? '', row.left ?? '', row.failed].map((cell) => td(cell)).join('')}</tr>`;
		});
	const dailyBudget = budget?.dailyBudget ?? 0;
	const dayRows = status.days.map((day) => {
		const bar =
			dailyBudget > 0
				? stackedBar([
						{ kind: 'done', count: Math.min(day.tokens, dailyBudget) },
						{ kind: 'left', count: Math.max(0, dailyBudget - day.tokens) },
					])
				: '';
		return `<tr>${td(day.day)}<td>${bar}</td>${td(day.records)}${td(day.tokens)}</tr>`;
	});
	const body = `<p>As of ${escapeHtml(status.asOf)}${share === null ? '' : `: <b>${share} %</b> of the planned records are in Pipedrive`}.</p>
${tiles([
	{ label: 'records in Pipedrive', value: totals.done },
	{ label: 'records left', value: totals.left ?? 'unknown' },
	{ label: 'failed, to look at', value: totals.failed },
	{ label: 'tokens left today', value: budget?.tokensLeftToday ?? 'unknown' },
	{ label: 'finishes at this pace', value: finish },
])}
<h2>Progress per object</h2>
${legend(['done', 'failed', 'left'])}
${table(['Object', 'Progress', 'In Pipedrive', 'Planned', 'Left', 'Failed'], objectRows, 'progress')}
<p>Pace: ${pace.recordsPerDay === null ? 'no records created yet' : `${pace.recordsPerDay} records created per day with writes`}${pace.preflightDays === null ? '' : `; the preflight estimated ${pace.preflightDays} days for the whole migration`}.</p>
<h2>API tokens per day</h2>
<p>${budget === null ? 'Daily budget unknown (no Pipedrive answer yet).' : `Daily budget ${budget.dailyBudget} tokens; ${budget.tokensUsedToday} used and ${budget.tokensLeftToday} left today; it resets at ${escapeHtml(budget.resetAt)}.`} Tokens here are the journal's writes priced by the token-cost table (reads come on top).</p>
${table(['Day (UTC)', 'Share of the daily budget', 'Records written', 'Write tokens'], dayRows, 'days')}
<h2>Runs (${status.runs.length})</h2>
${table(
	[
		'Run',
		'Kind',
		'Outcome',
		'Stopped because',
		'Started',
		'Ended',
		'Created',
		'Updated',
		'Failed',
		'Deleted',
	],
	status.runs.map((run) => [
		run.id,
		run.kind,
		run.status,
		run.stopReason ?? '',
		run.startedAt,
		run.endedAt ?? '',
		run.created,
		run.updated,
		run.failed,
		run.deleted,
	]),
)}
<h2>Failures to look at (${status.failures.length})</h2>
${table(
	['Record', 'Object', 'Error code', 'Run', 'When'],
	status.failures.map((failure) => [
		failure.sourceKey,
		failure.object,
		failure.errorCode ?? '',
		failure.runId,
		failure.at,
	]),
)}`;
	return htmlPage(title, body, SORT_SCRIPT);
}
