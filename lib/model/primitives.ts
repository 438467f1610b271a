import { z } from 'zod';

/** The source systems this package reads. A third reader adds its name here and nothing else. */
export const SourceSystem = z.enum(['dental-exec', 'dentadmin']);
export type SourceSystem = z.infer<typeof SourceSystem>;

/** A calendar date without time (date of birth, due dates): `YYYY-MM-DD`. */
export const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');

/**
 * An instant with an explicit zone: RFC 3339 (`2024-03-05T14:30:00Z`, `2024-03-05T14:30:00+01:00`).
 * Readers convert local practice times to UTC (`Z`) so every downstream step compares like with like.
 */
export const IsoDateTime = z
	.string()
	.regex(
		/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/,
		'expected RFC 3339 with zone',
	);

/** Money as an exact decimal string (never a float) plus its ISO 4217 currency. */
export const Money = z.object({
	amount: z.string().regex(/^-?\d+(\.\d+)?$/, 'expected a decimal like 1234.56'),
	currency: z.string().regex(/^[A-Z]{3}$/),
});
export type Money = z.infer<typeof Money>;

/** A procedure code keeps its code system: CDT (US, `D1110`) or RIZIV/INAMI (Belgium, 6 digits). */
export const ProcedureCode = z.object({
	system: z.enum(['CDT', 'RIZIV', 'other']),
	code: z.string().min(1),
	/** Reader findings about this code, e.g. `riziv-unknown`, `riziv-out-of-period` (the row still migrates). */
	flags: z.array(z.string()).default([]),
});
export type ProcedureCode = z.infer<typeof ProcedureCode>;

export const Address = z.object({
	street: z.string().optional(),
	houseNumber: z.string().optional(),
	box: z.string().optional(),
	line2: z.string().optional(),
	city: z.string().optional(),
	region: z.string().optional(),
	postalCode: z.string().optional(),
	country: z.string().optional(),
});
export type Address = z.infer<typeof Address>;

/** Where a record came from, so reports can point at the file and line (never at values). */
export const Origin = z.object({ file: z.string(), line: z.number().int().nonnegative() });

/** Fields every canonical record carries. */
export const recordBase = {
	sourceSystem: SourceSystem,
	sourceId: z.string().min(1),
	/** Stable identity across runs: `<system>:<entity>:<id>`, e.g. `dental-exec:patient:1042`. */
	sourceKey: z.string().min(1),
	origin: Origin.optional(),
	/** Columns the profile does not know, keyed by their original header; offered to the mapping step. */
	extra: z.record(z.string(), z.string()).default({}),
	modifiedAt: IsoDateTime.optional(),
};

export type EntityName =
	| 'practice'
	| 'provider'
	| 'insurer'
	| 'referralSource'
	| 'patient'
	| 'appointment'
	| 'treatmentPlan'
	| 'procedure'
	| 'claim'
	| 'payment'
	| 'note'
	| 'task'
	| 'labCase'
	| 'document';

/** The one place source keys are built. */
export function sourceKey(system: SourceSystem, entity: EntityName, id: string): string {
	return `${system}:${entity}:${id}`;
}
