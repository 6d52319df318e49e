/**
 * WGSL helpers shared by every kernel: IEEE special values (read from the meta block, because WGSL rejects
 * infinite constant expressions), bitwise NaN/∞ tests that no compiler folds away, and NaN-propagating
 * `max`/`min` (the WGSL built-ins leave NaN unspecified).
 * @packageDocumentation
 */

/** Meta words 1 and 2 hold +∞ and a quiet NaN in every dispatch (set by the context). */
export const RESERVED_META_VALUES = [0x7f800000, 0x7fc00000] as const;

/** The helper functions. */
export const COMMON_WGSL = `
fn f32_inf() -> f32 { return bitcast<f32>(mu(1u)); }
fn f32_nan() -> f32 { return bitcast<f32>(mu(2u)); }
fn is_nan(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }
fn is_inf(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) == 0x7f800000u; }
fn is_neg_inf(x: f32) -> bool { return bitcast<u32>(x) == 0xff800000u; }
fn max_nan(a: f32, b: f32) -> f32 { if (is_nan(a)) { return a; } if (is_nan(b)) { return b; } return max(a, b); }
fn min_nan(a: f32, b: f32) -> f32 { if (is_nan(a)) { return a; } if (is_nan(b)) { return b; } return min(a, b); }
`;
