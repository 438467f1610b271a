/**
 * One Commit's summary from its output items. A streamed Commit (steps 5 and delta) outputs one
 * summary per page; an unpaged one its bundles, then one summary. The run's figures are the sum
 * over the summaries: the last one alone would be the last page's.
 */

export interface CommitSummary {
	runId: string;
	status: string;
	totals: Record<string, number>;
	conflicts: {
		policy: string;
		fields: number;
		kept: number;
		overwritten: number;
		stopped: number;
		records: Array<Record<string, unknown>>;
	};
}

type Item = Record<string, unknown>;
const isSummary = (item: Item): item is Item & CommitSummary =>
	typeof item.totals === 'object' && item.totals !== null && typeof item.conflicts === 'object';

export function commitSummary(items: readonly Item[]): CommitSummary {
	const summaries = items.filter(isSummary);
	const last = summaries.at(-1);
	if (!last) throw new Error('Commit gave no summary item');
	const sum = (pick: (summary: CommitSummary) => Record<string, number>) => {
		const total: Record<string, number> = {};
		for (const summary of summaries)
			for (const [name, count] of Object.entries(pick(summary)))
				if (typeof count === 'number') total[name] = (total[name] ?? 0) + count;
		return total;
	};
	const conflicts = sum(({ conflicts }) => conflicts as unknown as Record<string, number>);
	return {
		runId: last.runId,
		// A page that did not complete leaves the run unfinished, whichever page it was.
		status: summaries.every((summary) => summary.status === 'completed')
			? 'completed'
			: 'interrupted',
		totals: sum(({ totals }) => totals),
		conflicts: {
			policy: last.conflicts.policy,
			fields: conflicts.fields ?? 0,
			kept: conflicts.kept ?? 0,
			overwritten: conflicts.overwritten ?? 0,
			stopped: conflicts.stopped ?? 0,
			records: summaries.flatMap((summary) => summary.conflicts.records ?? []),
		},
	};
}
