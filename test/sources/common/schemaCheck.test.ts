import { join } from 'node:path';
import type { ZodType } from 'zod';
import * as model from '../../../lib/model';
import { folderSource, sourceReaders } from '../../../lib/sources';
import { NOT_VOUCHED, parsedCopy, passesSchema } from '../../../lib/sources/common/schemaCheck';

const SAMPLES = join(__dirname, '../../../samples');
const CHILDREN: Record<string, ZodType> = {
	appointments: model.Appointment,
	treatmentPlans: model.TreatmentPlan,
	claims: model.Claim,
	payments: model.Payment,
	notes: model.Note,
	tasks: model.Task,
	labCases: model.LabCase,
	documents: model.Document,
};
const REFERENCES: Record<string, ZodType> = {
	practice: model.Practice,
	provider: model.Provider,
	insurer: model.Insurer,
	referralSource: model.ReferralSource,
};

/** Values that break a field in every way the model can refuse (and some it accepts). */
const VALUES: unknown[] = [
	undefined,
	null,
	'',
	'x',
	'2024-01-01',
	'2024-01-01T00:00:00Z',
	0,
	-1,
	1.5,
	Number.NaN,
	Number.POSITIVE_INFINITY,
	2 ** 60,
	true,
	[],
	['a'],
	[1],
	[{}],
	{},
	{ a: 'b' },
	{ a: 1 },
	'USD',
	'1.2',
	'home',
	'CDT',
	{ system: 'CDT', code: 'D1' },
];

/** A small deterministic generator, so a failure repeats. */
function random(seed: number): () => number {
	let state = seed;
	return () => {
		state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
		return state / 2 ** 31;
	};
}

function mutate(value: unknown, next: () => number): unknown {
	const pick = () => VALUES[Math.floor(next() * VALUES.length)];
	if (Array.isArray(value)) {
		const copy = [...value];
		if (copy.length > 0 && next() < 0.7) {
			const at = Math.floor(next() * copy.length);
			copy[at] = mutate(copy[at], next);
		} else copy.push(pick());
		return copy;
	}
	if (typeof value !== 'object' || value === null) return pick();
	const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
	const keys = [...Object.keys(copy), 'unknownKey', 'flags', 'extra'];
	const key = keys[Math.floor(next() * keys.length)];
	const roll = next();
	if (roll < 0.1) delete copy[key];
	else if (roll < 0.2) copy[key] = undefined;
	else if (typeof copy[key] === 'object' && copy[key] !== null && roll < 0.7)
		copy[key] = mutate(copy[key], next);
	else copy[key] = pick();
	return copy;
}

/** Same values, same keys in the same order (undefined ones too), same prototypes. */
function layout(value: unknown): unknown {
	if (value === null || typeof value !== 'object') return value;
	return {
		array: Array.isArray(value),
		prototype: Object.getPrototypeOf(value) === Object.prototype,
		entries: Reflect.ownKeys(value).map((key) => [
			String(key),
			layout((value as Record<PropertyKey, unknown>)[key]),
		]),
	};
}

async function sampleRecords(): Promise<[ZodType, unknown][]> {
	const records: [ZodType, unknown][] = [];
	for (const [system, folder] of [
		['dental-exec', 'dental-exec'],
		['dentadmin', 'dentadmin/fr'],
		['dentadmin', 'dentadmin/nl'],
	] as const) {
		const result = await sourceReaders[system](folderSource(join(SAMPLES, folder)), {
			exportDate: '2026-11-01',
		});
		for (const bundle of result.bundles) {
			records.push([model.Patient, bundle.patient]);
			for (const [list, schema] of Object.entries(CHILDREN))
				for (const record of (bundle as unknown as Record<string, unknown[]>)[list] ?? [])
					records.push([schema, record]);
		}
		for (const entity of result.references) records.push([REFERENCES[entity.kind], entity]);
	}
	return records;
}

describe('schemaCheck', () => {
	it("vouches for every record of the bundled samples, with zod's own copy", async () => {
		const records = await sampleRecords();
		expect(records.length).toBeGreaterThan(1000);
		for (const [schema, record] of records) {
			expect(passesSchema(schema, record)).toBe(true);
			expect(layout(parsedCopy(schema, record))).toEqual(layout(schema.parse(record)));
		}
	});

	it('vouches only for what zod accepts, and then copies as zod does, on altered records', async () => {
		const records = await sampleRecords();
		const next = random(20261203);
		let vouched = 0;
		let refused = 0;
		for (const [schema, record] of records.filter((_, index) => index % 4 === 0)) {
			for (let round = 0; round < 40; round += 1) {
				let altered: unknown = record;
				for (let step = 0; step <= round % 3; step += 1) altered = mutate(altered, next);
				const zod = schema.safeParse(altered);
				const copy = parsedCopy(schema, altered);
				expect(passesSchema(schema, altered)).toBe(copy !== NOT_VOUCHED);
				if (copy === NOT_VOUCHED) {
					refused += 1;
					continue;
				}
				vouched += 1;
				expect(zod.success).toBe(true);
				expect(layout(copy)).toEqual(layout(zod.data));
			}
		}
		// Both sides were exercised.
		expect(vouched).toBeGreaterThan(100);
		expect(refused).toBeGreaterThan(100);
	});
});
