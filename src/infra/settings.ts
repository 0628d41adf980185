// Settings read from the environment, at the edge (the UI and the core never read process.env).

/** Seconds before the old key is probed again when it still answers (revocation can take minutes). */
export function recheckDelay(env: NodeJS.ProcessEnv = process.env): number {
	const value = Number(env.LEAKFIX_REVOKE_RECHECK_SECONDS ?? 120);
	return Number.isFinite(value) && value >= 0 ? value : 120;
}
