import { n8nEnvironment } from '../../scripts/n8n-check/environment';

describe('the environment of every n8n the checks start (issue 20: one block, not three)', () => {
	const base = { PATH: '/usr/bin:/bin', HOME: '/home/dev', N8N_PORT: '5678' };
	const env = n8nEnvironment(
		{
			node: '/cache/runtime/node/bin/node',
			userFolder: '/tmp/work/user',
			encryptionKey: 'key-1',
			port: 42201,
			brokerPort: 42202,
		},
		base,
	);

	it('puts the runtime Node first on PATH, keeps the rest of the environment and overrides n8n settings', () => {
		expect(env).toEqual({
			PATH: '/cache/runtime/node/bin:/usr/bin:/bin',
			HOME: '/home/dev',
			N8N_USER_FOLDER: '/tmp/work/user',
			N8N_ENCRYPTION_KEY: 'key-1',
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_HOST: '127.0.0.1',
			N8N_PORT: '42201',
			// Not n8n's default 5679, which another n8n on the machine may hold.
			N8N_RUNNERS_BROKER_PORT: '42202',
			N8N_SECURE_COOKIE: 'false',
		});
	});

	it('leaves the environment it starts from unchanged', () => {
		expect(base).toEqual({ PATH: '/usr/bin:/bin', HOME: '/home/dev', N8N_PORT: '5678' });
	});
});
