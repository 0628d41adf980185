// The wizard's own UI state (which prompt is open, its text). Pure: tested without Ink.
// Incident facts live in the session; this holds only what is on screen right now.
export type WizardMode = 'browse' | 'skip' | 'note' | 'help' | 'key' | 'consent' | 'places' | 'logs-form' | 'findings' | 'logs-consent' | 'work';

/** `back`: the screen the help was opened on, shown again when it closes (the places list). */
export type WizardUi = {mode: WizardMode; text: string; error?: string; back?: 'places'};

export type WizardUiAction =
	| {type: 'open'; mode: Exclude<WizardMode, 'browse'>; text?: string; back?: 'places'}
	| {type: 'edit'; text: string}
	| {type: 'error'; message: string}
	| {type: 'close'};

export const initialWizardUi: WizardUi = {mode: 'browse', text: ''};

export function wizardUi(state: WizardUi, action: WizardUiAction): WizardUi {
	switch (action.type) {
		case 'open': {
			return {mode: action.mode, text: action.text ?? '', ...(action.back ? {back: action.back} : {})};
		}

		case 'edit': {
			return {...state, text: action.text, error: undefined};
		}

		case 'error': {
			return {...state, error: action.message};
		}

		case 'close': {
			return state.back ? {mode: state.back, text: ''} : initialWizardUi;
		}
	}
}

/** The slice of a long checklist to draw so the cursor stays visible. */
export function visibleWindow(length: number, cursor: number, size: number): {start: number; end: number} {
	if (length <= size) return {start: 0, end: length};
	const half = Math.floor(size / 2);
	const start = Math.max(0, Math.min(cursor - half, length - size));
	return {start, end: start + size};
}
