import { type Clock, systemClock } from '../transport/clock';
import type { HttpRequest, HttpResponse, HttpTransport } from '../transport/transport';
import { apiErrorFromResponse, BudgetExhaustedError, PipedriveApiError } from './errors';
import type { RateLimiter } from './rateLimiter';
import {
	archivedListPath,
	ACCOUNT_PATHS,
	FIELD_PATHS,
	MAX_IDS_PER_LIST,
	OBJECTS,
	PAGE_SIZE,
	type PipedriveObject,
	type SourceKeyObject,
	type V1Object,
	type V2Object,
} from './objects';
import type { FieldObject } from './schemaRequirements';

export { BudgetExhaustedError, PipedriveApiError };

export interface ClientOptions {
	limiter?: RateLimiter;
	clock?: Clock;
}

export interface PipedriveUser {
	id: number;
	name: string;
	email: string;
	/** Whether the user can log in; inactive users cannot own records usefully. */
	active: boolean;
	isAdmin: boolean;
}

/** A field definition as the v2 Fields API returns it (the parts the migration reads). */
export interface PipedriveField {
	field_code: string;
	field_name: string;
	field_type: string;
	is_custom_field: boolean;
	options: Array<{ id: number | string; label: string }> | null;
}

export interface PipedrivePipeline {
	id: number;
	name: string;
	is_deleted?: boolean;
}

export interface PipedriveStage {
	id: number;
	name: string;
	pipeline_id: number;
	order_nr?: number;
	is_deleted?: boolean;
}

export interface PipedriveActivityType {
	id: number;
	name: string;
	key_string: string;
	icon_key?: string;
	active_flag?: boolean;
}

/** One page of a v1 list: its live records and where the next page starts (undefined at the end). */
export interface V1Page {
	records: Array<Record<string, unknown>>;
	nextStart: number | undefined;
}

type Query = Record<string, string | number | boolean | undefined>;

export class PipedriveClient {
	private readonly limiter?: RateLimiter;
	/** The time callers (the Ledger's commit) share with this client; the limiter keeps its own. */
	readonly clock: Clock;

	constructor(
		private readonly transport: HttpTransport,
		options: ClientOptions = {},
	) {
		this.limiter = options.limiter;
		this.clock = options.clock ?? systemClock;
	}

	/** v2 for person/organization/deal/activity; v1 for lead/note; file = v1 multipart upload (body = link ids). */
	async create(
		object: PipedriveObject,
		body: Record<string, unknown>,
		file?: { name: string; data: Buffer; contentType: string },
	): Promise<Record<string, unknown> & { id: number | string }> {
		const endpoint = OBJECTS[object];
		if (object === 'file') {
			if (!file)
				throw new Error(
					'create("file") needs the file to upload: pass its name, data and content type',
				);
			const fields = Object.fromEntries(
				Object.entries(body)
					.filter(([, value]) => value !== undefined && value !== null)
					.map(([key, value]) => [key, String(value)]),
			);
			return withId(
				await this.data({ method: 'POST', path: endpoint.path, multipart: { fields, file } }),
			);
		}
		return withId(await this.data({ method: 'POST', path: endpoint.path, body }));
	}

	async update(
		object: Exclude<PipedriveObject, 'file'>,
		id: number | string,
		body: Record<string, unknown>,
	): Promise<Record<string, unknown>> {
		const endpoint = OBJECTS[object];
		return asRecord(
			await this.data({ method: endpoint.update, path: `${endpoint.path}/${id}`, body }),
		);
	}

	/** null when the record does not exist or is deleted. */
	async get(object: PipedriveObject, id: number | string): Promise<Record<string, unknown> | null> {
		const req: HttpRequest = { method: 'GET', path: `${OBJECTS[object].path}/${id}` };
		const res = await this.send(req);
		if (res.status === 404 || res.status === 410) return null;
		const record = asRecord(unwrap(req, res));
		return isLive(record) ? record : null;
	}

	/**
	 * One v2 list call filtered by `ids` (at most 100): the live records among them, in the shape
	 * `get` returns (all custom fields, option ids). Ids that are gone or deleted are simply absent.
	 */
	async listByIds(
		object: V2Object,
		ids: ReadonlyArray<number>,
	): Promise<Array<Record<string, unknown>>> {
		if (ids.length === 0) return [];
		if (ids.length > MAX_IDS_PER_LIST)
			throw new Error(
				`listByIds takes at most ${MAX_IDS_PER_LIST} ids per call (Pipedrive's limit); got ${ids.length}: split them into batches`,
			);
		const req: HttpRequest = {
			method: 'GET',
			path: OBJECTS[object].path,
			query: { ids: ids.join(','), limit: MAX_IDS_PER_LIST },
		};
		const rows = unwrap(req, await this.send(req));
		return (Array.isArray(rows) ? rows : []).map(asRecord).filter(isLive);
	}

