// Step 4's work screen lives in ./rotate/ (the screen, its reducer, its panels and prompts, and the
// wizard's side of the harden flow).
export {RotateScreen} from './rotate/RotateScreen.js';
