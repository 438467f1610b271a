import type { Icon, ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * PostgreSQL database for the migration journal in queue mode, where several workers share one
 * journal. Not an HTTP service, so the Migration Ledger node tests it through its own
 * `credentialTest` method instead of a `test` request here.
 */
export class MigrationJournalPostgres implements ICredentialType {
	name = 'migrationJournalPostgres';

	displayName = 'Migration Journal Postgres';

	icon: Icon = {
		light: 'file:../icons/pipedrive-migration.svg',
		dark: 'file:../icons/pipedrive-migration.dark.svg',
	};

	documentationUrl =
		'https://github.com/dental-pipedrive/n8n-nodes-dental-pipedrive#migration-journal-postgres';

	properties: INodeProperties[] = [
		{
			displayName: 'Host',
			name: 'host',
			type: 'string',
			default: 'localhost',
			required: true,
		},
		{
			displayName: 'Port',
			name: 'port',
			type: 'number',
			default: 5432,
		},
		{
			displayName: 'Database',
			name: 'database',
			type: 'string',
			default: 'postgres',
			required: true,
		},
		{
			displayName: 'User',
			name: 'user',
			type: 'string',
			default: 'postgres',
			required: true,
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
		},
		{
			displayName: 'SSL',
			name: 'ssl',
			type: 'options',
			options: [
				{ name: 'Disable', value: 'disable' },
				{ name: 'Allow', value: 'allow' },
				{ name: 'Require', value: 'require' },
			],
			default: 'disable',
		},
		{
			displayName: 'Schema',
			name: 'schema',
			type: 'string',
			default: 'migration_journal',
			description: 'Schema the journal tables live in; created on first use',
		},
	];
}
