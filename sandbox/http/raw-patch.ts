// Test knob shared by both sandboxes: a raw patch over the JSON an API would send, to make it send a
// shape the real API should never send (a missing id, a null profile, an unknown status, extra fields).

/** A patch over a JSON object: objects merge into objects, `undefined` removes a key, anything else replaces. */
export type RawPatch = { readonly [key: string]: unknown };

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype;
}

export function applyRawPatch(json: Record<string, unknown>, patch: RawPatch): Record<string, unknown> {
  const out: Record<string, unknown> = { ...json };
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) {
      delete out[key];
      continue;
    }
    const current = out[key];
    out[key] = isPlainObject(value) && isPlainObject(current) ? applyRawPatch(current, value) : value;
  }
  return out;
}
