import { Provider } from '../model/reference';
import type { PipedriveClient, PipedriveUser } from './client';
import { requireProvidersForBundles, requireReaderRecords } from './readerRecords';
import type { OwnerMap } from './schemaRequirements';
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

export function normaliseEmail(email: string | undefined): string | undefined {
	const trimmed = email?.trim().toLowerCase();
	return trimmed ? trimmed : undefined;
}

/**
 * The user who owns what cannot be matched: the spec's `rules.fallbackOwnerEmail` when given (must
 * be an active user), else the authenticated user.
 */
export function resolveFallbackUser(
	users: PipedriveUser[],
	fallbackOwnerEmail: string | undefined,
	meUserId: number,
): PipedriveUser {
	const email = normaliseEmail(fallbackOwnerEmail);
	if (email) {
		const user = users.find((u) => normaliseEmail(u.email) === email);
		if (!user) {
			throw new Error(
				`The fallback owner email (the spec's rules.fallbackOwnerEmail, seeded from Migration settings) matches no Pipedrive user: use the email of an active user of this Pipedrive company, or leave it empty to use the connected user`,
			);
		}
		if (!user.active) {
			throw new Error(
				`The fallback owner (the spec's rules.fallbackOwnerEmail, seeded from Migration settings) is an inactive Pipedrive user: choose an active user, or reactivate this one in Pipedrive`,
			);
		}
		return user;
	}
	const me = users.find((u) => u.id === meUserId);
	if (!me)
		throw new Error(
			'The connected Pipedrive user is missing from the user list: check the credential',
		);
	return me;
}

export function matchUsers(
	providers: Provider[],
	users: PipedriveUser[],
	fallback: PipedriveUser,
): UserMatchResult {
	const byEmail = new Map<string, PipedriveUser>();
	for (const user of users) {
		const email = normaliseEmail(user.email);
		// Prefer an active user when Pipedrive has two with one address (a deactivated duplicate).
		if (email && (!byEmail.has(email) || (!byEmail.get(email)?.active && user.active)))
			byEmail.set(email, user);
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
		const user = byEmail.get(email);
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
