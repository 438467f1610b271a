import { archivedListPath } from '../pipedrive/objects';
import type { PipedriveObject } from '../plan/plan';
import { changedFieldsOf } from './fieldPrints';
import { inFlight } from './inFlight';
import type { LedgerClient } from './ledgerClient';
import { readBack, readBackKey } from './readBack';
import type { JournalStore, MappedRecord } from './store/journalStore';

/**
 * What the practice did in Pipedrive on top of the migration, found before a rollback deletes
 * anything: (a) migrated records whose fields no longer hold what the migration last wrote
 * (field prints, fieldPrints.ts), and (b) records the practice created that hang on a record the
 * rollback would delete (a note, activity, deal, file or lead on a migrated person, organization,
 * deal or lead; a person on a migrated organization). Identifiers and field paths only, never a
 * value.
 */
export const PRACTICE_WORK_POLICIES = ['stop', 'keep', 'include'] as const;
export type PracticeWorkPolicy = (typeof PRACTICE_WORK_POLICIES)[number];

export interface ChangedRecord {
	sourceKey: string;
	object: PipedriveObject;
	pipedriveId: string;
	/** Body paths changed in Pipedrive since the migration wrote them (`phones`, `custom_fields.<hash>`). */
	fields: string[];
	/** What the rollback would do to it: delete a record the migration created, or restore one it updated. */
	step: 'delete' | 'restore';
}

export interface AttachedRecord {
	object: PipedriveObject;
	pipedriveId: string;
	/** The migrated records it hangs on, each with its link field (`person_id`, `org_id`, …). */
	parents: Array<{ object: PipedriveObject; pipedriveId: string; sourceKey: string; link: string }>;
}

export interface PracticeWork {
	changed: ChangedRecord[];
	attached: AttachedRecord[];
	/**
	 * The targets as Pipedrive holds them now, by `object:id` (null: gone), as the collections'
	 * listing or the read-back showed them (rollback reuses them, and orders its steps by their links).
	 */
	current: Map<string, Record<string, unknown> | null>;
	/**
	 * How many live records each collection that can hold children held when it was listed whole
	 * (rollback's verification lists such a collection again when that is cheaper than by ids).
	 */
	listedSizes: Map<PipedriveObject, number>;
}

/** A record rollback would take back. */
export interface RollbackTarget {
	sourceKey: string;
	object: PipedriveObject;
	pipedriveId: string;
	kind: 'delete' | 'restore';
}

/** Which link fields point at which parent object, and which collections can hold such children. */
const LINKS: Array<{ link: string; parent: PipedriveObject; children: PipedriveObject[] }> = [
	{ link: 'person_id', parent: 'person', children: ['note', 'activity', 'deal', 'file', 'lead'] },
	{
		link: 'org_id',
		parent: 'organization',
		children: ['note', 'activity', 'deal', 'file', 'person'],
	},
	{ link: 'organization_id', parent: 'organization', children: ['lead'] },
	{ link: 'deal_id', parent: 'deal', children: ['note', 'activity', 'file'] },
	{ link: 'lead_id', parent: 'lead', children: ['note', 'activity', 'file'] },
];

/** Files are never updated by the migration, and their stored form differs from the upload's fields. */
const NOT_COMPARED: ReadonlySet<PipedriveObject> = new Set(['file']);

/** `object:id`, the read-back's key (readBack.ts). */
export const recordId = readBackKey;

/** The link fields of a record that point at records of the migration (as `object:id`). */
export function linksOf(record: Record<string, unknown>): Array<{ link: string; target: string }> {
	return LINKS.flatMap(({ link, parent }) => {
		const value = record[link];
		const id = value && typeof value === 'object' ? (value as { value?: unknown }).value : value;
		return id === null || id === undefined || id === ''
			? []
			: [{ link, target: recordId(parent, String(id)) }];
	});
}

/**
 * The listing of the collections that can hold children (which holds the targets of those
 * collections as they are now) and the read-back of the other targets run in flight together,
 * up to `width` calls at once (the rollback's width; 1 = one call after another). A target its
 * collection's listing lacks is gone, unless that list leaves some live records out (archived
 * leads): those are read back after the listing.
 */
