"""Writes the safetensors fixtures used by the tests, with the reference implementation.

Run from this directory (not part of the test run; the outputs are committed):

    python3 -m venv /tmp/st && /tmp/st/bin/pip install safetensors numpy ml_dtypes
    /tmp/st/bin/python make_fixture.py

Outputs:
- reference.safetensors: tensors of every dtype aaren reads, written by Python's `safetensors`.
- reference.expected.json: for each tensor its dtype, shape and values as NumPy converts them to float64
  (non-finite values and -0 as the strings "inf", "-inf", "nan", "-0").
- writer.safetensors + writer.inputs.json: tensors of the dtypes aaren writes, built from f32/int32 inputs
  (F16/BF16 rounded by NumPy/ml_dtypes); aaren's writer must produce the same bytes.
- conversions.json: f32 bit patterns with their float16 and bfloat16 bit patterns as NumPy/ml_dtypes round them.
"""

import json
import math
import struct

import ml_dtypes
import numpy as np
from safetensors.numpy import save

BF16 = ml_dtypes.bfloat16
E4M3 = ml_dtypes.float8_e4m3fn
E5M2 = ml_dtypes.float8_e5m2


def encode(value):
    v = float(value)
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    if v == 0 and math.copysign(1, v) < 0:
        return "-0"
    return v


reference = {
    "f32": np.array([[1.5, -2.25, 3e-8], [65504, 1e30, -0.0]], dtype=np.float32),
    "f64": np.array([0.1, -1e300, 1e-50, 2.5], dtype=np.float64),
    "f16": np.array(
        [1, -2, 65504, 6.103515625e-05, 5.960464477539063e-08, 0.1, 3.14159, np.inf, np.nan, -0.0],
        dtype=np.float16,
    ),
    "bf16": np.array([[1.5, 3.14159], [-1e38, 1e-40]], dtype=BF16),
    "f8_e4m3": np.array([1, 448, -0.5, 0.001953125, np.nan], dtype=E4M3),
    "f8_e5m2": np.array([1, 57344, -np.inf, 1.52587890625e-05], dtype=E5M2),
    "i64": np.array([0, -1, 2147483647, -2147483648], dtype=np.int64),
    "i64_big": np.array([1, 2**40], dtype=np.int64),
    "u64": np.array([0, 2147483647], dtype=np.uint64),
    "u32": np.array([0, 2147483647], dtype=np.uint32),
    "i32": np.array([[7, -8], [2147483647, -2147483648]], dtype=np.int32),
    "u16": np.array([0, 65535], dtype=np.uint16),
    "i16": np.array([-32768, 32767, 5], dtype=np.int16),
    "i8": np.array([-128, 127], dtype=np.int8),
    "u8": np.array([0, 128, 255], dtype=np.uint8),
    "bool": np.array([True, False, True], dtype=bool),
    "scalar": np.array(42.0, dtype=np.float32),
    "empty": np.zeros((0, 3), dtype=np.float32),
    "model.layers.0.self_attn.q_proj.weight": np.arange(12, dtype=np.float32).reshape(3, 4) / 8,
}
reference_metadata = {"format": "np", "source": "make_fixture.py"}

with open("reference.safetensors", "wb") as f:
    f.write(save(reference, metadata=reference_metadata))

expected = {
    "metadata": reference_metadata,
    "tensors": {
        name: {
            "dtype": None,
            "shape": list(array.shape),
            "values": [encode(v) for v in array.astype(np.float64).reshape(-1)],
        }
        for name, array in reference.items()
    },
}
names = {
    np.dtype(np.float32): "F32",
    np.dtype(np.float64): "F64",
    np.dtype(np.float16): "F16",
    np.dtype(BF16): "BF16",
    np.dtype(E4M3): "F8_E4M3",
    np.dtype(E5M2): "F8_E5M2",
    np.dtype(np.int64): "I64",
    np.dtype(np.uint64): "U64",
    np.dtype(np.uint32): "U32",
    np.dtype(np.int32): "I32",
    np.dtype(np.uint16): "U16",
    np.dtype(np.int16): "I16",
    np.dtype(np.int8): "I8",
    np.dtype(np.uint8): "U8",
    np.dtype(bool): "BOOL",
}
for name, array in reference.items():
    expected["tensors"][name]["dtype"] = names[array.dtype]
