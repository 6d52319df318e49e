import { cpuBackend, requireGrad, tensor } from '@aaren/core';
import { expectAllClose } from '@aaren/core/testing';
import { describe, expect, it } from 'vitest';
import { gradcheck } from '../../test/helpers/gradcheck.js';
import { logNormalMixtureLogProb, logNormalMixtureMean, logNormalMixtureNll } from './log-normal-mixture.js';

const backend = cpuBackend();

/** Direct float64 density: p(τ) = Σ_m π_m · 1/(τ σ_m √(2π)) · exp(−(log τ − μ_m)² / (2σ_m²)). */
function density64(logits: number[], means: number[], logScales: number[], tau: number): number {
  const mx = Math.max(...logits);
  const z = logits.reduce((s, l) => s + Math.exp(l - mx), 0);
  let p = 0;
  logits.forEach((l, m) => {
    const pi = Math.exp(l - mx) / z;
    const sigma = Math.exp(logScales[m]!);
    const d = Math.log(tau) - means[m]!;
    p += (pi / (tau * sigma * Math.sqrt(2 * Math.PI))) * Math.exp(-(d * d) / (2 * sigma * sigma));
  });
  return p;
}

describe('log-normal mixture', () => {
  const logits = [
    [0.3, -1.2, 2.0],
    [0.0, 0.0, 0.0],
  ];
  const means = [
    [-1.0, 0.5, 2.0],
    [0.1, -0.3, 1.5],
  ];
  const logScales = [
    [-0.5, 0.2, 0.7],
    [0.0, -1.0, 0.4],
  ];
  const taus = [0.37, 4.2];

  it('log-density equals a direct float64 computation', () => {
    const mixture = {
      logits: tensor(backend, logits),
      means: tensor(backend, means),
      logScales: tensor(backend, logScales),
    };
    const got = logNormalMixtureLogProb(mixture, tensor(backend, taus)).dataSync();
    const want = taus.map((t, i) => Math.log(density64(logits[i]!, means[i]!, logScales[i]!, t)));
    expectAllClose(got, want, { atol: 1e-5, rtol: 1e-5 });
    const nll = logNormalMixtureNll(mixture, tensor(backend, taus)).dataSync();
    expectAllClose(
      nll,
      want.map((w) => -w),
      { atol: 1e-5, rtol: 1e-5 },
    );
  });

  it('integrates to 1 and has the stated mean (numerical quadrature in log τ)', () => {
    const l = logits[0]!;
    const mu = means[0]!;
    const ls = logScales[0]!;
    // ∫ p(τ) dτ = ∫ p(e^x) e^x dx over x = log τ.
    let mass = 0;
    let first = 0;
    const dx = 1e-3;
    for (let x = -12; x < 14; x += dx) {
      const tau = Math.exp(x);
      const p = density64(l, mu, ls, tau) * tau * dx;
      mass += p;
      first += p * tau;
    }
    expect(mass).toBeCloseTo(1, 5);
    const mean = logNormalMixtureMean({
      logits: tensor(backend, [l]),
      means: tensor(backend, [mu]),
      logScales: tensor(backend, [ls]),
    }).dataSync()[0]!;
    expect(mean / first).toBeCloseTo(1, 4);
  });

  it('has gradients equal to finite differences in every parameter', () => {
    const report = gradcheck(
      (a, b, c) => logNormalMixtureNll({ logits: a, means: b, logScales: c }, tensor(backend, taus)),
      [
        requireGrad(tensor(backend, logits)),
        requireGrad(tensor(backend, means)),
        requireGrad(tensor(backend, logScales)),
      ],
    );
    expect(report.failures).toEqual([]);
    expect(report.checked).toBe(18);
  });
});
