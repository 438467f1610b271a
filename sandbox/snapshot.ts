import { createHash } from 'node:crypto';
import { type AccountState, COLLECTIONS, FIELD_ENTITIES, type Rec } from './account';
import { renderCustomFields } from './customFields';
import { renderField } from './routes/fields';

/**
 * The whole account as plain, deterministic JSON: collections sorted by id, object keys sorted
 * at every depth, no tokens and no counters (counters live apart, see `counters()`), so two
 * snapshots compare with a deep equality.
 *
 * Soft-deleted records (v2 `is_deleted: true`, v1 `active_flag: false`) and deleted custom
 * fields are INCLUDED by default, flagged as such, because Pipedrive keeps them for 30 days.
 * `{ live: true }` leaves them out: that is the view a rollback test compares ("Pipedrive holds
 * what it held before"). `{ omitUpdateTimes: true }` also drops `update_time`, which a restore
 * from a before-image necessarily changes.
 *
 * Persons, organizations and deals show `custom_fields` as the API does (every live field, null
 * when unset); leads keep their deal custom-field values under `custom_fields` (set values only),
 * where the v1 API spreads them as top-level hash keys.
 */
export interface SnapshotOptions {
	live?: boolean;
	omitUpdateTimes?: boolean;
}

export interface SandboxSnapshot {
	company: { id: number; domain: string };
	users: Rec[];
	fields: Record<string, Rec[]>;
	persons: Rec[];
	organizations: Rec[];
	deals: Rec[];
	activities: Rec[];
	notes: Rec[];
	/** Metadata plus `sha256` of the content. */
	files: Rec[];
	leads: Rec[];
	pipelines: Rec[];
	stages: Rec[];
	activityTypes: Rec[];
	leadLabels: Rec[];
}

const isDeleted = (r: Rec): boolean => r.is_deleted === true || r.active_flag === false;

function sortKeys(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(sortKeys);
	if (value !== null && typeof value === 'object') {
		return Object.fromEntries(
			Object.keys(value as Rec)
				.sort()
				.map((k) => [k, sortKeys((value as Rec)[k])]),
		);
	}
	return value;
}

const CUSTOM_FIELD_ENTITY: Partial<Record<string, 'person' | 'organization' | 'deal'>> = {
	persons: 'person',
	organizations: 'organization',
	deals: 'deal',
};

export function takeSnapshot(state: AccountState, options: SnapshotOptions = {}): SandboxSnapshot {
	const keep = (r: Rec): boolean => !(options.live && isDeleted(r));
	const strip = (r: Rec): Rec => {
		if (!options.omitUpdateTimes) return r;
		const { update_time: _u, ...rest } = r;
		return rest;
	};
	const collections = Object.fromEntries(
		COLLECTIONS.map((c) => {
			const entity = CUSTOM_FIELD_ENTITY[c];
			const rows = Object.values(state.records[c])
				.filter(keep)
				.sort((a, b) =>
					typeof a.id === 'number'
						? Number(a.id) - Number(b.id)
						: String(a.id) < String(b.id)
							? -1
							: 1,
				)
				.map((r) => {
					let row: Rec = { ...r };
					if (entity)
						row.custom_fields = renderCustomFields(
							state,
							entity,
							r.custom_fields as Rec | undefined,
						);
					if (c === 'files') {
						row.sha256 = createHash('sha256')
							.update(Buffer.from(state.fileContents[String(r.id)] ?? '', 'base64'))
							.digest('hex');
					}
					row = strip(row);
					return row;
				});
			return [c, rows];
		}),
	);
	const fields = Object.fromEntries(
		FIELD_ENTITIES.map((e) => [
			e,
			state.fields[e]
				.filter((f) => !(options.live && f.is_deleted))
				.map((f) => ({ ...renderField(f), is_deleted: f.is_deleted })),
		]),
	);
	return sortKeys({
		company: { id: state.company.id, domain: state.company.domain },
		users: state.users,
		fields,
		...collections,
	}) as SandboxSnapshot;
}
