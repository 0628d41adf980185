// Drives the built bin in a real pseudo-terminal: tmux on a private socket, 100x30 unless told,
// no CI env (under CI Ink draws nothing until exit). Polls the screen with a deadline; never sleeps blind.
import {execFileSync, spawnSync} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import path from 'node:path';
import {setTimeout as delay} from 'node:timers/promises';

const BIN = path.resolve('bin/leakfix.js');

function quote(text: string): string {
	return `'${text.replace(/'/g, `'\\''`)}'`;
}

export type Terminal = {
	socket: string;
	/** Types literal text. */
	type(text: string): void;
	/** Sends named keys (Enter, Escape, Down, Space, C-c …). */
	keys(...names: string[]): void;
	screen(): string;
	/** The visible rows exactly as the terminal holds them (no joining), with their SGR styles (capture-pane -e). */
	styled(): string;
	waitFor(text: string | RegExp, timeoutMs?: number): Promise<string>;
	/** Waits for the wizard's command to exit and returns its exit code. */
	exitCode(timeoutMs?: number): Promise<number>;
	kill(): void;
};

/**
 * Runs `leakfix ...args` in a fresh tmux session. `pipe` is piped to its stdin (for --key-stdin).
 * When the command ends, the pane shows `[exit N]` and stays open for the test to read.
 */
export function leakfixInTerminal(
	args: string[],
	options: {home: string; cwd: string; pipe?: string; tmp?: string; columns?: number; rows?: number; color?: boolean},
): Terminal {
	const socket = `leakfix-e2e-${randomBytes(4).toString('hex')}`;
	const command = [
		'env -u CI',
		`LEAKFIX_HOME=${quote(options.home)}`,
		// Demo repos and any other temp files land where the test cleans up.
		`TMPDIR=${quote(options.tmp ?? options.home)}`,
		// With colour, styles (inverse: a selected row) can be read back through styled().
		`FORCE_COLOR=${options.color ? 1 : 0}`,
		options.pipe === undefined ? '' : `sh -c ${quote(`printf %s ${quote(options.pipe)} | "$0" "$@"`)}`,
		quote(process.execPath),
		quote(BIN),
		...args.map(quote),
		'; echo "[exit $?]"; sleep 600',
	]
		.filter(Boolean)
		.join(' ');
	const tmux = (...rest: string[]) => execFileSync('tmux', ['-L', socket, ...rest], {encoding: 'utf8'});
	execFileSync('tmux', ['-L', socket, '-f', '/dev/null', 'new-session', '-d', '-x', String(options.columns ?? 100), '-y', String(options.rows ?? 30), '-c', options.cwd, command]);
	const screen = () => tmux('capture-pane', '-p', '-J');
	const waitFor = async (text: string | RegExp, timeoutMs = 8000) => {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const current = screen();
			if (typeof text === 'string' ? current.includes(text) : text.test(current)) return current;
			if (Date.now() > deadline) throw new Error(`Timed out waiting for ${String(text)} in the terminal. Screen:\n${current}`);
			await delay(25);
		}
	};
	return {
		socket,
		type(text) {
			tmux('send-keys', '-l', '--', text); // `--`: a typed text that starts with - is text, not a flag
		},
		keys(...names) {
			tmux('send-keys', ...names);
		},
		screen,
		styled: () => tmux('capture-pane', '-p', '-e'),
		waitFor,
		async exitCode(timeoutMs = 8000) {
			const text = await waitFor(/\[exit \d+\]/, timeoutMs);
			return Number(/\[exit (\d+)\]/.exec(text)![1]);
		},
		kill() {
			spawnSync('tmux', ['-L', socket, 'kill-server']);
		},
	};
}
