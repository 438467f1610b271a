import { folderSource } from '../../../lib/sources/common';
import { completeInsurers } from '../../../lib/sources/dentadmin/insurers';
import { readDentAdminExport } from '../../../lib/sources/dentadmin/read';
import { exportFolder } from './exportFolder';

/** A small French export (UTF-8 with BOM) with one of everything, to check the canonical values. */
const FRENCH = {
	'patients.csv': [
		'NoPatient;Nom;Prénom;DateNaissance;Sexe;Email;Téléphone;GSM;Rue;Numéro;Boîte;CodePostal;Commune;Pays;Mutualité;NumeroAffiliation;TicketModerateur;TiersPayant;Dentiste;Langue;CreeLe;ModifieLe;Allergie',
		"0042;Lefèvre;Héloïse;03/02/2001;F;heloise@mail.example;081 22 33 44;+32 476 12 34 56;Rue de l'Église;12;3;5000;Namur;Belgique;319;1234567;25,5;O;2;FR;01/07/2024 09:30;30/10/2026 17:45;pénicilline",
	],
	'mutualites.csv': [
		'Code;Nom;Adresse;SiteWeb;PrefixePolice;NiveauRemboursement',
		'319;Solidaris Wallonie;Rue Saint-Jean 1, 1000 Bruxelles;https://solidaris.example;319-;BIM',
	],
	'utilisateurs.csv': [
		'NoUtilisateur;Nom;Email;Role;Actif',
		'2;Lefèvre, Jérôme;jerome@tandarts.example;Dentiste;O',
	],
	'traitements.csv': [
		'NoTraitement;NoPatient;Date;CodeInami;Description;Dent;Montant;TicketModerateur;Dentiste;Statut;PlanTraitement;ModifieLe',
		'501;0042;14/03/2025;304312;Soins;36;91,50;12,50;2;Effectué;P9;15/03/2025 18:00',
		'502;0042;20/12/2026;303590;Soins;;12,50;3,00;2;Planifié;P9;01/10/2026 18:00',
	],
	'rendezvous.csv': [
		'NoRendezVous;NoPatient;Debut;Fin;Type;Dentiste;Lieu;Remarque;Repetition;Statut;ModifieLe',
		'801;0042;27/10/2026 16:00;27/10/2026 16:45;Consultation;2;Cabinet B;Préfère le matin;"mensuel;2";Confirmé;01/10/2026 10:00',
	],
	'notes.csv': [
		'NoNote;NoPatient;Texte;Date;Auteur;Categorie;Etiquettes',
		'301;0042;"{\\rtf1\\ansi{\\fonttbl{\\f0 Arial;}}\\f0 Contr\\\'f4le OK.\\par Rappel dans 6 mois.\\par}";02/11/2025 14:05;2;Clinique;"rappel;allergie"',
	],
};

