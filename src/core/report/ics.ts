// The next rotation as an RFC 5545 calendar (`leakfix report --format ics`, `leakfix schedule
// --ics`): one VEVENT with a reminder the day before. Lines end in CRLF and are folded at 75
// octets (never inside a UTF-8 character); text values are escaped (\\ \; \, \n) and outside text
// has its controls made visible. The key appears only masked (the report is redacted before).
import {visible} from '../text.js';
import type {JsonReport} from './model.js';

/** 2027-02-27T09:30:00.000Z -> 20270227T093000Z (UTC, basic format). */
export function icsTime(iso: string): string {
	return new Date(iso).toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}

/** A TEXT value (RFC 5545 3.3.11): controls made visible, then \\ ; , and newlines escaped. */
export function icsText(text: string): string {
	return text
		.split('\n')
		.map(line => visible(line))
		.join('\n')
		.replace(/\\/g, '\\\\')
		.replace(/;/g, '\\;')
		.replace(/,/g, '\\,')
		.replace(/\n/g, '\\n');
}

/** Folds one content line: at most 75 octets per line, continuation lines start with a space. */
export function foldLine(line: string): string {
	const parts: string[] = [];
	let current = '';
	let octets = 0;
	for (const char of line) {
		const size = Buffer.byteLength(char, 'utf8');
		if (octets + size > 75) {
			parts.push(current);
			current = ' ';
			octets = 1;
		}
		current += char;
		octets += size;
	}
	parts.push(current);
	return parts.join('\r\n');
}

export function renderIcs(report: JsonReport): string {
	const schedule = report.schedule;
	if (!schedule) throw new Error('renderIcs: the incident has no rotation scheduled');
	const {incident} = report;
	// The key in use now: the new one once entered (masked), else the leaked one.
	const masked = report.rotation?.newKey?.masked ?? incident.key.masked;
	const summary = `Rotate the ${incident.provider.name} key ${masked}`;
	const description = [
		`The regular rotation of the ${incident.provider.name} key ${masked}, every ${schedule.days} days${schedule.from ? `, counted from ${schedule.from.slice(0, 10)}` : ''}.`,
		`leakfix incident ${incident.id}: ${incident.name}`,
		`Start a new rotation with: leakfix resume ${incident.id}`,
	].join('\n');
	const lines = [
		'BEGIN:VCALENDAR',
		'VERSION:2.0',
		'PRODID:-//leakfix//leakfix rotation reminder//EN',
		'CALSCALE:GREGORIAN',
		'METHOD:PUBLISH',
		'BEGIN:VEVENT',
		// One event per incident: a later export (a new date) updates it rather than adding another.
		`UID:leakfix-rotation-${incident.id}@leakfix`,
		`DTSTAMP:${icsTime(report.generatedAt)}`,
		`DTSTART:${icsTime(schedule.nextRotation)}`,
		'DURATION:PT30M',
		`SUMMARY:${icsText(summary)}`,
		`DESCRIPTION:${icsText(description)}`,
		'TRANSP:TRANSPARENT',
		'BEGIN:VALARM',
		'ACTION:DISPLAY',
		`DESCRIPTION:${icsText(summary)}`,
		'TRIGGER:-P1D',
		'END:VALARM',
		'END:VEVENT',
		'END:VCALENDAR',
	];
	return `${lines.map(foldLine).join('\r\n')}\r\n`;
}
