/**
 * The choices SUPRA makes when it replaces softmax attention with linear attention, each an option whose
 * default is the paper's (Mercat et al., arXiv 2405.06640, and its reference code `linear_open_lm`).
 * @packageDocumentation
 */
import { DEFAULT_LINEAR_CHUNK_SIZE } from '@aaren/attention';
import type { ModelConfig } from '../config/model-config.js';
import { SupraOptionError } from '../errors.js';

/** Options of `convertToSupra`. Every field defaults to the paper's choice. */
export interface SupraOptions {
  /**
   * Per-head dimension `d_φ` of the feature map's output. Default: the model's head dimension (the
   * reference's `qk_head_dim`). Must be even when RoPE is applied after φ.
   */
  readonly featureDim?: number;
  /** Bias in the feature map's Linear. Default true (the reference's `nn.Linear` default). */
  readonly featureBias?: boolean;
  /**
   * Initialisation of φ's Linear: `'torch-default'` (default; `nn.Linear`'s U(±1/√in), as in the reference) or
   * `'identity'` (W = I, b = 0, so φ(x) = ReLU(x) at the start; needs `featureDim` = head dimension).
   */
  readonly featureInit?: 'torch-default' | 'identity';
  /** Seed of the feature-map initialisation. Default 0. */
  readonly seed?: number;
  /**
   * One φ for queries and keys (default true, as the paper). Under grouped-query attention keys always get
   * their own φ over the key/value heads (the reference's `_totrain_embed_kv`).
   */
  readonly shareFeatureMap?: boolean;
  /** Apply the model's RoPE to φ(q) and φ(k) (after the feature map). Default true; GPT-2 has no RoPE. */
  readonly rope?: boolean;
  /** Factor applied to φ(k). Default `1/√d_φ` (the reference's `qk_scale`). */
  readonly keyScale?: number;
  /**
   * Per-head decay γ_h: `'alibi'` (default: `exp(−slope_h)` with ALiBi slopes), `'retnet'` (`1 − 2^{−5−h}`),
   * `'none'` (γ = 1), or explicit values in [0, 1], one per query head.
   */
  readonly decay?: 'alibi' | 'retnet' | 'none' | readonly number[];
  /** First ALiBi slope (the reference's `decay_start`); default `null`: the standard `2^{−8/H}`. */
  readonly decayStart?: number | null;
  /**
   * What replaces the softmax denominator: `'group-norm'` (default: GroupNorm with one group per head and no
   * affine parameters on each token's attention output), `'denominator'` (divide by `φ(q)·Σγ^{t−i}φ(k_i)`, the
   * classic linear-attention normaliser the paper found unstable), or `'none'`.
   */
  readonly normalization?: 'group-norm' | 'denominator' | 'none';
  /** GroupNorm epsilon. Default 1e-5 (PyTorch's). */
  readonly groupNormEps?: number;
  /** Tokens per chunk of the chunked-parallel form used for training and prefill. Default 64. */
  readonly chunkSize?: number;
}

/** {@link SupraOptions} with every choice resolved; saved in the `supra` section of `config.json`. */
export interface SupraSettings {
  /** Per-head feature dimension. */
  readonly featureDim: number;
  /** Bias in φ. */
  readonly featureBias: boolean;
  /** One φ for queries and keys (when the head counts allow). */
  readonly shareFeatureMap: boolean;
  /** RoPE after φ (always false for GPT-2). */
  readonly rope: boolean;
  /** Factor on φ(k). */
  readonly keyScale: number;
  /** Decay per query head. */
  readonly decay: readonly number[];
  /** Normaliser. */
  readonly normalization: 'group-norm' | 'denominator' | 'none';
  /** GroupNorm epsilon. */
  readonly groupNormEps: number;
  /** Chunk size of the parallel form. */
  readonly chunkSize: number;
}

function powerOfTwoSlopes(n: number, start: number | null): number[] {
  const ratio = 2 ** (-8 / n);
  const first = start ?? ratio;
  return Array.from({ length: n }, (_, i) => first * ratio ** i);
}

/**
 * ALiBi-style slopes of the reference code (`get_slopes`): for a power of two `H`, `start·r^i` with
 * `r = 2^{−8/H}` and `start = r` by default (the ALiBi slopes `2^{−8(i+1)/H}`); otherwise those of the
 * largest power of two below `H`, then every other slope of twice that many heads.
 */
export function supraSlopes(heads: number, start: number | null = null): number[] {
  const closest = 2 ** Math.floor(Math.log2(heads));
  if (closest === heads) return powerOfTwoSlopes(heads, start);
  const extra = supraSlopes(2 * closest).filter((_, i) => i % 2 === 0);
  return [...powerOfTwoSlopes(closest, start), ...extra.slice(0, heads - closest)];
}

