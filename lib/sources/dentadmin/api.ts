import { stringify } from 'csv-stringify/sync';
import type { ReportIssue } from '../../model';
import type { HttpResponse, HttpTransport } from '../../transport/transport';
import {
	listRows,
	memorySource,
	parseModifiedSince,
	type ExportSource,
	type ReadResult,
} from '../common';
import { readDentAdminExport, type DentAdminReadOptions } from './read';

/**
 * DentAdmin API mode. The API is not publicly documented, so paths and paging are configuration:
 * records use the CSV column names (Dutch or French) and values in the CSV formats, and they go
 * through exactly the same profile and driver as a CSV export: each entity's records are written
 * as an in-memory `;` CSV file and read like one. Report lines are then turned back into record
 * numbers of the API entity.
 */
export const API_ENTITIES = [
	'patients',
	'insurers',
	'users',
	'treatments',
	'appointments',
	'notes',
	'documents',
] as const;
export type ApiEntity = (typeof API_ENTITIES)[number];

/** The export file each entity's records stand in for (the profile's Dutch file name). */
const ENTITY_FILE: Record<ApiEntity, string> = {
	patients: 'patienten.csv',
	insurers: 'mutualiteiten.csv',
	users: 'gebruikers.csv',
	treatments: 'behandelingen.csv',
	appointments: 'afspraken.csv',
	notes: 'notities.csv',
	documents: 'documenten.csv',
};

/**
 * The only entities filtered by `modifiedSince` at the API: a patient's records that stand each on
 * their own. Treatments are fetched whole: a plan is the sum of its rows, and one rebuilt from its
 * changed rows alone would send its deal a wrong value and status.
 */
const TIME_FILTERED_ENTITIES: ReadonlySet<ApiEntity> = new Set([
	'appointments',
	'notes',
	'documents',
]);

export const DEFAULT_API_PATHS: Record<ApiEntity, string> = {
	patients: '/patients',
	insurers: '/insurers',
	users: '/users',
	treatments: '/treatments',
	appointments: '/appointments',
	notes: '/notes',
	documents: '/documents',
};

export type ApiPaging =
	| {
			mode: 'page';
			pageSize: number;
			/** Query parameter names (defaults `page`, `pageSize`); pages count from 1. */
			pageParam?: string;
			pageSizeParam?: string;
			/** Dotted path of the record array in the response (`data`); empty when the body is the array. */
			itemsPath?: string;
	  }
	| {
			mode: 'cursor';
			pageSize: number;
			cursorParam?: string;
			pageSizeParam?: string;
			itemsPath?: string;
			/** Dotted path of the next cursor in the response (`next_cursor`); empty or null ends. */
			nextCursorPath?: string;
	  };

export interface DentAdminApiOptions {
	/** Per-entity path below the credential's base URL; an empty path skips the entity. */
	paths?: Partial<Record<ApiEntity, string>>;
	paging: ApiPaging;
	/**
	 * ISO 8601: sent, two hours earlier (FOLD_MARGIN_MS), as `modifiedSince` for appointments,
	 * notes and documents only. Patients and reference entities are always fetched whole, because
	 * a changed record of an unchanged patient must still find its patient, and treatments too
	 * (TIME_FILTERED_ENTITIES); the driver then keeps only bundles with a change (as for CSV).
	 */
	modifiedSince?: string;
}

/** The API could not be read; the message names the path and the fix, never a record value. */
export class DentAdminApiError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'DentAdminApiError';
	}
}

/**
 * How much earlier than the watermark the API is asked for changes. The API's stamps are local
 * wall times (the CSV formats), and one in the repeated autumn hour is as ambiguous to the server
 * as to us: read as its first occurrence, an edit made in the second falls before a watermark
 * between the two and is never served, whatever the driver does. Two hours is the largest fold of
 * any IANA zone (Antarctica/Troll; Brussels and New York fold one hour). The driver's own filter
 * (latestInstant) then keeps exactly the records changed since the watermark; the few read again
 * are unchanged to the ledger.
 */
const FOLD_MARGIN_MS = 2 * 60 * 60 * 1000;

/** `modifiedSince` as sent to the API: the watermark less the fold margin, in UTC. */
function askedSince(modifiedSince: string): string {
	const since = parseModifiedSince(modifiedSince) - FOLD_MARGIN_MS;
	return new Date(since).toISOString().replace('.000Z', 'Z');
}

/** Guard against an API that never ends its paging. */
const MAX_PAGES = 100_000;

export type ApiRecords = Partial<Record<ApiEntity, Record<string, unknown>[]>>;

