// Group orders n of the NIST curves (FIPS 186-4 D.1.2 / SEC 2), big-endian, padded to the
// component length JWA uses for r and s (RFC 7518 §3.4).
const ORDERS: Record<number, Uint8Array> = {
  32: Buffer.from('ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551', 'hex'),
  48: Buffer.from(
    'ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973',
    'hex',
  ),
  66: Buffer.from(
    '01ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff' +
      'fa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409',
    'hex',
  ),
};

/** The group order for a component length; exported for tests that build edge-case signatures. */
export function curveOrder(componentBytes: number): Uint8Array {
  const order = ORDERS[componentBytes];
  if (!order) throw new TypeError(`No curve has ${componentBytes}-byte signature components.`);
  return order;
}

/**
 * True when a raw r‖s signature has exactly 2×componentBytes bytes and both r and s lie in [1, n−1].
 * Checked before the signature reaches node:crypto, so a zero or out-of-range value (the
 * CVE-2022-21449 "psychic signature" family) is refused whatever the library underneath does.
 */
export function isEcdsaSignatureInRange(signature: Uint8Array, componentBytes: number): boolean {
  if (signature.length !== componentBytes * 2) return false;
  const order = curveOrder(componentBytes);
  return (
    isInRange(signature.subarray(0, componentBytes), order) &&
    isInRange(signature.subarray(componentBytes), order)
  );
}

function isInRange(value: Uint8Array, order: Uint8Array): boolean {
  let nonZero = false;
  let comparison = 0; // sign of (value − order), decided by the first differing byte
  for (let i = 0; i < value.length; i++) {
    const byte = value[i]!;
    if (byte !== 0) nonZero = true;
    if (comparison === 0 && byte !== order[i]) comparison = byte < order[i]! ? -1 : 1;
  }
  return nonZero && comparison < 0;
}