describe('DentAdmin profile', () => {
	it('maps a French export into the canonical model', async () => {
		const folder = exportFolder(FRENCH, 'utf8bom');
		const { bundles, references } = await readDentAdminExport(folderSource(folder), {
			practiceName: 'Cabinet du Parc',
		});
		const [bundle] = bundles;
		expect(bundle.patient).toEqual({
			sourceSystem: 'dentadmin',
			sourceId: '0042',
			sourceKey: 'dentadmin:patient:0042',
			origin: { file: 'patients.csv', line: 2 },
			extra: { Allergie: 'pénicilline' },
			modifiedAt: '2026-10-30T16:45:00Z',
			lastName: 'Lefèvre',
			firstName: 'Héloïse',
			birthDate: '2001-02-03',
			gender: 'F',
			emails: ['heloise@mail.example'],
			phones: [
				{ value: '081 22 33 44', label: 'home' },
				{ value: '+32 476 12 34 56', label: 'mobile' },
			],
			address: {
				street: "Rue de l'Église",
				houseNumber: '12',
				box: '3',
				postalCode: '5000',
				city: 'Namur',
				country: 'BE',
			},
			language: 'fr',
			practiceKey: 'dentadmin:practice:main',
			primaryProviderKey: 'dentadmin:provider:2',
			// The insurer's name from the insurer file (brief row 9: name and policy number in one field).
			insurance: {
				carrier: 'Solidaris Wallonie',
				insurerKey: 'dentadmin:insurer:319',
				policyNumber: '1234567',
			},
			coPayment: { percentage: 25.5, thirdPartyPayer: true },
			createdAt: '2024-07-01T07:30:00Z',
		});
		expect(bundle.treatmentPlans).toHaveLength(1);
		const [plan] = bundle.treatmentPlans;
		expect([
			plan.sourceKey,
			plan.status,
			plan.proposedDate,
			plan.estimatedFee,
			plan.finalFee,
			plan.modifiedAt,
		]).toEqual([
			'dentadmin:treatmentPlan:P9',
			'in-progress',
			'2025-03-14',
			{ amount: '104.00', currency: 'EUR' },
			undefined,
			'2026-10-01T16:00:00Z',
		]);
		expect(
			plan.procedures.map((p) => [
				p.sourceKey,
				p.code,
				p.tooth,
				p.fee,
				p.coPayment,
				p.status,
				p.providerKey,
			]),
		).toEqual([
			[
				'dentadmin:procedure:501',
				{ system: 'RIZIV', code: '304312', flags: [] },
				'36',
				{ amount: '91.50', currency: 'EUR' },
				{ amount: '12.50', currency: 'EUR' },
				'performed',
				'dentadmin:provider:2',
			],
			[
				'dentadmin:procedure:502',
				{ system: 'RIZIV', code: '303590', flags: [] },
				undefined,
				{ amount: '12.50', currency: 'EUR' },
				{ amount: '3.00', currency: 'EUR' },
				'planned',
				'dentadmin:provider:2',
			],
		]);
		// Monthly from 27 October (summer time) to 27 November (winter time): 16:00 Brussels both times.
		expect(
			bundle.appointments.map((a) => [
				a.sourceId,
				a.start,
				a.end,
				a.durationMinutes,
				a.type,
				a.status,
				a.location,
				a.notes,
			]),
		).toEqual([
			[
				'801#1',
				'2026-10-27T15:00:00Z',
				'2026-10-27T15:45:00Z',
				45,
				'consultation',
				'confirmed',
				'Cabinet B',
				'Préfère le matin',
			],
			[
				'801#2',
				'2026-11-27T15:00:00Z',
				'2026-11-27T15:45:00Z',
				45,
				'consultation',
				'confirmed',
				'Cabinet B',
				'Préfère le matin',
			],
		]);
		expect(bundle.notes).toEqual([
			{
				sourceSystem: 'dentadmin',
				sourceId: '301',
				sourceKey: 'dentadmin:note:301',
				origin: { file: 'notes.csv', line: 2 },
				extra: {},
				patientKey: 'dentadmin:patient:0042',
				text: 'Contrôle OK.\nRappel dans 6 mois.',
				format: 'rtf',
				authorKey: 'dentadmin:provider:2',
				createdAt: '2025-11-02T13:05:00Z',
				category: 'Clinique',
				tags: ['rappel', 'allergie'],
			},
		]);
		expect(references).toEqual([
			{
				kind: 'practice',
				sourceSystem: 'dentadmin',
				sourceId: 'main',
				sourceKey: 'dentadmin:practice:main',
				extra: {},
				name: 'Cabinet du Parc',
			},
			{
				kind: 'provider',
				sourceSystem: 'dentadmin',
				sourceId: '2',
				sourceKey: 'dentadmin:provider:2',
				origin: { file: 'utilisateurs.csv', line: 2 },
				extra: {},
				firstName: 'Jérôme',
				lastName: 'Lefèvre',
				email: 'jerome@tandarts.example',
				role: 'dentist',
				roleLabel: 'Dentiste',
				practiceKey: 'dentadmin:practice:main',
				active: true,
			},
			{
				kind: 'insurer',
				sourceSystem: 'dentadmin',
				sourceId: '319',
				sourceKey: 'dentadmin:insurer:319',
				origin: { file: 'mutualites.csv', line: 2 },
				extra: {},
				code: '319',
				name: 'Solidaris Wallonie',
				union: {
					code: '300',
					name: 'Nationaal Verbond van Socialistische Mutualiteiten / Union nationale des mutualités socialistes',
				},
				address: { street: 'Rue Saint-Jean 1, 1000 Bruxelles' },
				website: 'https://solidaris.example',
				policyPrefix: '319-',
				reimbursementTier: 'BIM',
			},
		]);
	});

	it('reports insurers whose names differ only in accents, case or spacing, keeping both codes', () => {
		const insurer = (code: string, name: string) => ({
			kind: 'insurer' as const,
			sourceSystem: 'dentadmin' as const,
			sourceId: code,
			sourceKey: `dentadmin:insurer:${code}`,
			extra: {},
			code,
			name,
		});
		const { insurers, issues } = completeInsurers(
			[insurer('131', 'Mutualité Chrétienne'), insurer('134', 'MUTUALITE  chretienne')],
			new Set(['131', '134', '702']),
			'mutualites.csv',
		);
		expect(insurers.map((entry) => [entry.code, entry.name, entry.union?.code])).toEqual([
			['131', 'Mutualité Chrétienne', undefined],
			['134', 'MUTUALITE  chretienne', undefined],
			['702', 'Mutualiteit / Mutualité 702', undefined],
		]);
		expect(issues.map((issue) => [issue.severity, issue.file, issue.code])).toEqual([
			['info', 'mutualites.csv', 'mutuality-not-in-file'],
			['warning', 'mutualites.csv', 'insurer-same-name'],
		]);
	});

	it('keeps an appointment that ends before it starts, without a duration, and says so', async () => {
		const folder = exportFolder({
			'patienten.csv': ['PatiëntNr;Naam', '1;Peeters'],
			'afspraken.csv': [
				'AfspraakNr;PatiëntNr;Begin;Einde;Type',
				'7;1;05/03/2024 10:00;05/03/2024 09:30;Controle',
			],
		});
		const { bundles, report } = await readDentAdminExport(folderSource(folder), {});
		expect(bundles[0].appointments.map((a) => [a.start, a.end, a.durationMinutes])).toEqual([
			['2024-03-05T09:00:00Z', '2024-03-05T08:30:00Z', undefined],
		]);
		expect(report.issues.filter((issue) => issue.code === 'dates-out-of-order')).toEqual([
			{
				severity: 'warning',
				file: 'afspraken.csv',
				line: 2,
				column: 'Einde',
				code: 'dates-out-of-order',
				message:
					'The date is before Begin of the same row, which cannot come later; both were kept as written (a duration between them is left empty). Correct the dates in the source system.',
			},
		]);
	});
});
