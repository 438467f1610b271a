import { type AccountState, type Collection, type FieldEntity, liveCustomFields, type Rec, takeId } from '../account';
import { notFound, validationFailed } from '../apiError';
import {
	addressRule,
	checkShape,
	isPlainObject,
	normaliseAddress,
	type Rule,
	type Shape,
} from '../bodyRules';
import { rfc3339 } from '../clock';
import { checkCustomFields, mergeCustomFields, renderCustomFields } from '../customFields';
import { sanitizeNoteHtml, NOTE_MAX_CHARACTERS } from '../html';
import {
	booleanParam,
	enumParam,
	idsParam,
	integerParam,
	listEnvelope,
	paginate,
	sortRecords,
	updatedWindow,
} from '../listing';
import { checkReference } from '../references';
import type { Plan, RequestContext, Route } from '../routing';

/**
 * API v2 persons, organizations, deals and activities: create, get, list (cursor paging and
 * filters), PATCH, DELETE (soft). One generic implementation, one small config per entity.
 *
 * Soft delete: DELETE sets `is_deleted: true` and keeps the record (Pipedrive purges after 30
 * days). Lists leave deleted records out (deals: unless `status=deleted`); GET by id still
 * returns a deleted record with `is_deleted: true` — the spec's objects carry `is_deleted`, and
 * it lets a rollback verify its own deletes. PATCH and DELETE of a deleted record are 404.
 */
interface EntityConfig {
	collection: Collection;
	segment: string;
	label: string;
	fieldEntity?: FieldEntity;
	createShape: Shape;
	updateShape: Shape;
	required: string[];
	sortable: readonly string[];
	/** Applies a validated body to a record (new or copy of existing); appends problems. */
	apply(
		ctx: RequestContext,
		rec: Rec,
		body: Record<string, unknown>,
		creating: boolean,
		problems: string[],
	): void;
	/** List filters beyond ids / updated window / owner_id. */
	filter(ctx: RequestContext): (rec: Rec) => boolean;
	/** Stored record → response object. */
	render(state: AccountState, rec: Rec): Rec;
}

const contactItem: Rule = {
	shape: { value: 'string', primary: 'boolean', label: 'string' },
	required: ['value'],
};
const contactList: Rule = { array: contactItem };

/** visible_to values by plan (spec text): Lite/Growth 1 or 3; Premium/Ultimate 1, 3, 5 or 7. */
function visibility(plan: Plan): { allowed: number[]; fallback: number } {
	return plan === 'lite' || plan === 'growth'
		? { allowed: [1, 3], fallback: 3 }
		: { allowed: [1, 3, 5, 7], fallback: 7 };
}

function applyCommon(
	ctx: RequestContext,
	rec: Rec,
	body: Record<string, unknown>,
	creating: boolean,
	problems: string[],
): void {
	const { allowed, fallback } = visibility(ctx.plan);
	if (body.visible_to !== undefined && !allowed.includes(body.visible_to as number)) {
		problems.push(`visible_to: Expected one of ${allowed.join(', ')} on this plan`);
	}
	checkReference(ctx.account, 'users', body.owner_id, 'owner_id', problems);
	if (creating) {
		rec.owner_id = ctx.user.id;
		rec.visible_to = fallback;
		rec.add_time = rfc3339(ctx.now);
		rec.is_deleted = false;
	}
	for (const key of ['owner_id', 'visible_to'] as const)
		if (body[key] !== undefined) rec[key] = body[key];
}

/** At most one primary; none marked → the first becomes primary; label defaults to `work`. */
function normaliseContacts(list: unknown, property: string, problems: string[]): Rec[] | undefined {
	if (!Array.isArray(list)) return undefined;
	const items = list as Array<Record<string, unknown>>;
	if (items.filter((i) => i.primary === true).length > 1)
		problems.push(`${property}: Only one item can be primary`);
	const anyPrimary = items.some((i) => i.primary === true);
	return items.map((i, n) => ({
		value: i.value,
		primary: anyPrimary ? i.primary === true : n === 0,
		label: (i.label as string | undefined) ?? 'work',
	}));
}

