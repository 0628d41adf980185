// References in a Dockerfile that bakes the key into the image. Part of ./detect.ts.
import {guessEnvironment, TEMPLATE, type Reference} from './reference.js';

/**
 * A Dockerfile that bakes the key into the image: `COPY`/`ADD` of an env file (the file, key and
 * all, is in a layer for good), `ENV NAME=…` of a variable the key is known by (in the image's
 * config: docker inspect shows it), `ARG NAME` (a --build-arg value is recorded in the image's
 * history wherever a RUN uses it). Each is named as a place the key lives: the image.
 */
export function dockerfileRefs(file: string, lines: string[], envVars: string[]): Reference[] {
	const out: Reference[] = [];
	const environment = guessEnvironment(file);
	const image = (line: number, text: string, envVar: string | null): Reference => ({file, line, kind: 'dockerfile', envVar, store: {type: 'manual', text}, service: `the image built from ${file}`, environment});
	for (let index = 0; index < lines.length; index++) {
		// An instruction continued with a trailing backslash is read whole, named by its first line.
		let instruction = lines[index]!;
		const first = index;
		while (/\\\s*$/.test(instruction) && index + 1 < lines.length) instruction = instruction.replace(/\\\s*$/, ' ') + lines[++index]!;
		const match = /^\s*(COPY|ADD|ENV|ARG)\s+(.*)$/i.exec(instruction);
		if (!match) continue;
		const command = match[1]!.toUpperCase();
		const words = match[2]!.trim().split(/\s+/);
		const at = `${file}:${first + 1}`;
		if (command === 'COPY' || command === 'ADD') {
			if (words.some(word => /^--from=/i.test(word))) continue; // from another stage, not the build context
			const sources = words.filter(word => !word.startsWith('--')).slice(0, -1);
			const envFiles = sources.map(source => source.replace(/^[["']+|["',\]]+$/g, '')).filter(source => {
				const base = source.split('/').at(-1) ?? '';
				return (/^\.env(\..+)?$/.test(base) || base.endsWith('.env')) && !TEMPLATE.test(base);
			});
			if (envFiles.length > 0) out.push(image(first + 1, `${command} ${envFiles.join(', ')} at ${at} puts the env file, key and all, into an image layer that anyone who pulls the image can read (leakfix scan --image finds it): drop the line, list the file in .dockerignore, give the value at run time, rebuild, and delete the old images from the registry`, null));
			continue;
		}
		for (const word of command === 'ENV' && !words[0]!.includes('=') ? [words[0]!] : words) {
			const name = word.split('=')[0]!;
			if (!envVars.includes(name)) continue;
			out.push(
				image(
					first + 1,
					command === 'ENV'
						? `ENV ${name} at ${at} bakes the value into the image's config (docker inspect shows it to anyone who pulls the image): set it at run time instead, rebuild, and delete the old images from the registry`
						: `ARG ${name} at ${at}: a value passed with --build-arg is recorded in the image's history (docker history) wherever a RUN uses it: use a build secret (RUN --mount=type=secret,id=${name}) instead, rebuild, and delete the old images from the registry`,
					name,
				),
			);
		}
	}
	return out;
}
