import eslint from '@eslint/js';
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import { globalIgnores } from 'eslint/config';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';
import tseslint from 'typescript-eslint';

/**
 * n8n's own community-node rules where n8n loads our code (nodes/, credentials/, package.json),
 * composed the way @n8n/node-cli 0.48 composes them, and typescript-eslint everywhere else.
 *
 * The package cannot use n8n's "strict" (Cloud) config: its nodes have runtime dependencies
 * (csv-parse, iconv-lite, pg, …) and read export files and a journal database from disk by
 * design. So the Cloud-only rules are off here, each with its reason; every other rule stays.
 */
const cloudOnlyRules = {
	// Runtime dependencies are how the readers parse CSV/encodings and the ledger reaches PostgreSQL.
	'@n8n/community-nodes/no-runtime-dependencies': 'off',
	// The readers open export folders and the ledger keeps an embedded journal file (self-hosted n8n).
	'@n8n/community-nodes/no-restricted-imports': 'off',
	'@n8n/community-nodes/no-restricted-globals': 'off',
};

export default tseslint.config(
	globalIgnores(['dist', 'node_modules', 'coverage', 'samples', 'demo-output', '.tmp']),
	{
		files: ['**/*.ts'],
		extends: [eslint.configs.recommended, tseslint.configs.recommended],
		rules: {
			'prefer-spread': 'off',
			'@typescript-eslint/no-unused-vars': [
				'error',
				{ argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
			],
		},
	},
	{
		files: ['**/*.js'],
		extends: [eslint.configs.recommended],
		languageOptions: {
			sourceType: 'commonjs',
			globals: {
				require: 'readonly',
				module: 'writable',
				process: 'readonly',
				__dirname: 'readonly',
			},
		},
	},
	{
		files: ['nodes/**/*.ts', 'credentials/**/*.ts', 'package.json'],
		...n8nCommunityNodesPlugin.configs.recommendedWithoutN8nCloudSupport,
		rules: {
			...n8nCommunityNodesPlugin.configs.recommendedWithoutN8nCloudSupport.rules,
			...cloudOnlyRules,
		},
	},
	{
		files: ['package.json'],
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		languageOptions: {
			parser: tseslint.parser,
			parserOptions: { extraFileExtensions: ['.json'] },
		},
		rules: {
			...n8nNodesBase.configs.community.rules,
			// The lockfile-driven overrides live in scripts/n8n-runtime, not in this package.json.
			'@typescript-eslint/no-unused-expressions': 'off',
		},
	},
	{
		files: ['credentials/**/*.ts'],
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: {
			...n8nNodesBase.configs.credentials.rules,
			// Our documentation lives in the README, addressed by full URL with an anchor.
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
		},
	},
	{
		files: ['nodes/**/*.ts'],
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: {
			...n8nNodesBase.configs.nodes.rules,
			// Same exceptions as @n8n/node-cli: these old rules predate NodeConnectionTypes.
			'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
			'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
			'n8n-nodes-base/node-param-type-options-max-value-present': 'off',
		},
	},
	{
		// The Ledger spreads the shared Pipedrive credentials into its list (one home, with the
		// Provisioner's): this rule's AST restorer reads every element as an object literal and
		// crashes on a spread. What it checks (names end in "Api"; the journal's is a database
		// credential) is held by test/nodes/operations.test.ts over every node's credentials.
		files: ['nodes/MigrationLedger/MigrationLedger.node.ts'],
		rules: { 'n8n-nodes-base/node-class-description-credentials-name-unsuffixed': 'off' },
	},
	{
		// Engine and node code never log: logs could carry patient values (DEVELOPING.md).
		files: ['nodes/**/*.ts', 'credentials/**/*.ts', 'lib/**/*.ts'],
		rules: { 'no-console': 'error' },
	},
	{
		// The sandbox stands alone (DEVELOPING.md): of the package it reads only the one token-cost table
		// and the command-line reader cli/options.ts (Node built-ins only).
		files: ['sandbox/**/*.ts'],
		rules: {
			'no-restricted-imports': [
				'error',
				{
					patterns: [
						{
							regex:
								'^(\\.\\./)+(lib/(?!pipedrive/tokenCosts\\.json$)|nodes/|runner/|scripts/)|^n8n-',
							message:
								'The sandbox imports Node built-ins, busboy, lib/pipedrive/tokenCosts.json and cli/ only',
						},
					],
				},
			],
		},
	},
);
