// The log engine's inputs and answers (the UI and `leakfix logs` speak these).
import type {AnalysisOptions, LogAnalysis} from '../../core/logs/analyze.js';
import type {FieldMap, LogFormat} from '../../core/logs/formats.js';

export type KeyMatch = {kind: 'key'; key: string} | {kind: 'key-id'; id: string} | {kind: 'all'};

export type LogsProgress = {file: string; fileIndex: number; files: number; bytes: number; totalBytes: number; lines: number; keyLines: number; elapsedMs: number};

export type LogsOptions = {
	match: KeyMatch;
	format?: LogFormat;
	fields: FieldMap;
	analysis: Omit<AnalysisOptions, 'redact'>;
	signal?: AbortSignal;
	onProgress?: (progress: LogsProgress) => void;
	/** Bytes per read (tests go down to 1 to prove lines and keys that straddle reads are found). */
	chunkSize?: number;
};

export type LogFileResult = {
	path: string;
	format: LogFormat;
	gzip: boolean;
	bytes: number;
	lines: number;
	keyLines: number;
	malformed: number;
	/** Read up to an error (a truncated gzip): what was read counts. */
	error?: string;
	/** Who searched it: grep (big plain files) or leakfix itself. */
	searchedBy?: 'grep';
};

export type LogsResult = {
	files: LogFileResult[];
	skipped: Array<{path: string; reason: string}>;
	lines: number;
	bytes: number;
	durationMs: number;
	cancelled: boolean;
	analysis: LogAnalysis;
};

/** An input problem with one file (binary, empty, unknown format): skipped when others remain. */
export class LogInputError extends Error {}
