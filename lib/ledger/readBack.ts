import type { PipedriveClient } from '../pipedrive/client';
import {
	isV2Object,
	MAX_IDS_PER_LIST,
	OBJECTS,
	objectCosts,
	type PipedriveObject,
	type V1Object,
	type V2Object,
} from '../pipedrive/objects';
import { inFlight } from './inFlight';
import { apiId } from './ledgerClient';

/** A record to read back: its object and its Pipedrive id as the journal holds it. */
export interface RecordRef {
	object: PipedriveObject;
	pipedriveId: string | number;
}

export type StoredRecord = Record<string, unknown>;

export interface ReadBack {
	/** Keyed by `readBackKey(object, id)`; null when the record is gone (deleted or never there). */
	records: Map<string, StoredRecord | null>;
	requests: number;
	tokens: number;
}

/** The calls a read-back makes; the Ledger's client has them all. */
export type ReadBackClient = Pick<PipedriveClient, 'get' | 'listByIds' | 'listPage'>;

export function readBackKey(object: PipedriveObject, pipedriveId: string | number): string {
	return `${object}:${pipedriveId}`;
}

/** Token price of reading one record back by id (GET), from the spec's cost table. */
export function readBackCost(object: PipedriveObject): number {
	return objectCosts(object).get;
}

/** Token price of one list call (a v2 `ids` batch or a v1 page). */
function listCost(object: PipedriveObject): number {
	return objectCosts(object).list;
}

/**
 * Reads records back in bulk, for the diff, reconcile and rollback verification:
 * - persons, organizations, deals, activities: the v2 list filtered by `ids`, 100 per call, at
 *   the list's price (10 tokens for up to 100 records instead of 1 per GET); fewer than 10 ids
 *   left are cheaper by GET;
 * - notes, files, leads (v1 only, no `ids` filter): the v1 list newest first (20 tokens a page of
 *   500; files 100), because the records a migration wrote or restored are the newest (leads: then
 *   the archived list, 40 tokens a page), then a GET (2 tokens) for what the pages did not settle. Paging stops as soon as GETs would be cheaper,
 *   so the read-back never costs much more than one GET per record.
 * The records come back exactly as `client.get` returns them (null when gone or deleted).
 */
export async function readBack(
	client: ReadBackClient,
	refs: Iterable<RecordRef>,
	options: ReadBackOptions = {},
): Promise<ReadBack> {
	const width = options.width ?? 1;
	const wanted = new Map<PipedriveObject, Set<string>>();
	for (const ref of refs) {
		const ids = wanted.get(ref.object) ?? new Set<string>();
		ids.add(String(ref.pipedriveId));
		wanted.set(ref.object, ids);
	}
	// Every wanted record is entered at once, as not found: the answers then fill their places, so
	// the records come back in the same order whatever order the answers came in, in the one map.
	const found: Found = options.presenceOnly ? new PresenceMap() : new Map();
	for (const [object, ids] of wanted)
		for (const id of ids) found.set(readBackKey(object, id), null);
	const tally = { requests: 0, tokens: 0 };
	const counted = (tokens: number) => {
		tally.requests += 1;
		tally.tokens += tokens;
	};
	// First the list calls (each v2 batch on its own, each v1 object's pages in order), then one
	// GET for each record they left unsettled; both phases in flight up to `width`.
	const gets: Array<{ object: PipedriveObject; id: string }> = [];
	const lists: Array<() => Promise<void>> = [];
	for (const [object, ids] of wanted) {
		if (isV2Object(object))
			lists.push(...v2Batches(client, object, [...ids], found, gets, counted));
		else lists.push(() => readV1(client, object, ids, found, gets, counted));
	}
	await inFlight(lists, { width, run: (list) => list() });
	await inFlight(gets, {
		width,
		run: async ({ object, id }) => {
			found.set(readBackKey(object, id), await client.get(object, apiId(id)));
			counted(readBackCost(object));
		},
	});
	return { records: found, ...tally };
}

export interface ReadBackOptions {
	/**
	 * Keep only whether each record is there: a present record is an empty `{}`. A presence check
	 * of a whole migration (Reconcile) then holds no record bodies, only a key per record.
	 */
	presenceOnly?: boolean;
	/**
	 * Calls in flight at once (default 1, one after another). Callers that are not themselves
	 * already running in flight pass the limiter's burst limit (`inFlightWidth`).
	 */
	width?: number;
}

type Found = Map<string, StoredRecord | null>;
/** The one shared `{}` that stands for every present record of a presence-only read-back. */
const PRESENT: StoredRecord = Object.freeze({});
/** A found-map that keeps `PRESENT` instead of a record's body. */
class PresenceMap extends Map<string, StoredRecord | null> {
	override set(key: string, record: StoredRecord | null): this {
		return super.set(key, record && PRESENT);
	}
}
type Gets = Array<{ object: PipedriveObject; id: string }>;
/** Adds one call at its price to the read-back's figures. */
type Counted = (tokens: number) => void;

