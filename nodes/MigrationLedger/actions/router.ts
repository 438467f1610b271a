import { operationsRouter } from '../../shared/operations';
import { OPERATIONS as BY_RESOURCE } from './node.type';
import { OPERATIONS } from './operations';

/** Unknown operations are answered with the list in resource order (Run, Report, Watermark). */
export const router = operationsRouter(OPERATIONS, BY_RESOURCE);
