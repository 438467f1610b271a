import { type FieldDef, type FieldEntity, type FieldOption, liveFields, takeId } from '../account';
import { forbidden, notFound, validationFailed } from '../apiError';
import { checkValue, isPlainObject, requireShape, type Shape } from '../bodyRules';
import { rfc3339 } from '../clock';
import { customFieldCount } from '../customFields';
import { listEnvelope, paginate } from '../listing';
import type { Plan, RequestContext, Route } from '../routing';

/**
 * v2 Fields API for person, organization, deal and product fields: list (cursor), get, create,
 * PATCH, DELETE (marks deleted) and the atomic option endpoints.
 */
const SEGMENTS: Record<FieldEntity, string> = {
	person: 'personFields',
	organization: 'organizationFields',
	deal: 'dealFields',
	product: 'productFields',
};

export const CREATABLE_TYPES = [
	'varchar',
	'text',
	'double',
	'phone',
	'date',
	'daterange',
	'time',
	'timerange',
	'set',
	'enum',
	'varchar_auto',
	'address',
	'monetary',
	'org',
	'people',
	'user',
] as const;

/** Custom fields per company by plan (Pipedrive KB "usage limits"), counted across all entities. */
export const CUSTOM_FIELD_CAP: Record<Plan, number> = {
	lite: 30,
	growth: 100,
	premium: 300,
	ultimate: 500,
};

/**
 * Refusal at the cap: HTTP 403 with a `code`, the shape of Pipedrive's other entity-limit errors
 * (`feature_capping_deals_limit`, changelog 2022-03-22). The exact code for custom fields is not
 * published; `feature_capping_custom_fields_limit` follows the same pattern.
 */
export const CUSTOM_FIELD_CAP_CODE = 'feature_capping_custom_fields_limit';

const labelRule = { shape: { label: 'string' }, required: ['label'] } as const;
const uiVisibility = {
	shape: {
		add_visible_flag: 'boolean',
		details_visible_flag: 'boolean',
		show_in_add_deal_dialog: { shape: { show: 'boolean', order: { nullable: 'integer' } } },
	},
} as const;

function createShape(entity: FieldEntity): Shape {
	return {
		field_name: 'string',
		field_type: { enum: CREATABLE_TYPES },
		options: { array: labelRule },
		ui_visibility: uiVisibility,
		important_fields: { shape: { enabled: 'boolean', stage_ids: { array: 'integer' } } },
		required_fields: { shape: { enabled: 'boolean' } },
		...(entity === 'deal' ? { description: { nullable: 'string' } } : {}),
	};
}

/** Sub-fields Pipedrive lists for composite types. */
function subfields(code: string, name: string, type: string): FieldDef['subfields'] {
	if (type === 'monetary')
		return [
			{ field_code: `${code}_currency`, field_name: `Currency of ${name}`, field_type: 'varchar' },
		];
	if (type === 'daterange' || type === 'timerange') {
		return [
			{
				field_code: `${code}_until`,
				field_name: `${name} (until)`,
				field_type: type === 'daterange' ? 'date' : 'time',
			},
		];
	}
	if (type === 'address') {
		return [
			'subpremise',
			'street_number',
			'route',
			'sublocality',
			'locality',
			'admin_area_level_1',
			'admin_area_level_2',
			'country',
			'postal_code',
			'formatted_address',
		].map((part) => ({
			field_code: `${code}_${part}`,
			field_name: `${name} - ${part}`,
			field_type: 'varchar',
		}));
	}
	return null;
}

export function renderField(f: FieldDef): Record<string, unknown> {
	const { id: _id, is_deleted: _deleted, add_time: _a, update_time: _u, ...visible } = f;
	return visible;
}

function checkLabel(label: string, path: string, problems: string[]): void {
	if (label.length < 1 || label.length > 255) problems.push(`${path}: Must be 1 to 255 characters`);
}

function fieldOr404(ctx: RequestContext, entity: FieldEntity): FieldDef {
	const field = liveFields(ctx.account, entity).find((f) => f.field_code === ctx.params.field_code);
	if (!field) throw notFound('Field');
	return field;
}

