/**
 * RoPE inverse frequencies and attention scaling for each `rope_scaling` variant, computed as
 * `transformers`' `modeling_rope_utils` does, in float32 arithmetic like PyTorch.
 * @packageDocumentation
 */
import type { LlamaConfig, RopeScaling } from './model-config.js';

const f32 = Math.fround;

/** RoPE inverse frequencies (length `dim / 2`) and the factor applied to the `cos`/`sin` tables. */
export interface RopeParameters {
  /** `θ_j` for `j < dim/2`, in float32. */
  readonly inverseFrequencies: Float32Array;
  /** Multiplies `cos` and `sin` (YaRN's attention factor; 1 otherwise). */
  readonly attentionScaling: number;
}

/** The subset of a config that RoPE depends on. */
export type RopeSettings = Pick<
  LlamaConfig,
  'ropeTheta' | 'ropeScaling' | 'headDim' | 'maxPositionEmbeddings'
>;

/** `1 / base^(2j/dim)` in float32, as `_compute_default_rope_parameters` computes it. */
export function defaultInverseFrequencies(dim: number, base: number): Float32Array {
  const out = new Float32Array(dim / 2);
  for (let j = 0; j < dim / 2; j++) out[j] = f32(1 / f32(base ** f32((2 * j) / dim)));
  return out;
}

function llama3(inv: Float32Array, s: Extract<RopeScaling, { type: 'llama3' }>): Float32Array {
  const lowWavelen = s.originalMaxPositionEmbeddings / s.lowFreqFactor;
  const highWavelen = s.originalMaxPositionEmbeddings / s.highFreqFactor;
  const out = new Float32Array(inv.length);
  for (let j = 0; j < inv.length; j++) {
    const freq = inv[j]!;
    const wavelen = f32((2 * Math.PI) / freq);
    const scaled = wavelen > lowWavelen ? f32(freq / s.factor) : freq;
    const medium = !(wavelen < highWavelen) && !(wavelen > lowWavelen);
    if (medium) {
      const smooth = f32(
        f32(f32(s.originalMaxPositionEmbeddings / wavelen) - s.lowFreqFactor) /
          (s.highFreqFactor - s.lowFreqFactor),
      );
      out[j] = f32(f32(f32(f32(1 - smooth) * scaled) / s.factor) + f32(smooth * scaled));
    } else {
      out[j] = scaled;
    }
  }
  return out;
}

function yarnMscale(scale: number, mscale = 1): number {
  return scale <= 1 ? 1 : 0.1 * mscale * Math.log(scale) + 1;
}

function yarn(settings: RopeSettings, s: Extract<RopeScaling, { type: 'yarn' }>): RopeParameters {
  const dim = settings.headDim;
  const base = settings.ropeTheta;
  let factor = s.factor;
  let originalMax = settings.maxPositionEmbeddings;
  if (s.originalMaxPositionEmbeddings !== null) {
    originalMax = s.originalMaxPositionEmbeddings;
    factor = settings.maxPositionEmbeddings / originalMax;
  }
  let attentionScaling = s.attentionFactor;
  if (attentionScaling === null) {
    attentionScaling =
      s.mscale && s.mscaleAllDim
        ? yarnMscale(factor, s.mscale) / yarnMscale(factor, s.mscaleAllDim)
        : yarnMscale(factor);
  }
  const betaFast = s.betaFast || 32;
  const betaSlow = s.betaSlow || 1;
  const correctionDim = (rotations: number): number =>
    (dim * Math.log(originalMax / (rotations * 2 * Math.PI))) / (2 * Math.log(base));
  let low = correctionDim(betaFast);
  let high = correctionDim(betaSlow);
  if (s.truncate) {
    low = Math.floor(low);
    high = Math.ceil(high);
  }
  low = Math.max(low, 0);
  high = Math.min(high, dim - 1);
  if (low === high) high += 0.001;
  const half = dim / 2;
  const out = new Float32Array(half);
  for (let j = 0; j < half; j++) {
    const posFreq = f32(base ** f32((2 * j) / dim));
    const extrapolation = f32(1 / posFreq);
    const interpolation = f32(1 / f32(factor * posFreq));
    const ramp = Math.min(1, Math.max(0, f32(f32(j - low) / f32(high - low))));
    const extrapolationFactor = f32(1 - ramp);
    out[j] = f32(
      f32(interpolation * f32(1 - extrapolationFactor)) + f32(extrapolation * extrapolationFactor),
    );
  }
  return { inverseFrequencies: out, attentionScaling };
}

/**
 * RoPE parameters of a Llama-family config, following `transformers`' `ROPE_INIT_FUNCTIONS`:
 * - `default`: `θ_j = base^{−2j/d}`;
 * - `linear`: `θ_j / factor`;
 * - `dynamic` (NTK): for a sequence of `seqLength > max_position_embeddings` tokens, the base becomes
 *   `base·(factor·L/max − (factor − 1))^{d/(d−2)}` (so decoding step `t` uses `L = t + 1`, as the dynamic update of
 *   `transformers` does);
 * - `llama3`: long wavelengths divided by `factor`, short ones kept, a smooth ramp between;
 * - `yarn`: interpolation/extrapolation ramp between `beta_fast` and `beta_slow` rotations, with the attention
 *   factor `0.1·ln(factor) + 1` (or from `mscale`/`mscale_all_dim`).
 *
 * @param seqLength - total length (prefix + new tokens) seen so far; used by `dynamic` only
 */
export function ropeParameters(settings: RopeSettings, seqLength = 0): RopeParameters {
  const dim = settings.headDim;
  const scaling = settings.ropeScaling;
  switch (scaling.type) {
    case 'default':
      return { inverseFrequencies: defaultInverseFrequencies(dim, settings.ropeTheta), attentionScaling: 1 };
    case 'linear': {
      const inv = defaultInverseFrequencies(dim, settings.ropeTheta).map((x) => f32(x / scaling.factor));
      return { inverseFrequencies: inv, attentionScaling: 1 };
    }
    case 'dynamic': {
      const max = settings.maxPositionEmbeddings;
      const length = Math.max(seqLength, max);
      const base =
        settings.ropeTheta * ((scaling.factor * length) / max - (scaling.factor - 1)) ** (dim / (dim - 2));
      return { inverseFrequencies: defaultInverseFrequencies(dim, base), attentionScaling: 1 };
    }
    case 'llama3':
      return {
        inverseFrequencies: llama3(defaultInverseFrequencies(dim, settings.ropeTheta), scaling),
        attentionScaling: 1,
      };
    case 'yarn':
      return yarn(settings, scaling);
  }
}

/** Whether the frequencies depend on the sequence length (`dynamic` scaling). */
export function ropeDependsOnLength(settings: RopeSettings): boolean {
  return settings.ropeScaling.type === 'dynamic';
}
