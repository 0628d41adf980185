// Where leakfix keeps its files. One documented override: LEAKFIX_HOME.
import os from 'node:os';
import path from 'node:path';

/**
 * The folder that holds the incident sessions. `LEAKFIX_HOME` wins; otherwise
 * `$XDG_CONFIG_HOME/leakfix` or `~/.config/leakfix` (macOS: `~/Library/Preferences/leakfix`,
 * Windows: `%APPDATA%\leakfix`).
 */
export function leakfixHome(env: NodeJS.ProcessEnv = process.env): string {
	if (env.LEAKFIX_HOME) return path.resolve(env.LEAKFIX_HOME);
	const home = os.homedir();
	if (process.platform === 'darwin') return path.join(home, 'Library', 'Preferences', 'leakfix');
	if (process.platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'leakfix');
	return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'leakfix');
}

export function sessionsDir(home: string): string {
	return path.join(home, 'incidents');
}
