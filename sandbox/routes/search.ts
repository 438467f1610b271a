import {
	type AccountState,
	type FieldDef,
	type FieldEntity,
	liveCustomFields,
	type Rec,
} from '../account';
import { validationFailed } from '../apiError';
import { booleanParam, enumParam, integerParam, paginate } from '../listing';
import type { RequestContext, Route } from '../routing';

/**
 * v2 search: persons, organizations, deals, leads, and itemSearch/field. Matching is
 * case-insensitive; `exact_match=true` compares the full value, otherwise a substring match
 * (term at least 2 characters, or 1 with exact_match). Only searchable custom-field types are
 * searched (address, varchar, text, varchar_auto, double, monetary, phone). Results are ordered
 * by score (exact 1, prefix 0.75, substring 0.5) then id. Deleted records are never found. All
 * these routes share search's own 10-requests-per-2-seconds bucket.
 */
const SEARCHABLE = new Set([
	'address',
	'varchar',
	'text',
	'varchar_auto',
	'double',
	'monetary',
	'phone',
]);

interface Candidate {
	id: number | string;
	/** field group (`name`, `email`, `custom_fields`, …) → searchable strings */
	values: Record<string, string[]>;
	item: Rec;
}

/** Searchable custom-field values of one record; `fields` is computed once per search. */
function customValues(fields: FieldDef[], stored: Rec | undefined): string[] {
	return fields
		.map((f) => stored?.[f.field_code])
		.filter((v) => v !== null && v !== undefined)
		.map((v) => (typeof v === 'object' ? String((v as Rec).value ?? '') : String(v)));
}

function searchableFields(state: AccountState, entity: FieldEntity): FieldDef[] {
	return liveCustomFields(state, entity).filter((f) => SEARCHABLE.has(f.field_type));
}

/** Live notes' text (tags removed) by parent id, indexed once per search call. */
function notesIndex(state: AccountState, key: string): (id: unknown) => string[] {
	const index = new Map<unknown, string[]>();
	for (const n of Object.values(state.records.notes)) {
		if (n.active_flag !== true || n[key] === null) continue;
		const list = index.get(n[key]) ?? [];
		list.push(String(n.content).replace(/<[^>]*>/g, ''));
		index.set(n[key], list);
	}
	return (id) => index.get(id) ?? [];
}

function score(values: string[], term: string, exact: boolean): number {
	let best = 0;
	for (const raw of values) {
		const v = raw.toLowerCase();
		if (v === term) return 1;
		if (exact) continue;
		if (v.startsWith(term)) best = Math.max(best, 0.75);
		else if (v.includes(term)) best = Math.max(best, 0.5);
	}
	return best;
}

function run(ctx: RequestContext, groups: readonly string[], candidates: Candidate[]) {
	const q = ctx.query;
	const term = q.get('term');
	const exact = booleanParam(q, 'exact_match') ?? false;
	if (term === null || term.length < (exact ? 1 : 2)) {
		throw validationFailed(['term: Required, at least 2 characters (1 with exact_match)']);
	}
	const fieldsParam = q.get('fields');
	const fields = fieldsParam === null ? groups : fieldsParam.split(',');
	const unknown = fields.filter((f) => !groups.includes(f));
	if (unknown.length > 0)
		throw validationFailed([`fields: Expected a comma-separated list of ${groups.join(', ')}`]);
	const needle = term.toLowerCase();
	const hits = candidates
		.map((c) => ({
			c,
			s: Math.max(0, ...fields.map((f) => score(c.values[f] ?? [], needle, exact))),
		}))
		.filter((h) => h.s > 0)
		.sort(
			(a, b) =>
				b.s - a.s || String(a.c.id).localeCompare(String(b.c.id), undefined, { numeric: true }),
		);
	const page = paginate(hits, q);
	return {
		body: {
			success: true,
			data: { items: page.items.map((h) => ({ result_score: h.s, item: h.c.item })) },
			additional_data: { next_cursor: page.nextCursor },
		},
	};
}

