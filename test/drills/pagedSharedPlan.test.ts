import { commitPlans } from '../../lib/ledger/commit';
import { FileJournalStore } from '../../lib/ledger/store/fileJournalStore';
import type { JournalStore } from '../../lib/ledger/store/journalStore';
import { folderSource } from '../../lib/sources/common';
import { readDentAdminExport } from '../../lib/sources/dentadmin/read';
import { exportFolder } from '../sources/dentadmin/exportFolder';
import { drillAccount, type DrillAccount } from './support/fullMigration';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Patients 1 and 2 both have treatments under plan number 1: patient 1 two of 26,00 (lines 2 and
// 4), patient 2 one (line 3). The whole-export read quarantines plan 1; a read of one page at a
// time cannot see it is shared.
const EXPORT = {
	'gebruikers.csv': [
		'GebruikerNr;Naam;Email;Rol;Actief',
		'1;Peeters, Katrien;katrien@tandarts.example;Tandarts;J',
	],
	'patienten.csv': ['PatiëntNr;Naam;Voornaam', '1;Peeters;An', '2;Janssens;Luc'],
	'behandelingen.csv': [
		'BehandelingNr;PatiëntNr;Datum;RizivCode;Bedrag;Status;Behandelplan',
		'10;1;05/03/2024;301011;26,00;Uitgevoerd;1',
		'11;2;06/03/2024;301011;26,00;Uitgevoerd;1',
		'13;1;08/03/2024;301011;26,00;Uitgevoerd;1',
	],
};

let account: DrillAccount | undefined;
let store: JournalStore | undefined;
afterEach(async () => {
	await store?.close();
	await account?.close();
});

it("a paged migration that cannot see a plan number two patients share leaves the first patient's deal as it was", async () => {
	const folder = exportFolder(EXPORT);
	account = await drillAccount('dentadmin', folder);
	const { migration, client, sandbox } = account;
	const journal = await FileJournalStore.open(
		join(mkdtempSync(join(tmpdir(), 'paged-shared-plan-')), 'journal'),
		1,
	);
	store = journal;
	// As a workflow loops over pages with an empty run id: each page its own full run.
	const commitPage = async (offset: number) => {
		const page = await readDentAdminExport(folderSource(folder), { page: { offset, limit: 1 } });
		const plans = [
			...(offset === 0 ? migration.transformer.referenceEntities(page.references) : []),
			...page.bundles.map((bundle) => migration.transformer.bundle(bundle)),
		];
		return commitPlans(plans, {
			store: journal,
			client,
			registry: migration.registry,
			confirmedSpecHash: migration.specHash,
			kind: 'full',
		});
	};
	const deals = () => sandbox.admin.snapshot({ live: true }).deals;
	const personOf = (sourceKey: string) =>
		sandbox.admin
			.snapshot({ live: true })
			.persons.find((person) => JSON.stringify(person).includes(`"${sourceKey}"`))?.id;

	await commitPage(0);
	expect(deals().map((deal) => [deal.value, deal.person_id])).toEqual([
		[52, personOf('dentadmin:patient:1')],
	]);
	const second = await commitPage(1);
	const held = second.bundles.flatMap((bundle) => bundle.heldBack);
	expect(held.map((problem) => [problem.key, problem.errorCode])).toEqual([
		['dentadmin:treatmentPlan:1', 'planned-for-another-patient'],
	]);
	// Patient 2 is migrated; the deal stays patient 1's, with patient 1's two treatments.
	expect(personOf('dentadmin:patient:2')).toBeDefined();
	expect(deals().map((deal) => [deal.value, deal.person_id])).toEqual([
		[52, personOf('dentadmin:patient:1')],
	]);
});
