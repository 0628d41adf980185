// A source of a file's bytes as chunks (plain reads or gzip), with its line count.
export type Source = {
	chunks: AsyncGenerator<Buffer>;
	/** Bytes of the file read so far (compressed bytes for gzip). */
	position: () => number;
	/** Newlines counted so far (0 while a worker counts them). */
	newlines: () => number;
	/** The file's lines once read: newlines, plus a last line without one. */
	lines: () => Promise<number>;
};

/**
 * Every chunk to `each`, then `report`, in order; stops early (and returns true) when `signal`
 * is aborted. A chunk is only valid during the call: the source may reuse its buffer.
 */
export async function drain(source: Source, each: (chunk: Buffer) => void, report: () => void, signal?: AbortSignal): Promise<boolean> {
	for await (const chunk of source.chunks) {
		each(chunk);
		report();
		if (signal?.aborted) return true; // leaving the loop closes the source
	}
	return false;
}
