import { type FieldDef, liveCustomFields, type Rec } from '../account';
import { badRequest, notFound } from '../apiError';
import { isDate, isPlainObject, isUuid } from '../bodyRules';
import { checkCustomFields, isHashKey, mergeCustomFields } from '../customFields';
import { checkReference } from '../references';
import type { RequestContext, Route } from '../routing';
import { v1Page, v1Problems, v1Sort } from '../v1Format';

/**
 * v1 leads (UUID ids; v2 has only search). A lead needs a `title` and a person or an
 * organization. Leads share the deal custom fields; like every v1 entity they carry them as
 * top-level hash keys. Values use the typed shapes of v2 (enum option id as a number, set as an
 * array); v1's string forms (`"12"`, `"12,13"`) are accepted and normalised. Unset custom fields
 * are omitted from lead responses (api-facts §3.7). DELETE removes the lead (the lead object has
 * no deleted flag; GET afterwards is 404). Archived leads leave `GET /leads` for
 * `GET /leads/archived`.
 */
const INVALID = "Couldn't create lead, body is invalid.";
const ALLOWED = new Set([
	'title',
	'owner_id',
	'label_ids',
	'person_id',
	'organization_id',
	'value',
	'expected_close_date',
	'visible_to',
	'was_seen',
	'origin_id',
	'channel',
	'channel_id',
	'is_archived',
]);

function v1CustomValue(field: FieldDef, value: unknown): unknown {
	if (field.field_type === 'enum' && typeof value === 'string' && /^\d+$/.test(value))
		return Number(value);
	if (field.field_type === 'set' && typeof value === 'string' && /^\d+(,\d+)*$/.test(value))
		return value.split(',').map(Number);
	return value;
}

function render(lead: Rec): Rec {
	const { custom_fields: custom, ...rest } = lead;
	return { ...rest, ...((custom as Rec | undefined) ?? {}) };
}

function apply(ctx: RequestContext, lead: Rec, creating: boolean): void {
	if (!isPlainObject(ctx.body)) throw badRequest(INVALID, 'Send a JSON object');
	const body = ctx.body;
	const problems: string[] = [];
	const fields = new Map(liveCustomFields(ctx.account, 'deal').map((f) => [f.field_code, f]));
	const custom: Record<string, unknown> = {};
	for (const [key, value] of Object.entries(body)) {
		if (isHashKey(key) && fields.has(key))
			custom[key] = v1CustomValue(fields.get(key) as FieldDef, value);
		else if (!ALLOWED.has(key) || (creating && key === 'is_archived'))
			problems.push(`"${key}" is not allowed`);
	}
	const int = (key: string, nullable: boolean): void => {
		const v = body[key];
		if (v === undefined || (nullable && v === null)) return;
		if (!Number.isInteger(v)) problems.push(`"${key}" must be a number`);
	};
	if (creating || body.title !== undefined) {
		if (typeof body.title !== 'string' || body.title.trim() === '')
			problems.push('"title" is required');
	}
	int('owner_id', false);
	int('person_id', true);
	int('organization_id', true);
	int('channel', true);
	if (
		body.label_ids !== undefined &&
		!(
			Array.isArray(body.label_ids) &&
			body.label_ids.every((l) => isUuid(l) && ctx.account.records.leadLabels[l])
		)
	) {
		problems.push('"label_ids" must be an array of existing lead label UUIDs');
	}
	if (body.value !== undefined && body.value !== null) {
		const v = body.value;
		if (
			!isPlainObject(v) ||
			typeof v.amount !== 'number' ||
			typeof v.currency !== 'string' ||
			Object.keys(v).length !== 2
		) {
			problems.push('"value" must be { amount: number, currency: string } or null');
		}
	}
	if (
		body.expected_close_date !== undefined &&
		body.expected_close_date !== null &&
		!isDate(body.expected_close_date)
	) {
		problems.push('"expected_close_date" must be YYYY-MM-DD');
	}
	if (body.visible_to !== undefined && !['1', '3', '5', '7'].includes(String(body.visible_to)))
		problems.push('"visible_to" must be "1", "3", "5" or "7"');
	for (const key of ['was_seen', 'is_archived'])
		if (body[key] !== undefined && typeof body[key] !== 'boolean')
			problems.push(`"${key}" must be a boolean`);
	for (const key of ['origin_id', 'channel_id'])
		if (body[key] !== undefined && body[key] !== null && typeof body[key] !== 'string')
			problems.push(`"${key}" must be a string`);
	v1Problems(problems, INVALID);
	if (Object.keys(custom).length > 0) {
		const before = problems.length;
		checkCustomFields(ctx.account, 'deal', custom, problems);
		if (problems.length > before)
			v1Problems(
				problems.map((p) => p.replace(/^custom_fields\./, '')),
				INVALID,
			);
	}
	checkReference(ctx.account, 'users', body.owner_id, 'owner_id', problems);
	checkReference(ctx.account, 'persons', body.person_id, 'person_id', problems);
	checkReference(ctx.account, 'organizations', body.organization_id, 'organization_id', problems);
	v1Problems(problems, INVALID);

	if (creating) {
		Object.assign(lead, {
			title: '',
			owner_id: ctx.user.id,
			creator_id: ctx.user.id,
			label_ids: [],
			person_id: null,
			organization_id: null,
			source_name: 'API',
			origin: 'API',
			origin_id: null,
			channel: null,
			channel_id: null,
			source_deal_id: null,
			is_archived: false,
			was_seen: false,
			value: null,
			expected_close_date: null,
			next_activity_id: null,
			add_time: new Date(ctx.now).toISOString(),
			visible_to: '3',
			cc_email: `sandbox+lead@${ctx.account.company.domain}.pipedrive.test`,
			custom_fields: {},
		});
	}
	for (const key of ALLOWED) {
		if (body[key] !== undefined) lead[key] = key === 'visible_to' ? String(body[key]) : body[key];
	}
	lead.custom_fields = mergeCustomFields(
		ctx.account,
		'deal',
		(lead.custom_fields as Rec) ?? {},
		custom,
	);
	if (lead.person_id === null && lead.organization_id === null) {
		v1Problems(
			[
				'A lead always has to be linked to a person or an organization or both: send person_id or organization_id',
			],
			INVALID,
		);
	}
	lead.update_time = new Date(ctx.now).toISOString();
}

