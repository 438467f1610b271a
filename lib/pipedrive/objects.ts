import type { FieldObject } from './schemaRequirements';
import { tokenCost } from './tokenCosts';

/**
 * The one table of what the migration relies on per Pipedrive object: where it lives (v2 where
 * Pipedrive has it; v1 only for leads, notes and files, which have no v2 entity API), how it is
 * updated, listed and found again. The client, read-back, preflight, find-written and commit read
 * it; the object unions below are derived from it. Rows are in dependency order: parents before
 * children (the order commit writes in).
 *
 * - `list`: `ids` = the v2 list filters by `ids` (at most MAX_IDS_PER_LIST); otherwise a v1
 *   offset list of `pageSize` records, read newest first by `newestFirst.sort` (`orderedById`:
 *   the ids increase, so paging past an id proves it is gone); `archived`: the list of the
 *   records the main list leaves out (archived leads), so a record in neither list is gone.
 * - `findBy`: `sourceKey` = searched by the source-key custom field of `fields` (leads use the
 *   deal fields); `parent` = listed under the first of `parentLinks` the body carries and matched
 *   by content (find-written).
 */
export const OBJECTS = {
	organization: {
		path: '/api/v2/organizations',
		version: 'v2',
		update: 'PATCH',
		list: { kind: 'ids' },
		findBy: { kind: 'sourceKey', search: '/api/v2/organizations/search', fields: 'organization' },
	},
	person: {
		path: '/api/v2/persons',
		version: 'v2',
		update: 'PATCH',
		list: { kind: 'ids' },
		findBy: { kind: 'sourceKey', search: '/api/v2/persons/search', fields: 'person' },
	},
	lead: {
		path: '/api/v1/leads',
		version: 'v1',
		update: 'PATCH',
		// Lead ids are UUIDs and the list leaves archived (still live) leads out: they have their
		// own list, with the same paging.
		list: {
			kind: 'offset',
			pageSize: 500,
			newestFirst: { sort: 'update_time DESC', orderedById: false },
			archived: '/api/v1/leads/archived',
		},
		findBy: { kind: 'sourceKey', search: '/api/v2/leads/search', fields: 'deal' },
	},
	deal: {
		path: '/api/v2/deals',
		version: 'v2',
		update: 'PATCH',
		list: { kind: 'ids' },
		findBy: { kind: 'sourceKey', search: '/api/v2/deals/search', fields: 'deal' },
	},
	activity: {
		path: '/api/v2/activities',
		version: 'v2',
		update: 'PATCH',
		list: { kind: 'ids' },
		findBy: { kind: 'parent', parentLinks: ['deal_id', 'lead_id', 'person_id', 'org_id'] },
	},
	note: {
		path: '/api/v1/notes',
		version: 'v1',
		update: 'PUT',
		list: { kind: 'offset', pageSize: 500, newestFirst: { sort: 'id DESC', orderedById: true } },
		findBy: { kind: 'parent', parentLinks: ['person_id', 'deal_id', 'lead_id', 'org_id'] },
	},
	file: {
		path: '/api/v1/files',
		version: 'v1',
		// Commit never updates a file (it uploads once); the v1 update is PUT.
		update: 'PUT',
		// v1 `GET /files` allows at most 100 per page (its spec's `limit` maximum).
		list: { kind: 'offset', pageSize: 100, newestFirst: { sort: 'id DESC', orderedById: true } },
		findBy: {
			kind: 'parent',
			parentLinks: ['person_id', 'deal_id', 'activity_id', 'lead_id', 'org_id'],
		},
	},
} as const satisfies Record<string, ObjectFacts>;

interface ObjectFacts {
	path: string;
	version: 'v1' | 'v2';
	update: 'PATCH' | 'PUT';
	list:
		| { kind: 'ids' }
		| {
				kind: 'offset';
				pageSize: number;
				newestFirst: { sort: string; orderedById: boolean };
				archived?: string;
		  };
	findBy:
		| { kind: 'sourceKey'; search: string; fields: FieldObject }
		| { kind: 'parent'; parentLinks: readonly string[] };
}

type Table = typeof OBJECTS;

