/** Text shapes Pipedrive expects for notes and activity notes (HTML, sanitised server-side). */

import { escapeHtml } from '../../report/html';

/** Plain text as note HTML: escaped, line breaks as `<br>`, so the text reads as it was written. */
export function noteHtml(lines: string[]): string {
	return escapeHtml(lines.join('\n').replace(/\r\n?/g, '\n')).replace(/\n/g, '<br>');
}

/** v1 time format: `YYYY-MM-DD HH:MM:SS` in UTC. */
export function v1DateTime(instant: string): string {
	return new Date(instant).toISOString().slice(0, 19).replace('T', ' ');
}

/** `HH:MM` for durations (activities). */
export function hoursMinutes(totalMinutes: number): string {
	const hours = Math.floor(totalMinutes / 60);
	const minutes = totalMinutes % 60;
	return `${String(hours).padStart(2, '0')}:${String(minutes).padStart(2, '0')}`;
}

/** Lower-case words with a capital first letter: `in-progress` → `In progress`. */
export function labelOf(value: string): string {
	const words = value.replace(/[-_]+/g, ' ');
	return words.charAt(0).toUpperCase() + words.slice(1);
}
