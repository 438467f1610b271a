import type { Provider } from '../model/reference';
import {
	activeUsersByEmail,
	fallbackOwner,
	normaliseEmail,
	type UserLite,
} from '../pipedrive/fallbackOwner';

/**
 * The verifier's own answer to "who should own this record": the provider's email looked up in
 * the Pipedrive user list the verifier reads itself, never the owner map the migration used. A
 * broken owner map (empty, stale, the wrong reader output wired in) then shows as mismatches.
 */

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
	/** The fallback owner setting could not be followed (the connected user stands in): why. */
	fallbackWarning?: string;
}

export function expectedOwners(
	providers: readonly Provider[],
	users: readonly UserLite[],
	fallbackOwnerEmail: string | undefined,
	apiUserId: number,
): ExpectedOwners {
	const activeByEmail = activeUsersByEmail(users);
	const fallback = fallbackOwner(users, fallbackOwnerEmail, apiUserId);
	const fallbackUserId = fallback.userId;
	const own = new Map<string, number>();
	const toReview: string[] = [];
	for (const provider of new Map(providers.map((p) => [p.sourceKey, p])).values()) {
		const id = activeByEmail.get(normaliseEmail(provider.email) ?? '')?.id;
		if (id === undefined) toReview.push(provider.sourceKey);
		else own.set(provider.sourceKey, id);
	}
	return {
		ownerOf: (key) => (key === undefined ? fallbackUserId : (own.get(key) ?? fallbackUserId)),
		authorOf: (key) => (key === undefined ? apiUserId : (own.get(key) ?? fallbackUserId)),
		toReview: toReview.sort(),
		matched: [...own.keys()].sort(),
		fallbackUserId,
		...(fallback.problem ? { fallbackWarning: fallback.problem } : {}),
	};
}
