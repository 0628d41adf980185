// Reading a provider's answer, capped: shared by the liveness probe (probe.ts) and the scope
// analyzer's follow-up requests (scopes.ts). A module of its own so neither imports the other
// (probe.ts loads scopes.ts lazily, for a live key with an analyzer).

/** At most this many bytes of a probe's answer are read; the rest is never downloaded. */
export const PROBE_BODY_LIMIT = 64 * 1024;

/**
 * The first `limit` bytes of a response body, decoded as UTF-8. The body is read as a stream and
 * the reader cancelled at the cap, which closes the connection: a 400 MB answer costs 64 KB.
 */
export async function readCapped(response: Response, limit: number): Promise<string> {
	if (!response.body) return '';
	const reader = response.body.getReader();
	const chunks: Uint8Array[] = [];
	let total = 0;
	try {
		while (total < limit) {
			const {done, value} = await reader.read();
			if (done) break;
			const wanted = value.subarray(0, limit - total);
			chunks.push(wanted);
			total += wanted.length;
		}
	} finally {
		// Whatever is left (or an error part way) is not downloaded.
		await reader.cancel().catch(() => undefined);
	}
	// A character cut at the cap becomes U+FFFD, never a thrown error.
	return new TextDecoder('utf-8').decode(Buffer.concat(chunks));
}
