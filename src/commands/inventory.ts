// `leakfix inventory`: service discovery without the UI.
import {storeAddress} from '../core/inventory/address.js';
import type {InventoryDiscovery} from '../engines/inventory/index.js';
import {visible, visibleBlock} from '../core/text.js';

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
