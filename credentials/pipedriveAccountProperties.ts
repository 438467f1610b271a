import type { INodeProperties } from 'n8n-workflow';

/**
 * Fields both Pipedrive credential types share: where the account lives and what it may hold.
 * The plan and seats drive budget planning (daily API token budget, custom-field caps).
 */
export const pipedriveAccountProperties: INodeProperties[] = [
	{
		displayName: 'Base URL',
		name: 'baseUrl',
		type: 'string',
		default: 'https://api.pipedrive.com',
		required: true,
		placeholder: 'e.g. https://yourcompany.pipedrive.com',
		description:
			'https://api.pipedrive.com, your company domain, or the URL of the local sandbox (npm run sandbox)',
	},
	{
		displayName: 'Plan',
		name: 'plan',
		type: 'options',
		options: [
			{ name: 'Lite', value: 'lite' },
			{ name: 'Growth', value: 'growth' },
			{ name: 'Premium', value: 'premium' },
			{ name: 'Ultimate', value: 'ultimate' },
		],
		default: 'growth',
		description: 'The Pipedrive plan of the company; it sets the daily API token budget',
	},
	{
		displayName: 'Seats',
		name: 'seats',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 1,
		description: 'Number of paid seats of the company; the daily API token budget grows with it',
	},
	{
		displayName: 'Shared Rate Budget (Queue Mode)',
		name: 'sharedBudgetUrl',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		placeholder: 'e.g. postgres://n8n:secret@db.internal:5432/migration',
		description:
			"PostgreSQL connection URL every n8n main and worker can reach (the migration journal's database serves). All processes using this credential then share one burst window and one daily token count, so together they stay within the plan. Empty: each process counts only its own requests (single-instance n8n).",
	},
];
