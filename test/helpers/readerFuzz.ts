import fc from 'fast-check';
import * as iconv from 'iconv-lite';
import type { ReadResult } from '../../lib/sources/common';
import { memorySource } from '../../lib/sources/common';
import { readDentAdminExport } from '../../lib/sources/dentadmin/read';
import { dentalExecProfile } from '../../lib/sources/dental-exec';
import { readExport } from '../../lib/sources/common';

/**
 * Property-based fuzzing of both readers (issue 18): small generated exports (a patients file and
 * one child file) with random damage per row and per file. The properties hold for every case:
 * no unhandled exception; every row accepted or reported at its own line (or after a file-level
 * stop at an earlier line); a good row is accepted whatever its neighbours; no patient value in
 * any message. Shared by the jest test (fixed seed) and `npm run fuzz` (longer runs).
 */

type Source = 'dental-exec' | 'dentadmin';

/** Damage to one row; `none` rows are the good rows that must be accepted. */
const ROW_DAMAGE = [
	'none',
	'missing-field',
	'extra-field',
	'bad-date',
	'future-date',
	'bad-amount',
	'empty-id',
	'duplicate-id',
	'other-encoding',
	'control-character',
	'stray-quote',
	'outside-path',
	'bad-email',
] as const;
type RowDamage = (typeof ROW_DAMAGE)[number];

/** Damage that can stop the reading of everything after it (then later rows are covered by the stop). */
const FILE_DAMAGE = ['none', 'truncate', 'unterminated-quote'] as const;

interface Layout {
	patients: { name: string; header: string[] };
	child: { name: string; header: string[] };
	delimiters: string[];
	date: (day: number) => string;
	amount: (cents: number) => string;
	yes: string;
}

const LAYOUTS: Record<Source, Layout> = {
	'dental-exec': {
		patients: {
			name: 'patients.csv',
			header: ['PatientID', 'LastName', 'FirstName', 'DOB', 'Email'],
		},
		child: {
			name: 'documents.csv',
			header: ['DocumentID', 'PatientID', 'FileName', 'RelativePath', 'CreatedAt'],
		},
		delimiters: [',', ';', '\t'],
		date: (day) => `${pad(1 + (day % 12))}/${pad(1 + (day % 28))}/${1950 + (day % 60)}`,
		amount: (cents) => (cents / 100).toFixed(2),
		yes: 'Y',
	},
	dentadmin: {
		patients: {
			name: 'patienten.csv',
			header: ['PatiëntNr', 'Naam', 'Voornaam', 'Geboortedatum', 'Email'],
		},
		child: {
			name: 'documenten.csv',
			header: ['DocNr', 'PatiëntNr', 'Bestandsnaam', 'Pad', 'Datum'],
		},
		delimiters: [';'],
		date: (day) => `${pad(1 + (day % 28))}/${pad(1 + (day % 12))}/${1950 + (day % 60)}`,
		amount: (cents) => (cents / 100).toFixed(2).replace('.', ','),
		yes: 'J',
	},
};

const pad = (n: number) => String(n).padStart(2, '0');

export interface FuzzCase {
	source: Source;
	delimiter: string;
	lineEnd: '\n' | '\r\n' | '\r';
	encoding: 'utf8' | 'utf8bom' | 'win1252';
	patients: Array<{ last: string; first: string; day: number; damage: RowDamage }>;
	children: Array<{ patient: number; damage: RowDamage; day: number }>;
	fileDamage: {
		patients: (typeof FILE_DAMAGE)[number];
		child: (typeof FILE_DAMAGE)[number];
		at: number;
	};
}

/** Patient values: "Zq" and letters with accents, so they never collide with a word of a message. */
const name = fc
	.array(fc.constantFrom(...'abcdefghijklmnoprstuvwyzéèëïöü'), { minLength: 4, maxLength: 8 })
	.map((letters) => `Zq${letters.join('')}`);

