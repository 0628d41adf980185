// `leakfix inventory`: service discovery without the UI.
import {storeAddress} from '../core/inventory/address.js';
import type {InventoryDiscovery} from '../engines/inventory/index.js';
import {safeJson, visible, visibleBlock} from '../core/text.js';
import {UserError} from '../infra/errors.js';
import type {CommandIo, Values} from './options.js';
import {readKey} from './stdin.js';
import {keyFormatOf, leakedKey} from '../core/leaked-key.js';

export function renderInventoryText(result: InventoryDiscovery, envVars: string[]): string {
	const out: string[] = [`Looked for ${envVars.join(', ')}${result.references.some(ref => ref.kind === 'literal') ? ' and the key itself' : ''} in ${result.files} file(s) of ${visible(result.repos.join(', '))}.`];
	for (const warning of result.warnings) out.push(`  ! ${visible(warning)}`);
	if (result.entries.length === 0) {
		out.push('No consumers found. Add them by hand in the wizard (step 3), or pass --env-var NAME for other variable names.');
		return visibleBlock(`${out.join('\n')}\n`);
	}
	out.push('', `${result.entries.length} proposed inventory entr${result.entries.length === 1 ? 'y' : 'ies'}:`);
	for (const entry of result.entries) {
		out.push(`  ${visible(entry.service)} [${visible(entry.environment)}] — ${visible(storeAddress(entry.store))}`);
		for (const evidence of entry.evidence.slice(0, 5)) out.push(`      ${visible(evidence)}`);
		if (entry.evidence.length > 5) out.push(`      … ${entry.evidence.length - 5} more`);
	}
	return visibleBlock(`${out.join('\n')}\n`);
}

/** leakfix inventory: in repositories here, or across an organisation with --org. */
export async function run(values: Values, _rest: string[], io: CommandIo): Promise<number> {
	const {loadPlaybooks, findProvider} = await import('../playbooks/load.js');
	const provider = values.provider === undefined ? undefined : findProvider(await loadPlaybooks(), values.provider);
	const envVars = [...new Set([...(provider?.envVars ?? []), ...(values['env-var'] ?? [])])];
	if (envVars.length === 0) throw new UserError('leakfix inventory needs variable names to look for: --provider ID (its playbook names them) or --env-var NAME.', 'Example: leakfix inventory --provider cloudsight --repo ~/src/shop');
	for (const name of envVars) if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new UserError(`--env-var ${name}: not an environment variable name.`);
	// The key as one value (core/leaked-key.ts): its secret half is what sits in files, its id is
	// what an organisation search may look for, and both of its secret forms are redacted.
	const key = values['key-stdin'] === true ? leakedKey(await readKey(io, {pair: keyFormatOf(provider) === 'aws-pair'}), keyFormatOf(provider)) : undefined;
	const {createRedactor} = await import('../core/secrets.js');
	const redactor = createRedactor(key === undefined ? [] : [...key.redactions]);
	if (values.org !== undefined) {
		if (values.repo !== undefined) throw new UserError('--org searches the organisation through GitHub and Sourcegraph; --repo walks folders on this machine. Run them one at a time.');
		const {searchOrg} = await import('../engines/inventory/org.js');
		const {renderOrgText} = await import('./inventory-org.js');
		const found = await searchOrg(values.org, {envVars, ...(key === undefined ? {} : {key: key.raw}), keyId: key?.keyId ?? null});
		io.stdout.write(redactor.text(values.json ? `${safeJson(found, 2)}\n` : renderOrgText(found)));
		return 0;
	}
	const {discoverInventory} = await import('../engines/inventory/index.js');
	const result = await discoverInventory(values.repo ?? [process.cwd()], {envVars, ...(key === undefined ? {} : {key: key.secret})});
	io.stdout.write(redactor.text(values.json ? `${safeJson({envVars, ...result}, 2)}\n` : renderInventoryText(result, envVars)));
	return 0;
}
