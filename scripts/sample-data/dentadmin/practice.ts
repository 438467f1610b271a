import { DateTime } from 'luxon';
import { makeNationalNumber } from '../../../lib/sources/dentadmin/nationalNumber';
import {
	FLEMISH_COMMUNES,
	FLEMISH_FIRST_NAMES,
	FLEMISH_LAST_NAMES,
	FLEMISH_STREETS,
	MUTUALITIES,
	MUTUALITY_NOT_IN_FILE,
	WALLOON_COMMUNES,
	WALLOON_FIRST_NAMES,
	WALLOON_LAST_NAMES,
	WALLOON_STREETS,
} from './belgium';
import { SeededRandom } from '../random';
import { rtfDocument } from './rtf';
import { TINY_PDF, TINY_PNG } from './files';

/** A generated row: profile field name → cell text (vocabulary words are language-neutral here). */
export type Row = Record<string, string | undefined>;

/** One practice, independent of the export language: the writer translates headers and words. */
export interface GeneratedPractice {
	patients: Row[];
	mutualities: Row[];
	users: Row[];
	treatments: Row[];
	appointments: Row[];
	notes: Row[];
	documents: Row[];
	/** Document files by path relative to the export folder. */
	files: Map<string, Buffer>;
	/** Each deliberate defect: which generated entity, which row index, what. */
	defects: {
		file: keyof Omit<GeneratedPractice, 'files' | 'defects'>;
		index: number;
		what: string;
	}[];
}

/** The generator's fixed "today": samples do not change with the day they are generated. */
export const TODAY = DateTime.fromISO('2026-11-01', { zone: 'UTC' });

const date = (d: DateTime) => d.toFormat('dd/MM/yyyy');
const dateTime = (d: DateTime) => d.toFormat('dd/MM/yyyy HH:mm');
/** Belgian money: decimal comma, thousands dot (`1.450,00`). */
const money = (cents: number) => {
	const whole = Math.floor(cents / 100)
		.toString()
		.replace(/\B(?=(\d{3})+(?!\d))/g, '.');
	return `${whole},${String(cents % 100).padStart(2, '0')}`;
};
const ascii = (s: string) =>
	s
		.normalize('NFD')
		.replace(/\p{M}/gu, '')
		.replace(/[^A-Za-z]/g, '')
		.toLowerCase();

interface Person {
	id: string;
	language: 'NL' | 'FR';
	birth: DateTime;
	dentist: string;
}

const USERS: Row[] = [
	{
		userId: '1',
		name: 'Peeters, Katrien',
		email: 'katrien.peeters@tandarts.example',
		role: 'dentist',
		active: 'yes',
	},
	{
		userId: '2',
		name: 'Lefèvre, Jérôme',
		email: 'jerome.lefevre@tandarts.example',
		role: 'dentist',
		active: 'yes',
	},
	{
		userId: '3',
		name: 'Van Damme, Geert',
		email: 'geert.vandamme@tandarts.example',
		role: 'dentist',
		active: 'no',
	},
	{
		userId: '4',
		name: 'Dewaële, Noëmi',
		email: 'noemi.dewaele@tandarts.example',
		role: 'assistant',
		active: 'yes',
	},
	{
		userId: '5',
		name: 'Gérard, Françoise',
		email: 'secretariaat@tandarts.example',
		role: 'secretary',
		active: 'yes',
	},
];

