/**
 * Numeric WebGPU flag values (`GPUBufferUsage`, `GPUMapMode`, `GPUShaderStage`). The spec fixes these numbers;
 * using them directly avoids depending on globals that only exist in browsers (or in Node after
 * `Object.assign(globalThis, globals)`).
 * @packageDocumentation
 */

/** `GPUBufferUsage` flags. */
export const BufferUsage = {
  MAP_READ: 0x0001,
  COPY_SRC: 0x0004,
  COPY_DST: 0x0008,
  UNIFORM: 0x0040,
  STORAGE: 0x0080,
} as const;

/** `GPUMapMode.READ`. */
export const MAP_MODE_READ = 0x0001;

/** `GPUShaderStage.COMPUTE`. */
export const SHADER_STAGE_COMPUTE = 0x0004;
