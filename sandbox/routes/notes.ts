import { type AccountState, type Rec, takeId } from '../account';
import { forbidden, notFound } from '../apiError';
import { isPlainObject, isUuid } from '../bodyRules';
import { v1Time } from '../clock';
import { NOTE_MAX_CHARACTERS, sanitizeNoteHtml } from '../html';
import { checkReference } from '../references';
import type { RequestContext, Route } from '../routing';
import { isV1Time, v1Flag, v1Integer, v1Page, v1Problems, v1Sort } from '../v1Format';

/**
 * v1 notes (no v2 equivalent). `content` is HTML, stored as given after removing `<script>`, up
 * to 100,000 characters; one parent id is required; `add_time` and `user_id` given by the client
 * are kept (only an admin may set another author). DELETE sets `active_flag: false`; lists leave
 * such notes out; GET by id still shows them.
 */
const PARENTS = ['lead_id', 'deal_id', 'person_id', 'org_id', 'project_id', 'task_id'] as const;
const PINS = ['lead', 'deal', 'organization', 'person', 'project', 'task'] as const;
const ALLOWED = new Set<string>([
	'content',
	'user_id',
	'add_time',
	...PARENTS,
	...PINS.map((p) => `pinned_to_${p}_flag`),
]);

function render(state: AccountState, note: Rec): Rec {
	const name = (collection: 'persons' | 'organizations', id: unknown): Rec | null =>
		id === null ? null : { name: state.records[collection][String(id)]?.name ?? null };
	const author = state.users.find((u) => u.id === note.user_id);
	return {
		...note,
		deal:
			note.deal_id === null
				? null
				: { title: state.records.deals[String(note.deal_id)]?.title ?? null },
		person: name('persons', note.person_id),
		organization: name('organizations', note.org_id),
		project: null,
		task: null,
		user: author
			? { email: author.email, icon_url: author.icon_url, is_you: false, name: author.name }
			: null,
	};
}

function apply(ctx: RequestContext, note: Rec, creating: boolean): void {
	const body = isPlainObject(ctx.body) ? ctx.body : {};
	const problems: string[] = [];
	for (const key of Object.keys(body))
		if (!ALLOWED.has(key)) problems.push(`"${key}" is not allowed`);
	if (creating && (typeof body.content !== 'string' || body.content.trim() === ''))
		problems.push('"content" is required');
	if (body.content !== undefined && typeof body.content !== 'string')
		problems.push('"content" must be a string');
	if (typeof body.content === 'string' && body.content.length > NOTE_MAX_CHARACTERS) {
		problems.push(`"content" is longer than ${NOTE_MAX_CHARACTERS} characters; split the note`);
	}
	const ids: Record<string, number | null | undefined> = {};
	for (const key of ['deal_id', 'person_id', 'org_id', 'project_id', 'task_id', 'user_id'])
		ids[key] = v1Integer(body[key], key, problems);
	if (body.lead_id !== undefined && body.lead_id !== null && !isUuid(body.lead_id))
		problems.push('"lead_id" must be a UUID');
	if (body.add_time !== undefined && !isV1Time(body.add_time))
		problems.push('"add_time" must be YYYY-MM-DD HH:MM:SS (UTC)');
	const pins: Record<string, boolean | undefined> = {};
	for (const p of PINS)
		pins[p] = v1Flag(body[`pinned_to_${p}_flag`], `pinned_to_${p}_flag`, problems);
	v1Problems(problems, 'Invalid note');

	checkReference(ctx.account, 'deals', ids.deal_id, 'deal_id', problems);
	checkReference(ctx.account, 'persons', ids.person_id, 'person_id', problems);
	checkReference(ctx.account, 'organizations', ids.org_id, 'org_id', problems);
	checkReference(ctx.account, 'leads', body.lead_id, 'lead_id', problems);
	checkReference(ctx.account, 'users', ids.user_id, 'user_id', problems);
	v1Problems(problems, 'Invalid note');
	if (
		ids.user_id !== undefined &&
		ids.user_id !== ctx.user.id &&
		!(ctx.user.access as Rec[])[0]?.admin
	) {
		throw forbidden(
			'Only an admin can set another user as the author of a note',
			'note_author_forbidden',
		);
	}
	if (creating) {
		Object.assign(note, {
			active_flag: true,
			add_time: v1Time(ctx.now),
			user_id: ctx.user.id,
			lead_id: null,
			deal_id: null,
			person_id: null,
			org_id: null,
			project_id: null,
			task_id: null,
			...Object.fromEntries(PINS.map((p) => [`pinned_to_${p}_flag`, false])),
		});
	}
	if (typeof body.content === 'string') note.content = sanitizeNoteHtml(body.content);
	for (const [key, v] of Object.entries(ids)) if (v !== undefined) note[key] = v;
	if (body.lead_id !== undefined) note.lead_id = body.lead_id;
	if (body.add_time !== undefined) note.add_time = body.add_time;
	for (const p of PINS) if (pins[p] !== undefined) note[`pinned_to_${p}_flag`] = pins[p];
	if (PARENTS.every((k) => note[k] === null)) {
		v1Problems(
			['One of lead_id, deal_id, person_id, org_id, project_id or task_id is required'],
			'Invalid note',
		);
	}
	note.last_update_user_id = ctx.user.id;
	note.update_time = v1Time(ctx.now);
}

