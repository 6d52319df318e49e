// The CPU backend against the conformance suite (the same suite every other backend package runs).
import { cpuBackend } from '../cpu/index.js';
import { describeBackend } from './index.js';

describeBackend('cpu', () => cpuBackend());