function applyCustomFields(
	ctx: RequestContext,
	entity: FieldEntity,
	rec: Rec,
	body: Record<string, unknown>,
	problems: string[],
): void {
	if (body.custom_fields === undefined) return;
	const before = problems.length;
	checkCustomFields(ctx.account, entity, body.custom_fields, problems);
	if (problems.length === before) {
		rec.custom_fields = mergeCustomFields(
			ctx.account,
			entity,
			(rec.custom_fields as Rec) ?? {},
			body.custom_fields as Record<string, unknown>,
		);
	}
}

const personShape: Shape = {
	name: 'string',
	owner_id: 'integer',
	org_id: { nullable: 'integer' },
	add_time: 'datetime',
	emails: contactList,
	phones: contactList,
	visible_to: 'integer',
	label_ids: { array: 'integer' },
	postal_address: addressRule,
	notes: { nullable: 'string' },
	im: contactList,
	birthday: { nullable: 'date' },
	job_title: { nullable: 'string' },
	marketing_status: { enum: ['no_consent', 'unsubscribed', 'subscribed', 'archived'] },
	custom_fields: 'object',
};
const { add_time: _personAddTime, ...personUpdateShape } = personShape;

const CONTACT_SYNC_FIELDS = [
	'postal_address',
	'notes',
	'im',
	'birthday',
	'job_title',
	'marketing_status',
];

const persons: EntityConfig = {
	collection: 'persons',
	segment: 'persons',
	label: 'Person',
	fieldEntity: 'person',
	createShape: personShape,
	updateShape: personUpdateShape,
	required: ['name'],
	sortable: ['id', 'update_time', 'add_time'],
	apply(ctx, rec, body, creating, problems) {
		applyCommon(ctx, rec, body, creating, problems);
		if (creating)
			Object.assign(rec, { org_id: null, emails: [], phones: [], label_ids: [], picture_id: null });
		if (typeof body.name === 'string') {
			if (body.name.trim() === '') problems.push('name: Must not be empty');
			const [first, ...rest] = body.name.trim().split(/\s+/);
			Object.assign(rec, { name: body.name, first_name: first ?? '', last_name: rest.join(' ') });
		}
		checkReference(ctx.account, 'organizations', body.org_id, 'org_id', problems);
		if (body.org_id !== undefined) rec.org_id = body.org_id;
		if (body.add_time !== undefined) rec.add_time = rfc3339(Date.parse(body.add_time as string));
		for (const key of ['emails', 'phones', 'im'] as const) {
			const list = normaliseContacts(body[key], key, problems);
			if (list) rec[key] = list;
		}
		if (body.label_ids !== undefined) rec.label_ids = body.label_ids;
		if (body.notes !== undefined && typeof body.notes === 'string' && body.notes.length > 10_000) {
			problems.push('notes: Must be at most 10000 characters');
		}
		for (const key of CONTACT_SYNC_FIELDS)
			if (key !== 'im' && body[key] !== undefined)
				rec[key] = key === 'postal_address' ? normaliseAddress(body[key]) : body[key];
		applyCustomFields(ctx, 'person', rec, body, problems);
	},
	filter(ctx) {
		const org = integerParam(ctx.query, 'org_id');
		const deal = integerParam(ctx.query, 'deal_id');
		const dealPersons =
			deal === undefined ? undefined : ctx.account.records.deals[String(deal)]?.person_id;
		return (rec) =>
			(org === undefined || rec.org_id === org) && (deal === undefined || rec.id === dealPersons);
	},
	render: (state, rec) => renderWith(state, 'person', rec),
};

const organizationShape: Shape = {
	name: 'string',
	owner_id: 'integer',
	add_time: 'datetime',
	visible_to: 'integer',
	label_ids: { array: 'integer' },
	address: addressRule,
	website: { nullable: 'string' },
	linkedin: { nullable: 'string' },
	industry: { nullable: 'integer' },
	annual_revenue: { nullable: 'integer' },
	employee_count: { nullable: 'integer' },
	custom_fields: 'object',
};
const { add_time: _orgAddTime, ...organizationUpdateShape } = organizationShape;

