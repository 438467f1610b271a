import type { Route } from '../routing';
import { fieldRoutes } from './fields';
import { userRoutes } from './users';
import { v2EntityRoutes } from './v2Entities';

/** Every Pipedrive operation the sandbox implements. */
export function allRoutes(): Route[] {
	return [...v2EntityRoutes(), ...fieldRoutes(), ...userRoutes()];
}