export function generatePractice(patientCount: number, seed: number): GeneratedPractice {
	if (patientCount < 12)
		throw new Error('--patients must be at least 12 so every deliberate defect has a row.');
	const random = new SeededRandom(seed);
	const practice: GeneratedPractice = {
		patients: [],
		mutualities: MUTUALITIES.map(([code, name, website], index) => ({
			code,
			name,
			address:
				index % 2 === 0
					? `Haachtsesteenweg ${100 + index * 7}, 1030 Brussel`
					: `Rue Saint-Jean ${10 + index}, 1000 Bruxelles`,
			phone: `02 ${200 + index * 11} ${10 + index} ${20 + index}`,
			email: `info@mutualiteit${code}.example`,
			website,
			policyPrefix: `${code}-`,
			reimbursementTier: index % 3 === 0 ? 'VT/BIM' : 'Standaard',
		})),
		users: USERS,
		treatments: [],
		appointments: [],
		notes: [],
		documents: [],
		files: new Map(),
		defects: [],
	};
	const people: Person[] = [];
	for (let i = 1; i <= patientCount; i += 1) {
		const person = patient(random, String(1000 + i), practice);
		people.push(person);
	}
	let planNumber = 7000;
	for (const person of people) {
		planNumber = treatments(random, person, practice, planNumber);
		appointments(random, person, practice);
		notes(random, person, practice);
		documents(random, person, practice);
	}
	addDefects(practice);
	return practice;
}

function patient(random: SeededRandom, id: string, practice: GeneratedPractice): Person {
	const language = random.chance(0.6) ? 'NL' : 'FR';
	const flemish = language === 'NL';
	const gender = random.chance(0.5) ? 'M' : 'F';
	const firstName = random.pick((flemish ? FLEMISH_FIRST_NAMES : WALLOON_FIRST_NAMES)[gender]);
	const lastName = random.pick(flemish ? FLEMISH_LAST_NAMES : WALLOON_LAST_NAMES);
	const birth = DateTime.fromObject(
		{ year: random.int(1940, 2021), month: random.int(1, 12), day: random.int(1, 28) },
		{ zone: 'UTC' },
	);
	const [postalCode, city, area] = random.pick(flemish ? FLEMISH_COMMUNES : WALLOON_COMMUNES);
	const created = DateTime.fromObject(
		{
			year: random.int(2015, 2024),
			month: random.int(1, 12),
			day: random.int(1, 28),
			hour: random.int(8, 17),
			minute: random.pick([0, 15, 30, 45]),
		},
		{ zone: 'UTC' },
	);
	const modified = created.plus({
		days: random.int(1, Math.floor(TODAY.diff(created, 'days').days) - 1),
	});
	const counter = random.int(1, 499) * 2 - (gender === 'M' ? 1 : 0);
	const adult = TODAY.diff(birth, 'years').years >= 18;
	const mutuality = random.chance(0.08) ? MUTUALITY_NOT_IN_FILE : random.pick(MUTUALITIES)[0];
	const dentist = random.chance(0.1) ? '3' : random.pick(['1', '2']);
	const mobile = `04${random.int(70, 99)} ${random.int(10, 99)} ${random.int(10, 99)} ${random.int(10, 99)}`;
	practice.patients.push({
		patientId: id,
		lastName,
		firstName,
		birthDate: date(birth),
		gender,
		email: random.chance(0.8) ? `${ascii(firstName)}.${ascii(lastName)}@mail.example` : undefined,
		phone: random.chance(0.5)
			? `${area} ${random.int(200, 899)} ${random.int(10, 99)} ${random.int(10, 99)}`
			: undefined,
		mobile: random.chance(0.3) ? `+32 ${mobile.slice(1)}` : mobile,
		street: random.pick(flemish ? FLEMISH_STREETS : WALLOON_STREETS),
		houseNumber: String(random.int(1, 180)),
		box: random.chance(0.15) ? String(random.int(1, 12)) : undefined,
		postalCode,
		city,
		country: 'BE',
		// Synthetic: built with the checksum rule from the invented birth date.
		nationalNumber: random.chance(0.85)
			? makeNationalNumber(birth.toISODate() as string, counter)
			: undefined,
		mutuality,
		affiliationNumber: String(random.int(1000000, 9999999)),
		coPaymentPercentage: adult ? random.pick(['25', '25', '10', '0']) : '0',
		thirdPartyPayer: random.chance(0.2) ? 'yes' : 'no',
		dentist,
		language,
		createdAt: dateTime(created),
		modifiedAt: dateTime(modified),
	});
	return { id, language, birth, dentist };
}