const organizations: EntityConfig = {
	collection: 'organizations',
	segment: 'organizations',
	label: 'Organization',
	fieldEntity: 'organization',
	createShape: organizationShape,
	updateShape: organizationUpdateShape,
	required: ['name'],
	sortable: ['id', 'update_time', 'add_time'],
	apply(ctx, rec, body, creating, problems) {
		applyCommon(ctx, rec, body, creating, problems);
		if (creating) {
			Object.assign(rec, {
				address: null,
				label_ids: [],
				website: null,
				linkedin: null,
				industry: null,
				annual_revenue: null,
				employee_count: null,
			});
		}
		if (typeof body.name === 'string') {
			if (body.name.trim() === '') problems.push('name: Must not be empty');
			rec.name = body.name;
		}
		if (body.add_time !== undefined) rec.add_time = rfc3339(Date.parse(body.add_time as string));
		if (body.address !== undefined) rec.address = normaliseAddress(body.address);
		for (const key of [
			'label_ids',
			'website',
			'linkedin',
			'industry',
			'annual_revenue',
			'employee_count',
		]) {
			if (body[key] !== undefined) rec[key] = body[key];
		}
		applyCustomFields(ctx, 'organization', rec, body, problems);
	},
	filter: () => () => true,
	render: (state, rec) => renderWith(state, 'organization', rec),
};

const dealShape: Shape = {
	title: 'string',
	owner_id: 'integer',
	person_id: { nullable: 'integer' },
	org_id: { nullable: 'integer' },
	pipeline_id: 'integer',
	stage_id: 'integer',
	value: 'number',
	currency: 'string',
	is_deleted: 'boolean',
	is_archived: 'boolean',
	archive_time: { nullable: 'datetime' },
	status: { enum: ['open', 'won', 'lost'] },
	probability: { nullable: 'number' },
	lost_reason: { nullable: 'string' },
	visible_to: 'integer',
	close_time: { nullable: 'datetime' },
	won_time: { nullable: 'datetime' },
	lost_time: { nullable: 'datetime' },
	expected_close_date: { nullable: 'date' },
	label_ids: { array: 'integer' },
	custom_fields: 'object',
};

const deals: EntityConfig = {
	collection: 'deals',
	segment: 'deals',
	label: 'Deal',
	fieldEntity: 'deal',
	createShape: dealShape,
	updateShape: dealShape,
	required: ['title'],
	sortable: ['id', 'update_time', 'add_time'],
	apply(ctx, rec, body, creating, problems) {
		applyCommon(ctx, rec, body, creating, problems);
		const state = ctx.account;
		if (creating) {
			Object.assign(rec, {
				person_id: null,
				org_id: null,
				value: 0,
				currency: ctx.user.default_currency,
				stage_change_time: null,
				is_archived: false,
				archive_time: null,
				status: 'open',
				probability: null,
				lost_reason: null,
				close_time: null,
				won_time: null,
				lost_time: null,
				expected_close_date: null,
				label_ids: [],
				origin: 'API',
				origin_id: null,
				channel: null,
				channel_id: null,
				source_lead_id: null,
				arr: null,
				mrr: null,
				acv: null,
			});
			if (body.is_deleted === true) problems.push('is_deleted: A deal cannot be created deleted');
		}
		if (typeof body.title === 'string') {
			if (body.title.trim() === '') problems.push('title: Must not be empty');
			rec.title = body.title;
		}
		checkReference(state, 'persons', body.person_id, 'person_id', problems);
		checkReference(state, 'organizations', body.org_id, 'org_id', problems);
		for (const key of [
			'person_id',
			'org_id',
			'value',
			'currency',
			'probability',
			'expected_close_date',
			'label_ids',
			'is_archived',
			'archive_time',
		]) {
			if (body[key] !== undefined) rec[key] = body[key];
		}
		if (typeof body.currency === 'string' && !/^[A-Z]{3}$/.test(body.currency))
			problems.push('currency: Expected a 3-letter ISO 4217 code');
		placeInPipeline(state, rec, body, creating, problems);
		if (rec.stage_id !== undefined && (creating || body.stage_id !== undefined))
			rec.stage_change_time = rfc3339(ctx.now);
		applyStatus(ctx, rec, body, problems);
		applyCustomFields(ctx, 'deal', rec, body, problems);
	},
	filter(ctx) {
		const q = ctx.query;
		const wanted = {
			person_id: integerParam(q, 'person_id'),
			org_id: integerParam(q, 'org_id'),
			pipeline_id: integerParam(q, 'pipeline_id'),
			stage_id: integerParam(q, 'stage_id'),
		};
		const statuses = q.get('status')?.split(',');
		if (statuses && !statuses.every((s) => ['open', 'won', 'lost', 'deleted'].includes(s))) {
			throw validationFailed([
				'status: Expected a comma-separated list of open, won, lost, deleted',
			]);
		}
		return (rec) =>
			Object.entries(wanted).every(([k, v]) => v === undefined || rec[k] === v) &&
			rec.is_archived !== true &&
			(statuses === undefined ||
				statuses.includes(rec.is_deleted ? 'deleted' : String(rec.status)));
	},
	render: (state, rec) => renderWith(state, 'deal', rec),
};

