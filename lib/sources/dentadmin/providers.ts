import type { Provider } from '../../model';
import type { ReferenceFileSpec } from '../common';
import { column, YES_NO } from './columns';
import { key, PRACTICE_KEY } from './keys';

const ROLES: Record<string, Provider['role'] & string> = {
	Tandarts: 'dentist',
	Dentiste: 'dentist',
	Orthodontist: 'specialist',
	Orthodontiste: 'specialist',
	Mondhygiënist: 'hygienist',
	Hygiéniste: 'hygienist',
	Assistente: 'assistant',
	Assistent: 'assistant',
	Assistante: 'assistant',
	Secretariaat: 'secretary',
	Secrétariat: 'secretary',
};

export const USER_COLUMNS = [
	column('userId', 'GebruikerNr', 'NoUtilisateur', 'text', { required: true }),
	column('name', 'Naam', 'Nom', 'text', { required: true }),
	column('email', 'Email', 'Email', 'email'),
	column('role', 'Rol', 'Role', 'choice', { values: ROLES }),
	column('active', 'Actief', 'Actif', 'boolean', { values: YES_NO }),
];

/** Users (dentists, assistants, secretaries) become providers, matched to Pipedrive users by email. */
export const usersFile: ReferenceFileSpec = {
	role: 'reference',
	name: 'gebruikers.csv',
	fileNames: ['gebruikers.csv', 'utilisateurs.csv'],
	entity: 'provider',
	columns: USER_COLUMNS,
	idField: 'userId',
	build: (row) => {
		const id = row.text('userId') as string;
		const { firstName, lastName } = splitName(row.text('name') as string);
		const roleLabel = row.text('role');
		return {
			kind: 'provider',
			sourceSystem: 'dentadmin',
			sourceId: id,
			sourceKey: key('provider', id),
			origin: { file: row.file, line: row.line },
			extra: row.extra,
			firstName,
			lastName,
			email: row.text('email'),
			// The driver reports a role word it does not know; the provider is kept as `other`.
			role:
				roleLabel === undefined ? undefined : ((row.choice('role') as Provider['role']) ?? 'other'),
			roleLabel,
			practiceKey: PRACTICE_KEY,
			active: row.boolean('active') ?? true,
		};
	},
};

/** DentAdmin keeps one name column, written `Last, First` (or just a name, kept whole as last name). */
export function splitName(name: string): { firstName?: string; lastName: string } {
	const comma = name.indexOf(',');
	if (comma < 0) return { lastName: name };
	const lastName = name.slice(0, comma).trim();
	const firstName = name.slice(comma + 1).trim();
	return lastName === '' ? { lastName: name } : { lastName, firstName: firstName || undefined };
}
