import { liveCustomFields, type Rec, takeId } from '../account';
import { notFound, validationFailed } from '../apiError';
import { checkShape, isPlainObject } from '../bodyRules';
import { rfc3339 } from '../clock';
import {
	booleanParam,
	enumParam,
	idsParam,
	integerParam,
	listEnvelope,
	paginate,
	sortRecords,
	updatedWindow,
} from '../listing';
import type { RequestContext, Route } from '../routing';
import { activities } from './v2/activities';
import { deals } from './v2/deals';
import type { EntityConfig } from './v2/entityConfig';
import { organizations } from './v2/organizations';
import { persons } from './v2/persons';

/**
 * API v2 persons, organizations, deals and activities: create, get, list (cursor paging and
 * filters), PATCH, DELETE (soft). One generic implementation, one small config per entity.
 *
 * Soft delete: DELETE sets `is_deleted: true` and keeps the record (Pipedrive purges after 30
 * days). Lists leave deleted records out (deals: unless `status=deleted`); GET by id still
 * returns a deleted record with `is_deleted: true` — the spec's objects carry `is_deleted`, and
 * it lets a rollback verify its own deletes. PATCH and DELETE of a deleted record are 404.
 *
 * Deleting a person or an organization touches nothing else: its notes, activities, deals, files
 * and leads keep their link and stay listed. The reference says only "Marks a person as deleted.
 * After 30 days, the person will be permanently deleted." (v2 OpenAPI, DELETE /persons/{id}; the
 * same for organizations and deals) and "Soft delete: DELETE marks is_deleted (v2) / active_flag=false
 * (v1); purge after 30 days" (api-facts §2.2); it documents no cascade, so the sandbox invents none.
 */
export const V2_ENTITIES: readonly EntityConfig[] = [persons, organizations, deals, activities];

function recordOr404(ctx: RequestContext, config: EntityConfig): Rec {
	const id = ctx.params.id;
	const rec = /^\d+$/.test(id) ? ctx.account.records[config.collection][id] : undefined;
	if (!rec) throw notFound(config.label);
	return rec;
}

function write(ctx: RequestContext, config: EntityConfig, existing: Rec | undefined): Rec {
	const shape = existing ? config.updateShape : config.createShape;
	if (!isPlainObject(ctx.body)) throw validationFailed(["body: Expected 'object'"]);
	const body = ctx.body;
	const problems: string[] = [];
	checkShape(body, shape, existing ? [] : config.required, '', problems);
	if (problems.length > 0) throw validationFailed(problems);
	const rec: Rec = existing ? structuredClone(existing) : { id: 0 };
	config.apply(ctx, rec, body, !existing, problems);
	if (problems.length > 0) throw validationFailed(problems);
	if (!existing) rec.id = takeId(ctx.account, config.collection);
	rec.update_time = rfc3339(ctx.now);
	ctx.account.records[config.collection][String(rec.id)] = rec;
	return rec;
}

export function listLive(ctx: RequestContext, config: EntityConfig): Rec[] {
	const ids = idsParam(ctx.query);
	const owner = integerParam(ctx.query, 'owner_id');
	const inWindow = updatedWindow(ctx.query);
	const extra = config.filter(ctx);
	const includeDeleted =
		config.collection === 'deals' && (ctx.query.get('status') ?? '').split(',').includes('deleted');
	enumParam(ctx.query, 'sort_by', config.sortable);
	const records = Object.values(ctx.account.records[config.collection]).filter(
		(r) =>
			(includeDeleted || r.is_deleted !== true) &&
			(ids === undefined || ids.has(r.id as number)) &&
			(owner === undefined || r.owner_id === owner) &&
			inWindow(r) &&
			extra(r),
	);
	return sortRecords(records, ctx.query, config.sortable);
}

/**
 * Read options of v2 GETs: `custom_fields=<codes>` (at most 15) limits the returned custom
 * fields; `include_option_labels=true` turns enum and set option ids into `{ id, label }`.
 */
function readView(ctx: RequestContext, config: EntityConfig, rec: Rec): Rec {
	if (!config.fieldEntity || !isPlainObject(rec.custom_fields)) return rec;
	let custom = rec.custom_fields;
	const wanted = ctx.query.get('custom_fields');
	if (wanted !== null) {
		const codes = wanted.split(',').filter(Boolean);
		if (codes.length > 15) throw validationFailed(['custom_fields: At most 15 custom field codes']);
		custom = Object.fromEntries(Object.entries(custom).filter(([code]) => codes.includes(code)));
	}
	if (booleanParam(ctx.query, 'include_option_labels') === true) {
		const fields = new Map(
			liveCustomFields(ctx.account, config.fieldEntity).map((f) => [f.field_code, f]),
		);
		const label = (code: string, id: unknown): unknown => {
			const option = fields.get(code)?.options?.find((o) => o.id === id);
			return option ? { id: option.id, label: option.label } : id;
		};
		custom = Object.fromEntries(
			Object.entries(custom).map(([code, v]) => [
				code,
				Array.isArray(v)
					? v.map((id) => label(code, id))
					: fields.get(code)?.field_type === 'enum'
						? label(code, v)
						: v,
			]),
		);
	}
	return { ...rec, custom_fields: custom };
}

export function v2EntityRoutes(): Route[] {
	return V2_ENTITIES.flatMap((config): Route[] => {
		const base = `/api/v2/${config.segment}`;
		const render = (ctx: RequestContext, rec: Rec): Rec => config.render(ctx.account, rec);
		// Read options apply to GETs only, so a write is never followed by a refusal.
		const read = (ctx: RequestContext, rec: Rec): Rec => readView(ctx, config, render(ctx, rec));
		return [
			{
				method: 'POST',
				path: base,
				body: 'json',
				write: true,
				handler: (ctx) => ({
					body: { success: true, data: render(ctx, write(ctx, config, undefined)) },
				}),
			},
			{
				method: 'GET',
				path: base,
				body: 'none',
				handler: (ctx) => {
					const page = paginate(listLive(ctx, config), ctx.query);
					return { body: listEnvelope({ ...page, items: page.items.map((r) => read(ctx, r)) }) };
				},
			},
			{
				method: 'GET',
				path: `${base}/{id}`,
				body: 'none',
				handler: (ctx) => ({
					body: { success: true, data: read(ctx, recordOr404(ctx, config)) },
				}),
			},
			{
				method: 'PATCH',
				path: `${base}/{id}`,
				body: 'json',
				write: true,
				handler: (ctx) => {
					const existing = recordOr404(ctx, config);
					if (existing.is_deleted) throw notFound(config.label);
					return { body: { success: true, data: render(ctx, write(ctx, config, existing)) } };
				},
			},
			{
				method: 'DELETE',
				path: `${base}/{id}`,
				body: 'none',
				write: true,
				handler: (ctx) => {
					const rec = recordOr404(ctx, config);
					if (rec.is_deleted) throw notFound(config.label);
					rec.is_deleted = true;
					rec.update_time = rfc3339(ctx.now);
					return { body: { success: true, data: { id: rec.id } } };
				},
			},
		];
	});
}
