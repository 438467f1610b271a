import type { AccountState, Rec } from './account';
import type { SandboxRandom } from './random';

/** What a handler sees of one authenticated request. */
export interface RequestContext {
	account: AccountState;
	user: Rec;
	params: Record<string, string>;
	query: URLSearchParams;
	/** Parsed JSON body (v2, v1), form fields (v1), or undefined. */
	body: unknown;
	/** Multipart upload (v1 files): text fields and every file part received. */
	upload?: MultipartUpload;
	now: number;
	random: SandboxRandom;
	fileSizeLimitBytes: number;
	plan: Plan;
}

export interface MultipartUpload {
	fields: Record<string, string>;
	files: Array<{
		fieldName: string;
		fileName: string;
		contentType: string;
		data: Buffer;
		truncated: boolean;
	}>;
}

export type Plan = 'lite' | 'growth' | 'premium' | 'ultimate';

export interface HandlerResult {
	status?: number;
	body?: unknown;
	binary?: { data: Buffer; contentType: string; fileName: string };
}

export type Handler = (ctx: RequestContext) => HandlerResult;

export type BodyKind = 'none' | 'json' | 'v1' | 'multipart';

export interface Route {
	method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
	/** Path template exactly as in the spec, with `/api/v1` or `/api/v2`: the token-cost key. */
	path: string;
	body: BodyKind;
	/** Counts against search's own 10-per-2-seconds burst bucket. */
	search?: boolean;
	/** Writes state: "drop after write" faults only make sense here. */
	write?: boolean;
	handler: Handler;
}

export interface RouteMatch {
	route: Route;
	params: Record<string, string>;
}

/** Compiles templates once; literal segments win over `{param}` segments (`/persons/search` vs `/persons/{id}`). */
export class Router {
	private readonly compiled: Array<{ route: Route; segments: string[] }>;

	constructor(routes: Route[]) {
		this.compiled = routes
			.map((route) => ({ route, segments: route.path.split('/').filter(Boolean) }))
			.sort((a, b) => literalScore(b.segments) - literalScore(a.segments));
	}

	match(method: string, path: string): RouteMatch | { allowed: string[] } | undefined {
		let parts: string[];
		try {
			parts = path.split('/').filter(Boolean).map(decodeURIComponent);
		} catch {
			return undefined; // malformed percent-encoding matches no route
		}
		const allowed: string[] = [];
		for (const { route, segments } of this.compiled) {
			if (segments.length !== parts.length) continue;
			const params: Record<string, string> = {};
			const ok = segments.every((s, i) => {
				if (s.startsWith('{')) {
					params[s.slice(1, -1)] = parts[i];
					return true;
				}
				return s === parts[i];
			});
			if (!ok) continue;
			if (route.method === method) return { route, params };
			allowed.push(route.method);
		}
		return allowed.length > 0 ? { allowed } : undefined;
	}
}

function literalScore(segments: string[]): number {
	return segments.reduce((n, s, i) => n + (s.startsWith('{') ? 0 : 2 ** (segments.length - i)), 0);
}
