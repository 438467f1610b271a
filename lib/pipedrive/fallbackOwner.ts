/**
 * THE rule for who owns what no provider's own user can: the spec's `rules.fallbackOwnerEmail`
 * when it names an active Pipedrive user, else the connected (API) user. Match Users applies it
 * before anything is written (and refuses a setting it cannot follow); Verify applies it to say
 * what the owners should be (and reports the setting it could not follow). Staff emails only.
 */

/** What the rule reads of a Pipedrive user. */
export interface UserLite {
	id: number;
	email: string;
	active: boolean;
}

export interface FallbackOwner {
	userId: number;
	/** Set when `fallbackOwnerEmail` could not be followed: what is wrong and what to change. */
	problem?: string;
}

export const normaliseEmail = (email: string | undefined): string | undefined =>
	email?.trim().toLowerCase() || undefined;

/** Active users by address; of two with one address (a re-invited user) the oldest counts. */
export function activeUsersByEmail<User extends UserLite>(
	users: readonly User[],
): Map<string, User> {
	const byEmail = new Map<string, User>();
	for (const user of [...users].sort((a, b) => a.id - b.id)) {
		const email = normaliseEmail(user.email);
		if (email && user.active && !byEmail.has(email)) byEmail.set(email, user);
	}
	return byEmail;
}

const SETTING = "the spec's rules.fallbackOwnerEmail, seeded from Migration settings";

export function fallbackOwner(
	users: readonly UserLite[],
	fallbackOwnerEmail: string | undefined,
	apiUserId: number,
): FallbackOwner {
	const email = normaliseEmail(fallbackOwnerEmail);
	if (!email) return { userId: apiUserId };
	const active = activeUsersByEmail(users).get(email);
	if (active) return { userId: active.id };
	const problem = users.some((user) => normaliseEmail(user.email) === email)
		? `The fallback owner (${SETTING}) is an inactive Pipedrive user: choose an active user, or reactivate this one in Pipedrive`
		: `The fallback owner email (${SETTING}) matches no Pipedrive user: use the email of an active user of this Pipedrive company, or leave it empty to use the connected user`;
	return { userId: apiUserId, problem };
}
