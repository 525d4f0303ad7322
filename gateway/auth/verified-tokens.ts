/**
 * Access tokens already verified, by their exact text. The agent console and a customer's page present the
 * same token on every request and every stream they open, and each verification cost a signature check and a
 * zod parse of the claims (issue 9: a ticket's POST and its two streams verified three tokens, two of them
 * seen before). A token's text fixes its signature and its claims, and the keys are loaded once per process,
 * so a token that verified once verifies the same way until it expires: a hit re-checks only the expiry, with
 * the same tolerance jsonwebtoken applies. Failures are never kept: a refused token is checked afresh.
 */
import type { Principal } from './jwt';

/** How many tokens are kept; past it the oldest kept goes first (a Map keeps insertion order). */
export const VERIFIED_TOKENS_MAX = 4_096;

export class VerifiedTokens {
  private readonly kept = new Map<string, Principal>();

  constructor(
    /** Whole seconds, as jsonwebtoken's `clockTolerance` is given. */
    private readonly toleranceSec: number,
    private readonly max = VERIFIED_TOKENS_MAX,
    private readonly now: () => number = Date.now,
  ) {}

  /** The principal `token` verified to, or undefined when it is not kept or has expired since. */
  get(token: string): Principal | undefined {
    const principal = this.kept.get(token);
    if (principal === undefined) return undefined;
    // jsonwebtoken refuses once floor(now / 1000) >= exp + tolerance; expiresAt is exp * 1000.
    if (Math.floor(this.now() / 1000) * 1000 >= principal.expiresAt + this.toleranceSec * 1000) {
      this.kept.delete(token);
      return undefined;
    }
    // A copy: a caller that changes its principal must not change the next request's.
    return { ...principal };
  }

  keep(token: string, principal: Principal): void {
    if (this.kept.size >= this.max) this.kept.delete(this.kept.keys().next().value!);
    this.kept.set(token, { ...principal });
  }

  get size(): number {
    return this.kept.size;
  }
}
