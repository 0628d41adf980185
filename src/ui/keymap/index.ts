// Keys -> intents, in one pure place. Screens never compare raw input themselves: each screen's
// handler asks `intentFor(screen, input, key, context)`, and the `?` overlay and every footer hint
// are generated from the same table, so what leakfix says a key does is what it does. A key means
// one thing on every screen: meanings.ts says what, and a test holds every table to it.
//
// The tables, one file per area: wizard.ts (the checklist steps, places, help), inventory.ts,
// rotate.ts, verify.ts, logs.ts (the findings), start.ts (home, pick lists, text prompts, the
// pick screen of --from).
export {CONDITIONS, type Condition, type KeyContext, type KeyEntry} from './entry.js';
export {keyGlyph, keyMatches, NAMED_KEYS, type KeySpec} from './keys.js';
export {direction, entriesOf, footerHint, helpRows, intentFor, keyOf, KEYMAP, SCREEN_TITLE, SCREENS, textHint, type HelpRow, type HintLabels, type Intent, type IntentOf, type Screen} from './lookup.js';
export {consentIntent, listIntent, textIntent, type ListIntent, type TextIntent} from './text.js';
export {isUnknownSequence} from './sequences.js';
export {keyMeaning, MEANINGS, meaningsTable, PROMPTS, PROMPT_ANSWERS, type Meaning} from './meanings.js';
