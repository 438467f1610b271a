import type { Provider } from '../model/reference';

/**
 * The verifier's own answer to "who should own this record": the provider's email looked up in
 * the Pipedrive user list the verifier reads itself, never the owner map the migration used. A
 * broken owner map (empty, stale, the wrong reader output wired in) then shows as mismatches.
 */
export interface PipedriveUserLite {
	id: number;
	email: string;
	active: boolean;
}

export interface ExpectedOwners {
	/** The Pipedrive user a provider's records belong to: their own, else the fallback user. */
	ownerOf(providerKey: string | undefined): number;
	/** The user a note is written by: its author's owner (the owner rule); no author → the API user. */
	authorOf(providerKey: string | undefined): number;
	/** Providers whose records go to the fallback user (no email, no user, or an inactive user). */
	toReview: string[];
	/** Providers matched to an active user of their own. */
	matched: string[];
	fallbackUserId: number;
}

const clean = (email: string | undefined) => email?.trim().toLowerCase() || undefined;

export function expectedOwners(
	providers: readonly Provider[],
	users: readonly PipedriveUserLite[],
	fallbackOwnerEmail: string | undefined,
	apiUserId: number,
): ExpectedOwners {
	const activeByEmail = new Map<string, number>();
	// Pipedrive keeps one user per address; of duplicates (a re-invited user) the oldest active one counts.
	for (const user of [...users].sort((a, b) => a.id - b.id)) {
		const email = clean(user.email);
		if (email && user.active && !activeByEmail.has(email)) activeByEmail.set(email, user.id);
	}
	const fallbackUserId = activeByEmail.get(clean(fallbackOwnerEmail) ?? '') ?? apiUserId;
	const own = new Map<string, number>();
	const toReview: string[] = [];
	for (const provider of new Map(providers.map((p) => [p.sourceKey, p])).values()) {
		const id = activeByEmail.get(clean(provider.email) ?? '');
		if (id === undefined) toReview.push(provider.sourceKey);
		else own.set(provider.sourceKey, id);
	}
	return {
		ownerOf: (key) => (key === undefined ? fallbackUserId : (own.get(key) ?? fallbackUserId)),
		authorOf: (key) => (key === undefined ? apiUserId : (own.get(key) ?? fallbackUserId)),
		toReview: toReview.sort(),
		matched: [...own.keys()].sort(),
		fallbackUserId,
	};
}
