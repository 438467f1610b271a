import type { LedgerClient } from '../ledger/ledgerClient';
import { apiId } from '../ledger/ledgerClient';
import { readBackCost } from '../ledger/readBack';
import type { RecordReader } from './verify';

/** Reads each record by id within the token budget (the batch read-back replaces this). */
export function clientRecordReader(client: Pick<LedgerClient, 'get'>): RecordReader {
	return async (wanted, budget) => {
		const records = new Map<string, Record<string, unknown> | null>();
		let requests = 0;
		let tokens = 0;
		let skipped = 0;
		for (const { object, pipedriveId } of wanted) {
			const cost = readBackCost(object);
			if (budget !== undefined && tokens + cost > budget) {
				skipped += 1;
				continue;
			}
			records.set(`${object}:${pipedriveId}`, await client.get(object, apiId(pipedriveId)));
			requests += 1;
			tokens += cost;
		}
		return { records, requests, tokens, skipped };
	};
}