export const fuzzCase: fc.Arbitrary<FuzzCase> = fc
	.constantFrom<Source>('dental-exec', 'dentadmin')
	.chain((source) =>
		fc.record({
			source: fc.constant(source),
			delimiter: fc.constantFrom(...LAYOUTS[source].delimiters),
			lineEnd: fc.constantFrom<FuzzCase['lineEnd']>('\n', '\r\n', '\r'),
			encoding: fc.constantFrom<FuzzCase['encoding']>('utf8', 'utf8bom', 'win1252'),
			patients: fc.array(
				fc.record({
					last: name,
					first: name,
					day: fc.nat(20000),
					damage: fc.oneof(
						{ weight: 3, arbitrary: fc.constant<RowDamage>('none') },
						{ weight: 2, arbitrary: fc.constantFrom(...ROW_DAMAGE) },
					),
				}),
				{ minLength: 0, maxLength: 8 },
			),
			children: fc.array(
				fc.record({
					patient: fc.nat(9),
					day: fc.nat(20000),
					damage: fc.oneof(
						{ weight: 3, arbitrary: fc.constant<RowDamage>('none') },
						{ weight: 2, arbitrary: fc.constantFrom(...ROW_DAMAGE) },
					),
				}),
				{ maxLength: 8 },
			),
			fileDamage: fc.record({
				patients: fc.oneof(
					{ weight: 6, arbitrary: fc.constant<'none'>('none') },
					{ weight: 1, arbitrary: fc.constantFrom(...FILE_DAMAGE) },
				),
				child: fc.oneof(
					{ weight: 6, arbitrary: fc.constant<'none'>('none') },
					{ weight: 1, arbitrary: fc.constantFrom(...FILE_DAMAGE) },
				),
				at: fc.double({ min: 0, max: 1, noNaN: true }),
			}),
		}),
	);

interface BuiltFile {
	bytes: Buffer;
	/** Line of each generated row, and whether it is good (must be accepted when its file reads on). */
	rows: Array<{ line: number; good: boolean; id: string; damage: RowDamage }>;
	/** Rows at or after this line may be damaged by a file-level stop (truncation, open quote). */
	stopsAt: number;
	/** Lines of rows a truncation removed whole: they are not in the file, nothing can report them. */
	absent: Set<number>;
}

/** Values that are patient data in this case (names, emails, birth dates). */
export function patientValues(c: FuzzCase): string[] {
	return c.patients.flatMap((p) => [p.last, p.first, `${p.last.toLowerCase()}@mail.example`]);
}

function cellsFor(c: FuzzCase, kind: 'patients' | 'child', index: number): string[] {
	const layout = LAYOUTS[c.source];
	if (kind === 'patients') {
		const p = c.patients[index];
		return [
			String(1000 + index),
			p.last,
			p.first,
			layout.date(p.day),
			`${p.last.toLowerCase()}@mail.example`,
		];
	}
	const row = c.children[index];
	return [
		`D${index}`,
		String(1000 + row.patient),
		`scan${index}.pdf`,
		`docs/scan${index}.pdf`,
		layout.date(row.day),
	];
}

/** The row's cells after its damage; `good` is false for any damage that may be reported. */
function damaged(
	cells: string[],
	damage: RowDamage,
	c: FuzzCase,
	kind: 'patients' | 'child',
): string[] {
	const out = [...cells];
	switch (damage) {
		case 'missing-field':
			return out.slice(0, -1);
		case 'extra-field':
			return [...out, 'x'];
		case 'bad-date':
			out[out.length - (kind === 'patients' ? 2 : 1)] = '31/31/2024';
			return out;
		case 'future-date':
			out[out.length - (kind === 'patients' ? 2 : 1)] = LAYOUTS[c.source]
				.date(3)
				.replace(/\d{4}$/, '2099');
			return out;
		case 'bad-amount':
			out[2] = `${out[2]}${LAYOUTS[c.source].amount(12345)}€x`;
			return out;
		case 'empty-id':
			out[0] = '';
			return out;
		case 'duplicate-id':
			out[0] = kind === 'patients' ? '1000' : 'D0';
			return out;
		case 'other-encoding':
			out[1] = `${out[1]}\u0000OTHER`;
			return out;
		case 'control-character':
			out[2] = `${out[2]}\u0007`;
			return out;
		case 'stray-quote':
			out[2] = `${out[2]}"x`;
			return out;
		case 'outside-path':
			if (kind === 'child') out[3] = '../../etc/passwd';
			return out;
		case 'bad-email':
			// No domain: the row is kept, the address reported and not migrated as an e-mail.
			if (kind === 'patients') out[4] = out[4].replace(/@.*$/, '@');
			return out;
		default:
			return out;
	}
}

