/**
 * Node-only data loading: files (CSV, JSON, IDX, gzip) and the built-in dataset registry.
 * @packageDocumentation
 */
export * from './files.js';
export * from './registry.js';