function leadOr404(ctx: RequestContext): Rec {
	const lead = ctx.account.records.leads[ctx.params.id];
	if (!lead) throw notFound('Lead');
	return lead;
}

/**
 * `GET /leads` lists the leads that are not archived, `GET /leads/archived` the archived ones;
 * otherwise the same filters, sort and offset paging (the spec gives both the same parameters,
 * except `updated_since`, which only the first documents).
 */
function listLeads(ctx: RequestContext, archived: boolean) {
	const q = ctx.query;
	const problems: string[] = [];
	const wanted: Record<string, number> = {};
	for (const key of ['owner_id', 'person_id', 'organization_id']) {
		const raw = q.get(key);
		if (raw === null) continue;
		if (!/^\d+$/.test(raw)) problems.push(`"${key}" must be a number`);
		wanted[key] = Number(raw);
	}
	v1Problems(problems, 'Invalid filter');
	const since = archived ? null : q.get('updated_since');
	const leads = Object.values(ctx.account.records.leads)
		.filter(
			(l) =>
				Boolean(l.is_archived) === archived && Object.entries(wanted).every(([k, v]) => l[k] === v),
		)
		.filter((l) => since === null || Date.parse(String(l.update_time)) >= Date.parse(since))
		.sort(
			(a, b) =>
				String(a.add_time).localeCompare(String(b.add_time)) ||
				String(a.id).localeCompare(String(b.id)),
		);
	const sorted = v1Sort(leads, q.get('sort'), [
		'id',
		'title',
		'owner_id',
		'creator_id',
		'was_seen',
		'expected_close_date',
		'next_activity_id',
		'add_time',
		'update_time',
	]);
	const page = v1Page(sorted, q);
	return {
		body: {
			success: true,
			data: page.data.map(render),
			additional_data: page.additional_data.pagination as Rec,
		},
	};
}

export function leadRoutes(): Route[] {
	return [
		{
			method: 'POST',
			path: '/api/v1/leads',
			body: 'json',
			write: true,
			handler: (ctx) => {
				const lead: Rec = { id: '' };
				apply(ctx, lead, true);
				lead.id = ctx.random.uuid();
				ctx.account.records.leads[lead.id as string] = lead;
				return { status: 201, body: { success: true, data: render(lead) } };
			},
		},
		{
			method: 'GET',
			path: '/api/v1/leads',
			body: 'none',
			handler: (ctx) => listLeads(ctx, false),
		},
		{
			method: 'GET',
			path: '/api/v1/leads/archived',
			body: 'none',
			handler: (ctx) => listLeads(ctx, true),
		},
		{
			method: 'GET',
			path: '/api/v1/leads/{id}',
			body: 'none',
			handler: (ctx) => ({ body: { success: true, data: render(leadOr404(ctx)) } }),
		},
		{
			method: 'PATCH',
			path: '/api/v1/leads/{id}',
			body: 'json',
			write: true,
			handler: (ctx) => {
				const lead = structuredClone(leadOr404(ctx));
				apply(ctx, lead, false);
				ctx.account.records.leads[lead.id as string] = lead;
				return { body: { success: true, data: render(lead) } };
			},
		},
		{
			method: 'DELETE',
			path: '/api/v1/leads/{id}',
			body: 'none',
			write: true,
			handler: (ctx) => {
				const lead = leadOr404(ctx);
				delete ctx.account.records.leads[lead.id as string];
				return { body: { success: true, data: { id: lead.id } } };
			},
		},
	];
}
