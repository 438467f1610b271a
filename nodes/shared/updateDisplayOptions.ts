/**
 * Adds `displayOptions` (e.g. `{ show: { resource: ['person'], operation: ['create'] } }`) to
 * every property of an operation's description. n8n-workflow 2.41 ships the helper nodes-base
 * uses, so this package re-exports it rather than keeping a copy: operations import it from here.
 */
export { updateDisplayOptions } from 'n8n-workflow';
