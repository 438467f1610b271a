import { addressRule, normaliseAddress, type Shape } from '../../bodyRules';
import { rfc3339 } from '../../clock';
import { integerParam } from '../../listing';
import { checkReference } from '../../references';
import {
	applyCommon,
	applyCustomFields,
	contactList,
	type EntityConfig,
	normaliseContacts,
	renderWith,
} from './entityConfig';

/** v2 persons: name split into first/last, contact lists, contact-sync fields, custom fields. */
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

export const persons: EntityConfig = {
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
