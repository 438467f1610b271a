/**
 * The sandbox's idea of "now": real time plus an offset that tests move forward to pass the
 * daily-budget reset or let a burst window expire without waiting.
 */
export class SandboxClock {
	constructor(private offsetMs = 0) {}

	now(): number {
		return Date.now() + this.offsetMs;
	}

	advance(ms: number): void {
		this.offsetMs += ms;
	}
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** v2 times: RFC 3339 in UTC without milliseconds, like the spec examples (`2021-01-01T00:00:00Z`). */
export function rfc3339(ms: number): string {
	return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** v1 times: `YYYY-MM-DD HH:MM:SS` in UTC. */
export function v1Time(ms: number): string {
	const d = new Date(ms);
	return (
		`${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
		`${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`
	);
}
