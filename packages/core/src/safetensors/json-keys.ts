/**
 * Duplicate-key detection for JSON text. `JSON.parse` silently keeps the last of two equal keys, which
 * would let a file hold two tensors of one name; this scanner finds such keys.
 * @packageDocumentation
 */

/**
 * Finds the first object key that occurs twice in the same JSON object of `text`, and returns the path of
 * keys to it (`['a', 'b']`: key `b` appears twice in the object at `a`), or `null` when every key is unique.
 * Keys are compared after decoding escapes (`"a"` equals `"\u0061"`). Array elements add no path entry.
 *
 * Meant for text that `JSON.parse` accepted; on other text it returns without hanging (linear time),
 * but its answer is unspecified.
 */
export function findDuplicateKey(text: string): string[] | null {
  // One frame per open object or array: the keys seen so far (objects) or null (arrays).
  const frames: (Set<string> | null)[] = [];
  // The key whose value is being read, per open object (for the returned path).
  const path: string[] = [];
  let expectKey = false;
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      let j = i + 1;
      let escaped = false;
      while (j < n) {
        const d = text.charCodeAt(j);
        if (d === 0x5c /* \ */) {
          escaped = true;
          j += 2;
        } else if (d === 0x22) break;
        else j++;
      }
      const top = frames[frames.length - 1];
      if (expectKey && top) {
        let key: string;
        try {
          key = escaped ? (JSON.parse(text.slice(i, j + 1)) as string) : text.slice(i + 1, j);
        } catch {
          return null;
        }
        if (top.has(key)) {
          const outer = path.slice(0, frames.length - 1).filter((_, k) => frames[k] !== null);
          return [...outer, key];
        }
        top.add(key);
        path[frames.length - 1] = key;
        expectKey = false;
      }
      i = j + 1;
      continue;
    }
    if (c === 0x7b /* { */) {
      frames.push(new Set());
      expectKey = true;
    } else if (c === 0x5b /* [ */) {
      frames.push(null);
      path[frames.length - 1] = '';
      expectKey = false;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      frames.pop();
      path.length = frames.length;
      expectKey = false;
    } else if (c === 0x2c /* , */) {
      expectKey = frames[frames.length - 1] != null;
    }
    i++;
  }
  return null;
}
