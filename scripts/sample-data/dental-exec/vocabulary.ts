/** Invented US practice vocabulary for the sample; phone numbers use the fictional 555-01xx range. */

export const FEMALE_NAMES = [
	'Ana',
	'Emily',
	'Grace',
	'Hannah',
	'Isabel',
	'Jasmine',
	'Keisha',
	'Laura',
	'Maria',
	'Mei',
	'Nora',
	'Olivia',
	'Priya',
	'Rachel',
	'Sofia',
	'Tara',
	'Valeria',
	'Zoë',
	'Chloé',
	'Renée',
];
export const MALE_NAMES = [
	'Aaron',
	'Benjamin',
	'Carlos',
	'Daniel',
	'Ethan',
	'Farid',
	'Gabriel',
	'Hiro',
	'Isaac',
	'Jamal',
	'Kevin',
	'Liam',
	'Marcus',
	'Nathan',
	'Omar',
	'Patrick',
	'Raj',
	'Samuel',
	'Thomas',
	'José',
];
export const LAST_NAMES = [
	'Anderson',
	'Bennett',
	'Castillo',
	'Chen',
	'Delgado',
	'Evans',
	'Fitzgerald',
	'García',
	'Hoffman',
	'Ibrahim',
	'Jackson',
	'Kowalski',
	'Lee',
	'Martínez',
	'Nguyen',
	'O’Brien',
	'Patel',
	'Quinn',
	'Rivera',
	'Schultz',
	'Thompson',
	'Umeh',
	'Vasquez',
	'Washington',
	'Young',
	'Zimmerman',
	'Brooks',
	'Cohen',
	'Morales',
	'Reyes',
];
export const STREETS = [
	'Maple Ave',
	'Oak St',
	'Ridgewood Rd',
	'Franklin Blvd',
	'Summit Ave',
	'Park Pl',
	'Cedar Ln',
	'Hillside Ter',
	'Washington St',
	'Elm St',
];
export const TOWNS: readonly (readonly [string, string, string])[] = [
	['Montclair', 'NJ', '07042'],
	['Bloomfield', 'NJ', '07003'],
	['Nutley', 'NJ', '07110'],
	['Clifton', 'NJ', '07011'],
	['Verona', 'NJ', '07044'],
	['Glen Ridge', 'NJ', '07028'],
];
export const EMAIL_DOMAINS = ['example.com', 'example.net', 'example.org'];
export const EMPLOYERS = [
	'Montclair State University',
	'Hackensack Meridian Health',
	'NJ Transit',
	'Prudential',
	'Self-employed',
	'Township of Nutley',
];
export const CARRIERS = [
	'Delta Dental of New Jersey',
	'MetLife Dental',
	'Cigna Dental',
	'Aetna Dental',
	'Guardian',
	'United Concordia',
];

export const PRACTICES = [
	{
		PracticeID: '1',
		Name: 'Maple Grove Dental – Main Street',
		Address1: '120 Bloomfield Ave',
		Address2: 'Suite 200',
		City: 'Montclair',
		State: 'NJ',
		Zip: '07042',
		Country: 'US',
		Phone: '(973) 555-0100',
		Website: 'https://maplegrove-dental.example.com',
		Email: 'frontdesk@maplegrove-dental.example.com',
	},
	{
		PracticeID: '2',
		Name: 'Maple Grove Dental – Riverside',
		Address1: '45 River Rd',
		Address2: '',
		City: 'Nutley',
		State: 'NJ',
		Zip: '07110',
		Country: 'US',
		Phone: '(973) 555-0101',
		Website: 'https://maplegrove-dental.example.com/riverside',
		Email: 'riverside@maplegrove-dental.example.com',
	},
];

/** Two hygienists share the hygiene desk mailbox; Dr. Klein has left the practice. */
export const PROVIDERS = [
	{
		ProviderID: '10',
		FirstName: 'Sarah',
		LastName: 'Mitchell',
		Email: 'sarah.mitchell@maplegrove-dental.example.com',
		Role: 'DDS',
		PracticeID: '1',
		Active: 'Y',
	},
	{
		ProviderID: '11',
		FirstName: 'James',
		LastName: 'Okafor',
		Email: 'james.okafor@maplegrove-dental.example.com',
		Role: 'DMD',
		PracticeID: '2',
		Active: 'Y',
	},
	{
		ProviderID: '12',
		FirstName: 'Emily',
		LastName: 'Rogers',
		Email: 'hygiene@maplegrove-dental.example.com',
		Role: 'RDH',
		PracticeID: '1',
		Active: 'Y',
	},
	{
		ProviderID: '13',
		FirstName: 'Maria',
		LastName: 'Gonzalez',
		Email: 'hygiene@maplegrove-dental.example.com',
		Role: 'RDH',
		PracticeID: '2',
		Active: 'Y',
	},
	{
		ProviderID: '14',
		FirstName: 'Robert',
		LastName: 'Klein',
		Email: 'robert.klein@maplegrove-dental.example.com',
		Role: 'Specialist',
		PracticeID: '1',
		Active: 'N',
	},
	{
		ProviderID: '15',
		FirstName: 'Lisa',
		LastName: 'Tran',
		Email: 'lisa.tran@maplegrove-dental.example.com',
		Role: 'Assistant',
		PracticeID: '1',
		Active: 'Y',
	},
];
export const DENTISTS = ['10', '11'];
export const HYGIENISTS: Record<string, string> = { '1': '12', '2': '13' };

