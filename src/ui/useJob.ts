// One hook for the UI's async work (issue 13): the exposure scan, the probe, the log analysis and
// each task of steps 3–5. One job at a time per hook; what is under way and its progress; what it
// said after (a note, or its error through the redactor); and Esc's cancel, as an AbortSignal the
// work passes to its engine. Tested in test/ui/use-job.test.tsx.
import {useRef, useState} from 'react';

export type JobMessage = {text: string; error?: boolean};

/** What a panel draws: nothing under way (maybe a note), a job under way, or its failure. */
export type JobState<P> = {kind: 'idle'; note?: string} | {kind: 'running'; what: string; progress?: P} | {kind: 'failed'; message: string};

export type JobControl<P> = {
	signal: AbortSignal;
	progress(progress: P): void;
	/** A job of several parts (fetch the logs, then read them) says what it does now. */
	retitle(what: string): void;
};

export type Job<P> = ReturnType<typeof useJob<P>>;

export function useJob<P = never>(redact: (text: string) => string) {
	const control = useRef<AbortController | undefined>(undefined);
	const [busy, setBusy] = useState<{what: string; progress?: P} | null>(null);
	const [message, setMessage] = useState<JobMessage | null>(null);

	/**
	 * Runs `work` unless a job is under way (then nothing happens). The text it returns is the note
	 * left after it; what it throws is the message, redacted. Resolves when the job is over.
	 */
	const run = async (what: string, work: (job: JobControl<P>) => Promise<string | void>): Promise<void> => {
		if (control.current) return;
		const own = new AbortController();
		control.current = own;
		let title = what;
		setBusy({what});
		setMessage(null);
		try {
			const note = await work({
				signal: own.signal,
				progress: progress => setBusy({what: title, progress}),
				retitle(next) {
					title = next;
					setBusy({what: next});
				},
			});
			if (typeof note === 'string') setMessage({text: note});
		} catch (error) {
			setMessage({text: redact(error instanceof Error ? error.message : String(error)), error: true});
		} finally {
			control.current = undefined;
			setBusy(null);
		}
	};

	const state: JobState<P> = busy ? {kind: 'running', what: busy.what, ...(busy.progress === undefined ? {} : {progress: busy.progress})} : message?.error ? {kind: 'failed', message: message.text} : message ? {kind: 'idle', note: message.text} : {kind: 'idle'};

	return {
		busy,
		message,
		state,
		run,
		/** Esc: the job under way is asked to stop (its engine sees the signal). */
		cancel: () => control.current?.abort(),
		/** A job is under way (read synchronously: keys can arrive before the next frame). */
		running: () => control.current !== undefined,
		say: (text: string, error = false) => setMessage({text, error}),
		clear: () => setMessage(null),
	};
}