function orgSummary(state: AccountState, id: unknown): Rec | null {
	const org = id === null ? undefined : state.records.organizations[String(id)];
	return org
		? { id: org.id, name: org.name, address: (org.address as Rec | null)?.value ?? null }
		: null;
}

function personSummary(state: AccountState, id: unknown): Rec | null {
	const person = id === null ? undefined : state.records.persons[String(id)];
	return person ? { id: person.id, name: person.name } : null;
}

const values = (list: unknown): string[] =>
	((list as Rec[] | undefined) ?? []).map((x) => String(x.value));

export function searchRoutes(): Route[] {
	const live = (ctx: RequestContext, c: 'persons' | 'organizations' | 'deals'): Rec[] =>
		Object.values(ctx.account.records[c]).filter((r) => r.is_deleted !== true);
	return [
		{
			method: 'GET',
			path: '/api/v2/persons/search',
			body: 'none',
			search: true,
			handler: (ctx) => {
				const s = ctx.account;
				const org = integerParam(ctx.query, 'organization_id');
				const fields = searchableFields(s, 'person');
				const notesOf = notesIndex(s, 'person_id');
				const candidates = live(ctx, 'persons')
					.filter((p) => org === undefined || p.org_id === org)
					.map((p) => {
						const custom = customValues(fields, p.custom_fields as Rec);
						const notes = notesOf(p.id);
						return {
							id: p.id as number,
							values: {
								name: [String(p.name)],
								email: values(p.emails),
								phone: values(p.phones),
								custom_fields: custom,
								notes,
							},
							item: {
								id: p.id,
								type: 'person',
								name: p.name,
								phones: values(p.phones),
								emails: values(p.emails),
								visible_to: p.visible_to,
								owner: { id: p.owner_id },
								organization: orgSummary(s, p.org_id),
								custom_fields: custom,
								notes,
							},
						};
					});
				return run(ctx, ['custom_fields', 'email', 'notes', 'phone', 'name'], candidates);
			},
		},
		{
			method: 'GET',
			path: '/api/v2/organizations/search',
			body: 'none',
			search: true,
			handler: (ctx) => {
				const s = ctx.account;
				const fields = searchableFields(s, 'organization');
				const notesOf = notesIndex(s, 'org_id');
				const candidates = live(ctx, 'organizations').map((o) => {
					const custom = customValues(fields, o.custom_fields as Rec);
					const notes = notesOf(o.id);
					const address = (o.address as Rec | null)?.value ?? null;
					return {
						id: o.id as number,
						values: {
							name: [String(o.name)],
							address: address === null ? [] : [String(address)],
							custom_fields: custom,
							notes,
						},
						item: {
							id: o.id,
							type: 'organization',
							name: o.name,
							address,
							visible_to: o.visible_to,
							owner: { id: o.owner_id },
							custom_fields: custom,
							notes,
						},
					};
				});
				return run(ctx, ['address', 'custom_fields', 'notes', 'name'], candidates);
			},
		},
		{
			method: 'GET',
			path: '/api/v2/deals/search',
			body: 'none',
			search: true,
			handler: (ctx) => {
				const s = ctx.account;
				const person = integerParam(ctx.query, 'person_id');
				const org = integerParam(ctx.query, 'organization_id');
				const status = enumParam(ctx.query, 'status', ['open', 'won', 'lost'] as const);
				const fields = searchableFields(s, 'deal');
				const notesOf = notesIndex(s, 'deal_id');
				const candidates = live(ctx, 'deals')
					.filter(
						(d) =>
							(person === undefined || d.person_id === person) &&
							(org === undefined || d.org_id === org),
					)
					.filter((d) => (status === undefined || d.status === status) && d.is_archived !== true)
					.map((d) => {
						const custom = customValues(fields, d.custom_fields as Rec);
						const notes = notesOf(d.id);
						const stage = s.records.stages[String(d.stage_id)];
						return {
							id: d.id as number,
							values: { title: [String(d.title)], custom_fields: custom, notes },
							item: {
								id: d.id,
								type: 'deal',
								title: d.title,
								value: d.value,
								currency: d.currency,
								status: d.status,
								visible_to: d.visible_to,
								owner: { id: d.owner_id },
								stage: stage ? { id: stage.id, name: stage.name } : null,
								person: personSummary(s, d.person_id),
								organization: orgSummary(s, d.org_id),
								custom_fields: custom,
								notes,
								is_archived: d.is_archived,
							},
						};
					});
				return run(ctx, ['custom_fields', 'notes', 'title'], candidates);
			},
		},
		{
			method: 'GET',
			path: '/api/v2/leads/search',
			body: 'none',
			search: true,
			handler: (ctx) => {
				const s = ctx.account;
				const person = integerParam(ctx.query, 'person_id');
				const org = integerParam(ctx.query, 'organization_id');
				const fields = searchableFields(s, 'deal');
				const notesOf = notesIndex(s, 'lead_id');
				const candidates = Object.values(s.records.leads)
					.filter(
						(l) =>
							(person === undefined || l.person_id === person) &&
							(org === undefined || l.organization_id === org),
					)
					.map((l) => {
						const custom = customValues(fields, l.custom_fields as Rec);
						const notes = notesOf(l.id);
						const p = l.person_id === null ? undefined : s.records.persons[String(l.person_id)];
						const value = l.value as Rec | null;
						return {
							id: l.id as string,
							values: { title: [String(l.title)], custom_fields: custom, notes },
							item: {
								id: l.id,
								type: 'lead',
								title: l.title,
								owner: { id: l.owner_id },
								person: personSummary(s, l.person_id),
								organization: orgSummary(s, l.organization_id),
								phones: values(p?.phones),
								emails: values(p?.emails),
								custom_fields: custom,
								notes,
								value: value?.amount ?? null,
								currency: value?.currency ?? null,
								visible_to: Number(l.visible_to),
								is_archived: l.is_archived,
							},
						};
					});
				return run(ctx, ['custom_fields', 'notes', 'title'], candidates);
			},
		},
		{
			method: 'GET',
			path: '/api/v2/itemSearch/field',
			body: 'none',
			search: true,
			handler: (ctx) => searchByField(ctx),
		},
	];
}

