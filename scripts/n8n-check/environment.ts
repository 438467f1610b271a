import { join } from 'node:path';

/**
 * The environment of every n8n the checks start (n8n-check, browser-check, queue-check): the
 * runtime's Node first on PATH, a user folder and key of the run's own, no telemetry or
 * notifications, the editor on 127.0.0.1 at `port`, and the task broker on `brokerPort`: n8n's
 * default 5679 is often held by another n8n on the machine, and `n8n execute` then exits before
 * its output. Each check adds what only it needs (queue mode, PostgreSQL, Redis prefixes).
 */
export function n8nEnvironment(
	options: {
		/** The runtime's `node` binary. */
		node: string;
		userFolder: string;
		encryptionKey: string;
		port: number;
		brokerPort: number;
	},
	base: NodeJS.ProcessEnv = process.env,
): NodeJS.ProcessEnv {
	return {
		...base,
		PATH: `${join(options.node, '..')}:${base.PATH ?? ''}`,
		N8N_USER_FOLDER: options.userFolder,
		N8N_ENCRYPTION_KEY: options.encryptionKey,
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_PORT: String(options.port),
		N8N_RUNNERS_BROKER_PORT: String(options.brokerPort),
		N8N_SECURE_COOKIE: 'false',
	};
}
