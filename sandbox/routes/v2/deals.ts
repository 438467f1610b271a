import { type AccountState, type Rec } from '../../account';
import { validationFailed } from '../../apiError';
import { type Shape } from '../../bodyRules';
import { rfc3339 } from '../../clock';
import { integerParam } from '../../listing';
import { checkReference } from '../../references';
import type { RequestContext } from '../../routing';
import { applyCommon, applyCustomFields, type EntityConfig, renderWith } from './entityConfig';

/** v2 deals: pipeline placement, status and close-time rules, custom fields. */
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

export const deals: EntityConfig = {
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
