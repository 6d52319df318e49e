/**
 * {@link Corridor}: a tiny deterministic environment for the sequential-decision task, a scripted noisy
 * policy that generates trajectories from it, and rollouts of a {@link DecisionModel} (streaming, one step
 * per environment step).
 * @packageDocumentation
 */
import { argmax, type Backend, createRng, type Rng, tensor, tidy } from '@aaren/core';
import { ModelConfigError } from '../errors.js';
import type { DecisionModel } from '../models/decision-model.js';

/** Options of {@link Corridor}. */
export interface CorridorOptions {
  /** Cells `0 … length−1`. Default 9. */
  readonly length?: number;
  /** Steps per episode. Default 12. */
  readonly horizon?: number;
  /** Start cell. Default the middle. */
  readonly start?: number;
  /** Reward per step spent at the left end (cell 0). Default 1. */
  readonly leftReward?: number;
  /** Reward per step spent at the right end (cell `length − 1`). Default 2. */
  readonly rightReward?: number;
}

/** Actions of the corridor. */
export const CORRIDOR_ACTIONS = Object.freeze({ left: 0, right: 1 });

/**
 * A one-dimensional corridor: the agent starts in the middle and moves left or right (walls at both
 * ends); every step it then spends at the left end pays `leftReward`, at the right end `rightReward`. The
 * best return goes right at once (`rightReward · (horizon − steps to the right end + 1)`); going left
 * pays less; wandering pays nothing. Deterministic; observations are one-hot cell indices.
 */
export class Corridor {
  /** Number of cells. */
  readonly length: number;
  /** Steps per episode. */
  readonly horizon: number;
  /** Start cell. */
  readonly start: number;
  /** Reward at the left end. */
  readonly leftReward: number;
  /** Reward at the right end. */
  readonly rightReward: number;
  /** Number of actions (2). */
  readonly actions = 2;
  private cell = 0;
  private t = 0;

  constructor(options: CorridorOptions = {}) {
    this.length = options.length ?? 9;
    this.horizon = options.horizon ?? 12;
    this.start = options.start ?? Math.floor(this.length / 2);
    this.leftReward = options.leftReward ?? 1;
    this.rightReward = options.rightReward ?? 2;
    if (!Number.isInteger(this.length) || this.length < 3) {
      throw new ModelConfigError('Corridor', 'length', `must be an integer ≥ 3, got ${this.length}`);
    }
    if (!Number.isInteger(this.horizon) || this.horizon < 1) {
      throw new ModelConfigError('Corridor', 'horizon', `must be a positive integer, got ${this.horizon}`);
    }
    if (!Number.isInteger(this.start) || this.start < 0 || this.start >= this.length) {
      throw new ModelConfigError(
        'Corridor',
        'start',
        `must be a cell in [0, ${this.length}), got ${this.start}`,
      );
    }
    this.reset();
  }

  /** Observation size (one-hot cells). */
  get stateDim(): number {
    return this.length;
  }

  /** The best achievable return. */
  get maxReturn(): number {
    const right = Math.max(0, this.horizon - (this.length - 1 - this.start) + 1) * this.rightReward;
    const left = Math.max(0, this.horizon - this.start + 1) * this.leftReward;
    return Math.max(right, left);
  }

  /** Starts an episode; returns the first observation. */
  reset(): Float32Array {
    this.cell = this.start;
    this.t = 0;
    return this.observe();
  }

  /** The one-hot observation of the current cell. */
  observe(): Float32Array {
    const o = new Float32Array(this.length);
    o[this.cell] = 1;
    return o;
  }

  /** Current cell. */
  get position(): number {
    return this.cell;
  }

  /** Applies `action` (0 = left, 1 = right). */
  step(action: number): { observation: Float32Array; reward: number; done: boolean } {
    if (action !== 0 && action !== 1)
      throw new ModelConfigError('Corridor.step', 'action', `must be 0 or 1, got ${action}`);
    this.cell = Math.min(this.length - 1, Math.max(0, this.cell + (action === 1 ? 1 : -1)));
    this.t++;
    const reward = this.cell === 0 ? this.leftReward : this.cell === this.length - 1 ? this.rightReward : 0;
    return { observation: this.observe(), reward, done: this.t >= this.horizon };
  }
}