/** itemSearch/field: one field's values, `match` exact (default) / beginning / middle, case sensitive. */
function searchByField(ctx: RequestContext) {
	const q = ctx.query;
	const entity = enumParam(q, 'entity_type', ['deal', 'lead', 'person', 'organization'] as const);
	const field = q.get('field');
	const term = q.get('term');
	const match = enumParam(q, 'match', ['exact', 'beginning', 'middle'] as const) ?? 'exact';
	if (!entity || !field || term === null || term === '')
		throw validationFailed(['term, entity_type and field are required']);
	const collection = (
		{ deal: 'deals', lead: 'leads', person: 'persons', organization: 'organizations' } as const
	)[entity];
	const fieldEntity: FieldEntity = entity === 'lead' ? 'deal' : entity;
	const isCustom = liveCustomFields(ctx.account, fieldEntity).some((f) => f.field_code === field);
	const label = entity === 'deal' || entity === 'lead' ? 'title' : 'name';
	if (!isCustom && field !== label)
		throw validationFailed([`field: Expected ${label} or a custom field code of this entity`]);
	const hits = Object.values(ctx.account.records[collection])
		.filter((r) => r.is_deleted !== true)
		.filter((r) => {
			const raw = isCustom ? (r.custom_fields as Rec | undefined)?.[field] : r[field];
			if (raw === null || raw === undefined) return false;
			const v = typeof raw === 'object' ? String((raw as Rec).value) : String(raw);
			return match === 'exact'
				? v === term
				: match === 'beginning'
					? v.startsWith(term)
					: v.includes(term);
		})
		.map((r) => ({ result_score: 1, item: { id: r.id, [label]: r[label] } }));
	const page = paginate(hits, q);
	return {
		body: { success: true, data: page.items, additional_data: { next_cursor: page.nextCursor } },
	};
}
