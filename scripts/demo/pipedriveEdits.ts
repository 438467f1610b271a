/**
 * "The front desk works in Pipedrive during cutover", made the way staff make it: through the
 * Pipedrive API (the sandbox's), outside the migration. The demo and the template tests use it;
 * the delta pickup must keep the staff's value (conflict policy keep-pipedrive) and report it.
 */
export interface PipedriveAccount {
	baseUrl: string;
	apiToken: string;
}

/** The number the front desk types in: synthetic, never a patient's. */
export const STAFF_PHONE = '+32 499 00 11 22';

/**
 * Staff share the company's API token with the migration, whose requests may still fill the
 * 2-second burst window: a 429 is waited out for the seconds `x-ratelimit-reset` names, as any
 * well-behaved integration does. A wait longer than a burst window means the daily budget.
 */
const BURST_RETRIES = 5;
const LONGEST_BURST_WAIT_S = 5;

/** One request of the staff's, through the API with the company's token. */
export async function staffRequest(
	account: PipedriveAccount,
	method: string,
	path: string,
	body?: unknown,
): Promise<{ data: unknown }> {
	for (let attempt = 0; ; attempt++) {
		const response = await fetch(`${account.baseUrl}${path}`, {
			method,
			headers: {
				'x-api-token': account.apiToken,
				...(body === undefined ? {} : { 'content-type': 'application/json' }),
			},
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const waitS = Number(response.headers.get('x-ratelimit-reset') ?? 2);
		if (response.status === 429 && attempt < BURST_RETRIES && waitS <= LONGEST_BURST_WAIT_S) {
			await response.body?.cancel();
			await new Promise((resolve) => setTimeout(resolve, Math.max(waitS, 0.1) * 1000));
			continue;
		}
		if (!response.ok)
			throw new Error(`${method} ${path.split('?')[0]} answered ${response.status}`);
		return (await response.json()) as { data: unknown };
	}
}

/** The Pipedrive id of the person migrated from `sourceKey` (exact search on the source-key field). */
export async function personOf(account: PipedriveAccount, sourceKey: string): Promise<number> {
	const query = new URLSearchParams({
		term: sourceKey,
		fields: 'custom_fields',
		exact_match: 'true',
	});
	const found = (await staffRequest(account, 'GET', `/api/v2/persons/search?${query}`)).data as {
		items: Array<{ item: { id: number } }>;
	};
	const id = found.items[0]?.item.id;
	if (id === undefined) throw new Error(`No person carries the source key of ${sourceKey}`);
	return id;
}

/**
 * Gives the first of `sourceKeys` whose migrated person has a phone a new mobile number
 * (`STAFF_PHONE`), as the front desk would; returns that person's source key and id.
 */
export async function staffChangesPhone(
	account: PipedriveAccount,
	sourceKeys: readonly string[],
): Promise<{ sourceKey: string; personId: number }> {
	for (const sourceKey of sourceKeys) {
		const personId = await personOf(account, sourceKey);
		const person = (await staffRequest(account, 'GET', `/api/v2/persons/${personId}`)).data as {
			phones: unknown[];
		};
		if (person.phones.length === 0) continue;
		await staffRequest(account, 'PATCH', `/api/v2/persons/${personId}`, {
			phones: [{ value: STAFF_PHONE, label: 'mobile', primary: true }],
		});
		return { sourceKey, personId };
	}
	throw new Error('None of the edited patients has a phone in Pipedrive to change');
}

/** The person's phone numbers as Pipedrive holds them. */
export async function phonesOf(account: PipedriveAccount, personId: number): Promise<string[]> {
	const person = (await staffRequest(account, 'GET', `/api/v2/persons/${personId}`)).data as {
		phones: Array<{ value: string }>;
	};
	return person.phones.map((phone) => phone.value);
}
