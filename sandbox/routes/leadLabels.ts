import type { Rec } from '../account';
import { notFound } from '../apiError';
import { isPlainObject } from '../bodyRules';
import type { RequestContext, Route } from '../routing';
import { v1Problems } from '../v1Format';

/** v1 lead labels (UUID ids; a new company has Hot, Warm and Cold). DELETE removes the label. */
const COLORS = [
	'blue',
	'brown',
	'dark-gray',
	'gray',
	'green',
	'orange',
	'pink',
	'purple',
	'red',
	'yellow',
];

function labelBody(ctx: RequestContext, creating: boolean): Rec {
	const body = isPlainObject(ctx.body) ? ctx.body : {};
	const problems: string[] = [];
	for (const key of Object.keys(body))
		if (key !== 'name' && key !== 'color') problems.push(`"${key}" is not allowed`);
	if (
		(creating || body.name !== undefined) &&
		(typeof body.name !== 'string' || body.name.trim() === '')
	)
		problems.push('"name" is required');
	if ((creating || body.color !== undefined) && !COLORS.includes(body.color as string))
		problems.push(`"color" must be one of ${COLORS.join(', ')}`);
	v1Problems(problems, 'Invalid lead label');
	return body;
}

export function leadLabelRoutes(): Route[] {
	const labelOr404 = (ctx: RequestContext): Rec => {
		const label = ctx.account.records.leadLabels[ctx.params.id];
		if (!label) throw notFound('Lead label');
		return label;
	};
	return [
		{
			method: 'GET',
			path: '/api/v1/leadLabels',
			body: 'none',
			handler: (ctx) => ({
				body: { success: true, data: Object.values(ctx.account.records.leadLabels) },
			}),
		},
		{
			method: 'POST',
			path: '/api/v1/leadLabels',
			body: 'json',
			write: true,
			handler: (ctx) => {
				const body = labelBody(ctx, true);
				const time = new Date(ctx.now).toISOString();
				const label = {
					id: ctx.random.uuid(),
					name: body.name,
					color: body.color,
					add_time: time,
					update_time: time,
				};
				ctx.account.records.leadLabels[label.id] = label;
				return { body: { success: true, data: label } };
			},
		},
		{
			method: 'PATCH',
			path: '/api/v1/leadLabels/{id}',
			body: 'json',
			write: true,
			handler: (ctx) => {
				const label = labelOr404(ctx);
				const body = labelBody(ctx, false);
				Object.assign(label, body, { update_time: new Date(ctx.now).toISOString() });
				return { body: { success: true, data: label } };
			},
		},
		{
			method: 'DELETE',
			path: '/api/v1/leadLabels/{id}',
			body: 'none',
			write: true,
			handler: (ctx) => {
				const label = labelOr404(ctx);
				delete ctx.account.records.leadLabels[label.id as string];
				return { body: { success: true, data: { id: label.id } } };
			},
		},
	];
}