export const REFERRAL_SOURCES = [
	{ Code: 'FAM', Label: 'Family or friend', Kind: 'Patient' },
	{ Code: 'DR', Label: 'Referring dentist', Kind: 'Dentist' },
	{ Code: 'WEB', Label: 'Website', Kind: 'Marketing' },
	{ Code: 'INS', Label: 'Insurance directory', Kind: 'Marketing' },
	{ Code: 'SIGN', Label: 'Office signage', Kind: '' },
];

export interface PlanTemplate {
	codes: string[];
	fee: number;
	teeth: number;
	lab?: { caseType: string; prescription: string };
	label: string;
}

const SHADES = ['A1', 'A2', 'A3', 'B1', 'B2'];
export const PLAN_TEMPLATES: PlanTemplate[] = [
	{
		label: 'Crown',
		codes: ['D2950', 'D2740'],
		fee: 1650,
		teeth: 1,
		lab: { caseType: 'Zirconia crown', prescription: 'full-contour zirconia crown' },
	},
	{
		label: 'Root canal and crown',
		codes: ['D3330', 'D2950', 'D2740'],
		fee: 2875,
		teeth: 1,
		lab: {
			caseType: 'PFM crown',
			prescription: 'porcelain-fused-to-metal crown, high noble alloy',
		},
	},
	{
		label: 'Implant',
		codes: ['D6010', 'D6057', 'D6065'],
		fee: 4350,
		teeth: 1,
		lab: {
			caseType: 'Implant abutment and crown',
			prescription: 'custom titanium abutment with screw-retained zirconia crown',
		},
	},
	{ label: 'Scaling and root planing', codes: ['D4341', 'D4341', 'D4910'], fee: 980, teeth: 0 },
	{ label: 'Fillings', codes: ['D2391', 'D2392'], fee: 420, teeth: 2 },
	{
		label: 'Upper denture',
		codes: ['D5110'],
		fee: 1950,
		teeth: 0,
		lab: {
			caseType: 'Complete upper denture',
			prescription: 'complete maxillary denture, medium ridge, balanced occlusion',
		},
	},
];

export function labPrescription(template: PlanTemplate, tooth: string, shade: string): string {
	const lab = template.lab as { prescription: string };
	return [
		`Rx: ${lab.prescription} on ${tooth || 'the arch'}, shade ${shade} (Vita Classical), stump shade ND3.`,
		'Margin: 360° chamfer, 1.0 mm; please verify the margin on the die and call the office before fabrication if any area is unclear.',
		'Occlusion: light centric contact only, no excursive contacts; opposing arch is natural dentition with a lingual wear facet.',
		'Contacts: broad and firm mesial and distal, floss should snap through.',
		'Anatomy: match the contralateral tooth, moderate secondary anatomy, low-gloss surface texture, no visible stain.',
		'Enclosed: final impression (PVS, double-arch tray), bite registration, photographs with shade tab, digital scan uploaded to the lab portal.',
		'Return for seat appointment; patient is anxious about long appointments, so please include a try-in coping only if strictly necessary.',
	].join(' ');
}
export const SHADE_CHOICES = SHADES;

export const LABS = ['Precision Dental Laboratory', 'Keystone Ceramics', 'Garden State Dental Lab'];

export const NOTE_TEMPLATES: { category: string; text: string }[] = [
	{
		category: 'Clinical',
		text: 'Patient reports sensitivity to cold on the lower left. Advised a sensitivity toothpaste; re-evaluate at the next hygiene visit.',
	},
	{
		category: 'Clinical',
		text: 'Medical history updated.\nNew medication: lisinopril 10 mg daily.\nBP 128/82 at check-in; cleared for treatment.',
	},
	{
		category: 'Clinical',
		text: '<p>Treatment options for <b>#30</b> discussed:</p><ul><li>Crown</li><li>Extraction and implant</li></ul><p>Patient will call back after checking benefits.</p>',
	},
	{
		category: 'Admin',
		text: 'Patient said "no rush" on the crown, wants to wait for the new benefits year, call in January.',
	},
	{
		category: 'Admin',
		text: '{\\rtf1\\ansi\\deff0{\\fonttbl{\\f0 Arial;}}\\f0 Insurance pre-authorization sent.\\par Awaiting response from the carrier.}',
	},
	{
		category: 'Clinical',
		text: 'Hygiene visit: moderate plaque, localized bleeding on probing UR.\r\nOHI given: floss daily, electric toothbrush recommended.',
	},
	{ category: 'Admin', text: 'Prefers text reminders; do not call at work.' },
];

export const APPOINTMENT_KINDS = {
	Hygiene: { minutes: 60, codes: ['D0120', 'D1110', 'D0274'], fee: 245 },
	Recall: { minutes: 30, codes: ['D0120'], fee: 65 },
	Restorative: { minutes: 90, codes: ['D2391'], fee: 210 },
	Consultation: { minutes: 30, codes: ['D0150'], fee: 120 },
	Emergency: { minutes: 45, codes: ['D0140', 'D0220'], fee: 140 },
	Surgical: { minutes: 120, codes: ['D7140'], fee: 325 },
	'Whitening consult': { minutes: 30, codes: ['D9972'], fee: 95 },
} as const;
export type AppointmentKind = keyof typeof APPOINTMENT_KINDS;
