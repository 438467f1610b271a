import type { Insurer, ReportIssue } from '../../model';
import type { ReferenceFileSpec } from '../common';
import { column } from './columns';
import { key } from './keys';
import { MUTUALITY_CODE_FORMAT, normaliseInsurerName, unionOfMutuality } from './mutuality';

export const INSURER_COLUMNS = [
	column('code', 'Code', 'Code', 'text', { required: true }),
	column('name', 'Naam', 'Nom', 'text', { required: true }),
	column('address', 'Adres', 'Adresse', 'text'),
	column('phone', 'Telefoon', 'Téléphone', 'phone'),
	column('email', 'Email', 'Email', 'email'),
	column('website', 'Website', 'SiteWeb', 'text'),
	column('policyPrefix', 'Polisprefix', 'PrefixePolice', 'text'),
	column('reimbursementTier', 'Terugbetalingsniveau', 'NiveauRemboursement', 'text'),
];

function unionOf(code: string): Insurer['union'] {
	const union = unionOfMutuality(code);
	// Both official names: Dutch and French exports of one practice must give the same record.
	return union && { code: union.code, name: `${union.nameNl} / ${union.nameFr}` };
}

/** Mutualities (insurers); the code is their identity, a repeated code is a duplicate row. */
export const mutualitiesFile: ReferenceFileSpec = {
	role: 'reference',
	name: 'mutualiteiten.csv',
	fileNames: ['mutualiteiten.csv', 'mutualites.csv'],
	entity: 'insurer',
	columns: INSURER_COLUMNS,
	idField: 'code',
	build: (row, ctx) => {
		const code = row.text('code') as string;
		if (!MUTUALITY_CODE_FORMAT.test(code)) {
			ctx.issue(
				'error',
				ctx.header('code'),
				'mutuality-code-invalid',
				'Mutuality code is not 3 digits: correct it (e.g. 134) and export again.',
			);
			return null;
		}
		const union = unionOf(code);
		if (union === undefined) {
			ctx.issue(
				'warning',
				ctx.header('code'),
				'mutuality-union-unknown',
				'The first digit of this mutuality code names no national union (1-6 or 9): the insurer is kept without a union; check the code.',
			);
		}
		const address = row.text('address');
		return {
			kind: 'insurer',
			sourceSystem: 'dentadmin',
			sourceId: code,
			sourceKey: key('insurer', code),
			origin: { file: row.file, line: row.line },
			extra: row.extra,
			code,
			name: row.text('name') as string,
			union,
			address: address === undefined ? undefined : { street: address },
			phone: row.text('phone'),
			email: row.text('email'),
			website: row.text('website'),
			policyPrefix: row.text('policyPrefix'),
			reimbursementTier: row.text('reimbursementTier'),
		};
	},
};

/**
 * Completes the insurers after a read: a mutuality that patients reference but the insurer file
 * lacks is added, named by its union (and reported), and two insurers whose names differ only in
 * accents, case or spacing are reported as one organisation under two codes. Codes stay the
 * identity (patients point at them); merging is the mapping step's decision, not the reader's.
 */
export function completeInsurers(
	fromFile: Insurer[],
	referencedCodes: ReadonlySet<string>,
	fileName: string,
): { insurers: Insurer[]; issues: ReportIssue[] } {
	const issues: ReportIssue[] = [];
	const byCode = new Map(fromFile.map((insurer) => [insurer.code as string, insurer]));
	const added: Insurer[] = [];
	for (const code of [...referencedCodes].sort()) {
		if (byCode.has(code)) continue;
		const union = unionOf(code);
		added.push({
			kind: 'insurer',
			sourceSystem: 'dentadmin',
			sourceId: code,
			sourceKey: key('insurer', code),
			extra: {},
			code,
			name: union ? `${union.name} (${code})` : `Mutualiteit / Mutualité ${code}`,
			union,
		});
		issues.push({
			severity: 'info',
			file: fileName,
			line: 0,
			column: 'Code',
			code: 'mutuality-not-in-file',
			message: `Mutuality ${code} is used by patients but absent from the insurer file: it is added, named after its union; add it to the insurer export to give its own name and details.`,
		});
	}
	const byName = new Map<string, string[]>();
	for (const insurer of fromFile) {
		const name = normaliseInsurerName(insurer.name);
		byName.set(name, [...(byName.get(name) ?? []), insurer.code as string]);
	}
	for (const codes of byName.values()) {
		if (codes.length < 2) continue;
		issues.push({
			severity: 'warning',
			file: fileName,
			line: 0,
			code: 'insurer-same-name',
			message: `Mutualities ${codes.join(', ')} have the same name (ignoring accents, case and spacing): they stay separate insurers by code; the mapping matches organisations by name, so they will share one organisation.`,
		});
	}
	return { insurers: [...fromFile, ...added], issues };
}
