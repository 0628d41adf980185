// leakfix, leakfix resume [<id>], leakfix demo: the wizard. The terminal is checked, a piped key and
// a scanner report are read, and only then is Ink loaded (src/ui/run.tsx, the one UI import here).
import {UserError} from '../infra/errors.js';
import type {CommandIo, Run, Values} from './options.js';
import {readKey} from './stdin.js';

const NOT_A_TERMINAL = `leakfix's wizard needs an interactive terminal (stdin and stdout must be a TTY).
For scripts and CI use the non-interactive commands:
  leakfix verify --provider ID --key-stdin --json
  leakfix scan --key-stdin --json
  leakfix logs FILE... --key-stdin --since T --json
  leakfix list --json
  leakfix intake --from FILE --json     (a scanner report, read and masked)
  leakfix report [<id>] --format md|json|html|status [--out FILE]
  leakfix providers --json
`;

async function interactive(command: 'start' | 'resume' | 'demo', values: Values, rest: string[], io: CommandIo): Promise<number> {
	const keyStdin = values['key-stdin'] === true;
	if (command === 'demo' && keyStdin) throw new UserError('The demo plants its own fake key; --key-stdin does not apply.');
	const fromReport = values.from !== undefined || values['from-github'] !== undefined;
	if (fromReport && keyStdin) throw new UserError('--from and --from-github read the keys from the report or the alerts; --key-stdin does not apply.');
	if (values.from !== undefined && values['from-github'] !== undefined) throw new UserError('Start from one source: --from FILE or --from-github OWNER/REPO[#ALERT], not both.');
	if (!io.stdout.isTTY || (!io.stdin.isTTY && !keyStdin)) {
		io.stderr.write(NOT_A_TERMINAL);
		return 2;
	}
	const pipedKey = keyStdin ? await readKey(io) : undefined;
	// Read before the wizard starts: a bad report is a message and exit 2, not a screen.
	const intake = fromReport ? await (await import('./intake.js')).readIntake(values.from, values['from-github']) : undefined;
	// A real terminal wins over a CI variable inherited by the shell: under CI, Ink would
	// draw nothing until exit. (Ink reads it when first imported, just below.)
	delete process.env.CI;
	delete process.env.CONTINUOUS_INTEGRATION;
	const {runInteractive} = await import('../ui/run.js');
	return runInteractive({command, ...(rest[0] === undefined ? {} : {id: rest[0]}), ...(pipedKey === undefined ? {} : {pipedKey}), ...(intake === undefined ? {} : {intake})});
}

export const start: Run = (values, rest, io) => interactive('start', values, rest, io);
export const resume: Run = (values, rest, io) => interactive('resume', values, rest, io);
export const demo: Run = (values, rest, io) => interactive('demo', values, rest, io);
