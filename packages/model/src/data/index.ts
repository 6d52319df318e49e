/**
 * Browser-safe data utilities: CSV parsing, time series, sliding windows, chronological splits, scaling
 * fitted on the training split, IDX decoding, classification and event sequences. File loading and the
 * built-in dataset registry are Node-only, in `./node/index.js`.
 * @packageDocumentation
 */
export * from './classification.js';
export * from './csv.js';
export * from './errors.js';
export * from './events.js';
export * from './idx.js';
export * from './prepare.js';
export * from './scaler.js';
export * from './series.js';
export * from './split.js';
export * from './windows.js';
