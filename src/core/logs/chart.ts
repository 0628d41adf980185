// The hourly chart as text: one column per bucket of hours, eight heights, the exposure marked.
const BARS = ' ▁▂▃▄▅▆▇█';

export type ChartLines = {bars: string; marker: string; hoursPerColumn: number};

export function hourlyChart(counts: number[], exposureIndex: number | null, width: number): ChartLines {
	if (counts.length === 0) return {bars: '', marker: '', hoursPerColumn: 1};
	const hoursPerColumn = Math.max(1, Math.ceil(counts.length / Math.max(1, width)));
	const columns: number[] = [];
	for (let index = 0; index < counts.length; index += hoursPerColumn) {
		columns.push(counts.slice(index, index + hoursPerColumn).reduce((sum, value) => sum + value, 0));
	}
	const max = Math.max(...columns);
	const bars = columns.map(value => (value === 0 ? BARS[0] : BARS[Math.max(1, Math.round((value / max) * 8))])).join('');
	const at = exposureIndex === null ? -1 : Math.floor(exposureIndex / hoursPerColumn);
	const marker = at < 0 ? '' : `${' '.repeat(at)}^ exposure`;
	return {bars, marker, hoursPerColumn};
}