function noteOr404(ctx: RequestContext): Rec {
	const note = ctx.account.records.notes[ctx.params.id];
	if (!note) throw notFound('Note');
	return note;
}

export function noteRoutes(): Route[] {
	return [
		{
			method: 'POST',
			path: '/api/v1/notes',
			body: 'v1',
			write: true,
			handler: (ctx) => {
				const note: Rec = { id: 0 };
				apply(ctx, note, true);
				note.id = takeId(ctx.account, 'notes');
				ctx.account.records.notes[String(note.id)] = note;
				return { body: { success: true, data: render(ctx.account, note) } };
			},
		},
		{
			method: 'GET',
			path: '/api/v1/notes',
			body: 'none',
			handler: (ctx) => {
				const q = ctx.query;
				const problems: string[] = [];
				const wanted: Record<string, unknown> = {};
				for (const key of ['user_id', 'deal_id', 'person_id', 'org_id', 'project_id', 'task_id']) {
					const v = v1Integer(q.get(key) ?? undefined, key, problems);
					if (v !== undefined) wanted[key] = v;
				}
				if (q.get('lead_id') !== null) wanted.lead_id = q.get('lead_id');
				const since = q.get('updated_since');
				v1Problems(problems, 'Invalid filter');
				const notes = Object.values(ctx.account.records.notes).filter(
					(n) =>
						n.active_flag === true &&
						Object.entries(wanted).every(([k, v]) => n[k] === v) &&
						(since === null ||
							Date.parse(`${String(n.update_time).replace(' ', 'T')}Z`) >= Date.parse(since)) &&
						(q.get('start_date') === null ||
							String(n.add_time).slice(0, 10) >= (q.get('start_date') as string)) &&
						(q.get('end_date') === null ||
							String(n.add_time).slice(0, 10) <= (q.get('end_date') as string)),
				);
				const sorted = v1Sort(notes, q.get('sort'), [
					'id',
					'user_id',
					'deal_id',
					'person_id',
					'org_id',
					'content',
					'add_time',
					'update_time',
				]);
				const page = v1Page(sorted, q);
				return {
					body: {
						success: true,
						data: page.data.map((n) => render(ctx.account, n)),
						additional_data: page.additional_data,
					},
				};
			},
		},
		{
			method: 'GET',
			path: '/api/v1/notes/{id}',
			body: 'none',
			handler: (ctx) => ({ body: { success: true, data: render(ctx.account, noteOr404(ctx)) } }),
		},
		{
			method: 'PUT',
			path: '/api/v1/notes/{id}',
			body: 'v1',
			write: true,
			handler: (ctx) => {
				const existing = noteOr404(ctx);
				if (existing.active_flag !== true) throw notFound('Note');
				const note = structuredClone(existing);
				apply(ctx, note, false);
				ctx.account.records.notes[String(note.id)] = note;
				return { body: { success: true, data: render(ctx.account, note) } };
			},
		},
		{
			method: 'DELETE',
			path: '/api/v1/notes/{id}',
			body: 'none',
			write: true,
			handler: (ctx) => {
				const note = noteOr404(ctx);
				if (note.active_flag !== true) throw notFound('Note');
				note.active_flag = false;
				note.update_time = v1Time(ctx.now);
				return { body: { success: true, data: true } };
			},
		},
	];
}
