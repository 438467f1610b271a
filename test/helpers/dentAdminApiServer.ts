import { startLoopbackServer, type LoopbackServer } from './loopbackServer';

/**
 * A TEST DOUBLE of the DentAdmin API. DentAdmin's API is not publicly documented, so this is not
 * a model of the real thing: it serves what the reader's API mode is configured for and nothing
 * more, kept deliberately simple. Records (keyed by CSV column names) per path; paging by
 * `page`/`pageSize` (response `{ data, page, pageSize, total }`) or by an opaque cursor
 * (`{ data, next_cursor }`); the API key checked in one header (401 otherwise); 404 for any
 * other path; `maxPageSize` caps the page size asked for. `modifiedSince` is recorded but not applied (the tests check what was asked).
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
}): Promise<DentAdminApiDouble> {
	const server = await startLoopbackServer((request) => {
		if (request.headers[options.headerName.toLowerCase()] !== options.apiKey) {
			return { status: 401, body: { error: 'unauthorized' } };
		}
		const url = new URL(request.url, 'http://127.0.0.1');
		const records = options.records[url.pathname];
		if (records === undefined) return { status: 404, body: { error: 'not found' } };
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
