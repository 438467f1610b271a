import { operationsRouter } from '../../shared/operations';
import { OPERATIONS } from './operations';

export const router = operationsRouter(OPERATIONS);