/** stage_id wins; pipeline_id alone → its first stage; neither → first stage of the default pipeline. */
function placeInPipeline(
	state: AccountState,
	rec: Rec,
	body: Record<string, unknown>,
	creating: boolean,
	problems: string[],
): void {
	const stages = Object.values(state.records.stages).filter((s) => !s.is_deleted);
	if (body.stage_id !== undefined) {
		const stage = stages.find((s) => s.id === body.stage_id);
		if (!stage) return void problems.push('stage_id: Stage not found');
		if (body.pipeline_id !== undefined && body.pipeline_id !== stage.pipeline_id) {
			return void problems.push('stage_id: Stage does not belong to the given pipeline_id');
		}
		Object.assign(rec, { stage_id: stage.id, pipeline_id: stage.pipeline_id });
		return;
	}
	if (body.pipeline_id === undefined && !creating) return;
	const pipelines = Object.values(state.records.pipelines)
		.filter((p) => !p.is_deleted)
		.sort((a, b) => Number(a.order_nr) - Number(b.order_nr));
	const pipeline =
		body.pipeline_id === undefined
			? pipelines[0]
			: pipelines.find((p) => p.id === body.pipeline_id);
	if (!pipeline) return void problems.push('pipeline_id: Pipeline not found');
	const first = stages
		.filter((s) => s.pipeline_id === pipeline.id)
		.sort((a, b) => Number(a.order_nr) - Number(b.order_nr))[0];
	if (!first) return void problems.push('pipeline_id: Pipeline has no stages');
	Object.assign(rec, { stage_id: first.id, pipeline_id: pipeline.id });
}

/**
 * Spec rules: won_time only with status won, lost_time only with lost, close_time only with won
 * or lost, lost_reason only with lost. Closing without a time stamps "now".
 */
function applyStatus(
	ctx: RequestContext,
	rec: Rec,
	body: Record<string, unknown>,
	problems: string[],
): void {
	const status = (body.status as string | undefined) ?? (rec.status as string);
	if (body.won_time !== undefined && body.won_time !== null && status !== 'won')
		problems.push('won_time: Only allowed when status is won');
	if (body.lost_time !== undefined && body.lost_time !== null && status !== 'lost')
		problems.push('lost_time: Only allowed when status is lost');
	if (body.close_time !== undefined && body.close_time !== null && status === 'open')
		problems.push('close_time: Only allowed when status is won or lost');
	if (body.lost_reason !== undefined && body.lost_reason !== null && status !== 'lost')
		problems.push('lost_reason: Only allowed when status is lost');
	const time = (key: string): string | null | undefined =>
		body[key] === undefined
			? undefined
			: body[key] === null
				? null
				: rfc3339(Date.parse(body[key] as string));
	const statusChanged = body.status !== undefined && body.status !== rec.status;
	rec.status = status;
	if (status === 'open') {
		Object.assign(rec, { won_time: null, lost_time: null, close_time: null, lost_reason: null });
		return;
	}
	const now = rfc3339(ctx.now);
	if (status === 'won') {
		rec.won_time = time('won_time') ?? (statusChanged ? now : (rec.won_time ?? now));
		rec.lost_time = null;
		rec.lost_reason = null;
	} else {
		rec.lost_time = time('lost_time') ?? (statusChanged ? now : (rec.lost_time ?? now));
		rec.won_time = null;
		if (body.lost_reason !== undefined) rec.lost_reason = body.lost_reason;
	}
	rec.close_time = time('close_time') ?? (status === 'won' ? rec.won_time : rec.lost_time);
}

