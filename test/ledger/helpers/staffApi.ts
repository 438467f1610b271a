/** A write the practice's staff make through the Pipedrive API (the sandbox's), outside the migration; the new record's id. */
export async function staffWrite(
	account: { baseUrl: string; apiToken: string },
	method: string,
	apiPath: string,
	body: unknown,
): Promise<number> {
	const response = await fetch(`${account.baseUrl}${apiPath}`, {
		method,
		headers: { 'x-api-token': account.apiToken, 'content-type': 'application/json' },
		body: JSON.stringify(body),
	});
	if (response.status >= 300) throw new Error(`${method} ${apiPath} answered ${response.status}`);
	return ((await response.json()) as { data: { id: number } }).data.id;
}