/** Real dental RIZIV/INAMI codes (see the bundled nomenclature), fee and adult co-payment in cents. */
const ADULT_CODES: [string, number, number, string, string][] = [
	['301593', 2950, 0, 'Jaarlijks mondonderzoek', 'Examen buccal annuel'],
	['301011', 2600, 600, 'Raadpleging', 'Consultation'],
	['303166', 3050, 750, 'Extractie bijkomende tand', 'Extraction dent supplémentaire'],
	['304312', 9150, 1250, 'Verzorging (CM-voorbeeld)', 'Soins (exemple MC)'],
	['303590', 1250, 300, 'Verzorging (CM-voorbeeld)', 'Soins (exemple MC)'],
	['306913', 61750, 14550, 'Prothese (CM-voorbeeld)', 'Prothèse (exemple MC)'],
];
const CHILD_CODES: [string, number, string, string][] = [
	['371033', 3750, 'Raadpleging kind', 'Consultation enfant'],
	['371873', 2000, 'Profylactische reiniging', 'Nettoyage prophylactique'],
];

function treatments(
	random: SeededRandom,
	person: Person,
	practice: GeneratedPractice,
	planNumber: number,
): number {
	let plan: string | undefined;
	const count = random.int(0, 5);
	for (let n = 0; n < count; n += 1) {
		const day = DateTime.fromISO('2021-01-04', { zone: 'UTC' }).plus({ days: random.int(0, 2240) });
		const age = day.diff(person.birth, 'years').years;
		if (age < 0) continue;
		let code: string | undefined;
		let fee: number;
		let share = 0;
		let description: [string, string];
		if (age < 18) {
			const semester = day.month <= 6 ? '371615' : '371571';
			const pick = random.int(0, 2);
			if (pick === 0)
				[code, fee, description] = [
					semester,
					2950,
					['Preventief mondonderzoek', 'Examen buccal préventif'],
				];
			else {
				const [childCode, childFee, nl, fr] = CHILD_CODES[pick - 1];
				[code, fee, description] = [childCode, childFee, [nl, fr]];
			}
		} else if (age < 19 && day >= DateTime.fromISO('2023-09-01', { zone: 'UTC' })) {
			[code, fee, description] = [
				'371593',
				2950,
				['Jaarlijks mondonderzoek 18-19', 'Examen buccal annuel 18-19'],
			];
		} else if (random.chance(0.08)) {
			// Implants have no RIZIV code and are not reimbursed: the patient pays all.
			[code, fee, description] = [undefined, 145000, ['Implantaat', 'Implant']];
			share = fee;
		} else if (day >= DateTime.fromISO('2024-07-01', { zone: 'UTC' }) && random.chance(0.05)) {
			[code, fee, description] = [
				'302794',
				6000,
				['Forfait controle prothese', 'Forfait contrôle prothèse'],
			];
			share = 1500;
		} else {
			const [adultCode, adultFee, adultShare, nl, fr] = random.pick(ADULT_CODES);
			[code, fee, share, description] = [adultCode, adultFee, adultShare, [nl, fr]];
		}
		const future = day > TODAY;
		const status = future ? 'planned' : random.chance(0.9) ? 'performed' : 'cancelled';
		if (plan === undefined || random.chance(0.3)) {
			plan = random.chance(0.6) ? String((planNumber += 1)) : undefined;
		}
		practice.treatments.push({
			treatmentId: String(50000 + practice.treatments.length + 1),
			patientId: person.id,
			date: date(day),
			rizivCode: code,
			description: person.language === 'NL' ? description[0] : description[1],
			tooth:
				code === '303166' || code === '304312'
					? String(random.pick([1, 2, 3, 4]) * 10 + random.int(1, 8))
					: undefined,
			amount: money(fee),
			coPayment: money(age < 18 ? 0 : share),
			dentist: random.chance(0.85) ? person.dentist : random.pick(['1', '2']),
			status,
			plan,
			modifiedAt: dateTime(
				(future
					? TODAY.minus({ days: random.int(1, 60) })
					: day.plus({ days: random.int(0, 20) })
				).set({ hour: 18, minute: 5 }),
			),
		});
	}
	return planNumber;
}

