/**
 * Publishing tokens: `roux_OWNER_SECRET`, 32 random bytes of secret. The server stores only the
 * token's sha256, so a copy of the database lets nobody publish; the user name inside the token
 * picks the rows to compare with, and the comparison takes the same time whatever bytes match,
 * so response times do not leak a stored hash byte by byte. An operator names a token by its id,
 * the first characters of that sha256, to list and revoke it (`roux registry tokens` / `revoke`).
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { OWNER_PATTERN } from "../compiler/modules/registry-cache.js";
import type { Store } from "./store.js";

// Owners have no `_`, so the first one after the prefix ends the owner.
const TOKEN = new RegExp(`^roux_(${OWNER_PATTERN})_([A-Za-z0-9_-]{43})$`);

export function newToken(user: string): string {
  return `roux_${user}_${randomBytes(32).toString("base64url")}`;
}

export function tokenSha256(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

// 48 bits: ids of one user's tokens do not collide, and an id tells nothing about the secret.
export const TOKEN_ID_LENGTH = 12;

export function tokenId(token: string): string {
  return tokenSha256(token).slice(0, TOKEN_ID_LENGTH);
}

/** The user a token belongs to (recording its use), or undefined when it is not one of theirs. */
export function verifyToken(store: Store, token: string): string | undefined {
  const [, user] = TOKEN.exec(token) ?? [];
  if (user === undefined) return undefined;
  const sha256 = tokenSha256(token);
  const presented = Buffer.from(sha256, "hex");
  let found = false;
  for (const stored of store.tokenHashes(user)) {
    // No early exit: every stored token is compared.
    if (timingSafeEqual(presented, Buffer.from(stored, "hex"))) found = true;
  }
  if (!found) return undefined;
  store.tokenUsed(sha256);
  return user;
}
