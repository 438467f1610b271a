import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * n8n-core reads its settings from the environment when its services are first created, so this
 * module must be imported before any n8n package. Without N8N_USER_FOLDER n8n would write its
 * instance settings into the real `~/.n8n` of whoever runs the tests.
 */
if (!process.env.N8N_USER_FOLDER) {
	const folder = mkdtempSync(join(tmpdir(), 'dental-pipedrive-n8n-'));
	process.env.N8N_USER_FOLDER = folder;
	process.on('exit', () => rmSync(folder, { recursive: true, force: true }));
}
// Binary data stays in memory: no files outside the temp folder, same as n8n's default mode.
process.env.N8N_DEFAULT_BINARY_DATA_MODE ??= 'default';
// A throwaway key: without one n8n generates and announces it on stdout, which would corrupt
// the JSON the workflow runner prints. Nothing is encrypted at rest by the in-process engine.
process.env.N8N_ENCRYPTION_KEY ??= randomBytes(24).toString('hex');
// n8n's own logger would print node errors with stacks: the runner reports failures itself,
// in one line, and error texts may hold record values that must not reach logs.
process.env.N8N_LOG_LEVEL ??= 'silent';
process.env.N8N_DIAGNOSTICS_ENABLED ??= 'false';
process.env.N8N_VERSION_NOTIFICATIONS_ENABLED ??= 'false';
// n8n warns about loose settings-file permissions on every start; the folder is ours and temporary.
process.env.N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS ??= 'false';