/** Fetches every configured entity, page by page. An entity the API does not have (404) is absent. */
export async function fetchDentAdminRecords(
	transport: HttpTransport,
	options: DentAdminApiOptions,
): Promise<ApiRecords> {
	const records: ApiRecords = {};
	const asked = options.modifiedSince === undefined ? undefined : askedSince(options.modifiedSince);
	for (const entity of API_ENTITIES) {
		const path = options.paths?.[entity] ?? DEFAULT_API_PATHS[entity];
		if (path.trim() === '') continue;
		const since = TIME_FILTERED_ENTITIES.has(entity) ? asked : undefined;
		const fetched = await fetchEntity(transport, path.trim(), options.paging, since);
		if (fetched !== undefined) records[entity] = fetched;
	}
	if (records.patients === undefined) {
		throw new DentAdminApiError(
			`The patients path "${options.paths?.patients ?? DEFAULT_API_PATHS.patients}" is empty or does not exist on the DentAdmin API (HTTP 404); set the right path in the node's API paths.`,
		);
	}
	return records;
}

async function fetchEntity(
	transport: HttpTransport,
	path: string,
	paging: ApiPaging,
	modifiedSince: string | undefined,
): Promise<Record<string, unknown>[] | undefined> {
	const all: Record<string, unknown>[] = [];
	const sizeParam = paging.pageSizeParam || 'pageSize';
	let cursor: string | undefined;
	let fullPage = 0;
	for (let page = 1; page <= MAX_PAGES; page += 1) {
		const query: Record<string, string | number | undefined> = {
			[sizeParam]: paging.pageSize,
			modifiedSince,
		};
		if (paging.mode === 'page') query[paging.pageParam || 'page'] = page;
		else if (cursor !== undefined) query[paging.cursorParam || 'cursor'] = cursor;
		const response = await transport.request({ method: 'GET', path, query });
		if (response.status === 404 && page === 1) return undefined;
		checkStatus(response, path);
		const items = at(response.body, paging.itemsPath ?? 'data');
		if (
			!Array.isArray(items) ||
			items.some((item) => item === null || typeof item !== 'object' || Array.isArray(item))
		) {
			throw new DentAdminApiError(
				`GET ${path} did not return a list of records at "${paging.itemsPath ?? 'data'}"; set the items path of the paging to where the API puts its records.`,
			);
		}
		all.push(...(items as Record<string, unknown>[]));
		if (paging.mode === 'page') {
			// An API may cap the page size below the one asked for, so a page shorter than asked is
			// not the last one. Only an empty page, or one shorter than an earlier page (the size
			// the API really serves), ends the entity: one more request, never a lost record.
			if (items.length === 0 || items.length < fullPage) return all;
			fullPage = Math.max(fullPage, items.length);
		} else {
			const next = at(response.body, paging.nextCursorPath ?? 'next_cursor');
			if (next === undefined || next === null || next === '' || items.length === 0) return all;
			cursor = String(next);
		}
	}
	throw new DentAdminApiError(
		`GET ${path} kept returning pages after ${MAX_PAGES}; check the paging settings.`,
	);
}

function checkStatus(response: HttpResponse, path: string): void {
	if (response.status >= 200 && response.status < 300) return;
	const fix =
		response.status === 401 || response.status === 403
			? 'check the API key and header name in the DentAdmin API credential'
			: 'check the base URL and the entity paths, or retry later';
	throw new DentAdminApiError(`GET ${path} answered HTTP ${response.status}; ${fix}.`);
}

/** The value at a dotted path (`meta.next`); the whole value for an empty path. */
function at(value: unknown, path: string): unknown {
	if (path === '') return value;
	return path
		.split('.')
		.reduce<unknown>(
			(inner, part) =>
				inner !== null && typeof inner === 'object'
					? (inner as Record<string, unknown>)[part]
					: undefined,
			value,
		);
}

/** A JSON value as the cell text a DentAdmin CSV export would hold (decimal comma, `;` lists). */
function cell(value: unknown): string {
	if (value === null || value === undefined) return '';
	if (typeof value === 'number') return String(value).replace('.', ',');
	if (Array.isArray(value)) return value.map(cell).join(';');
	if (typeof value === 'object') return JSON.stringify(value);
	return String(value);
}

interface EntityFile {
	entity: ApiEntity;
	path: string;
	/** Physical line where each record starts (line 1 is the header). */
	startLines: number[];
}

