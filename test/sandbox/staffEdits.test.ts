import { phonesOf, STAFF_PHONE, staffRequest } from '../../scripts/demo/pipedriveEdits';
import { startSandbox, type RunningSandbox } from '../../sandbox';

/**
 * The demo's front desk shares the API token with the migration, whose last requests may still
 * fill the 2-second burst window when the desk makes its edit: the edit waits the window out
 * instead of failing the demo with a 429.
 */
describe('the front desk edits in Pipedrive while the burst window is full', () => {
	let sandbox: RunningSandbox;
	beforeEach(async () => {
		sandbox = await startSandbox({ seed: 3, plan: 'lite' });
	});
	afterEach(() => sandbox.close());

	it('waits out a 429 and reads the person', async () => {
		const { data } = (await staffRequest(sandbox, 'POST', '/api/v2/persons', {
			name: 'Synthetic Person',
			phones: [{ value: STAFF_PHONE, label: 'mobile', primary: true }],
		})) as { data: { id: number } };
		const headers = { 'x-api-token': sandbox.apiToken };
		// Lite allows 20 requests per 2 s on an API token: fill the window, then see it refuse.
		let refused = 0;
		for (let i = 0; i < 21; i++) {
			const answer = await fetch(`${sandbox.baseUrl}/api/v2/persons/${data.id}`, { headers });
			await answer.body?.cancel();
			if (answer.status === 429) refused += 1;
		}
		expect(refused).toBeGreaterThan(0);
		expect(await phonesOf(sandbox, data.id)).toEqual([STAFF_PHONE]);
	});
});