/** Decays of the `'retnet'` option: `γ_h = 1 − 2^{−5−h}`. */
export function retnetDecays(heads: number): number[] {
  return Array.from({ length: heads }, (_, h) => 1 - 2 ** (-5 - h));
}

/**
 * Resolves `options` for a model of `config`.
 * @throws {@link SupraOptionError} naming the option.
 */
export function resolveSupraOptions(config: ModelConfig, options: SupraOptions = {}): SupraSettings {
  const op = 'convertToSupra';
  const heads = config.numHeads;
  const featureDim = options.featureDim ?? config.headDim;
  if (!Number.isInteger(featureDim) || featureDim < 1) {
    throw new SupraOptionError(op, 'featureDim', `must be a positive integer, got ${featureDim}`);
  }
  const rope = config.family === 'llama' && (options.rope ?? true);
  if (rope && featureDim % 2 !== 0) {
    throw new SupraOptionError(op, 'featureDim', `must be even to apply RoPE after φ, got ${featureDim}`);
  }
  if (options.featureInit === 'identity' && featureDim !== config.headDim) {
    throw new SupraOptionError(
      op,
      'featureInit',
      `'identity' needs featureDim = head dimension (${config.headDim}), got ${featureDim}`,
    );
  }
  const decayOption = options.decay ?? 'alibi';
  let decay: number[];
  if (decayOption === 'alibi')
    decay = supraSlopes(heads, options.decayStart ?? null).map((s) => Math.exp(-s));
  else if (decayOption === 'retnet') decay = retnetDecays(heads);
  else if (decayOption === 'none') decay = new Array<number>(heads).fill(1);
  else decay = [...decayOption];
  if (decay.length !== heads || decay.some((g) => !(g >= 0 && g <= 1))) {
    throw new SupraOptionError(op, 'decay', `must give ${heads} values in [0, 1], got [${decay.join(', ')}]`);
  }
  const chunkSize = options.chunkSize ?? DEFAULT_LINEAR_CHUNK_SIZE;
  if (!Number.isInteger(chunkSize) || chunkSize < 1) {
    throw new SupraOptionError(op, 'chunkSize', `must be a positive integer, got ${chunkSize}`);
  }
  const keyScale = options.keyScale ?? 1 / Math.sqrt(featureDim);
  if (!Number.isFinite(keyScale))
    throw new SupraOptionError(op, 'keyScale', `must be finite, got ${keyScale}`);
  const normalization = options.normalization ?? 'group-norm';
  if (!['group-norm', 'denominator', 'none'].includes(normalization)) {
    throw new SupraOptionError(op, 'normalization', `must be 'group-norm', 'denominator' or 'none'`);
  }
  return {
    featureDim,
    featureBias: options.featureBias ?? true,
    shareFeatureMap: options.shareFeatureMap ?? true,
    rope,
    keyScale,
    decay,
    normalization,
    groupNormEps: options.groupNormEps ?? 1e-5,
    chunkSize,
  };
}

/** Whether keys get their own feature map (grouped-query attention, or sharing turned off). */
export function hasKeyFeatureMap(config: ModelConfig, settings: SupraSettings): boolean {
  const kvHeads = config.family === 'llama' ? config.numKeyValueHeads : config.numHeads;
  return !settings.shareFeatureMap || kvHeads !== config.numHeads;
}

/** The `supra` section of a saved `config.json` (snake_case, like the rest of the file). */
export function supraSettingsToJson(settings: SupraSettings): Record<string, unknown> {
  return {
    feature_dim: settings.featureDim,
    feature_bias: settings.featureBias,
    share_feature_map: settings.shareFeatureMap,
    rope: settings.rope,
    key_scale: settings.keyScale,
    decay: [...settings.decay],
    normalization: settings.normalization,
    group_norm_eps: settings.groupNormEps,
    chunk_size: settings.chunkSize,
  };
}

/**
 * Reads the `supra` section of a saved `config.json`.
 * @throws {@link SupraOptionError} naming the field when it is invalid.
 */
export function supraSettingsFromJson(config: ModelConfig, json: unknown): SupraSettings {
  if (typeof json !== 'object' || json === null) {
    throw new SupraOptionError('config.json', 'supra', 'must be an object');
  }
  const j = json as Record<string, unknown>;
  const decay = j.decay;
  return resolveSupraOptions(config, {
    featureDim: j.feature_dim as number,
    featureBias: j.feature_bias as boolean,
    shareFeatureMap: j.share_feature_map as boolean,
    rope: j.rope as boolean,
    keyScale: j.key_scale as number,
    decay: Array.isArray(decay) ? (decay as number[]) : undefined,
    normalization: j.normalization as SupraSettings['normalization'],
    groupNormEps: j.group_norm_eps as number,
    chunkSize: j.chunk_size as number,
  });
}