	/**
	 * One page of a v1 list (leads, notes, files) from `start`, in the spec's `sort` syntax
	 * (`id DESC`); with `archived`, of the object's archived list (objects.ts `list.archived`).
	 */
	async listPage(
		object: V1Object,
		start: number,
		sort?: string,
		archived = false,
	): Promise<V1Page> {
		const listPath = archived ? archivedListPath(object) : OBJECTS[object].path;
		if (listPath === undefined)
			throw new Error(`Pipedrive has no archived list of ${object} records; list them instead.`);
		const page = await this.offsetPage(listPath, {
			start,
			limit: OBJECTS[object].list.pageSize,
			sort,
		});
		return { records: page.rows.filter(isLive), nextStart: page.nextStart };
	}

	/** 404 (or 410) = already gone = success. */
	async delete(object: PipedriveObject, id: number | string): Promise<void> {
		const req: HttpRequest = { method: 'DELETE', path: `${OBJECTS[object].path}/${id}` };
		const res = await this.send(req);
		if (res.status === 404 || res.status === 410) return;
		unwrap(req, res);
	}

	/**
	 * All live records matching `filters` (e.g. `{ person_id: 5 }`). Filters go to the server and are
	 * re-checked here on records that carry the key, because some list endpoints (v1 files) ignore them.
	 */
	async *list(
		object: PipedriveObject,
		filters: Record<string, string | number | boolean> = {},
	): AsyncIterable<Record<string, unknown>> {
		const { path, list } = OBJECTS[object];
		const pages =
			list.kind === 'ids'
				? this.cursorPages(path, filters)
				: this.offsetPages(path, filters, list.pageSize);
		for await (const record of pages) {
			const matches = Object.entries(filters).every(
				([key, value]) => !(key in record) || String(record[key]) === String(value),
			);
			if (matches && isLive(record)) yield record;
		}
	}

	/** Exact match on the source-key custom field: search (exact_match), then each hit re-read and compared exactly. */
	async findBySourceKey(
		object: SourceKeyObject,
		fieldKey: string,
		sourceKey: string,
	): Promise<Array<number | string>> {
		const ids: Array<number | string> = [];
		const query = { term: sourceKey, fields: 'custom_fields', exact_match: true };
		for await (const hit of this.cursorPages(OBJECTS[object].findBy.search, query, 'items')) {
			const item = asRecord(hit.item ?? hit);
			const id = item.id as number | string | undefined;
			if (id === undefined || ids.includes(id)) continue;
			// Pipedrive's exact match ignores case and has matched substrings before: confirm on the record.
			const record = await this.get(object, id);
			if (record && customFieldValue(record, fieldKey) === sourceKey) ids.push(id);
		}
		return ids;
	}

	async me(): Promise<{ userId: number; companyId: number; companyDomain?: string }> {
		const data = asRecord(await this.data({ method: 'GET', path: ACCOUNT_PATHS.me }));
		return {
			userId: Number(data.id),
			companyId: Number(data.company_id),
			companyDomain: typeof data.company_domain === 'string' ? data.company_domain : undefined,
		};
	}

	async users(): Promise<PipedriveUser[]> {
		const data = await this.data({ method: 'GET', path: ACCOUNT_PATHS.users });
		return (Array.isArray(data) ? data : []).map((raw) => {
			const user = asRecord(raw);
			const access = Array.isArray(user.access) ? user.access.map(asRecord) : [];
			return {
				id: Number(user.id),
				name: String(user.name ?? ''),
				email: String(user.email ?? ''),
				active: user.active_flag !== false && user.is_deleted !== true,
				isAdmin:
					user.is_admin === 1 || user.is_admin === true || access.some((a) => a.admin === true),
			};
		});
	}

	async downloadFile(id: number): Promise<Buffer> {
		const req: HttpRequest = { method: 'GET', path: `${OBJECTS.file.path}/${id}/download` };
		const res = await this.send(req);
		if (res.status >= 400) throw apiErrorFromResponse(req, res);
		if (Buffer.isBuffer(res.body)) return res.body;
		if (typeof res.body === 'string') return Buffer.from(res.body);
		return Buffer.from(JSON.stringify(res.body));
	}

