/**
 * A minimal ONNX ModelProto encoder for benchmark baselines: one node over float tensors with static
 * shapes. Field numbers follow onnx/onnx.proto (ModelProto, GraphProto, NodeProto, ValueInfoProto,
 * TypeProto.Tensor, TensorShapeProto). Only what the baselines need; not a general exporter.
 */

class ProtoWriter {
  private readonly bytes: number[] = [];
  varint(value: number): this {
    let v = value;
    while (v > 0x7f) {
      this.bytes.push((v & 0x7f) | 0x80);
      v = Math.floor(v / 128);
    }
    this.bytes.push(v);
    return this;
  }
  /** Varint field (wire type 0). */
  int(field: number, value: number): this {
    return this.varint(field << 3).varint(value);
  }
  /** Length-delimited field (wire type 2) holding raw bytes. */
  raw(field: number, payload: Uint8Array): this {
    this.varint((field << 3) | 2).varint(payload.length);
    for (const b of payload) this.bytes.push(b);
    return this;
  }
  string(field: number, value: string): this {
    return this.raw(field, new TextEncoder().encode(value));
  }
  message(field: number, build: (w: ProtoWriter) => void): this {
    const inner = new ProtoWriter();
    build(inner);
    return this.raw(field, inner.finish());
  }
  finish(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

const FLOAT = 1; // TensorProto.DataType.FLOAT

function valueInfo(w: ProtoWriter, field: number, name: string, shape: readonly number[]): void {
  w.message(field, (vi) =>
    vi.string(1, name).message(2, (type) =>
      type.message(1, (tensor) =>
        tensor.int(1, FLOAT).message(2, (s) => {
          for (const d of shape) s.message(1, (dim) => dim.int(1, d));
        }),
      ),
    ),
  );
}

/** One graph input or output: name and static shape (float32). */
export interface OnnxValue {
  readonly name: string;
  readonly shape: readonly number[];
}

/** Encodes a model with a single `opType` node from `inputs` to `outputs` (opset 17). */
export function singleNodeModel(
  opType: string,
  inputs: readonly OnnxValue[],
  outputs: readonly OnnxValue[],
): Uint8Array {
  const w = new ProtoWriter();
  w.int(1, 8); // ir_version
  w.string(2, 'aaren-bench'); // producer_name
  w.message(8, (o) => o.string(1, '').int(2, 17)); // opset_import
  w.message(7, (g) => {
    g.message(1, (n) => {
      for (const i of inputs) n.string(1, i.name);
      for (const o of outputs) n.string(2, o.name);
      n.string(3, `${opType.toLowerCase()}0`).string(4, opType);
    });
    g.string(2, 'graph');
    for (const i of inputs) valueInfo(g, 11, i.name, i.shape);
    for (const o of outputs) valueInfo(g, 12, o.name, o.shape);
  });
  return w.finish();
}