function customFieldOr404(ctx: RequestContext, entity: FieldEntity): FieldDef {
	const field = fieldOr404(ctx, entity);
	if (!field.is_custom_field)
		throw validationFailed(['field_code: System fields cannot be changed']);
	return field;
}

function newOption(ctx: RequestContext, label: string): FieldOption {
	const time = rfc3339(ctx.now);
	return {
		id: takeId(ctx.account, 'fieldOption'),
		label,
		color: null,
		add_time: time,
		update_time: time,
	};
}

function optionsBody(
	ctx: RequestContext,
	item: Record<string, unknown>,
): Array<Record<string, unknown>> {
	if (!Array.isArray(ctx.body) || ctx.body.length === 0)
		throw validationFailed(["body: Expected a non-empty 'array'"]);
	const problems: string[] = [];
	ctx.body.forEach((o, i) =>
		checkValue(o, { shape: item as Shape, required: Object.keys(item) }, `[${i}]`, problems),
	);
	if (problems.length > 0) throw validationFailed(problems);
	return ctx.body as Array<Record<string, unknown>>;
}

function requireOptionField(field: FieldDef): FieldOption[] {
	if (field.field_type !== 'enum' && field.field_type !== 'set') {
		throw validationFailed(['field_code: Options exist only on enum and set fields']);
	}
	return (field.options ??= []);
}

/** Every listed id must be an option of the field, or nothing changes (the endpoints are atomic). */
function requireKnownIds(options: FieldOption[], items: Array<Record<string, unknown>>): void {
	const known = new Set(options.map((o) => o.id));
	const unknown = items.flatMap((item, n) =>
		known.has(item.id as number) ? [] : [`[${n}].id: Option not found`],
	);
	if (unknown.length > 0) throw validationFailed(unknown);
}