export async function findPracticeWork(
	client: LedgerClient,
	store: JournalStore,
	targets: readonly RollbackTarget[],
	width = 1,
): Promise<PracticeWork> {
	const mapped = await store.lookup(targets.map((target) => target.sourceKey));
	const collections = childCollections(targets);
	const [{ attached, listed, listedSizes }, unlisted] = await Promise.all([
		findAttached(client, store, targets, collections, width),
		readCurrent(
			client,
			targets.filter((target) => !collections.has(target.object)),
			width,
		),
	]);
	const current = new Map(unlisted);
	const notListed: RollbackTarget[] = [];
	for (const target of targets.filter((candidate) => collections.has(candidate.object))) {
		const id = recordId(target.object, target.pipedriveId);
		const record = listed.get(id);
		if (record) current.set(id, record);
		else if (archivedListPath(target.object) !== undefined) notListed.push(target);
		else current.set(id, null);
	}
	for (const [id, record] of await readCurrent(client, notListed, width)) current.set(id, record);
	const changed: ChangedRecord[] = [];
	for (const target of targets) {
		const record = current.get(recordId(target.object, target.pipedriveId));
		if (!record || NOT_COMPARED.has(target.object)) continue;
		const fields = changedFieldsOf(
			target.sourceKey,
			record,
			printsOf(mapped.get(target.sourceKey)),
		);
		if (fields.length > 0)
			changed.push({
				sourceKey: target.sourceKey,
				object: target.object,
				pipedriveId: target.pipedriveId,
				fields,
				step: target.kind,
			});
	}
	return { changed, attached, current, listedSizes };
}

/** The collections that can hold children of the records to delete. */
function childCollections(targets: readonly RollbackTarget[]): Set<PipedriveObject> {
	return new Set(
		LINKS.filter(({ parent }) =>
			targets.some((t) => t.kind === 'delete' && t.object === parent),
		).flatMap(({ children }) => children),
	);
}

function printsOf(record: MappedRecord | undefined): Record<string, string> | null {
	return record?.fieldPrints ?? null;
}

/**
 * One pass over each collection that can hold children of the records to delete, rather than one
 * filtered list per parent: a migration has hundreds of parents, and the v1 files list ignores its
 * filters. A child the journal does not map is the practice's; the targets in these collections
 * come back too, as they are now (their current state, and for files their links).
 */
async function findAttached(
	client: LedgerClient,
	store: JournalStore,
	targets: readonly RollbackTarget[],
	collections: ReadonlySet<PipedriveObject>,
	width: number,
): Promise<{
	attached: AttachedRecord[];
	listed: Map<string, Record<string, unknown>>;
	listedSizes: Map<PipedriveObject, number>;
}> {
	const parents = new Map(
		targets
			.filter((target) => target.kind === 'delete')
			.map((target) => [recordId(target.object, target.pipedriveId), target]),
	);
	const ours = new Set(
		(await store.listMapped()).map((record) => recordId(record.object, record.pipedriveId)),
	);
	const wanted = new Set(targets.map((target) => recordId(target.object, target.pipedriveId)));
	const listed = new Map<string, Record<string, unknown>>();
	const byCollection = new Map<PipedriveObject, AttachedRecord[]>();
	const listedSizes = new Map<PipedriveObject, number>();
	// Each collection's pages follow one another; the collections are listed side by side.
	await inFlight([...collections], {
		width,
		run: async (object) => {
			const found: AttachedRecord[] = [];
			byCollection.set(object, found);
			let size = 0;
			for await (const record of client.list(object)) {
				size += 1;
				const id = String(record.id);
				if (wanted.has(recordId(object, id))) listed.set(recordId(object, id), record);
				if (ours.has(recordId(object, id))) continue;
				const on = linksOf(record).flatMap(({ link, target }) => {
					const parent = parents.get(target);
					return parent
						? [
								{
									object: parent.object,
									pipedriveId: parent.pipedriveId,
									sourceKey: parent.sourceKey,
									link,
								},
							]
						: [];
				});
				if (on.length > 0) found.push({ object, pipedriveId: id, parents: on });
			}
			listedSizes.set(object, size);
		},
	});
	// In the collections' order, as when they were listed one after another.
	const attached = [...collections].flatMap((object) => byCollection.get(object) ?? []);
	return { attached, listed, listedSizes };
}

/** The targets as Pipedrive holds them now (in bulk); null for a record already gone. Not files. */
async function readCurrent(
	client: LedgerClient,
	targets: readonly RollbackTarget[],
	width: number,
): Promise<Map<string, Record<string, unknown> | null>> {
	const { records } = await readBack(
		client,
		targets.filter((target) => !NOT_COMPARED.has(target.object)),
		{ width },
	);
	return records;
}
