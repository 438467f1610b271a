import type { PipedriveObject } from '../plan/plan';
import { tokenCost } from '../pipedrive/tokenCosts';

/**
 * Token price of reading one record back (GET by id), from the spec's cost table. The sample
 * paths mirror the client's endpoints (v2 for persons, organizations, deals, activities; v1 for
 * leads, notes, files) and exist only to price the call.
 */
const GET_ONE_PATH: Record<PipedriveObject, string> = {
	organization: '/api/v2/organizations/1',
	person: '/api/v2/persons/1',
	deal: '/api/v2/deals/1',
	activity: '/api/v2/activities/1',
	lead: '/api/v1/leads/1',
	note: '/api/v1/notes/1',
	file: '/api/v1/files/1',
};

export function readBackCost(object: PipedriveObject): number {
	return tokenCost('GET', GET_ONE_PATH[object]);
}
