import { TEST_GATE_CHANNEL, type GateMessage } from '../workers/testGate';

/** What an e2e test calls on the page (test build only): `window.__testGate.hold(50)`, `…open()`. */
export interface TestGate {
  /** Every run and pool job holds before it steps past `iteration` (a run already past it holds at once). */
  hold(iteration: number): void;
  /** Lets every run go on. */
  open(): void;
}

/**
 * The page's side of the test-build gate (src/workers/testGate.ts): it keeps the gate and answers the workers.
 * Installed by main.tsx only in the test build; the gate starts open.
 */
export function installTestGate(): TestGate {
  const channel = new BroadcastChannel(TEST_GATE_CHANNEL);
  let holdAt: number | null = null;
  const send = (answers?: string) => channel.postMessage({ type: 'gate', holdAt, answers } satisfies GateMessage);
  channel.onmessage = (ev: MessageEvent<GateMessage>) => {
    if (ev.data.type === 'ask') send(ev.data.id);
  };
  const gate: TestGate = {
    hold(iteration) {
      if (!Number.isInteger(iteration) || iteration < 0) throw new Error(`test gate: hold needs an iteration ≥ 0, not ${iteration}`);
      holdAt = iteration;
      send();
    },
    open() {
      holdAt = null;
      send();
    },
  };
  (window as unknown as { __testGate: TestGate }).__testGate = gate;
  return gate;
}
