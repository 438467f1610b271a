import type { IExecuteFunctions } from 'n8n-workflow';

/**
 * A long step's progress as one line of counts: `Commit: 420/1339 records, 312 tokens`. Only
 * the step's name and numbers, never anything from a record, so it may go to any console.
 */
export function progressLine(step: string, done: number, total: number, tokens?: number): string {
	return `${step}: ${done}/${total} records${tokens === undefined ? '' : `, ${tokens} tokens`}`;
}

/**
 * Sends a step's progress lines to whoever watches a manual run: n8n's editor (the browser
 * console) and `npm run workflow` (its progress line on stderr). At most one line per
 * `everyMs`, and always the last one, so a long commit does not flood either.
 */
export function progressReporter(
	context: IExecuteFunctions,
	step: string,
	tokens: () => number | undefined,
	everyMs = 1000,
): (progress: { done: number; total: number }) => void {
	let last = -Infinity;
	return ({ done, total }) => {
		const now = Date.now();
		if (done < total && now - last < everyMs) return;
		last = now;
		context.sendMessageToUI(progressLine(step, done, total, tokens()));
	};
}
