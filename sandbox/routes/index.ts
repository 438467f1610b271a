import type { Route } from '../routing';
import { activityTypeRoutes } from './activityTypes';
import { fieldRoutes } from './fields';
import { fileRoutes } from './files';
import { leadLabelRoutes } from './leadLabels';
import { leadRoutes } from './leads';
import { noteRoutes } from './notes';
import { pipelineRoutes } from './pipelines';
import { searchRoutes } from './search';
import { userRoutes } from './users';
import { v2EntityRoutes } from './v2Entities';

/** Every Pipedrive operation the sandbox implements. */
export function allRoutes(): Route[] {
	return [
		...v2EntityRoutes(),
		...fieldRoutes(),
		...pipelineRoutes(),
		...searchRoutes(),
		...userRoutes(),
		...activityTypeRoutes(),
		...noteRoutes(),
		...fileRoutes(),
		...leadRoutes(),
		...leadLabelRoutes(),
	];
}
