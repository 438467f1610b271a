/**
 * Pipedrive sanitises note HTML server-side; which tags survive is not documented
 * (api-facts §3.5). The sandbox removes only what is certainly removed — `<script>` elements —
 * and keeps everything else as given, so a migration's diff report sees its own markup back.
 */
export function sanitizeNoteHtml(content: string): string {
	return content
		.replace(/<script\b[^>]*>[\s\S]*?<\/script\s*>/gi, '')
		.replace(/<script\b[^>]*\/?>/gi, '');
}

/** "approximately 100,000 characters (100 KB)" per note (v1 spec, Notes tag). */
export const NOTE_MAX_CHARACTERS = 100_000;
