import { DateTime } from 'luxon';
import { startLoopbackServer, type LoopbackServer } from './loopbackServer';

/**
 * A TEST DOUBLE of the DentAdmin API. DentAdmin's API is not publicly documented, so this is not
 * a model of the real thing: it serves what the reader's API mode is configured for and nothing
 * more, kept deliberately simple. Records (keyed by CSV column names) per path; paging by
 * `page`/`pageSize` (response `{ data, page, pageSize, total }`) or by an opaque cursor
 * (`{ data, next_cursor }`); the API key checked in one header (401 otherwise); 404 for any
 * other path; `maxPageSize` caps the page size asked for. `modifiedSince` is applied only with
 * `modifiedColumn`, else only recorded (the tests check what was asked).
 */
export interface DentAdminApiDouble extends LoopbackServer {
	/** Requests as `GET /patients?page=1&pageSize=25`. */
	calls(): string[];
}

export async function startDentAdminApiDouble(options: {
	records: Record<string, Record<string, unknown>[]>;
	paging: 'page' | 'cursor';
	headerName: string;
	apiKey: string;
	/** Serves at most this many records per page, whatever the request asks (as APIs do). */
	maxPageSize?: number;
	/**
	 * Applies `modifiedSince` to the records holding this column (`DD/MM/YYYY HH:MM`, compared as
	 * if UTC: tests keep their stamps days apart).
	 */
	modifiedColumn?: string;
	/**
	 * With it, those stamps are wall times in this zone, and one in the repeated autumn hour is read
	 * as its first occurrence, as a server may.
	 */
	modifiedZone?: string;
}): Promise<DentAdminApiDouble> {
	const server = await startLoopbackServer((request) => {
		if (request.headers[options.headerName.toLowerCase()] !== options.apiKey) {
			return { status: 401, body: { error: 'unauthorized' } };
		}
		const url = new URL(request.url, 'http://127.0.0.1');
		const all = options.records[url.pathname];
		if (all === undefined) return { status: 404, body: { error: 'not found' } };
		const since = url.searchParams.get('modifiedSince');
		const column = options.modifiedColumn;
		const records =
			since === null || column === undefined
				? all
				: all.filter(
						(record) => stampOf(record[column], options.modifiedZone) >= Date.parse(since),
					);
		const pageSize = Math.min(
			Number(url.searchParams.get('pageSize') ?? '50'),
			options.maxPageSize ?? Infinity,
		);
		if (options.paging === 'page') {
			const page = Number(url.searchParams.get('page') ?? '1');
			const data = records.slice((page - 1) * pageSize, page * pageSize);
			return { body: { data, page, pageSize, total: records.length } };
		}
		// The cursor is opaque to the client; here it is the next offset, base64-encoded.
		const cursor = url.searchParams.get('cursor');
		const offset = cursor === null ? 0 : Number(Buffer.from(cursor, 'base64').toString('utf8'));
		const data = records.slice(offset, offset + pageSize);
		const next =
			offset + pageSize < records.length
				? Buffer.from(String(offset + pageSize)).toString('base64')
				: null;
		return { body: { data, next_cursor: next } };
	});
	return {
		...server,
		calls: () => server.requests.map((request) => `${request.method} ${request.url}`),
	};
}

/** `DD/MM/YYYY HH:MM` as milliseconds (UTC unless a zone); a record without one is always served. */
function stampOf(value: unknown, zone?: string): number {
	const text = String(value ?? '');
	const match = /^(\d{2})\/(\d{2})\/(\d{4}) (\d{2}):(\d{2})$/.exec(text);
	if (!match) return Infinity;
	const [, day, month, year, hour, minute] = match.map(Number);
	if (zone === undefined) return Date.UTC(year, month - 1, day, hour, minute);
	// Luxon reads a repeated wall time as its second occurrence; an hour earlier reading the same
	// wall time is the first.
	const format = 'dd/MM/yyyy HH:mm';
	const later = DateTime.fromFormat(text, format, { zone });
	const earlier = later.minus({ hours: 1 });
	return (earlier.toFormat(format) === text ? earlier : later).toMillis();
}