function appointments(random: SeededRandom, person: Person, practice: GeneratedPractice): void {
	const count = random.int(0, 4);
	for (let n = 0; n < count; n += 1) {
		const day = DateTime.fromISO('2024-01-01', { zone: 'UTC' }).plus({ days: random.int(0, 1125) });
		const start = day.set({ hour: random.int(8, 17), minute: random.pick([0, 15, 30, 45]) });
		const end = start.plus({ minutes: random.pick([15, 30, 30, 45, 60]) });
		const future = day > TODAY;
		const roll = random.next();
		const type =
			roll < 0.45
				? 'checkup'
				: roll < 0.8
					? 'treatment'
					: roll < 0.95
						? 'consultation'
						: 'Orthodontie';
		const recurrence = random.chance(0.1) ? random.pick(['weekly;4', 'monthly;6']) : undefined;
		practice.appointments.push({
			appointmentId: String(80000 + practice.appointments.length + 1),
			patientId: person.id,
			start: dateTime(start),
			end: dateTime(end),
			type,
			dentist: random.chance(0.9) ? person.dentist : '1',
			location: random.pick(['Cabinet A', 'Cabinet B']),
			note: random.chance(0.2)
				? person.language === 'NL'
					? 'Patiënt vraagt vroege afspraak'
					: 'Patient préfère le matin'
				: undefined,
			recurrence,
			status: future
				? random.pick(['scheduled', 'confirmed'])
				: random.pick(['completed', 'completed', 'completed', 'cancelled', 'no-show']),
			modifiedAt: dateTime(
				(future ? TODAY.minus({ days: random.int(1, 30) }) : day).set({ hour: 19, minute: 0 }),
			),
		});
	}
}

const NOTE_TEXTS = {
	NL: [
		[
			'Controle: tandvlees geïrriteerd ter hoogte van 36.',
			'Poetsinstructies gegeven, controle over 6 maanden.',
		],
		['Patiënt meldt gevoeligheid bij koude dranken.', 'Fluoridelak aangebracht.'],
		['Offerte implantaat besproken (€ 1.450).', 'Patiënt denkt erover na.'],
	],
	FR: [
		[
			'Contrôle : gencive irritée au niveau de la 36.',
			'Instructions de brossage données, contrôle dans 6 mois.',
		],
		['Le patient signale une sensibilité au froid.', 'Vernis fluoré appliqué.'],
		["Devis d'implant expliqué (1.450 €).", 'Le patient réfléchit.'],
	],
};

function notes(random: SeededRandom, person: Person, practice: GeneratedPractice): void {
	const count = random.int(0, 2);
	const nl = person.language === 'NL';
	for (let n = 0; n < count; n += 1) {
		const lines = random.pick(NOTE_TEXTS[person.language]);
		const roll = random.next();
		const text =
			roll < 0.4
				? rtfDocument(lines)
				: roll < 0.6
					? `<p>${lines[0]}</p><ul><li>${lines[1]}</li></ul>`
					: lines.join('\n');
		const labels = [
			nl ? 'recall' : 'rappel',
			nl ? 'angstpatiënt' : 'patient anxieux',
			'allergie',
		].filter(() => random.chance(0.35));
		const when = DateTime.fromISO('2022-01-03', { zone: 'UTC' }).plus({
			days: random.int(0, 1760),
			minutes: random.int(480, 1080),
		});
		practice.notes.push({
			noteId: String(30000 + practice.notes.length + 1),
			patientId: person.id,
			text,
			date: dateTime(when.set({ minute: when.minute - (when.minute % 5) })),
			author: random.pick([person.dentist, '4']),
			category: random.chance(0.7)
				? nl
					? 'Klinisch'
					: 'Clinique'
				: nl
					? 'Administratief'
					: 'Administratif',
			labels: labels.length > 0 ? labels.join(';') : undefined,
		});
	}
}

