import { staffRequest } from '../../../scripts/demo/pipedriveEdits';

/** A write the practice's staff make through the Pipedrive API (the sandbox's), outside the migration; the new record's id. */
export async function staffWrite(
	account: { baseUrl: string; apiToken: string },
	method: string,
	apiPath: string,
	body: unknown,
): Promise<number> {
	return ((await staffRequest(account, method, apiPath, body)).data as { id: number }).id;
}
