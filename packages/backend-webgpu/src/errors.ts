/**
 * Errors thrown by the WebGPU backend. Each extends `AarenError` from `@aaren/core` with a stable `code`.
 * @packageDocumentation
 */
import { AarenError } from '@aaren/core';

/** No WebGPU adapter or device could be obtained (no `navigator.gpu`, no adapter, or `requestDevice` failed). */
export class WebGPUUnavailableError extends AarenError {
  constructor(detail: string, options?: { cause?: unknown }) {
    super('E_WEBGPU_UNAVAILABLE', `WebGPU is not available: ${detail}`, options);
  }
}

/** A tensor or dispatch exceeds one of the device's limits (buffer size, binding size, workgroup count). */
export class WebGPULimitError extends AarenError {
  /** Name of the limit that was exceeded, e.g. `'maxBufferSize'`. */
  readonly limit: string;
  /** The device's value of that limit. */
  readonly allowed: number;
  /** What was asked for, in the limit's unit. */
  readonly requested: number;
  constructor(op: string, limit: string, requested: number, allowed: number, detail = '') {
    super(
      'E_WEBGPU_LIMIT',
      `${op}: needs ${limit} ≥ ${requested} but this device allows ${allowed}${detail ? ` (${detail})` : ''}`,
    );
    this.limit = limit;
    this.allowed = allowed;
    this.requested = requested;
  }
}

/** The GPU device was lost (driver reset, `device.destroy()`, backend disposed). The backend cannot be reused. */
export class WebGPUDeviceLostError extends AarenError {
  /** `GPUDeviceLostReason` (`'destroyed'` or `'unknown'`), or `'disposed'` after `dispose()`. */
  readonly reason: string;
  constructor(op: string, reason: string, message: string) {
    super('E_DEVICE_LOST', `${op}: the WebGPU device was lost (${reason})${message ? `: ${message}` : ''}`);
    this.reason = reason;
  }
}

/** WebGPU reported a validation, out-of-memory or shader-compilation error for work this backend submitted. */
export class WebGPUValidationError extends AarenError {
  constructor(detail: string) {
    super('E_WEBGPU_VALIDATION', `WebGPU reported an error: ${detail}`);
  }
}