/** Pipedrive objects the migration writes. */
export type PipedriveObject = keyof Table;
/** In dependency order: parents before children. */
export const PIPEDRIVE_OBJECTS = Object.keys(OBJECTS) as PipedriveObject[];

type ObjectsWhere<Condition> = {
	[K in PipedriveObject]: Table[K] extends Condition ? K : never;
}[PipedriveObject];

/** Objects with a v2 list that filters by `ids`. */
export type V2Object = ObjectsWhere<{ list: { kind: 'ids' } }>;
/** Objects that live on v1 only, listed with offset paging and no `ids` filter. */
export type V1Object = ObjectsWhere<{ list: { kind: 'offset' } }>;
/** Objects that carry their source key in a custom field and are found by searching it. */
export type SourceKeyObject = ObjectsWhere<{ findBy: { kind: 'sourceKey' } }>;
/** Objects found again under their parent by their content. */
export type ParentLinkedObject = ObjectsWhere<{ findBy: { kind: 'parent' } }>;

export const SOURCE_KEY_OBJECTS = PIPEDRIVE_OBJECTS.filter(
	(object): object is SourceKeyObject => OBJECTS[object].findBy.kind === 'sourceKey',
);

export function isV2Object(object: PipedriveObject): object is V2Object {
	return OBJECTS[object].list.kind === 'ids';
}

/** The path of the list of the records the object's main list leaves out (archived leads). */
export function archivedListPath(object: PipedriveObject): string | undefined {
	const { list } = OBJECTS[object] as ObjectFacts;
	return list.kind === 'offset' ? list.archived : undefined;
}

export function isSourceKeyObject(object: PipedriveObject): object is SourceKeyObject {
	return OBJECTS[object].findBy.kind === 'sourceKey';
}

/** The v2 lists' `ids` filter takes at most 100 ids (the spec's parameter text). */
export const MAX_IDS_PER_LIST = 100;

/** v2 cursor pages and v1 offset pages both allow 500; the v2 search pages too. */
export const PAGE_SIZE = 500;

/** Custom-field definitions per field object. Products only count against the plan's field cap. */
export const FIELD_PATHS: Record<FieldObject | 'product', string> = {
	person: '/api/v2/personFields',
	organization: '/api/v2/organizationFields',
	deal: '/api/v2/dealFields',
	product: '/api/v2/productFields',
};

/** The account-level endpoints: users, pipelines and stages, activity types. */
export const ACCOUNT_PATHS = {
	me: '/api/v1/users/me',
	users: '/api/v1/users',
	pipelines: '/api/v2/pipelines',
	stages: '/api/v2/stages',
	activityTypes: '/api/v1/activityTypes',
} as const;

/** Token prices of one object's calls, from the spec's cost table. */
export interface ObjectCosts {
	create: number;
	/** Read one record by id. */
	get: number;
	update: number;
	delete: number;
	/** One list call: a v2 `ids` batch or a v1 page. */
	list: number;
	/** One source-key search page; undefined for objects found by their parent. */
	search?: number;
	/** One page of the archived list; undefined for objects without one. */
	archivedList?: number;
}

const COSTS = Object.fromEntries(
	PIPEDRIVE_OBJECTS.map((object): [PipedriveObject, ObjectCosts] => {
		const { path, update, findBy } = OBJECTS[object] as ObjectFacts;
		const archived = archivedListPath(object);
		const record = `${path}/1`;
		return [
			object,
			{
				create: tokenCost('POST', path),
				get: tokenCost('GET', record),
				update: tokenCost(update, record),
				delete: tokenCost('DELETE', record),
				list: tokenCost('GET', path),
				search: findBy.kind === 'sourceKey' ? tokenCost('GET', findBy.search) : undefined,
				archivedList: archived ? tokenCost('GET', archived) : undefined,
			},
		];
	}),
) as Record<PipedriveObject, ObjectCosts>;

export function objectCosts(object: PipedriveObject): ObjectCosts {
	return COSTS[object];
}

/**
 * The token price of writing one record (create, update or delete): how the status page prices
 * what the journal says was written.
 */
export function writeCost(object: PipedriveObject, write: 'create' | 'update' | 'delete'): number {
	return COSTS[object][write];
}
