import type { Rec } from '../account';
import { badRequest, notFound } from '../apiError';
import type { RequestContext, Route } from '../routing';

/** v1 users: list, find (by name, or by email with `search_by_email=1`), me, by id. */
function view(ctx: RequestContext, user: Rec): Rec {
	return { ...user, is_you: user.id === ctx.user.id };
}

export function userRoutes(): Route[] {
	return [
		{
			method: 'GET',
			path: '/api/v1/users',
			body: 'none',
			handler: (ctx) => ({
				body: { success: true, data: ctx.account.users.map((u) => view(ctx, u)) },
			}),
		},
		{
			method: 'GET',
			path: '/api/v1/users/find',
			body: 'none',
			handler: (ctx) => {
				const term = ctx.query.get('term');
				if (!term)
					throw badRequest('Term is required', 'Send the search term in the query parameter term');
				const byEmail = ctx.query.get('search_by_email') === '1';
				const needle = term.toLowerCase();
				const hits = ctx.account.users.filter((u) =>
					String(byEmail ? u.email : u.name)
						.toLowerCase()
						.includes(needle),
				);
				return {
					body: { success: true, data: hits.length > 0 ? hits.map((u) => view(ctx, u)) : null },
				};
			},
		},
		{
			method: 'GET',
			path: '/api/v1/users/me',
			body: 'none',
			handler: (ctx) => {
				const { company } = ctx.account;
				return {
					body: {
						success: true,
						data: {
							...view(ctx, ctx.user),
							company_id: company.id,
							company_name: company.name,
							company_domain: company.domain,
							company_country: company.country,
							company_industry: 'Healthcare',
							language: { language_code: 'en', country_code: 'US' },
						},
					},
				};
			},
		},
		{
			method: 'GET',
			path: '/api/v1/users/{id}',
			body: 'none',
			handler: (ctx) => {
				const user = ctx.account.users.find((u) => String(u.id) === ctx.params.id);
				if (!user) throw notFound('User');
				return { body: { success: true, data: view(ctx, user) } };
			},
		},
	];
}
