// What a log line is searched for (the key's forms, or its id, or nothing: every line), and how
// an example line is masked before it leaves. Built once per analysis.
import {clean} from '../../core/logs/formats.js';
import {keyNeedles, type Needle, searchNeedles} from '../../core/needles.js';
import {createRedactor} from '../../core/secrets.js';
import type {KeyMatch} from './types.js';

export type KeySearch = {
	/** The key's forms (as typed, every percent spelling, the partial needle), or the id; null: every line. */
	forms: Needle[] | null;
	/** The bytes searched for, and which of them are partial (a match stands only if `holdsKey` confirms it). */
	needles: Buffer[] | null;
	partial: boolean[];
	confirmLines: boolean;
	/** The key id searched for (it must stand alone as a word), or null. */
	keyId: string | null;
};

export function keySearch(match: KeyMatch): KeySearch {
	// The key's forms (as typed, every percent spelling, and the partial needle whose matches are
	// confirmed by decoding: ghp%5F…), or the key id; null: every line.
	const forms: Needle[] | null =
		match.kind === 'key'
			? keyNeedles(match.key, {partial: true}).filter(needle => needle.form !== 'base64')
			: match.kind === 'key-id'
				? [{form: 'raw', bytes: Buffer.from(match.id, 'utf8')}]
				: null;
	// What is searched for: the partial needle finds the key as typed and every spelling that
	// leaves its letters and digits alone, so those forms are not searched again; a line found by
	// the partial needle holds the key only if `holdsKey` says so (an exact form, or confirmed).
	const searched = forms === null ? null : searchNeedles(forms);
	return {
		forms,
		needles: searched === null ? null : searched.map(needle => needle.bytes),
		partial: searched === null ? [] : searched.map(needle => needle.confirm !== undefined),
		confirmLines: searched !== null && searched.some(needle => needle.confirm),
		keyId: match.kind === 'key-id' ? match.id : null,
	};
}

/**
 * Examples leave masked: every known form of the key, query strings, and any word or path
 * segment that decodes (once or twice, + as space or not) to something holding the key.
 */
export function exampleRedactor(match: KeyMatch): (line: string) => string {
	const redactor = createRedactor(match.kind === 'key' ? [match.key] : []);
	const secret = match.kind === 'key' ? match.key : null;
	return (line: string) => {
		let out = clean(redactor.text(line)).replace(/\?[^\s"']*/g, '?…');
		if (secret !== null) {
			out = out.replace(/[^\s"'/]{8,}/g, word => {
				const variants = [word];
				for (let round = 0; round < 2; round++) {
					for (const variant of [...variants]) {
						try {
							variants.push(decodeURIComponent(variant), decodeURIComponent(variant.replace(/\+/g, ' ')));
						} catch {}
					}
				}
				return variants.some(variant => variant.includes(secret)) ? '…' : word;
			});
		}
		return out;
	};
}
