import { type Rec, takeId } from '../account';
import { notFound, validationFailed } from '../apiError';
import { requireShape, type Shape } from '../bodyRules';
import { rfc3339 } from '../clock';
import { integerParam, listEnvelope, paginate, sortRecords } from '../listing';
import type { RequestContext, Route } from '../routing';

/**
 * v2 pipelines and stages. A new company has the pipeline "Pipeline" with five stages; a new
 * pipeline goes last (`order_nr`); a new stage goes last in its pipeline. DELETE marks
 * `is_deleted` (lists leave it out, GET by id shows it) and refuses a pipeline or stage that
 * still holds live deals, as Pipedrive asks to move deals first.
 */
const pipelineShape: Shape = { name: 'string', is_deal_probability_enabled: 'boolean' };
const stageShape: Shape = {
	name: 'string',
	pipeline_id: 'integer',
	deal_probability: 'integer',
	is_deal_rot_enabled: 'boolean',
	days_to_rotten: { nullable: 'integer' },
};

function recordOr404(ctx: RequestContext, collection: 'pipelines' | 'stages', label: string): Rec {
	const rec = /^\d+$/.test(ctx.params.id)
		? ctx.account.records[collection][ctx.params.id]
		: undefined;
	if (!rec) throw notFound(label);
	return rec;
}

function livePipeline(ctx: RequestContext, id: unknown): Rec {
	const pipeline = ctx.account.records.pipelines[String(id)];
	if (!pipeline || pipeline.is_deleted) throw validationFailed(['pipeline_id: Pipeline not found']);
	return pipeline;
}

function nonEmptyName(body: Record<string, unknown>): void {
	if (typeof body.name === 'string' && body.name.trim() === '')
		throw validationFailed(['name: Must not be empty']);
}

function refuseWithDeals(ctx: RequestContext, key: 'pipeline_id' | 'stage_id', id: unknown): void {
	const busy = Object.values(ctx.account.records.deals).some((d) => d[key] === id && !d.is_deleted);
	if (busy) throw validationFailed([`${key}: Move or delete its deals first`]);
}

