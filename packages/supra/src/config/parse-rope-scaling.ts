/**
 * Parsing of RoPE settings: `rope_theta` with `rope_scaling` (transformers 4.x) or `rope_parameters`
 * (transformers 5).
 * @internal
 * @packageDocumentation
 */
import { ConfigError } from '../errors.js';
import { FieldReader } from './field-reader.js';
import type { RopeScaling } from './model-config.js';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads `rope_theta` and the scaling variant of a Llama-family config. @internal */
export function parseRopeScaling(
  r: FieldReader,
  maxPositionEmbeddings: number,
): { theta: number; scaling: RopeScaling } {
  const parameters = r.raw.rope_parameters;
  let section: unknown = r.raw.rope_scaling;
  let sectionName = 'rope_scaling';
  let theta = r.number('rope_theta', 10000);
  if (isObject(parameters)) {
    section = parameters;
    sectionName = 'rope_parameters';
    theta = new FieldReader(parameters, r.fileName, 'rope_parameters.').number('rope_theta', theta);
  }
  if (section === undefined || section === null) return { theta, scaling: { type: 'default' } };
  if (!isObject(section)) {
    throw new ConfigError(
      r.fileName,
      sectionName,
      `must be an object or null, got ${JSON.stringify(section)}`,
    );
  }
  const s = new FieldReader(section, r.fileName, `${sectionName}.`);
  const type = s.string('rope_type', typeof section.type === 'string' ? section.type : 'default');
  switch (type) {
    case 'default':
      return { theta, scaling: { type: 'default' } };
    case 'linear':
    case 'dynamic':
      return { theta, scaling: { type, factor: s.number('factor') } };
    case 'llama3': {
      const scaling: RopeScaling = {
        type,
        factor: s.number('factor'),
        lowFreqFactor: s.number('low_freq_factor'),
        highFreqFactor: s.number('high_freq_factor'),
        originalMaxPositionEmbeddings: s.positiveInteger('original_max_position_embeddings'),
      };
      if (scaling.highFreqFactor <= scaling.lowFreqFactor) {
        throw new ConfigError(
          r.fileName,
          `${sectionName}.high_freq_factor`,
          'must be greater than low_freq_factor',
        );
      }
      return { theta, scaling };
    }
    case 'yarn':
      return {
        theta,
        scaling: {
          type,
          factor: s.number('factor'),
          attentionFactor: s.optionalNumber('attention_factor'),
          betaFast: s.optionalNumber('beta_fast'),
          betaSlow: s.optionalNumber('beta_slow'),
          mscale: s.optionalNumber('mscale'),
          mscaleAllDim: s.optionalNumber('mscale_all_dim'),
          originalMaxPositionEmbeddings:
            section.original_max_position_embeddings === undefined ||
            section.original_max_position_embeddings === null
              ? null
              : s.positiveInteger('original_max_position_embeddings', maxPositionEmbeddings),
          truncate: s.boolean('truncate', true),
        },
      };
    default:
      throw new ConfigError(
        r.fileName,
        `${sectionName}.rope_type`,
        `'${type}' is not supported (supported: default, linear, dynamic, llama3, yarn)`,
      );
  }
}