const activityShape: Shape = {
	subject: 'string',
	type: 'string',
	owner_id: 'integer',
	deal_id: { nullable: 'integer' },
	lead_id: { nullable: 'uuid' },
	person_id: { nullable: 'integer' },
	org_id: { nullable: 'integer' },
	project_id: { nullable: 'integer' },
	due_date: { nullable: 'date' },
	due_time: { nullable: 'clock' },
	duration: { nullable: 'clock' },
	busy: 'boolean',
	done: 'boolean',
	location: addressRule,
	participants: {
		array: { shape: { person_id: 'integer', primary: 'boolean' }, required: ['person_id'] },
	},
	attendees: {
		array: {
			shape: {
				email: 'string',
				name: 'string',
				status: 'string',
				is_organizer: 'boolean',
				person_id: 'integer',
				user_id: 'integer',
			},
			required: ['email'],
		},
	},
	public_description: { nullable: 'string' },
	priority: { nullable: 'integer' },
	note: { nullable: 'string' },
};

/** `HH:MM` or `HH:MM:SS` accepted; echoed as `HH:MM` like the v1 format and the migration guide's v2 example. */
function hhmm(value: unknown): string | null {
	return typeof value === 'string' ? value.slice(0, 5) : null;
}

const activities: EntityConfig = {
	collection: 'activities',
	segment: 'activities',
	label: 'Activity',
	createShape: activityShape,
	updateShape: activityShape,
	required: [],
	sortable: ['id', 'update_time', 'add_time', 'due_date'],
	apply(ctx, rec, body, creating, problems) {
		const state = ctx.account;
		checkReference(state, 'users', body.owner_id, 'owner_id', problems);
		if (creating) {
			Object.assign(rec, {
				subject: null,
				type: 'task',
				owner_id: ctx.user.id,
				creator_user_id: ctx.user.id,
				is_deleted: false,
				add_time: rfc3339(ctx.now),
				deal_id: null,
				lead_id: null,
				person_id: null,
				org_id: null,
				project_id: null,
				due_date: null,
				due_time: null,
				duration: null,
				busy: false,
				done: false,
				marked_as_done_time: null,
				location: null,
				participants: [],
				attendees: [],
				public_description: null,
				priority: null,
				note: null,
			});
		}
		if (body.type !== undefined) {
			const known = Object.values(state.records.activityTypes).some(
				(t) => t.key_string === body.type && t.active_flag,
			);
			if (!known) problems.push('type: Unknown activity type key_string');
			rec.type = body.type;
		}
		checkReference(state, 'deals', body.deal_id, 'deal_id', problems);
		checkReference(state, 'leads', body.lead_id, 'lead_id', problems);
		checkReference(state, 'organizations', body.org_id, 'org_id', problems);
		checkReference(state, 'persons', body.person_id, 'person_id', problems);
		for (const key of [
			'subject',
			'owner_id',
			'deal_id',
			'lead_id',
			'org_id',
			'project_id',
			'due_date',
			'busy',
			'public_description',
			'priority',
			'attendees',
		]) {
			if (body[key] !== undefined) rec[key] = body[key];
		}
		if (body.due_time !== undefined) rec.due_time = hhmm(body.due_time);
		if (body.duration !== undefined) rec.duration = hhmm(body.duration);
		if (body.location !== undefined) rec.location = normaliseAddress(body.location);
		if (typeof body.note === 'string') {
			if (body.note.length > NOTE_MAX_CHARACTERS)
				problems.push(`note: Must be at most ${NOTE_MAX_CHARACTERS} characters`);
			rec.note = sanitizeNoteHtml(body.note);
		} else if (body.note === null) rec.note = null;
		if (body.done !== undefined) {
			if (body.done !== rec.done) rec.marked_as_done_time = body.done ? rfc3339(ctx.now) : null;
			rec.done = body.done;
		}
		applyParticipants(state, rec, body, problems);
		if (rec.subject === null) {
			rec.subject =
				Object.values(state.records.activityTypes).find((t) => t.key_string === rec.type)?.name ??
				'Task';
		}
	},
	filter(ctx) {
		const q = ctx.query;
		const wanted = {
			deal_id: integerParam(q, 'deal_id'),
			person_id: integerParam(q, 'person_id'),
			org_id: integerParam(q, 'org_id'),
			lead_id: q.get('lead_id') ?? undefined,
			done: booleanParam(q, 'done'),
		};
		return (rec) => Object.entries(wanted).every(([k, v]) => v === undefined || rec[k] === v);
	},
	render: (_state, rec) => ({ ...rec }),
};

