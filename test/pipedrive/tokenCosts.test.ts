import { existsSync, readFileSync } from 'node:fs';
import { DEFAULT_TOKEN_COST_CSV, tokenCostsFromCsv } from '../../scripts/build-token-costs';
import committed from '../../lib/pipedrive/tokenCosts.json';
import { endpointTemplate, tokenCost, UNKNOWN_ENDPOINT_COST } from '../../lib/pipedrive/tokenCosts';

describe('token cost table', () => {
	const referencePresent = existsSync(DEFAULT_TOKEN_COST_CSV);

	it('is the committed copy of the reference CSV (regenerate with scripts/build-token-costs.ts)', () => {
		// The reference folder is outside the repository; without it only the committed table is checked below.
		if (!referencePresent) return;
		const fromCsv = tokenCostsFromCsv(readFileSync(DEFAULT_TOKEN_COST_CSV, 'utf8'));
		expect(committed).toEqual(fromCsv);
		expect(Object.keys(committed.costs)).toHaveLength(433);
	});

	it('prices the endpoints the client calls as the specs do', () => {
		expect(tokenCost('POST', '/api/v2/persons')).toBe(5);
		expect(tokenCost('GET', '/api/v2/persons/17')).toBe(1);
		expect(tokenCost('PATCH', '/api/v2/deals/9')).toBe(5);
		expect(tokenCost('DELETE', '/api/v2/activities/3')).toBe(3);
		expect(tokenCost('GET', '/api/v2/persons')).toBe(10);
		expect(tokenCost('POST', '/api/v1/notes')).toBe(10);
		expect(tokenCost('POST', '/api/v1/files')).toBe(10);
		expect(tokenCost('POST', '/api/v1/leads')).toBe(10);
		expect(tokenCost('GET', '/api/v1/users/me')).toBe(2);
		expect(tokenCost('GET', '/api/v1/users')).toBe(20);
		expect(tokenCost('GET', '/api/v2/dealFields')).toBe(10);
		expect(tokenCost('POST', '/api/v2/dealFields/abc/options')).toBe(5);
		expect(tokenCost('GET', '/api/v1/activityTypes')).toBe(20);
	});

	it('prefers literal path segments over parameters (search is not a get-by-id)', () => {
		expect(endpointTemplate('GET', '/api/v2/persons/search')).toBe('/api/v2/persons/search');
		expect(tokenCost('GET', '/api/v2/persons/search')).toBe(20);
		expect(endpointTemplate('GET', '/api/v2/persons/search?term=x')).toBe('/api/v2/persons/search');
		expect(endpointTemplate('GET', '/api/v2/persons/42')).toBe('/api/v2/persons/{id}');
	});

	it('charges an unknown endpoint the generic list price', () => {
		expect(endpointTemplate('GET', '/api/v9/nothing')).toBeUndefined();
		expect(tokenCost('GET', '/api/v9/nothing')).toBe(UNKNOWN_ENDPOINT_COST);
		expect(UNKNOWN_ENDPOINT_COST).toBe(20);
	});

	it('rejects a CSV row without a numeric cost, naming the line', () => {
		const csv =
			'version,method,path,operationId,x_token_cost\nv2,GET,/api/v2/persons,getPersons,ten\n';
		expect(() => tokenCostsFromCsv(csv)).toThrow(
			'token-costs.csv line 2: expected method, path and an integer x_token_cost; fix the row and run again',
		);
	});
});
