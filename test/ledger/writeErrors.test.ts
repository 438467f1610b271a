import { isTransientFailure, PipedriveApiError } from '../../lib/pipedrive/errors';
import { TransportError } from '../../lib/transport/transport';
import { classifyWriteError, LookupFailedError } from '../../lib/ledger/writeErrors';

const api = (status: number, endpoint: string) =>
	new PipedriveApiError({ status, pipedriveError: 'x', endpoint });

describe('how the Ledger reads a failed write', () => {
	it('stops the whole run on a wrong token or base URL instead of failing every record', () => {
		expect(classifyWriteError(api(401, 'POST /api/v2/persons'))).toMatchObject({
			kind: 'account',
			code: 'http-401',
		});
		expect(classifyWriteError(api(404, 'POST /api/v2/persons'))).toMatchObject({
			kind: 'account',
			code: 'http-404',
		});
		// No server at the base URL (wrong URL, server stopped): every write would meet the same.
		expect(classifyWriteError(new TransportError('refused', 'ECONNREFUSED'))).toMatchObject({
			kind: 'account',
			code: 'connection-ECONNREFUSED',
		});
		expect(classifyWriteError(new TransportError('unknown host', 'ENOTFOUND'))).toMatchObject({
			kind: 'account',
		});
		// A dropped answer may hide an applied write: looked up, not a stop.
		expect(classifyWriteError(new TransportError('reset', 'ECONNRESET'))).toEqual({
			kind: 'uncertain',
			code: 'connection-ECONNRESET',
		});
		// A record that is gone is that record's problem, not the account's.
		expect(classifyWriteError(api(404, 'PATCH /api/v2/persons/{id}'))).toMatchObject({
			kind: 'refused',
		});
		expect(classifyWriteError(api(404, 'DELETE /api/v1/notes/12'))).toMatchObject({
			kind: 'refused',
		});
		expect(classifyWriteError(api(404, 'GET /api/v2/personFields'))).toMatchObject({
			kind: 'account',
		});
	});

	it('keeps an earlier write open when its look-up fails, whatever the look-up got', () => {
		expect(classifyWriteError(new LookupFailedError(api(400, 'GET /api/v1/notes')))).toEqual({
			kind: 'uncertain',
			code: 'lookup-http-400',
		});
		expect(
			classifyWriteError(new LookupFailedError(new TransportError('reset', 'ECONNRESET'))),
		).toMatchObject({ kind: 'uncertain' });
		// The server gone: the run stops (the write's intent stays open all the same).
		expect(
			classifyWriteError(new LookupFailedError(new TransportError('refused', 'ECONNREFUSED'))),
		).toMatchObject({ kind: 'account' });
		expect(classifyWriteError(new LookupFailedError(api(401, 'GET /api/v1/notes')))).toMatchObject({
			kind: 'account',
		});
	});
});

describe('one rule of what is transient, for setup and the Ledger (issue 20)', () => {
	// 429 and 5xx may succeed on another try; a reset connection may have landed; a refused one or
	// a 4xx answer will not change.
	const failures: Array<[string, unknown, boolean]> = [
		['429', api(429, 'POST /api/v2/persons'), true],
		['500', api(500, 'POST /api/v2/persons'), true],
		['503', api(503, 'POST /api/v2/deals'), true],
		['ECONNRESET', new TransportError('reset', 'ECONNRESET'), true],
		['ETIMEDOUT', new TransportError('timed out', 'ETIMEDOUT'), true],
		['400', api(400, 'POST /api/v2/persons'), false],
		['401', api(401, 'POST /api/v2/persons'), false],
		['404', api(404, 'PATCH /api/v2/persons/{id}'), false],
		['ECONNREFUSED', new TransportError('refused', 'ECONNREFUSED'), false],
	];
	it.each(failures)(
		'%s: transient %s for setup, uncertain for a write exactly then',
		(_, error, transient) => {
			expect(isTransientFailure(error)).toBe(transient);
			expect(classifyWriteError(error).kind === 'uncertain').toBe(transient);
		},
	);
});
