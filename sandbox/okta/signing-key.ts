// The authorization server's token signing key: a real RSA key pair, generated once when first needed (keeping
// sandboxes that never sign anyone in fast to start), published as a JWKS with its key id.
import { generateKeyPair, type KeyObject } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, type JWK } from 'jose';

/** The private key that signs (RS256), its public half, the key id (`kid`) and the public JWK as GET /v1/keys lists it. */
export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  jwk: JWK;
}

/** Generates a 2048-bit RSA signing key; the kid is the RFC 7638 thumbprint of its public JWK. */
export async function generateSigningKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await new Promise<{ privateKey: KeyObject; publicKey: KeyObject }>((resolve, reject) => {
    generateKeyPair('rsa', { modulusLength: 2048 }, (error, pub, priv) => (error ? reject(error) : resolve({ privateKey: priv, publicKey: pub })));
  });
  const exported = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(exported);
  return { kid, privateKey, publicKey, jwk: { ...exported, kid, alg: 'RS256', use: 'sig' } };
}
