import { PipedriveClient } from '../../../lib/pipedrive/client';
import { RateLimiter } from '../../../lib/pipedrive/rateLimiter';
import { FetchTransport } from '../../../lib/transport/fetchTransport';

/**
 * A client as the Ledger nodes build one: through the limiter, short backoffs for the tests.
 * Its own module so the drill child loads no more than the commit needs.
 */
export function drillClient(baseUrl: string, apiToken: string): PipedriveClient {
	const limiter = new RateLimiter({
		plan: 'premium',
		seats: 3,
		random: () => 0.5,
		backoffBaseMs: 5,
		backoffMaxMs: 20,
	});
	return new PipedriveClient(new FetchTransport({ baseUrl, apiToken }), { limiter });
}
