/** What the operator allows (apps/api env.ts), passed to the procedures in the context. */
export interface TPolicy {
  /** auth.signUp open to anyone (HZ_SIGN_UP); off: accounts come from invitations and seeding only. */
  signUp: boolean;
  /** URL prefixes transfer.modelUrl may name (HZ_MODEL_URL_ALLOWLIST); empty: no modelUrl accepted. */
  modelUrlPrefixes: readonly string[];
  /** The team whose workers form the platform pool (HZ_PLATFORM_POOL_TEAM); null: no platform pool. */
  platformPoolTeamId: string | null;
}
