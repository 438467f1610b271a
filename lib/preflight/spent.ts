import { OBJECTS, PIPEDRIVE_OBJECTS, type PipedriveObject } from '../pipedrive/objects';

/** Tokens a run spent, per Pipedrive object; `setup` is everything else (fields, users, …). */
export interface TokenTally {
	perObject: Record<PipedriveObject, number>;
	setup: number;
	total: number;
}

/**
 * The object a request works on, from the per-object table: its path or one below it
 * (`/api/v1/leads/archived` is a lead request); undefined for setup requests.
 */
export function objectOfRequest(op: string): PipedriveObject | undefined {
	const path = op.split(' ')[1] ?? '';
	return PIPEDRIVE_OBJECTS.find(
		(object) => path === OBJECTS[object].path || path.startsWith(`${OBJECTS[object].path}/`),
	);
}

/** Tokens charged between two readings of the sandbox's per-operation counters. */
export function tokensSpent(
	before: Readonly<Record<string, number>>,
	after: Readonly<Record<string, number>>,
): TokenTally {
	const tally: TokenTally = {
		perObject: Object.fromEntries(PIPEDRIVE_OBJECTS.map((object) => [object, 0])) as Record<
			PipedriveObject,
			number
		>,
		setup: 0,
		total: 0,
	};
	for (const [op, tokens] of Object.entries(after)) {
		const spent = tokens - (before[op] ?? 0);
		const object = objectOfRequest(op);
		if (object) tally.perObject[object] += spent;
		else tally.setup += spent;
		tally.total += spent;
	}
	return tally;
}
