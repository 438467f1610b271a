import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { defaultSpec } from '../../lib/mapping/defaults';
import { startSandbox, type RunningSandbox } from '../../sandbox';
import { PLAN, templateRunner } from '../acceptance/support/migration';

/**
 * Issue 20: the fallback owner and the lead rule have one home, the confirmed spec. Migration
 * settings only seed the proposal; Match Users, Transform and the Diff Report follow the spec.
 * The sandbox has no user for any provider, so the fallback user owns every migrated record.
 */

const root = join(__dirname, '..', '..');
const OFFICE = { name: 'Practice Office', email: 'office@sandbox.test' };
type Json = Record<string, unknown>;

let sandbox: RunningSandbox;
let work: string;
/** The office user's id as the sandbox's own user list gives it. */
let officeId: number;

/** A DentAdmin template (a sample of five) with these Migration settings; a failed run throws. */
const run = (step: string, settings: Json) =>
	templateRunner(
		sandbox,
		'dentadmin',
		'samples/dentadmin/nl',
		work,
	)(step, {
		sampleSize: 5,
		...settings,
	});

beforeAll(async () => {
	sandbox = await startSandbox({ plan: PLAN, seats: 3, users: [OFFICE] });
	work = mkdtempSync(join(tmpdir(), 'fallback-owner-'));
	officeId = sandbox.admin.snapshot().users.find((user) => user.email === OFFICE.email)
		?.id as number;
	await run('2-provision-pipedrive', {});
});

afterAll(async () => {
	await sandbox.close();
	rmSync(work, { recursive: true, force: true });
});

/** Mismatched, missing and unexpected fields plus records not found again, as the demo counts them. */
function failures(diffReport: Json[]): number {
	const summary = diffReport.find((item) => item.totals !== undefined) as {
		totals: Record<string, number>;
		records: Record<string, number>;
	};
	const { mismatch, missing, unexpected } = summary.totals;
	return mismatch + missing + unexpected + summary.records.missing;
}

describe('the fallback owner and the lead rule are read from the confirmed spec (issue 20)', () => {
	test('settings other than the defaults seed the proposal; the owner map and the Diff Report follow it', async () => {
		const step4 = await run('4-sample-migration', {
			fallbackOwnerEmail: OFFICE.email,
			leadRecencyMonths: 24,
			currency: 'GBP',
		});
		const rules = (step4.output('Propose Mapping')[0].spec as { rules: Json }).rules;
		expect([rules.fallbackOwnerEmail, rules.leadRecencyMonths, rules.currency]).toEqual([
			OFFICE.email,
			24,
			'GBP',
		]);
		expect((step4.output('Spec to migrate')[0].spec as { rules: Json }).rules).toEqual(rules);
		const ownerMap = step4.output('Match Users')[0].ownerMap as {
			fallbackUserId: number;
			owners: Record<string, number>;
		};
		expect(ownerMap.fallbackUserId).toBe(officeId);
		expect(new Set(Object.values(ownerMap.owners))).toEqual(new Set([officeId]));
		expect(failures(step4.output('Diff Report'))).toBe(0);
	});

	test('Match Users follows a pasted spec whose rule differs from a stale setting', async () => {
		const spec = defaultSpec('dentadmin', '2026-11-01');
		spec.rules.fallbackOwnerEmail = OFFICE.email;
		const step4 = await run('4-sample-migration', {
			mappingSpec: JSON.stringify(spec),
			fallbackOwnerEmail: 'admin@sandbox.test',
		});
		expect((step4.output('Match Users')[0].ownerMap as Json).fallbackUserId).toBe(officeId);
		expect(failures(step4.output('Diff Report'))).toBe(0);
	});

	test('the template reads no fallback owner from Migration settings from step 3 on', () => {
		for (const step of ['4-sample-migration', '5-full-migration', 'delta-pickup']) {
			const template = JSON.parse(
				readFileSync(join(root, 'workflows', 'dentadmin', `${step}.json`), 'utf8'),
			) as { nodes: Array<{ name: string; parameters: Json }> };
			const matchUsers = template.nodes.find((node) => node.name === 'Match Users');
			expect(matchUsers?.parameters).toMatchObject({ fallbackOwnerSource: 'spec' });
			expect(matchUsers?.parameters.fallbackOwnerEmail).toBeUndefined();
		}
	});
});
