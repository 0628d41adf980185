// The keymap lives in src/ui/keymap/ (one file per area, at most 300 lines each); this path stays
// so every screen imports it as before.
export * from './keymap/index.js';