const ENCODE: Record<FuzzCase['encoding'], (text: string) => Buffer> = {
	utf8: (text) => Buffer.from(text, 'utf8'),
	utf8bom: (text) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]),
	win1252: (text) => iconv.encode(text, 'win1252'),
};
/** The other encoding, for a cell written by another editor. */
const OTHER: Record<FuzzCase['encoding'], (text: string) => Buffer> = {
	utf8: (text) => iconv.encode(text, 'win1252'),
	utf8bom: (text) => iconv.encode(text, 'win1252'),
	win1252: (text) => Buffer.from(text, 'utf8'),
};

function buildFile(c: FuzzCase, kind: 'patients' | 'child'): BuiltFile {
	const layout = LAYOUTS[c.source];
	const spec = kind === 'patients' ? layout.patients : layout.child;
	const count = kind === 'patients' ? c.patients.length : c.children.length;
	const parts: Buffer[] = [ENCODE[c.encoding](spec.header.join(c.delimiter) + c.lineEnd)];
	const rows: BuiltFile['rows'] = [];
	for (let index = 0; index < count; index++) {
		const damage = kind === 'patients' ? c.patients[index].damage : c.children[index].damage;
		const cells = damaged(cellsFor(c, kind, index), damage, c, kind);
		const line = cells.join(c.delimiter) + c.lineEnd;
		if (damage === 'other-encoding') {
			const [before, after] = line.split('\u0000OTHER');
			parts.push(ENCODE[c.encoding](before), OTHER[c.encoding]('é'), ENCODE[c.encoding](after));
		} else {
			parts.push(ENCODE[c.encoding](line));
		}
		rows.push({ line: index + 2, good: damage === 'none', id: cells[0] ?? '', damage });
	}
	let bytes = Buffer.concat(parts);
	let stopsAt = Number.POSITIVE_INFINITY;
	const absent = new Set<number>();
	const fileDamage = kind === 'patients' ? c.fileDamage.patients : c.fileDamage.child;
	if (fileDamage !== 'none' && rows.length > 0) {
		const victim = Math.min(rows.length - 1, Math.floor(c.fileDamage.at * rows.length));
		stopsAt = rows[victim].line;
		if (fileDamage === 'truncate') {
			// Cut inside the victim row or later: every byte before that row stays.
			const headerAndBefore = Buffer.concat(parts.slice(0, victim + 1)).length;
			const cut = headerAndBefore + Math.floor(c.fileDamage.at * (bytes.length - headerAndBefore));
			bytes = bytes.subarray(0, cut);
			for (let index = victim; index < rows.length; index++)
				if (Buffer.concat(parts.slice(0, index + 1)).length >= cut) absent.add(rows[index].line);
		} else {
			const before = Buffer.concat(parts.slice(0, victim + 1));
			bytes = Buffer.concat([before, Buffer.from('"'), bytes.subarray(before.length)]);
		}
	}
	return { bytes, rows, stopsAt, absent };
}

export interface FuzzFindings {
	/** Each broken property, worded for the report (no values). */
	problems: string[];
}

