import { countEntities, type EntityCounts, estimatePreflight } from '../../lib/pipedrive/preflight';
import { planProvisioning } from '../../lib/pipedrive/provision';
import type { SchemaRequirements } from '../../lib/pipedrive/schemaRequirements';

const requirements: SchemaRequirements = {
	customFields: [
		{ object: 'person', name: 'Policy number', fieldType: 'varchar' },
		{
			object: 'person',
			name: 'Referral source',
			fieldType: 'enum',
			options: ['Friend', 'Website'],
		},
	],
	pipeline: { name: 'Treatment plans', stages: ['Proposed', 'Accepted', 'Completed'] },
	activityTypes: [
		{ name: 'Hygiene', iconKey: 'meeting' },
		{ name: 'Lab case', iconKey: 'task' },
	],
};

const none: EntityCounts = {
	practices: 0,
	providers: 0,
	insurers: 0,
	referralSources: 0,
	patients: 0,
	appointments: 0,
	treatmentPlans: 0,
	claims: 0,
	payments: 0,
	notes: 0,
	tasks: 0,
	labCases: 0,
	documents: 0,
};
const totals = {
	files: 9,
	rowsRead: 1000,
	rowsAccepted: 990,
	rowsQuarantined: 10,
	patients: 100,
	possibleDuplicates: 1,
};

describe('preflight', () => {
	it('matches the hand calculation for a Growth account with 2 seats', () => {
		/*
		 * Writes: organizations 1 practice + 2 insurers = 3; persons 100; leads 15; deals 60 plans;
		 * activities 400 appointments + 30 tasks + 10 lab cases = 440; notes 50; files 20. Total 688.
		 * Create tokens (spec x-token-cost): v2 creates 5, v1 lead/note/file creates 10:
		 *   3×5=15, 100×5=500, 15×10=150, 60×5=300, 440×5=2200, 50×10=500, 20×10=200 → 3865.
		 * Look-ups: 2 insurers × organization search 20 = 40.
		 * Provisioning on an empty account: reads users/me 2 + 4 field lists (person, organization,
		 *   deal, product) × 10 + pipelines 5 + stages 5 + activityTypes 20 + users 20 + users/me 2
		 *   = 94; 5 fields (2 spec + 3 source-key) × 5 = 25; pipeline 5; 3 stages × 5 = 15;
		 *   2 activity types × 10 = 20 → 159.
		 * Total 159 + 40 + 3865 = 4064 tokens. Budget 30,000 × 2 (Growth) × 2 seats = 120,000 → 1 day.
		 * Requests: 21 provisioning + 688 writes + 2 look-ups = 711; Growth API token burst 40 per 2 s
		 *   → ceil(711 / 40) = 18 windows × 2 s = 36 s = 0.6 min.
		 */
		const entities: EntityCounts = {
			...none,
			practices: 1,
			providers: 3,
			insurers: 2,
			referralSources: 4,
			patients: 100,
			appointments: 400,
			treatmentPlans: 60,
			claims: 80,
			payments: 90,
			notes: 50,
			tasks: 30,
			labCases: 10,
			documents: 20,
		};
		expect(
			estimatePreflight({ totals, entities, requirements, plan: 'growth', seats: 2, leads: 15 }),
		).toEqual({
			writes: {
				organization: 3,
				person: 100,
				lead: 15,
				deal: 60,
				activity: 440,
				note: 50,
				file: 20,
			},
			totalWrites: 688,
			tokens: {
				provisioning: 159,
				creates: {
					organization: 15,
					person: 500,
					lead: 150,
					deal: 300,
					activity: 2200,
					note: 500,
					file: 200,
				},
				lookups: 40,
				total: 4064,
			},
			requests: 711,
			dailyBudget: 120_000,
			days: 1,
			burstMinutes: 0.6,
			customFields: { needed: 5, existing: 0, cap: 100, fits: true },
			rowsQuarantined: 10,
		});
	});

	it('spreads a Lite account over days and reports a spec that does not fit the custom-field cap', () => {
		/*
		 * 5,000 patients × 5 = 25,000; 3,000 appointments × 5 = 15,000; provisioning as above 159
		 * → 40,159 tokens; Lite 1 seat = 30,000 a day → ceil(40,159 / 30,000) = 2 days.
		 * Requests 21 + 8,000 = 8,021; Lite burst 20 → 402 windows × 2 s = 804 s = 13.4 min.
		 * The account already has 26 custom person fields and 2 product fields: 28 + 5 new > Lite's 30.
		 */
		const account = {
			company: { id: 1 },
			fields: {
				person: Array.from({ length: 26 }, (_, i) => ({
					field_code: `${i}`.padStart(40, 'f'),
					field_name: `Existing ${i}`,
					field_type: 'varchar',
					is_custom_field: true,
					options: null,
				})),
				organization: [],
				deal: [],
			},
			productCustomFields: 2,
			stages: [],
			activityTypes: [],
		};
		const estimate = estimatePreflight({
			totals,
			entities: { ...none, patients: 5000, appointments: 3000 },
			requirements,
			plan: 'lite',
			seats: 1,
			provisionPlan: planProvisioning(account, requirements),
		});
		expect(estimate.tokens.total).toBe(40_159);
		expect(estimate.dailyBudget).toBe(30_000);
		expect(estimate.days).toBe(2);
		expect(estimate.requests).toBe(8021);
		expect(estimate.burstMinutes).toBe(13.4);
		expect(estimate.customFields).toEqual({ needed: 5, existing: 28, cap: 30, fits: false });
	});

	it("counts the reader's items: reference entities by kind and every record inside the bundles", () => {
		const items = [
			{ kind: 'practice' },
			{ kind: 'provider' },
			{ kind: 'provider' },
			{ kind: 'insurer' },
			{ kind: 'referralSource' },
			{
				kind: 'patientBundle',
				appointments: [{}, {}],
				treatmentPlans: [{}],
				claims: [],
				payments: [{}],
				notes: [{}, {}, {}],
				tasks: [{}],
				labCases: [],
				documents: [{}],
			},
			{
				kind: 'patientBundle',
				appointments: [{}],
				treatmentPlans: [],
				claims: [{}],
				payments: [],
				notes: [],
				tasks: [],
				labCases: [{}],
				documents: [],
			},
		];
		expect(countEntities(items)).toEqual({
			practices: 1,
			providers: 2,
			insurers: 1,
			referralSources: 1,
			patients: 2,
			appointments: 3,
			treatmentPlans: 1,
			claims: 1,
			payments: 1,
			notes: 3,
			tasks: 1,
			labCases: 1,
			documents: 1,
		});
	});
});