export function fieldRoutes(): Route[] {
	return (Object.keys(SEGMENTS) as FieldEntity[]).flatMap((entity): Route[] => {
		const base = `/api/v2/${SEGMENTS[entity]}`;
		return [
			{
				method: 'GET',
				path: base,
				body: 'none',
				handler: (ctx) => {
					const page = paginate(liveFields(ctx.account, entity), ctx.query);
					return { body: listEnvelope({ ...page, items: page.items.map(renderField) }) };
				},
			},
			{
				method: 'GET',
				path: `${base}/{field_code}`,
				body: 'none',
				handler: (ctx) => ({ body: { success: true, data: renderField(fieldOr404(ctx, entity)) } }),
			},
			{
				method: 'POST',
				path: base,
				body: 'json',
				write: true,
				handler: (ctx) => {
					const body = requireShape(ctx.body, createShape(entity), ['field_name', 'field_type']);
					const problems: string[] = [];
					checkLabel(body.field_name as string, 'field_name', problems);
					const options = (body.options as Array<{ label: string }> | undefined) ?? [];
					options.forEach((o, i) => checkLabel(o.label, `options[${i}].label`, problems));
					const isOptionType = body.field_type === 'enum' || body.field_type === 'set';
					if (isOptionType && options.length === 0)
						problems.push('options: Required for enum and set fields');
					if (!isOptionType && body.options !== undefined)
						problems.push('options: Only allowed for enum and set fields');
					if (problems.length > 0) throw validationFailed(problems);
					const cap = CUSTOM_FIELD_CAP[ctx.plan];
					if (customFieldCount(ctx.account) >= cap) {
						throw forbidden(
							`Couldn't add the custom field. Custom fields limit of ${cap} reached for this plan.`,
							CUSTOM_FIELD_CAP_CODE,
						);
					}
					const code = ctx.random.hex(40);
					const time = rfc3339(ctx.now);
					const field: FieldDef = {
						id: takeId(ctx.account, 'field'),
						field_code: code,
						field_name: body.field_name as string,
						field_type: body.field_type as string,
						options: isOptionType ? options.map((o) => newOption(ctx, o.label)) : null,
						subfields: subfields(code, body.field_name as string, body.field_type as string),
						is_custom_field: true,
						is_optional_response_field: false,
						ui_visibility: {
							add_visible_flag: false,
							details_visible_flag: true,
							...(isPlainObject(body.ui_visibility) ? body.ui_visibility : {}),
						},
						important_fields: (body.important_fields as Record<string, unknown>) ?? {
							enabled: false,
							stage_ids: [],
						},
						required_fields: (body.required_fields as Record<string, unknown>) ?? {
							enabled: false,
						},
						...(entity === 'deal'
							? { description: (body.description as string | null | undefined) ?? null }
							: {}),
						is_deleted: false,
						add_time: time,
						update_time: time,
					};
					ctx.account.fields[entity].push(field);
					return { body: { success: true, data: renderField(field) } };
				},
			},
			{
				method: 'PATCH',
				path: `${base}/{field_code}`,
				body: 'json',
				write: true,
				handler: (ctx) => {
					const field = customFieldOr404(ctx, entity);
					const { field_name, ui_visibility, important_fields, required_fields, description } =
						createShape(entity);
					const shape: Shape = {
						field_name,
						ui_visibility,
						important_fields,
						required_fields,
						...(description ? { description } : {}),
					};
					const body = requireShape(ctx.body, shape);
					if (Object.keys(body).length === 0)
						throw validationFailed(['body: At least one property is required']);
					const problems: string[] = [];
					if (body.field_name !== undefined)
						checkLabel(body.field_name as string, 'field_name', problems);
					if (problems.length > 0) throw validationFailed(problems);
					if (body.field_name !== undefined) field.field_name = body.field_name as string;
					if (isPlainObject(body.ui_visibility))
						field.ui_visibility = { ...field.ui_visibility, ...body.ui_visibility };
					if (isPlainObject(body.important_fields))
						field.important_fields = { ...field.important_fields, ...body.important_fields };
					if (isPlainObject(body.required_fields)) field.required_fields = body.required_fields;
					if (body.description !== undefined) field.description = body.description as string | null;
					field.update_time = rfc3339(ctx.now);
					return { body: { success: true, data: renderField(field) } };
				},
			},
			{
				method: 'DELETE',
				path: `${base}/{field_code}`,
				body: 'none',
				write: true,
				handler: (ctx) => {
					const field = customFieldOr404(ctx, entity);
					field.is_deleted = true;
					field.update_time = rfc3339(ctx.now);
					return { body: { success: true, data: renderField(field) } };
				},
			},
			{
				method: 'POST',
				path: `${base}/{field_code}/options`,
				body: 'json',
				write: true,
				handler: (ctx) => {
					const field = customFieldOr404(ctx, entity);
					const options = requireOptionField(field);
					const items = optionsBody(ctx, { label: 'string' });
					const problems: string[] = [];
					items.forEach((o, i) => checkLabel(o.label as string, `[${i}].label`, problems));
					if (problems.length > 0) throw validationFailed(problems);
					const added = items.map((o) => newOption(ctx, o.label as string));
					options.push(...added);
					field.update_time = rfc3339(ctx.now);
					return { body: { success: true, data: added.map(({ id, label }) => ({ id, label })) } };
				},
			},
			{
				method: 'PATCH',
				path: `${base}/{field_code}/options`,
				body: 'json',
				write: true,
				handler: (ctx) => {
					const field = customFieldOr404(ctx, entity);
					const options = requireOptionField(field);
					const items = optionsBody(ctx, { id: 'integer', label: 'string' });
					requireKnownIds(options, items);
					const problems: string[] = [];
					items.forEach((o, i) => checkLabel(o.label as string, `[${i}].label`, problems));
					if (problems.length > 0) throw validationFailed(problems);
					for (const item of items) {
						const option = options.find((o) => o.id === item.id) as FieldOption;
						option.label = item.label as string;
						option.update_time = rfc3339(ctx.now);
					}
					return { body: { success: true, data: items.map(({ id, label }) => ({ id, label })) } };
				},
			},
			{
				method: 'DELETE',
				path: `${base}/{field_code}/options`,
				body: 'json',
				write: true,
				handler: (ctx) => {
					const field = customFieldOr404(ctx, entity);
					const options = requireOptionField(field);
					const items = optionsBody(ctx, { id: 'integer' });
					requireKnownIds(options, items);
					const removed = new Set(items.map((i) => i.id as number));
					const gone = options.filter((o) => removed.has(o.id));
					field.options = options.filter((o) => !removed.has(o.id));
					return { body: { success: true, data: gone.map(({ id, label }) => ({ id, label })) } };
				},
			},
		];
	});
}
