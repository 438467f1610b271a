import type { PipedriveUser } from '../../lib/pipedrive/client';
import { matchUsers, resolveFallbackUser } from '../../lib/pipedrive/users';
import type { Provider } from '../../lib/model/reference';

function provider(id: string, lastName: string, email?: string, active = true): Provider {
	return {
		kind: 'provider',
		sourceSystem: 'dental-exec',
		sourceId: id,
		sourceKey: `dental-exec:provider:${id}`,
		lastName,
		firstName: 'Dr',
		email,
		active,
		extra: {},
	};
}

const users: PipedriveUser[] = [
	{ id: 1, name: 'Admin', email: 'admin@smile.be', active: true, isAdmin: true },
	{ id: 2, name: 'Peeters', email: 'An.Peeters@Smile.be', active: true, isAdmin: false },
	{ id: 3, name: 'Janssens', email: 'janssens@smile.be', active: false, isAdmin: false },
	{ id: 4, name: 'Office', email: 'office@smile.be', active: true, isAdmin: false },
];

describe('user matching', () => {
	it('matches providers by email ignoring case and lists everyone who needs review', () => {
		const providers = [
			provider('1', 'Peeters', ' an.peeters@smile.BE '),
			provider('2', 'Janssens', 'janssens@smile.be'),
			provider('3', 'Maes', 'maes@elsewhere.be'),
			provider('4', 'Wouters'),
			provider('5', 'Claes', 'office@smile.be', false),
			provider('6', 'Dubois', 'OFFICE@smile.be'),
		];
		const result = matchUsers(providers, users, users[0]);
		expect(result).toEqual({
			ownerMap: {
				owners: {
					'dental-exec:provider:1': 2,
					'dental-exec:provider:2': 1,
					'dental-exec:provider:3': 1,
					'dental-exec:provider:4': 1,
					'dental-exec:provider:5': 4,
					'dental-exec:provider:6': 4,
				},
				fallbackUserId: 1,
			},
			matched: [
				{ providerKey: 'dental-exec:provider:1', userId: 2, email: 'An.Peeters@Smile.be' },
				{ providerKey: 'dental-exec:provider:5', userId: 4, email: 'office@smile.be' },
				{ providerKey: 'dental-exec:provider:6', userId: 4, email: 'office@smile.be' },
			],
			unmatched: [
				{ providerKey: 'dental-exec:provider:3', name: 'Dr Maes', reason: 'no-user', ownerId: 1 },
				{
					providerKey: 'dental-exec:provider:4',
					name: 'Dr Wouters',
					reason: 'no-email',
					ownerId: 1,
				},
			],
			inactiveUsers: [
				{
					providerKey: 'dental-exec:provider:2',
					userId: 3,
					email: 'janssens@smile.be',
					ownerId: 1,
				},
			],
			inactiveProviders: [{ providerKey: 'dental-exec:provider:5', name: 'Dr Claes' }],
			sharedEmails: [
				{
					email: 'office@smile.be',
					providerKeys: ['dental-exec:provider:5', 'dental-exec:provider:6'],
				},
			],
			fallbackUser: { id: 1, email: 'admin@smile.be' },
		});
	});

	it('takes the fallback owner from the setting, else the connected user', () => {
		expect(resolveFallbackUser(users, 'OFFICE@smile.be', 1).id).toBe(4);
		expect(resolveFallbackUser(users, '', 2).id).toBe(2);
		expect(resolveFallbackUser(users, undefined, 1).id).toBe(1);
	});

	it('refuses a fallback owner that is unknown or inactive, saying what to change', () => {
		expect(() => resolveFallbackUser(users, 'nobody@smile.be', 1)).toThrow(
			"The fallback owner email (the spec's rules.fallbackOwnerEmail, seeded from Migration settings) matches no Pipedrive user: use the email of an active user of this Pipedrive company, or leave it empty to use the connected user",
		);
		expect(() => resolveFallbackUser(users, 'janssens@smile.be', 1)).toThrow(
			"The fallback owner (the spec's rules.fallbackOwnerEmail, seeded from Migration settings) is an inactive Pipedrive user: choose an active user, or reactivate this one in Pipedrive",
		);
	});
});
