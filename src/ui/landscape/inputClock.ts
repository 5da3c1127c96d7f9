/**
 * Time of the latest user input in the landscape lab that should lead to a redraw (for the "redraw N ms" figure).
 * The lab's configuration itself lives in the store (src/state/labSlice.ts).
 */
export const inputClock = { at: 0 };
export function markInput(): void {
  inputClock.at = performance.now();
}
