// Scanner report fixtures (test/fixtures/intake) with their placeholders replaced by fake keys
// built at run time: the repository never holds a key-shaped literal.
import fs from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {fakeKeys} from './keys.js';

export const INTAKE_FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'intake');

export type IntakeKeys = {github: string; stripe: string; slack: string};

export function intakeKeys(): IntakeKeys {
	return {github: fakeKeys.github(), stripe: fakeKeys.stripeLive(), slack: fakeKeys.slack()};
}

/** The fixture's text with @@SECRET1@@ (GitHub), @@SECRET2@@ (Stripe), @@SECRET3@@ (Slack) filled in. */
export function intakeFixture(name: string, keys: IntakeKeys): string {
	return fs
		.readFileSync(path.join(INTAKE_FIXTURES, name), 'utf8')
		.replaceAll('@@SECRET1@@', keys.github)
		.replaceAll('@@SECRET2@@', keys.stripe)
		.replaceAll('@@SECRET3@@', keys.slack);
}

/** Writes the filled-in fixture into `dir`; returns its path. */
export function writeIntakeFixture(dir: string, name: string, keys: IntakeKeys): string {
	const file = path.join(dir, name);
	fs.writeFileSync(file, intakeFixture(name, keys), {mode: 0o600});
	return file;
}
