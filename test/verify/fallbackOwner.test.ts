import { join } from 'node:path';

import type { Provider } from '../../lib/model/reference';
import { proposeFromExport } from '../../lib/mapping/propose/fromExport';
import type { JournalStore } from '../../lib/ledger/store/journalStore';
import { matchUsers, resolveFallbackUser } from '../../lib/pipedrive/users';
import { folderSource, readExport } from '../../lib/sources/common';
import { dentalExecProfile } from '../../lib/sources/dental-exec';
import { expectedOwners } from '../../lib/verify/owners';
import { diffReportHtml } from '../../lib/ledger/report/html';
import { verifyFromSource } from '../../lib/verify/verify';
import { registryFor, TODAY } from '../mapping/helpers';

/**
 * Match Users and Verify apply one fallback-owner rule: the same user when the setting names an
 * active user, the same words when it cannot be followed (Match Users refuses; Verify expects the
 * connected user and says so in the report). Providers and addresses are the Dental-Exec sample's
 * (samples/dental-exec/providers.csv).
 */
const SAMPLE = join(__dirname, '..', '..', 'samples', 'dental-exec');
const API_USER = 1;
/** The sample's staff as Pipedrive users: Lisa Tran's user is deactivated, Robert Klein has none. */
const USERS = [
	{ id: API_USER, name: 'Admin', email: 'admin@sandbox.test', active: true, isAdmin: true },
	{
		id: 7,
		name: 'Sarah Mitchell',
		email: 'sarah.mitchell@maplegrove-dental.example.com',
		active: true,
		isAdmin: false,
	},
	{
		id: 8,
		name: 'Lisa Tran',
		email: 'lisa.tran@maplegrove-dental.example.com',
		active: false,
		isAdmin: false,
	},
	{
		id: 9,
		name: 'Hygiene',
		email: 'Hygiene@maplegrove-dental.example.com',
		active: true,
		isAdmin: false,
	},
];
const INACTIVE =
	"The fallback owner (the spec's rules.fallbackOwnerEmail, seeded from Migration settings) is an inactive Pipedrive user: choose an active user, or reactivate this one in Pipedrive";
const UNKNOWN =
	"The fallback owner email (the spec's rules.fallbackOwnerEmail, seeded from Migration settings) matches no Pipedrive user: use the email of an active user of this Pipedrive company, or leave it empty to use the connected user";

async function sample() {
	const { references } = await readExport(dentalExecProfile, folderSource(SAMPLE), {});
	const spec = (await proposeFromExport('dental-exec', folderSource(SAMPLE), { today: TODAY }))
		.spec;
	const providers = references.filter((e): e is Provider => e.kind === 'provider');
	return { references, spec, providers };
}

it('gives Match Users and Verify the same fallback owner, or the same reason it cannot', async () => {
	const { providers } = await sample();
	expect(providers.map((p) => p.sourceKey)).toEqual(
		[10, 11, 12, 13, 14, 15].map((id) => `dental-exec:provider:${id}`),
	);
	for (const [email, userId] of [
		['HYGIENE@maplegrove-dental.example.com ', 9],
		[undefined, API_USER],
		['', API_USER],
	] as const) {
		const matched = matchUsers(providers, USERS, resolveFallbackUser(USERS, email, API_USER));
		const expected = expectedOwners(providers, USERS, email, API_USER);
		expect([matched.ownerMap.fallbackUserId, expected.fallbackUserId]).toEqual([userId, userId]);
		expect(expected.fallbackWarning).toBeUndefined();
		// Each provider gets the same owner from both (James Okafor and Robert Klein: no user).
		expect(providers.map((p) => expected.ownerOf(p.sourceKey))).toEqual(
			providers.map((p) => matched.ownerMap.owners[p.sourceKey]),
		);
		expect(providers.map((p) => expected.ownerOf(p.sourceKey))).toEqual([
			7,
			userId,
			9,
			9,
			userId,
			userId,
		]);
	}
	for (const [email, problem] of [
		['lisa.tran@maplegrove-dental.example.com', INACTIVE],
		['robert.klein@maplegrove-dental.example.com', UNKNOWN],
	] as const) {
		expect(() => resolveFallbackUser(USERS, email, API_USER)).toThrow(problem);
		const expected = expectedOwners(providers, USERS, email, API_USER);
		expect(expected.fallbackUserId).toBe(API_USER);
		expect(expected.fallbackWarning).toBe(problem);
	}
});

it('says in the diff report that the fallback owner setting could not be followed', async () => {
	const { references, spec } = await sample();
	const input = {
		bundles: [],
		references,
		registry: registryFor(spec),
		users: USERS,
		apiUserId: API_USER,
		store: { lookup: async () => new Map() } as unknown as JournalStore,
		read: async () => ({ records: new Map(), requests: 0, tokens: 0, skipped: 0 }),
	};
	const report = (fallbackOwnerEmail: string) =>
		verifyFromSource({ ...input, spec: { ...spec, rules: { ...spec.rules, fallbackOwnerEmail } } });
	const followed = await report('lisa.tran@maplegrove-dental.example.com');
	// The page the practice reads says it too, under the totals.
	expect(diffReportHtml(followed)).toContain(
		`<p class="fail">${INACTIVE.replace("'", '&#39;')}. This report expects the connected user instead.</p>`,
	);
	expect(followed.owners).toEqual({
		matched: 3,
		fallback: 3,
		toReview: ['dental-exec:provider:11', 'dental-exec:provider:14', 'dental-exec:provider:15'],
		warning: `${INACTIVE}. This report expects the connected user instead`,
	});
	expect((await report('sarah.mitchell@maplegrove-dental.example.com')).owners).toEqual({
		matched: 3,
		fallback: 3,
		toReview: ['dental-exec:provider:11', 'dental-exec:provider:14', 'dental-exec:provider:15'],
	});
});