/** Trajectories as flat arrays (the layout of `decisionDataset`). */
export interface Trajectories {
  /** Episodes. */
  readonly count: number;
  /** Steps per episode. */
  readonly steps: number;
  /** Observation size. */
  readonly stateDim: number;
  /** `[count, steps, stateDim]`. */
  readonly observations: Float32Array;
  /** `[count, steps]` (i32). */
  readonly actions: Int32Array;
  /** Rewards `[count, steps]`. */
  readonly rewards: Float32Array;
  /** Returns-to-go `[count, steps]`: `Σ_{s ≥ t} reward_s`. */
  readonly returnsToGo: Float32Array;
  /** Episode returns `[count]`. */
  readonly returns: Float32Array;
}

/** Options of {@link corridorTrajectories}. */
export interface CorridorTrajectoryOptions extends CorridorOptions {
  /** Episodes. */
  readonly count: number;
  /** Seed of the scripted policy's randomness. Default 0. */
  readonly seed?: number;
  /** Largest per-episode probability of a random action (each episode draws its own in `[0, noise]`). Default 0.6. */
  readonly noise?: number;
}

/**
 * Episodes of a scripted policy with noise: each episode picks a goal end (left or right, equally likely)
 * and a noise level `ε ∈ [0, noise]`, then moves toward its goal, taking a random action with probability
 * `ε`. Returns range from 0 to the maximum, so return-conditioning has something to select.
 */
export function corridorTrajectories(options: CorridorTrajectoryOptions): Trajectories {
  const env = new Corridor(options);
  const rng: Rng = createRng(options.seed ?? 0);
  const noise = options.noise ?? 0.6;
  const { count } = options;
  const steps = env.horizon;
  const s = env.stateDim;
  const observations = new Float32Array(count * steps * s);
  const actions = new Int32Array(count * steps);
  const rewards = new Float32Array(count * steps);
  const returnsToGo = new Float32Array(count * steps);
  const returns = new Float32Array(count);
  for (let e = 0; e < count; e++) {
    let obs = env.reset();
    const goal = rng.next() < 0.5 ? 0 : 1;
    const eps = noise * rng.next();
    for (let t = 0; t < steps; t++) {
      observations.set(obs, (e * steps + t) * s);
      const a = rng.next() < eps ? rng.int(2) : goal;
      actions[e * steps + t] = a;
      const r = env.step(a);
      rewards[e * steps + t] = r.reward;
      obs = r.observation;
    }
    let acc = 0;
    for (let t = steps - 1; t >= 0; t--) {
      acc += rewards[e * steps + t]!;
      returnsToGo[e * steps + t] = acc;
    }
    returns[e] = acc;
  }
  return { count, steps, stateDim: s, observations, actions, rewards, returnsToGo, returns };
}

/**
 * Runs one episode with `model` choosing actions (greedy, argmax of the logits), conditioned on
 * `targetReturn`: the model is streamed one step per environment step (`createState` / `step`: O(1) per
 * step for Aaren), the return-to-go decreases by each reward received. Resolves to the episode's return.
 */
export async function rolloutDecisionModel(
  model: DecisionModel,
  env: Corridor,
  targetReturn: number,
): Promise<number> {
  const backend: Backend = model.backend;
  const state = model.createState(1);
  let observation = env.reset();
  let rtg = targetReturn;
  let previous = -1;
  let total = 0;
  try {
    for (let t = 0; t < env.horizon; t++) {
      const choice = tidy(() =>
        argmax(
          model.step(state, {
            returnToGo: tensor(backend, [rtg], [1]),
            observation: tensor(backend, observation, [1, env.stateDim]),
            previousAction: tensor(backend, new Int32Array([previous]), [1]),
          }),
          -1,
        ),
      );
      let action: number;
      try {
        action = (await choice.data())[0]!;
      } finally {
        choice.dispose();
      }
      const r = env.step(action);
      total += r.reward;
      rtg -= r.reward;
      previous = action;
      observation = r.observation;
      if (r.done) break;
    }
  } finally {
    state.dispose();
  }
  return total;
}

/** Mean return of the uniformly random policy over `episodes` episodes. */
export function randomPolicyReturn(env: Corridor, episodes: number, seed = 0): number {
  const rng = createRng(seed);
  let sum = 0;
  for (let e = 0; e < episodes; e++) {
    env.reset();
    for (let t = 0; t < env.horizon; t++) sum += env.step(rng.int(2)).reward;
  }
  return sum / episodes;
}