function documents(random: SeededRandom, person: Person, practice: GeneratedPractice): void {
	if (!random.chance(0.3)) return;
	const id = String(60000 + practice.documents.length + 1);
	const pdf = random.chance(0.5);
	const fileName = pdf ? `verslag-${id}.pdf` : `rx-${id}.png`;
	const path = `bestanden/${person.id}/${fileName}`;
	const bytes = pdf ? TINY_PDF : TINY_PNG;
	practice.files.set(path, bytes);
	practice.documents.push({
		documentId: id,
		patientId: person.id,
		fileName,
		path,
		type: pdf ? 'Rapport' : 'RX',
		size: String(bytes.length),
		date: dateTime(
			DateTime.fromISO('2023-02-01T10:00', { zone: 'UTC' }).plus({ days: random.int(0, 1300) }),
		),
	});
}

/** The deliberate defects of the sample (listed, with their lines, in samples/dentadmin/README.md). */
function addDefects(practice: GeneratedPractice): void {
	const { patients, treatments, appointments, documents, defects } = practice;
	// A second row reuses patient 4's ID: the later row is quarantined, never merged.
	patients.push({ ...patients[6], patientId: patients[3].patientId, nationalNumber: undefined });
	defects.push({
		file: 'patients',
		index: patients.length - 1,
		what: 'duplicate patient ID (row quarantined)',
	});
	// Patient 9 is patient 6 again under a new ID: flagged as a possible duplicate for review.
	patients[8] = {
		...patients[8],
		lastName: patients[5].lastName,
		firstName: patients[5].firstName,
		birthDate: patients[5].birthDate,
	};
	defects.push({
		file: 'patients',
		index: 8,
		what: 'possible duplicate of the patient on line 7 (same name and birth date)',
	});
	// Synthetic number whose check digits are wrong.
	const bad = makeNationalNumber('1985-07-12', 2);
	patients[10] = {
		...patients[10],
		nationalNumber: `${bad.slice(0, 9)}${String((Number(bad.slice(9)) + 1) % 100).padStart(2, '0')}`,
	};
	defects.push({
		file: 'patients',
		index: 10,
		what: 'national register number with a bad checksum (warning)',
	});
	const adultTreatments = treatments
		.map((row, index) => ({ row, index }))
		.filter(({ row }) => row.rizivCode?.startsWith('30'));
	const [impossible, badAmount, shortCode] = adultTreatments.slice(0, 3).map(({ index }) => index);
	treatments[impossible] = { ...treatments[impossible], date: '31/02/2024' };
	defects.push({ file: 'treatments', index: impossible, what: 'impossible date 31/02/2024' });
	treatments[badAmount] = { ...treatments[badAmount], amount: '1.234.56' };
	defects.push({
		file: 'treatments',
		index: badAmount,
		what: 'amount 1.234.56 (two thousands dots, no decimal comma)',
	});
	treatments[shortCode] = { ...treatments[shortCode], rizivCode: '30159' };
	defects.push({
		file: 'treatments',
		index: shortCode,
		what: 'RIZIV code of 5 digits (warning, the treatment still migrates)',
	});
	const early = treatments.findIndex(
		(row, index) =>
			row.rizivCode === '301593' && ![impossible, badAmount, shortCode].includes(index),
	);
	treatments[early] = { ...treatments[early], rizivCode: '371593', date: '15/05/2023' };
	defects.push({
		file: 'treatments',
		index: early,
		what: 'RIZIV code 371593 used before its validity (from 01/09/2023) (warning)',
	});
	const single = appointments.findIndex((row) => row.recurrence === undefined);
	appointments[single] = { ...appointments[single], recurrence: 'weekly' };
	defects.push({
		file: 'appointments',
		index: single,
		what: 'recurrence without a count (warning, one appointment kept)',
	});
	const big = documents.length - 1;
	documents[big] = { ...documents[big], size: '157286400' };
	defects.push({
		file: 'documents',
		index: big,
		what: 'document of 150 MB by its metadata (over the file size limit; the file itself is small)',
	});
}