/**
 * The migration guide makes v2 `person_id` read-only, derived from the primary participant; the
 * spec still lists it in the body. The sandbox accepts both: `person_id` alone becomes the primary
 * participant; with participants it must equal the primary one.
 */
function applyParticipants(
	state: AccountState,
	rec: Rec,
	body: Record<string, unknown>,
	problems: string[],
): void {
	if (Array.isArray(body.participants)) {
		const list = body.participants as Array<{ person_id: number; primary?: boolean }>;
		list.forEach((p, i) =>
			checkReference(state, 'persons', p.person_id, `participants[${i}].person_id`, problems),
		);
		if (list.filter((p) => p.primary === true).length > 1)
			problems.push('participants: Only one participant can be primary');
		const anyPrimary = list.some((p) => p.primary === true);
		rec.participants = list.map((p, i) => ({
			person_id: p.person_id,
			primary: anyPrimary ? p.primary === true : i === 0,
		}));
		const primary = (rec.participants as Array<{ person_id: number; primary: boolean }>).find(
			(p) => p.primary,
		);
		if (body.person_id !== undefined && body.person_id !== (primary?.person_id ?? null)) {
			problems.push('person_id: Must be the primary participant');
		}
		rec.person_id = primary?.person_id ?? null;
	} else if (body.person_id !== undefined) {
		rec.person_id = body.person_id;
		rec.participants =
			body.person_id === null ? [] : [{ person_id: body.person_id, primary: true }];
	}
}

function renderWith(state: AccountState, entity: FieldEntity, rec: Rec): Rec {
	return {
		...rec,
		custom_fields: renderCustomFields(state, entity, rec.custom_fields as Rec | undefined),
	};
}

export const V2_ENTITIES: readonly EntityConfig[] = [persons, organizations, deals, activities];

export function entityConfig(collection: Collection): EntityConfig | undefined {
	return V2_ENTITIES.find((c) => c.collection === collection);
}

function recordOr404(ctx: RequestContext, config: EntityConfig): Rec {
	const id = ctx.params.id;
	const rec = /^\d+$/.test(id) ? ctx.account.records[config.collection][id] : undefined;
	if (!rec) throw notFound(config.label);
	return rec;
}

function write(ctx: RequestContext, config: EntityConfig, existing: Rec | undefined): Rec {
	const shape = existing ? config.updateShape : config.createShape;
	if (!isPlainObject(ctx.body)) throw validationFailed(["body: Expected 'object'"]);
	const body = ctx.body;
	const problems: string[] = [];
	checkShape(body, shape, existing ? [] : config.required, '', problems);
	if (problems.length > 0) throw validationFailed(problems);
	const rec: Rec = existing ? structuredClone(existing) : { id: 0 };
	config.apply(ctx, rec, body, !existing, problems);
	if (problems.length > 0) throw validationFailed(problems);
	if (!existing) rec.id = takeId(ctx.account, config.collection);
	rec.update_time = rfc3339(ctx.now);
	ctx.account.records[config.collection][String(rec.id)] = rec;
	return rec;
}