/** The records as in-memory CSV files, and where each record landed. */
export function apiRecordsAsExport(
	records: ApiRecords,
	paths: Partial<Record<ApiEntity, string>> = {},
) {
	const files: { name: string; content: Buffer }[] = [];
	const entityFiles = new Map<string, EntityFile>();
	for (const entity of API_ENTITIES) {
		const list = records[entity];
		if (list === undefined) continue;
		const headers = [...new Set(list.flatMap((record) => Object.keys(record)))];
		const startLines: number[] = [];
		let line = 2;
		const rows = list.map((record) => {
			const text = stringify([headers.map((header) => cell(record[header]))], {
				delimiter: ';',
				quoted_match: /[\r\n]/,
			});
			startLines.push(line);
			line += text.slice(0, -1).split('\n').length;
			return text;
		});
		const text = stringify([headers], { delimiter: ';' }) + rows.join('');
		// UTF-8 with a BOM: JSON text is Unicode, and the BOM tells the reader so.
		files.push({ name: ENTITY_FILE[entity], content: Buffer.from(`\ufeff${text}`, 'utf8') });
		entityFiles.set(ENTITY_FILE[entity], {
			entity,
			path: paths[entity] ?? DEFAULT_API_PATHS[entity],
			startLines,
		});
	}
	return { files, entityFiles };
}

/** Where API documents' files are: not in the API's records, so they are "inside" but not on disk. */
function apiSource(location: string, files: { name: string; content: Buffer }[]): ExportSource {
	const source = memorySource(location, files);
	return {
		...source,
		resolve: (relativePath) => {
			const resolved = source.resolve(relativePath);
			return resolved.kind === 'inside' ? { kind: 'inside', exists: true } : resolved;
		},
	};
}

/**
 * Reads the DentAdmin API into the same result as a CSV export of the same data. Issues and
 * origins name the API path (`GET /patients`) and the record's position (1-based, over all
 * pages) instead of a CSV file and line; documents come without their files (the records carry
 * names and paths only), which the report says once.
 */
export async function readDentAdminApi(
	transport: HttpTransport,
	api: DentAdminApiOptions,
	options: DentAdminReadOptions = {},
): Promise<ReadResult> {
	const records = await fetchDentAdminRecords(transport, api);
	const { files, entityFiles } = apiRecordsAsExport(records, api.paths);
	const place = (file: string, line: number): { file: string; line: number } => {
		const entityFile = entityFiles.get(file);
		if (entityFile === undefined) return { file, line };
		// Records start on increasing lines: the record holding a line is the last one starting at or before it.
		const record = entityFile.startLines.filter((start) => start <= line).length;
		return { file: `GET ${entityFile.path}`, line: record };
	};
	// A finding that lists rows (a plan shared by patients) names their record numbers too.
	const rowNames = (lines: readonly number[], file: string) =>
		listRows(
			{ one: 'record', many: 'records' },
			lines.map((line) => place(file, line).line),
		);
	const result = await readDentAdminExport(apiSource('DentAdmin API', files), {
		...options,
		rowNames,
		modifiedSince: api.modifiedSince ?? options.modifiedSince,
	});
	const issues: ReportIssue[] = result.report.issues.map((issue) => ({
		...issue,
		...place(issue.file, issue.line),
	}));
	if ((records.documents?.length ?? 0) > 0) {
		issues.push({
			severity: 'info',
			file: `GET ${entityFiles.get(ENTITY_FILE.documents)?.path}`,
			line: 0,
			code: 'document-files-not-fetched',
			message:
				'The API lists documents without their files: the document records migrate without files; to migrate the files, read a CSV export that includes them.',
		});
	}
	return {
		...result,
		references: relocate(result.references, place),
		bundles: relocate(result.bundles, place),
		report: {
			...result.report,
			files: result.report.files.map((file) => ({
				...file,
				file: place(file.file, 0).file,
				encoding: 'json',
				delimiter: 'none',
			})),
			issues,
		},
	};
}

/** Rewrites every `origin` in records to the API path and record number. */
function relocate<T>(
	value: T,
	place: (file: string, line: number) => { file: string; line: number },
): T {
	if (Array.isArray(value)) return value.map((item) => relocate(item, place)) as T;
	if (value === null || typeof value !== 'object') return value;
	return Object.fromEntries(
		Object.entries(value).map(([name, inner]) => {
			if (name === 'origin' && inner && typeof inner === 'object') {
				const origin = inner as { file: string; line: number };
				return [name, place(origin.file, origin.line)];
			}
			return [name, relocate(inner, place)];
		}),
	) as T;
}