/** Reads one case and checks the properties; an unhandled exception is a problem too. */
export async function checkCase(c: FuzzCase): Promise<FuzzFindings> {
	const layout = LAYOUTS[c.source];
	const files = { patients: buildFile(c, 'patients'), child: buildFile(c, 'child') };
	const memory = [
		{ name: layout.patients.name, content: files.patients.bytes },
		{ name: layout.child.name, content: files.child.bytes },
		...c.children.map((_, index) => ({
			name: `docs/scan${index}.pdf`,
			content: Buffer.from('%PDF'),
		})),
	];
	const source = memorySource('fuzz export', memory);
	let result: ReadResult;
	try {
		result =
			c.source === 'dental-exec'
				? await readExport(dentalExecProfile, source, { exportDate: '2026-11-01' })
				: await readDentAdminExport(source, { exportDate: '2026-11-01' });
	} catch (error) {
		return { problems: [`unhandled ${(error as Error).name}: ${(error as Error).message}`] };
	}
	const problems: string[] = [];
	const { report, bundles } = result;
	const acceptedPatients = new Set(bundles.map((b) => b.patient.origin?.line));
	const acceptedChildren = new Set(bundles.flatMap((b) => b.documents.map((d) => d.origin?.line)));
	const check = (kind: 'patients' | 'child', accepted: Set<number | undefined>) => {
		const built = files[kind];
		const file = kind === 'patients' ? layout.patients.name : layout.child.name;
		const issues = report.issues.filter((issue) => issue.file === file);
		const stop = issues.find((i) => i.code === 'unterminated-quote' || i.code === 'csv-syntax');
		for (const row of built.rows) {
			if (built.absent.has(row.line)) continue;
			const reported = issues.some((i) => i.line === row.line && i.severity === 'error');
			const stopped = stop !== undefined && stop.line <= row.line;
			const lostToDamage = row.line >= built.stopsAt;
			if (!accepted.has(row.line) && !reported && !stopped)
				problems.push(`${file} line ${row.line}: neither accepted nor reported`);
			if (accepted.has(row.line) && reported)
				problems.push(`${file} line ${row.line}: accepted and reported as an error`);
			if (row.good && !lostToDamage && !stopped && !accepted.has(row.line) && kind === 'patients')
				problems.push(`${file} line ${row.line}: a good row was lost`);
			const emailReported = issues.some(
				(i) => i.line === row.line && i.code === 'invalid-email' && i.column !== undefined,
			);
			if (
				kind === 'patients' &&
				row.damage === 'bad-email' &&
				accepted.has(row.line) &&
				!emailReported
			)
				problems.push(`${file} line ${row.line}: an address without a domain was not reported`);
		}
		for (const issue of issues) {
			if (!Number.isInteger(issue.line) || issue.line < 0)
				problems.push(`${file}: an issue without a line (${issue.code})`);
			if (
				issue.line > 1 &&
				issue.column === undefined &&
				![
					'unterminated-quote',
					'csv-syntax',
					'field-count-mismatch',
					'truncated-last-line',
					'invalid-record',
					'date-order-mixed',
					'quote-spans-rows',
					'read-into-quoted-field',
				].includes(issue.code)
			)
				problems.push(`${file} line ${issue.line}: ${issue.code} names no column`);
		}
	};
	check('patients', acceptedPatients);
	// A child row's fate also depends on its patient: only check that it is accepted or reported.
	check('child', acceptedChildren);
	const messages = report.issues.map((i) => i.message).join('\n');
	for (const value of patientValues(c))
		if (messages.includes(value)) problems.push('a patient value appears in an issue message');
	return { problems: [...new Set(problems)] };
}

/** Runs the property; returns how many cases ran, and throws fast-check's report on a failure. */
export async function fuzzReaders(options: { runs: number; seed: number }): Promise<number> {
	let cases = 0;
	await fc.assert(
		fc.asyncProperty(fuzzCase, async (c) => {
			cases += 1;
			const { problems } = await checkCase(c);
			if (problems.length > 0) throw new Error(problems.join('; '));
		}),
		{ numRuns: options.runs, seed: options.seed, endOnFailure: true },
	);
	return cases;
}
