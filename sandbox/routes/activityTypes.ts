import { type Rec, takeId } from '../account';
import { notFound } from '../apiError';
import { isPlainObject } from '../bodyRules';
import { rfc3339 } from '../clock';
import type { RequestContext, Route } from '../routing';
import { v1Problems } from '../v1Format';

/**
 * v1 activity types. `key_string` is generated from the name at creation and never changes.
 * Times are RFC 3339: the spec declares `date-time` for this v1 object.
 */
export const ICON_KEYS = [
	'task',
	'email',
	'meeting',
	'deadline',
	'call',
	'lunch',
	'calendar',
	'downarrow',
	'document',
	'smartphone',
	'camera',
	'scissors',
	'cogs',
	'bubble',
	'uparrow',
	'checkbox',
	'signpost',
	'shuffle',
	'addressbook',
	'linegraph',
	'picture',
	'car',
	'world',
	'search',
	'clip',
	'sound',
	'brush',
	'key',
	'padlock',
	'pricetag',
	'suitcase',
	'finish',
	'plane',
	'loop',
	'wifi',
	'truck',
	'cart',
	'bulb',
	'bell',
	'presentation',
];

/** `Check-up (6 months)` → `check_up_6_months`; a taken key gets `_2`, `_3`, … */
export function keyStringFor(name: string, taken: Set<string>): string {
	const base =
		name
			.normalize('NFD')
			.replace(/[\u0300-\u036f]/g, '')
			.toLowerCase()
			.replace(/[^a-z0-9]+/g, '_')
			.replace(/^_+|_+$/g, '') || 'activity';
	let key = base;
	for (let n = 2; taken.has(key); n++) key = `${base}_${n}`;
	return key;
}

function check(ctx: RequestContext, creating: boolean): Record<string, unknown> {
	const body = isPlainObject(ctx.body) ? ctx.body : {};
	const problems: string[] = [];
	for (const key of Object.keys(body))
		if (!['name', 'icon_key', 'color'].includes(key)) problems.push(`"${key}" is not allowed`);
	if (
		(creating || body.name !== undefined) &&
		(typeof body.name !== 'string' || body.name.trim() === '')
	)
		problems.push('"name" is required');
	if ((creating || body.icon_key !== undefined) && !ICON_KEYS.includes(body.icon_key as string))
		problems.push('"icon_key" must be one of the documented icon keys');
	if (body.color !== undefined && !/^[0-9A-Fa-f]{6}$/.test(String(body.color)))
		problems.push('"color" must be a 6-character hex colour');
	v1Problems(problems, 'Invalid activity type');
	return body;
}

function typeOr404(ctx: RequestContext): Rec {
	const type = ctx.account.records.activityTypes[ctx.params.id];
	if (!type || type.active_flag !== true) throw notFound('Activity type');
	return type;
}

export function activityTypeRoutes(): Route[] {
	return [
		{
			method: 'GET',
			path: '/api/v1/activityTypes',
			body: 'none',
			handler: (ctx) => ({
				body: {
					success: true,
					data: Object.values(ctx.account.records.activityTypes).filter(
						(t) => t.active_flag === true,
					),
				},
			}),
		},
		{
			method: 'POST',
			path: '/api/v1/activityTypes',
			body: 'v1',
			write: true,
			handler: (ctx) => {
				const body = check(ctx, true);
				const all = Object.values(ctx.account.records.activityTypes);
				const id = takeId(ctx.account, 'activityTypes');
				const time = rfc3339(ctx.now);
				const type: Rec = {
					id,
					name: body.name,
					icon_key: body.icon_key,
					color: (body.color as string | undefined) ?? null,
					order_nr: all.length + 1,
					key_string: keyStringFor(
						body.name as string,
						new Set(all.map((t) => String(t.key_string))),
					),
					active_flag: true,
					is_custom_flag: true,
					add_time: time,
					update_time: time,
				};
				ctx.account.records.activityTypes[String(id)] = type;
				return { body: { success: true, data: type } };
			},
		},
		{
			method: 'PUT',
			path: '/api/v1/activityTypes/{id}',
			body: 'v1',
			write: true,
			handler: (ctx) => {
				const type = typeOr404(ctx);
				const body = check(ctx, false);
				Object.assign(type, body, { update_time: rfc3339(ctx.now) });
				return { body: { success: true, data: type } };
			},
		},
		{
			method: 'DELETE',
			path: '/api/v1/activityTypes/{id}',
			body: 'none',
			write: true,
			handler: (ctx) => {
				const type = typeOr404(ctx);
				type.active_flag = false;
				type.update_time = rfc3339(ctx.now);
				return { body: { success: true, data: type } };
			},
		},
	];
}
