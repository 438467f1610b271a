export { dentalExecProfile } from './profile';
export { intervalFromDescription } from './recall';
export { cdtCodes } from './procedureCodes';