export function listLive(ctx: RequestContext, config: EntityConfig): Rec[] {
	const ids = idsParam(ctx.query);
	const owner = integerParam(ctx.query, 'owner_id');
	const inWindow = updatedWindow(ctx.query);
	const extra = config.filter(ctx);
	const includeDeleted =
		config.collection === 'deals' && (ctx.query.get('status') ?? '').split(',').includes('deleted');
	enumParam(ctx.query, 'sort_by', config.sortable);
	const records = Object.values(ctx.account.records[config.collection]).filter(
		(r) =>
			(includeDeleted || r.is_deleted !== true) &&
			(ids === undefined || ids.has(r.id as number)) &&
			(owner === undefined || r.owner_id === owner) &&
			inWindow(r) &&
			extra(r),
	);
	return sortRecords(records, ctx.query, config.sortable);
}

/**
 * Read options of v2 GETs: `custom_fields=<codes>` (at most 15) limits the returned custom
 * fields; `include_option_labels=true` turns enum and set option ids into `{ id, label }`.
 */
function readView(ctx: RequestContext, config: EntityConfig, rec: Rec): Rec {
	if (!config.fieldEntity || !isPlainObject(rec.custom_fields)) return rec;
	let custom = rec.custom_fields;
	const wanted = ctx.query.get('custom_fields');
	if (wanted !== null) {
		const codes = wanted.split(',').filter(Boolean);
		if (codes.length > 15) throw validationFailed(['custom_fields: At most 15 custom field codes']);
		custom = Object.fromEntries(Object.entries(custom).filter(([code]) => codes.includes(code)));
	}
	if (booleanParam(ctx.query, 'include_option_labels') === true) {
		const fields = new Map(liveCustomFields(ctx.account, config.fieldEntity).map((f) => [f.field_code, f]));
		const label = (code: string, id: unknown): unknown => {
			const option = fields.get(code)?.options?.find((o) => o.id === id);
			return option ? { id: option.id, label: option.label } : id;
		};
		custom = Object.fromEntries(
			Object.entries(custom).map(([code, v]) => [code, Array.isArray(v) ? v.map((id) => label(code, id)) : fields.get(code)?.field_type === 'enum' ? label(code, v) : v]),
		);
	}
	return { ...rec, custom_fields: custom };
}

export function v2EntityRoutes(): Route[] {
	return V2_ENTITIES.flatMap((config): Route[] => {
		const base = `/api/v2/${config.segment}`;
		const render = (ctx: RequestContext, rec: Rec): Rec => readView(ctx, config, config.render(ctx.account, rec));
		return [
			{
				method: 'POST',
				path: base,
				body: 'json',
				write: true,
				handler: (ctx) => ({
					body: { success: true, data: render(ctx, write(ctx, config, undefined)) },
				}),
			},
			{
				method: 'GET',
				path: base,
				body: 'none',
				handler: (ctx) => {
					const page = paginate(listLive(ctx, config), ctx.query);
					return { body: listEnvelope({ ...page, items: page.items.map((r) => render(ctx, r)) }) };
				},
			},
			{
				method: 'GET',
				path: `${base}/{id}`,
				body: 'none',
				handler: (ctx) => ({
					body: { success: true, data: render(ctx, recordOr404(ctx, config)) },
				}),
			},
			{
				method: 'PATCH',
				path: `${base}/{id}`,
				body: 'json',
				write: true,
				handler: (ctx) => {
					const existing = recordOr404(ctx, config);
					if (existing.is_deleted) throw notFound(config.label);
					return { body: { success: true, data: render(ctx, write(ctx, config, existing)) } };
				},
			},
			{
				method: 'DELETE',
				path: `${base}/{id}`,
				body: 'none',
				write: true,
				handler: (ctx) => {
					const rec = recordOr404(ctx, config);
					if (rec.is_deleted) throw notFound(config.label);
					rec.is_deleted = true;
					rec.update_time = rfc3339(ctx.now);
					return { body: { success: true, data: { id: rec.id } } };
				},
			},
		];
	});
}