with open("reference.expected.json", "w") as f:
    json.dump(expected, f, indent=1)

# Inputs for the writer comparison: f32 values (as bit patterns) or int32 values, and the stored dtype.
rng = np.random.default_rng(7)
f32_values = np.concatenate(
    [
        np.array([0, -0.0, 1, -2, 0.1, 65504, 65519, 65520, 1e-8, 3e-5, 1e30, np.inf, -np.inf], dtype=np.float32),
        (rng.standard_normal(19) * 100).astype(np.float32),
    ]
)
int_values = np.array([0, 1, -1, 127, -128, 42], dtype=np.int32)
writer_inputs = {
    "w.f32": ("F32", [4, 8], f32_values),
    "w.f16": ("F16", [32], f32_values),
    "w.bf16": ("BF16", [2, 16], f32_values),
    "w.f64": ("F64", [32], f32_values),
    "b.i64": ("I64", [6], int_values),
    "b.i32": ("I32", [2, 3], int_values),
    "b.i16": ("I16", [6], int_values),
    "b.i8": ("I8", [6], int_values),
    "b.u8": ("U8", [3], np.array([0, 200, 255], dtype=np.int32)),
    "b.bool": ("BOOL", [3], np.array([1, 0, 1], dtype=np.int32)),
    "scalar": ("F32", [], np.array([-7.5], dtype=np.float32)),
    "empty": ("I32", [2, 0], np.zeros(0, dtype=np.int32)),
}
np_types = {
    "F32": np.float32,
    "F16": np.float16,
    "BF16": BF16,
    "F64": np.float64,
    "I64": np.int64,
    "I32": np.int32,
    "I16": np.int16,
    "I8": np.int8,
    "U8": np.uint8,
    "BOOL": bool,
}
writer_arrays = {
    name: values.astype(np_types[dtype]).reshape(shape) for name, (dtype, shape, values) in writer_inputs.items()
}
writer_metadata = {"format": "pt"}
with open("writer.safetensors", "wb") as f:
    f.write(save(writer_arrays, metadata=writer_metadata))
with open("writer.inputs.json", "w") as f:
    json.dump(
        {
            "metadata": writer_metadata,
            "tensors": {
                name: {
                    "dtype": dtype,
                    "shape": shape,
                    "array": "f32" if values.dtype == np.float32 else "i32",
                    # f32 inputs as bit patterns so no value is lost in JSON.
                    "values": [int(v) for v in (values.view(np.uint32) if values.dtype == np.float32 else values)],
                }
                for name, (dtype, shape, values) in writer_inputs.items()
            },
        },
        f,
        indent=1,
    )

# f32 → f16 / bf16 rounding by NumPy and ml_dtypes (round to nearest, ties to even).
bits = np.concatenate(
    [
        rng.integers(0, 2**32, size=3000, dtype=np.uint64).astype(np.uint32),
        # Ties and near-ties around the f16 and bf16 rounding points, subnormals and overflow.
        np.array(
            [0x3F801000, 0x3F803000, 0x3F800FFF, 0x3F801001, 0x477FF000, 0x477FEFFF, 0x33000000, 0x33000001,
             0x32FFFFFF, 0x387FE000, 0x387FF000, 0x3F808000, 0x3F818000, 0x3F807FFF, 0x7F7FFFFF, 0x00000001,
             0x80000000, 0x7F800000, 0xFF800000, 0x7FC00000, 0x7F800001],
            dtype=np.uint32,
        ),
    ]
)
as_f32 = bits.view(np.float32)
with np.errstate(over="ignore", invalid="ignore"):
    f16_bits = as_f32.astype(np.float16).view(np.uint16)
    bf16_bits = as_f32.astype(BF16).view(np.uint16)
finite = ~np.isnan(as_f32)
with open("conversions.json", "w") as f:
    json.dump(
        {
            "f32": [int(b) for b in bits[finite]],
            "f16": [int(b) for b in f16_bits[finite]],
            "bf16": [int(b) for b in bf16_bits[finite]],
        },
        f,
    )
print("wrote reference.safetensors, reference.expected.json, writer.safetensors, writer.inputs.json, conversions.json")
