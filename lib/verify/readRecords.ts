import { readBack, readBackCost, type ReadBackClient } from '../ledger/readBack';
import type { RecordReader } from './verify';

/**
 * Reads the records back in bulk (v2 lists filtered by ids, v1 list pages: see readBack). A
 * token budget keeps the first records whose single-read price fits and reports the rest as
 * skipped, so a budgeted diff never spends more than it was given.
 */
export function clientRecordReader(client: ReadBackClient): RecordReader {
	return async (wanted, budget) => {
		let kept = wanted;
		if (budget !== undefined) {
			let priced = 0;
			kept = wanted.filter(({ object }) => (priced += readBackCost(object)) <= budget);
		}
		const read = await readBack(client, kept);
		return { ...read, skipped: wanted.length - kept.length };
	};
}