/** One task per batch of 100 ids; batches too small for a list call's price go to the GETs. */
function v2Batches(
	client: ReadBackClient,
	object: V2Object,
	ids: string[],
	found: Found,
	gets: Gets,
	counted: Counted,
): Array<() => Promise<void>> {
	// A non-numeric id cannot name a v2 record: it is not there.
	for (const id of ids.filter((id) => !/^\d+$/.test(id))) found.set(readBackKey(object, id), null);
	const numeric = ids.filter((id) => /^\d+$/.test(id));
	const tasks: Array<() => Promise<void>> = [];
	for (let at = 0; at < numeric.length; at += MAX_IDS_PER_LIST) {
		const batch = numeric.slice(at, at + MAX_IDS_PER_LIST);
		// Fewer ids than a list call costs in GETs (under 10 at 1 token a GET): GET them.
		if (readBackCost(object) * batch.length < listCost(object)) {
			gets.push(...batch.map((id) => ({ object, id })));
			continue;
		}
		tasks.push(async () => {
			const listed = await client.listByIds(object, batch.map(Number));
			counted(listCost(object));
			const byId = new Map(listed.map((record) => [String(record.id), record]));
			for (const id of batch) found.set(readBackKey(object, id), byId.get(id) ?? null);
		});
	}
	return tasks;
}

/**
 * Notes and files have increasing integer ids, so paging `id DESC` proves absence too: once a
 * page ends below a wanted id, that record is not in the list, i.e. deleted. Lead ids are UUIDs
 * and the list leaves archived (still live) leads out, so once the pages reach the list's end,
 * the archived list is paged too: a lead in neither list is gone (a lead the practice archives or
 * restores between the two reads is the one it could miss). What the pages did not settle is read
 * by GET. The order of each object is in the objects table. Each list's pages are read in order
 * (each page decides whether the next is worth it); the rest by GET.
 */
async function readV1(
	client: ReadBackClient,
	object: V1Object,
	ids: Set<string>,
	found: Found,
	gets: Gets,
	counted: Counted,
): Promise<void> {
	const { sort, orderedById } = OBJECTS[object].list.newestFirst;
	const getCost = readBackCost(object);
	const remaining = new Set(ids);
	const settle = (id: string, record: StoredRecord | null) => {
		found.set(readBackKey(object, id), record);
		remaining.delete(id);
	};
	let listed = 0;
	/** Pages one list while its pages are worth it; true when it read the list to its end. */
	const pageThrough = async (pageCost: number, archived: boolean): Promise<boolean> => {
		let start: number | undefined = 0;
		while (
			remaining.size > 0 &&
			// A page is worth it only while it costs no more than GETting what is left, and the pages
			// together never cost more than GETting everything.
			pageCost <= getCost * remaining.size &&
			listed + pageCost <= getCost * ids.size
		) {
			const page = await client.listPage(object, start, sort, archived);
			counted(pageCost);
			listed += pageCost;
			for (const record of page.records) {
				const id = String(record.id);
				if (remaining.has(id)) settle(id, record);
			}
			start = page.nextStart;
			if (orderedById) {
				// Paged past these ids (or reached the end) without meeting them: they are gone.
				const lowest =
					start === undefined ? -Infinity : Number(page.records.at(-1)?.id ?? Infinity);
				for (const id of [...remaining]) if (!(Number(id) <= lowest)) settle(id, null);
			}
			if (start === undefined) return true;
		}
		return false;
	};
	const archivedCost = objectCosts(object).archivedList;
	if (
		(await pageThrough(listCost(object), false)) &&
		archivedCost !== undefined &&
		(await pageThrough(archivedCost, true))
	)
		for (const id of [...remaining]) settle(id, null);
	gets.push(...[...remaining].map((id) => ({ object, id })));
}

/** What reading records back costs, per object: calls and tokens. */
export interface ReadBackBill {
	requests: number;
	tokens: number;
}

/**
 * The bill of `readBack` for `count` records of an object that the migration wrote, before any
 * call: the same choices as readV2 and readV1 (batches of 100 ids or GETs under the list's price;
 * v1 pages newest first while they are cheaper than GETs), assuming the records are the newest of
 * their kind in the account, as they are right after the migration wrote them. Preflight uses it.
 */
export function readBackBill(object: PipedriveObject, count: number): ReadBackBill {
	const bill: ReadBackBill = { requests: 0, tokens: 0 };
	const getCost = readBackCost(object);
	const pageCost = listCost(object);
	const get = (records: number) => {
		bill.requests += records;
		bill.tokens += records * getCost;
	};
	if (isV2Object(object)) {
		for (let at = 0; at < count; at += MAX_IDS_PER_LIST) {
			const batch = Math.min(MAX_IDS_PER_LIST, count - at);
			if (getCost * batch < pageCost) get(batch);
			else {
				bill.requests += 1;
				bill.tokens += pageCost;
			}
		}
		return bill;
	}
	const { pageSize } = OBJECTS[object].list;
	let remaining = count;
	let listed = 0;
	while (remaining > 0 && pageCost <= getCost * remaining && listed + pageCost <= getCost * count) {
		bill.requests += 1;
		bill.tokens += pageCost;
		listed += pageCost;
		remaining = Math.max(0, remaining - pageSize);
	}
	get(remaining);
	return bill;
}
