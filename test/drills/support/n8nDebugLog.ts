/**
 * Imported before the n8n engine: its logger reads the level once, when it is first created.
 * The leak scan wants every line n8n would log at the most talkative level, not the runner's
 * silence; `restoreLogLevel` puts the setting back for the test files that run after it.
 */
const before = process.env.N8N_LOG_LEVEL;
process.env.N8N_LOG_LEVEL = 'debug';

export function restoreLogLevel(): void {
	if (before === undefined) delete process.env.N8N_LOG_LEVEL;
	else process.env.N8N_LOG_LEVEL = before;
}
