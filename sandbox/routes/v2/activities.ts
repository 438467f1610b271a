import { type AccountState, type Rec } from '../../account';
import { addressRule, normaliseAddress, type Shape } from '../../bodyRules';
import { rfc3339 } from '../../clock';
import { sanitizeNoteHtml, NOTE_MAX_CHARACTERS } from '../../html';
import { booleanParam, integerParam } from '../../listing';
import { checkReference } from '../../references';
import { type EntityConfig } from './entityConfig';

/** v2 activities: type key_string, participants, done time, HH:MM times. */
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

export const activities: EntityConfig = {
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
