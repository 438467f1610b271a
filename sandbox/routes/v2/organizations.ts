import { addressRule, normaliseAddress, type Shape } from '../../bodyRules';
import { rfc3339 } from '../../clock';
import { applyCommon, applyCustomFields, type EntityConfig, renderWith } from './entityConfig';

/** v2 organizations: address parts default to null, custom fields. */
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

export const organizations: EntityConfig = {
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
