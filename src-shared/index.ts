export * from './errors';
export * from './ids';
export * from './operations';
export * from './primitives';
export * from './sync';
