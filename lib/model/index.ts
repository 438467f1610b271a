export * from './primitives';
export * from './reference';
export * from './bundle';
export * from './validationReport';
