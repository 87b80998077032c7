export * from './records';
export * from './access';
export * from './curation';
export * from './rollups';
export * from './sources';
export * from './queue';
