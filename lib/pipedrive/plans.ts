/**
 * Pipedrive plan figures the migration plans around (api-facts §4.4, §5.2, §5.4). One table, so
 * the rate limiter, the provisioner's cap check and the preflight agree.
 */
export const PIPEDRIVE_PLANS = ['lite', 'growth', 'premium', 'ultimate'] as const;
export type PipedrivePlan = (typeof PIPEDRIVE_PLANS)[number];

export type AuthType = 'apiToken' | 'oauth2';

interface PlanFigures {
	/** Requests per rolling 2-second window, per token. */
	burst: Record<AuthType, number>;
	/** Daily token budget = 30,000 × multiplier × seats. */
	dailyMultiplier: number;
	/** Custom fields per company. */
	customFieldCap: number;
}

const PLAN_FIGURES: Record<PipedrivePlan, PlanFigures> = {
	lite: { burst: { apiToken: 20, oauth2: 80 }, dailyMultiplier: 1, customFieldCap: 30 },
	growth: { burst: { apiToken: 40, oauth2: 160 }, dailyMultiplier: 2, customFieldCap: 100 },
	premium: { burst: { apiToken: 100, oauth2: 400 }, dailyMultiplier: 5, customFieldCap: 300 },
	ultimate: { burst: { apiToken: 120, oauth2: 480 }, dailyMultiplier: 7, customFieldCap: 500 },
};

export const BURST_WINDOW_MS = 2000;
/** Search endpoints have their own burst limit on every plan and auth type. */
export const SEARCH_BURST_LIMIT = 10;
const DAILY_TOKENS_PER_SEAT = 30_000;

export function parsePlan(value: string): PipedrivePlan {
	const plan = value.trim().toLowerCase();
	if ((PIPEDRIVE_PLANS as readonly string[]).includes(plan)) return plan as PipedrivePlan;
	throw new Error(
		`Unknown Pipedrive plan "${value}": set the credential's plan to one of ${PIPEDRIVE_PLANS.join(', ')}`,
	);
}

export function burstLimit(plan: PipedrivePlan, auth: AuthType): number {
	return PLAN_FIGURES[plan].burst[auth];
}

export function dailyTokenBudget(plan: PipedrivePlan, seats: number): number {
	if (!Number.isInteger(seats) || seats < 1) {
		throw new Error(
			`Seats must be a whole number of at least 1 (got ${seats}): fix the credential's seats`,
		);
	}
	return DAILY_TOKENS_PER_SEAT * PLAN_FIGURES[plan].dailyMultiplier * seats;
}

export function customFieldCap(plan: PipedrivePlan): number {
	return PLAN_FIGURES[plan].customFieldCap;
}