export function pipelineRoutes(): Route[] {
	const pipelines = (ctx: RequestContext): Rec[] => Object.values(ctx.account.records.pipelines);
	const stages = (ctx: RequestContext): Rec[] => Object.values(ctx.account.records.stages);
	return [
		{
			method: 'GET',
			path: '/api/v2/pipelines',
			body: 'none',
			handler: (ctx) => {
				const live = pipelines(ctx).filter((p) => !p.is_deleted);
				return {
					body: listEnvelope(
						paginate(sortRecords(live, ctx.query, ['id', 'update_time', 'add_time']), ctx.query),
					),
				};
			},
		},
		{
			method: 'POST',
			path: '/api/v2/pipelines',
			body: 'json',
			write: true,
			handler: (ctx) => {
				const body = requireShape(ctx.body, pipelineShape, ['name']);
				nonEmptyName(body);
				const id = takeId(ctx.account, 'pipelines');
				const time = rfc3339(ctx.now);
				const order = Math.max(0, ...pipelines(ctx).map((p) => Number(p.order_nr))) + 1;
				const pipeline: Rec = {
					id,
					name: body.name,
					order_nr: order,
					is_deleted: false,
					is_deal_probability_enabled: body.is_deal_probability_enabled ?? false,
					add_time: time,
					update_time: time,
				};
				ctx.account.records.pipelines[String(id)] = pipeline;
				return { body: { success: true, data: pipeline } };
			},
		},
		{
			method: 'GET',
			path: '/api/v2/pipelines/{id}',
			body: 'none',
			handler: (ctx) => ({
				body: { success: true, data: recordOr404(ctx, 'pipelines', 'Pipeline') },
			}),
		},
		{
			method: 'PATCH',
			path: '/api/v2/pipelines/{id}',
			body: 'json',
			write: true,
			handler: (ctx) => {
				const pipeline = recordOr404(ctx, 'pipelines', 'Pipeline');
				if (pipeline.is_deleted) throw notFound('Pipeline');
				const body = requireShape(ctx.body, pipelineShape);
				nonEmptyName(body);
				Object.assign(pipeline, body, { update_time: rfc3339(ctx.now) });
				return { body: { success: true, data: pipeline } };
			},
		},
		{
			method: 'DELETE',
			path: '/api/v2/pipelines/{id}',
			body: 'none',
			write: true,
			handler: (ctx) => {
				const pipeline = recordOr404(ctx, 'pipelines', 'Pipeline');
				if (pipeline.is_deleted) throw notFound('Pipeline');
				refuseWithDeals(ctx, 'pipeline_id', pipeline.id);
				Object.assign(pipeline, { is_deleted: true, update_time: rfc3339(ctx.now) });
				for (const stage of stages(ctx))
					if (stage.pipeline_id === pipeline.id) stage.is_deleted = true;
				return { body: { success: true, data: { id: pipeline.id } } };
			},
		},
		{
			method: 'GET',
			path: '/api/v2/stages',
			body: 'none',
			handler: (ctx) => {
				const pipelineId = integerParam(ctx.query, 'pipeline_id');
				const live = stages(ctx).filter(
					(s) => !s.is_deleted && (pipelineId === undefined || s.pipeline_id === pipelineId),
				);
				return {
					body: listEnvelope(
						paginate(
							sortRecords(live, ctx.query, ['id', 'update_time', 'add_time', 'order_nr']),
							ctx.query,
						),
					),
				};
			},
		},
		{
			method: 'POST',
			path: '/api/v2/stages',
			body: 'json',
			write: true,
			handler: (ctx) => {
				const body = requireShape(ctx.body, stageShape, ['name', 'pipeline_id']);
				nonEmptyName(body);
				livePipeline(ctx, body.pipeline_id);
				const id = takeId(ctx.account, 'stages');
				const time = rfc3339(ctx.now);
				const siblings = stages(ctx).filter(
					(s) => s.pipeline_id === body.pipeline_id && !s.is_deleted,
				);
				const stage: Rec = {
					id,
					order_nr: Math.max(0, ...siblings.map((s) => Number(s.order_nr))) + 1,
					name: body.name,
					is_deleted: false,
					deal_probability: body.deal_probability ?? 100,
					pipeline_id: body.pipeline_id,
					is_deal_rot_enabled: body.is_deal_rot_enabled ?? false,
					days_to_rotten: body.days_to_rotten ?? null,
					add_time: time,
					update_time: time,
				};
				ctx.account.records.stages[String(id)] = stage;
				return { body: { success: true, data: stage } };
			},
		},
		{
			method: 'GET',
			path: '/api/v2/stages/{id}',
			body: 'none',
			handler: (ctx) => ({ body: { success: true, data: recordOr404(ctx, 'stages', 'Stage') } }),
		},
		{
			method: 'PATCH',
			path: '/api/v2/stages/{id}',
			body: 'json',
			write: true,
			handler: (ctx) => {
				const stage = recordOr404(ctx, 'stages', 'Stage');
				if (stage.is_deleted) throw notFound('Stage');
				const body = requireShape(ctx.body, stageShape);
				nonEmptyName(body);
				if (body.pipeline_id !== undefined) livePipeline(ctx, body.pipeline_id);
				Object.assign(stage, body, { update_time: rfc3339(ctx.now) });
				return { body: { success: true, data: stage } };
			},
		},
		{
			method: 'DELETE',
			path: '/api/v2/stages/{id}',
			body: 'none',
			write: true,
			handler: (ctx) => {
				const stage = recordOr404(ctx, 'stages', 'Stage');
				if (stage.is_deleted) throw notFound('Stage');
				refuseWithDeals(ctx, 'stage_id', stage.id);
				Object.assign(stage, { is_deleted: true, update_time: rfc3339(ctx.now) });
				return { body: { success: true, data: { id: stage.id } } };
			},
		},
	];
}
