import { Provider } from '../model/reference';
import type { PipedriveClient, PipedriveUser } from './client';
import { requireProvidersForBundles, requireReaderRecords } from './readerRecords';
import type { OwnerMap } from './schemaRequirements';
import { activeUsersByEmail, fallbackOwner, normaliseEmail } from './fallbackOwner';
import { SetupRetry } from './setupRetry';

/**
 * Providers (dentists, hygienists, …) are matched to Pipedrive users by email, ignoring case.
 * Nobody is created: a provider without an active user is owned by the fallback user and listed
 * for review. Provider emails are staff addresses, not patient data.
 */

export interface UserMatchResult {
	ownerMap: OwnerMap;
	matched: Array<{ providerKey: string; userId: number; email: string }>;
	/** No email, or no Pipedrive user with it: owned by the fallback user, to review. */
	unmatched: Array<{
		providerKey: string;
		name: string;
		reason: 'no-email' | 'no-user';
		ownerId: number;
	}>;
	/** Matched to a user who is inactive: owned by the fallback user, to review. */
	inactiveUsers: Array<{ providerKey: string; userId: number; email: string; ownerId: number }>;
	/** Providers marked inactive in the source (still owned by their user when that user is active). */
	inactiveProviders: Array<{ providerKey: string; name: string }>;
	/** Providers sharing one email (they all map to the same user). */
	sharedEmails: Array<{ email: string; providerKeys: string[] }>;
	fallbackUser: { id: number; email: string };
}

/**
 * The user who owns what cannot be matched, by the one fallback rule (`fallbackOwner`): Match
 * Users runs before anything is written, so a setting it cannot follow is refused here.
 */
export function resolveFallbackUser(
	users: PipedriveUser[],
	fallbackOwnerEmail: string | undefined,
	meUserId: number,
): PipedriveUser {
	const { userId, problem } = fallbackOwner(users, fallbackOwnerEmail, meUserId);
	if (problem) throw new Error(problem);
	const user = users.find((u) => u.id === userId);
	if (!user)
		throw new Error(
			'The connected Pipedrive user is missing from the user list: check the credential',
		);
	return user;
}

export function matchUsers(
	providers: Provider[],
	users: PipedriveUser[],
	fallback: PipedriveUser,
): UserMatchResult {
	// An active user with the address, as Verify reads it; else the first known one (inactive), for review.
	const active = activeUsersByEmail(users);
	const known = new Map<string, PipedriveUser>();
	for (const user of users) {
		const email = normaliseEmail(user.email);
		if (email && !known.has(email)) known.set(email, user);
	}
	const result: UserMatchResult = {
		ownerMap: { owners: {}, fallbackUserId: fallback.id },
		matched: [],
		unmatched: [],
		inactiveUsers: [],
		inactiveProviders: [],
		sharedEmails: [],
		fallbackUser: { id: fallback.id, email: fallback.email },
	};
	const providersByEmail = new Map<string, string[]>();
	for (const provider of providers) {
		const key = provider.sourceKey;
		const name = [provider.firstName, provider.lastName].filter(Boolean).join(' ');
		if (!provider.active) result.inactiveProviders.push({ providerKey: key, name });
		const email = normaliseEmail(provider.email);
		if (!email) {
			result.unmatched.push({ providerKey: key, name, reason: 'no-email', ownerId: fallback.id });
			result.ownerMap.owners[key] = fallback.id;
			continue;
		}
		providersByEmail.set(email, [...(providersByEmail.get(email) ?? []), key]);
		const user = active.get(email) ?? known.get(email);
		if (!user) {
			result.unmatched.push({ providerKey: key, name, reason: 'no-user', ownerId: fallback.id });
			result.ownerMap.owners[key] = fallback.id;
		} else if (!user.active) {
			result.inactiveUsers.push({
				providerKey: key,
				userId: user.id,
				email: user.email,
				ownerId: fallback.id,
			});
			result.ownerMap.owners[key] = fallback.id;
		} else {
			result.matched.push({ providerKey: key, userId: user.id, email: user.email });
			result.ownerMap.owners[key] = user.id;
		}
	}
	for (const [email, providerKeys] of providersByEmail) {
		if (providerKeys.length > 1) result.sharedEmails.push({ email, providerKeys });
	}
	return result;
}

/**
 * The provider records among the reader's items, each checked against the canonical model.
 * Refuses items that are not the reader's records, and bundles naming providers that never came.
 */
export function providersFromReaderItems(items: Array<Record<string, unknown>>): Provider[] {
	requireReaderRecords(items, 'Match Users');
	requireProvidersForBundles(items);
	const providers: Provider[] = [];
	items.forEach((item, index) => {
		if (item?.kind !== 'provider') return;
		const parsed = Provider.safeParse(item);
		if (!parsed.success) {
			const issue = parsed.error.issues[0];
			throw new Error(
				`Reader item ${index} is not a valid provider record ("${issue.path.join('.')}": ${issue.message}): run the reader again or fix the provider export`,
			);
		}
		providers.push(parsed.data);
	});
	return providers;
}

/** Reads the users and the connected user from Pipedrive and matches the providers. */
export async function matchProvidersToUsers(
	client: PipedriveClient,
	providers: Provider[],
	options: { fallbackOwnerEmail?: string } = {},
): Promise<UserMatchResult> {
	const retry = new SetupRetry(client.clock);
	const [users, me] = [await retry.read(() => client.users()), await retry.read(() => client.me())];
	const fallback = resolveFallbackUser(users, options.fallbackOwnerEmail, me.userId);
	return matchUsers(providers, users, fallback);
}