	// Fields, pipelines, stages, activity types: what the registry and provisioning need.

	async listFields(object: FieldObject | 'product'): Promise<PipedriveField[]> {
		const fields: PipedriveField[] = [];
		for await (const raw of this.cursorPages(FIELD_PATHS[object], {})) fields.push(toField(raw));
		return fields;
	}

	async createField(
		object: FieldObject,
		definition: { name: string; fieldType: string; options?: string[] },
	): Promise<PipedriveField> {
		const body: Record<string, unknown> = {
			field_name: definition.name,
			field_type: definition.fieldType,
		};
		if (definition.options) body.options = definition.options.map((label) => ({ label }));
		return toField(await this.data({ method: 'POST', path: FIELD_PATHS[object], body }));
	}

	/**
	 * Marks a custom field deleted (v2 Fields API; Pipedrive purges it after 30 days).
	 * 404 (or 410) = already gone = success, so a rollback can simply do it again.
	 */
	async deleteField(object: FieldObject, fieldCode: string): Promise<void> {
		const req: HttpRequest = {
			method: 'DELETE',
			path: `${FIELD_PATHS[object]}/${encodeURIComponent(fieldCode)}`,
		};
		const res = await this.send(req);
		if (res.status === 404 || res.status === 410) return;
		unwrap(req, res);
	}

	/** Adds options to an enum/set field (atomic v2 options endpoint); returns the added options. */
	async addFieldOptions(
		object: FieldObject,
		fieldCode: string,
		labels: string[],
	): Promise<Array<{ id: number | string; label: string }>> {
		const data = await this.data({
			method: 'POST',
			path: `${FIELD_PATHS[object]}/${fieldCode}/options`,
			body: labels.map((label) => ({ label })),
		});
		return (Array.isArray(data) ? data : []).map((o) => {
			const option = asRecord(o);
			return { id: option.id as number | string, label: String(option.label) };
		});
	}

	async pipelines(): Promise<PipedrivePipeline[]> {
		const pipelines: PipedrivePipeline[] = [];
		for await (const raw of this.cursorPages(ACCOUNT_PATHS.pipelines, {})) {
			const pipeline = raw as unknown as PipedrivePipeline;
			if (!pipeline.is_deleted) pipelines.push(pipeline);
		}
		return pipelines;
	}

	async createPipeline(name: string): Promise<PipedrivePipeline> {
		return asRecord(
			await this.data({ method: 'POST', path: ACCOUNT_PATHS.pipelines, body: { name } }),
		) as unknown as PipedrivePipeline;
	}

	async stages(pipelineId: number): Promise<PipedriveStage[]> {
		const stages: PipedriveStage[] = [];
		for await (const raw of this.cursorPages(ACCOUNT_PATHS.stages, { pipeline_id: pipelineId })) {
			const stage = raw as unknown as PipedriveStage;
			if (!stage.is_deleted && stage.pipeline_id === pipelineId) stages.push(stage);
		}
		return stages;
	}

	async createStage(pipelineId: number, name: string): Promise<PipedriveStage> {
		const body = { name, pipeline_id: pipelineId };
		return asRecord(
			await this.data({ method: 'POST', path: ACCOUNT_PATHS.stages, body }),
		) as unknown as PipedriveStage;
	}

	async activityTypes(): Promise<PipedriveActivityType[]> {
		const data = await this.data({ method: 'GET', path: ACCOUNT_PATHS.activityTypes });
		return (Array.isArray(data) ? data : [])
			.map((raw) => raw as PipedriveActivityType)
			.filter((type) => type.active_flag !== false);
	}

	async createActivityType(name: string, iconKey: string): Promise<PipedriveActivityType> {
		const body = { name, icon_key: iconKey };
		return asRecord(
			await this.data({ method: 'POST', path: ACCOUNT_PATHS.activityTypes, body }),
		) as unknown as PipedriveActivityType;
	}

	/**
	 * How many requests may usefully wait at the limiter at once: its burst limit (1 without a
	 * limiter, where nothing guards the window).
	 */
	inFlightLimit(): number {
		return this.limiter ? this.limiter.limits().burst : 1;
	}

	/** Limiter figures (requests, tokens, 429s, waits), when a limiter is attached. */
	stats() {
		return this.limiter?.stats();
	}

	/** Today's token budget as the limiter knows it (the server's daily headers once seen). */
	budget() {
		return this.limiter?.state();
	}

