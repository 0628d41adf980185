// leakfix verify --provider ID --key-stdin [--json]: one read-only probe of the key.
import {safeJson, visible} from '../core/text.js';
import {UserError} from '../infra/errors.js';
import type {CommandIo, Values} from './options.js';
import {readKey} from './stdin.js';
import {keyFormatOf, leakedKey} from '../core/leaked-key.js';

/** Exit 0 live, 3 revoked, 4 unknown. */
export async function run(values: Values, _rest: string[], io: CommandIo): Promise<number> {
	if (values.provider === undefined) throw new UserError('leakfix verify needs --provider ID.', 'See leakfix providers for the ids.');
	if (values['key-stdin'] !== true) throw new UserError('leakfix verify needs the key on stdin: --key-stdin.');
	const {loadPlaybooks, findProvider} = await import('../playbooks/load.js');
	const provider = findProvider(await loadPlaybooks(), values.provider);
	const key = leakedKey(await readKey(io, {pair: keyFormatOf(provider) === 'aws-pair'}), keyFormatOf(provider));
	const {probeKey, probeBaseUrl} = await import('../engines/probe.js');
	const baseUrl = probeBaseUrl();
	const result = await probeKey(provider, key.raw, baseUrl === undefined ? {} : {baseUrl});
	// The reason and details quote the provider's answer (team and user names, error text).
	if (values.json) io.stdout.write(`${safeJson(result, 2)}\n`);
	else {
		io.stdout.write(`${result.status}: ${visible(result.reason)}\n  request: ${visible(result.request)}\n`);
		for (const [name, value] of Object.entries(result.details ?? {})) io.stdout.write(`  ${visible(name)}: ${visible(String(value))}\n`);
		// What the key can do (src/core/scopes.ts): the provider's words, shown through visible().
		const blast = result.blastRadius;
		if (blast) {
			io.stdout.write(`  can do: ${visible(`${blast.power.toUpperCase()} (${blast.why})`)}\n`);
			for (const fact of blast.facts) io.stdout.write(`    ${visible(fact.label)}: ${visible(fact.value)}\n`);
			for (const note of blast.notes) io.stdout.write(`    note: ${visible(note)}\n`);
		}
	}
	return {live: 0, revoked: 3, unknown: 4}[result.status];
}