	private async send(req: HttpRequest): Promise<HttpResponse> {
		return this.limiter
			? this.limiter.execute(req, (r) => this.transport.request(r))
			: this.transport.request(req);
	}

	private async data(req: HttpRequest): Promise<unknown> {
		return unwrap(req, await this.send(req));
	}

	/** v2 cursor paging: `cursor` / `additional_data.next_cursor` (null at the end). */
	private async *cursorPages(
		path: string,
		query: Query,
		itemsKey?: string,
	): AsyncIterable<Record<string, unknown>> {
		let cursor: string | undefined;
		do {
			const req: HttpRequest = {
				method: 'GET',
				path,
				query: { ...query, limit: PAGE_SIZE, cursor },
			};
			const res = await this.send(req);
			const data = unwrap(req, res);
			const rows = itemsKey ? asRecord(data)[itemsKey] : data;
			for (const row of Array.isArray(rows) ? rows : []) yield asRecord(row);
			const next = additionalData(res).next_cursor;
			cursor = typeof next === 'string' && next !== '' ? next : undefined;
		} while (cursor);
	}

	/** v1 offset paging: `start`/`limit`, `additional_data.pagination.next_start`. */
	private async *offsetPages(
		path: string,
		query: Query,
		limit = PAGE_SIZE,
	): AsyncIterable<Record<string, unknown>> {
		let start: number | undefined = 0;
		while (start !== undefined) {
			const page = await this.offsetPage(path, { ...query, start, limit });
			yield* page.rows;
			start = page.nextStart;
		}
	}

	private async offsetPage(
		path: string,
		query: Query & { start: number },
	): Promise<{ rows: Array<Record<string, unknown>>; nextStart: number | undefined }> {
		const req: HttpRequest = { method: 'GET', path, query };
		const res = await this.send(req);
		const data = unwrap(req, res);
		const rows = (Array.isArray(data) ? data : []).map(asRecord);
		const extra = additionalData(res);
		// v1 lists nest paging under `pagination`; the leads list puts it directly in additional_data.
		const pagination = asRecord(extra.pagination ?? extra);
		const nextStart =
			pagination.more_items_in_collection === true && rows.length > 0
				? Number(pagination.next_start ?? query.start + rows.length)
				: undefined;
		return { rows, nextStart };
	}
}

/** Pipedrive's `data`, or the PipedriveApiError for anything that is not a success. */
function unwrap(req: HttpRequest, res: HttpResponse): unknown {
	const body = res.body;
	const envelope =
		body && typeof body === 'object' && !Buffer.isBuffer(body)
			? (body as Record<string, unknown>)
			: undefined;
	if (res.status >= 400 || !envelope || envelope.success === false)
		throw apiErrorFromResponse(req, res);
	return envelope.data;
}

function additionalData(res: HttpResponse): Record<string, unknown> {
	const body = asRecord(res.body);
	return asRecord(body.additional_data);
}

function asRecord(value: unknown): Record<string, unknown> {
	return value && typeof value === 'object' && !Array.isArray(value)
		? (value as Record<string, unknown>)
		: {};
}

function withId(data: unknown): Record<string, unknown> & { id: number | string } {
	const record = asRecord(data);
	if (typeof record.id !== 'number' && typeof record.id !== 'string') {
		throw new Error(
			'Pipedrive accepted a create but returned no id: check the base URL points at the Pipedrive API',
		);
	}
	return record as Record<string, unknown> & { id: number | string };
}

/** v2 marks deletion with `is_deleted`, v1 with `active_flag: false` (leads: `is_archived` is still live). */
function isLive(record: Record<string, unknown>): boolean {
	return record.is_deleted !== true && record.active_flag !== false;
}

/** A custom-field value in either shape: v2 `custom_fields{}` or v1 top-level hash keys (leads). */
function customFieldValue(record: Record<string, unknown>, fieldKey: string): unknown {
	const custom = asRecord(record.custom_fields);
	return fieldKey in custom ? custom[fieldKey] : record[fieldKey];
}

function toField(raw: unknown): PipedriveField {
	const field = asRecord(raw);
	return {
		field_code: String(field.field_code),
		field_name: String(field.field_name),
		field_type: String(field.field_type),
		is_custom_field: field.is_custom_field === true,
		options: Array.isArray(field.options)
			? field.options.map((o) => {
					const option = asRecord(o);
					return { id: option.id as number | string, label: String(option.label) };
				})
			: null,
	};
}
