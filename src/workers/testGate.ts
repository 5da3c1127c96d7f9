/**
 * Test-build hook (VITE_TEST_HOOKS=on, `npm run build:e2e`): a gate that holds every run and every pool job before
 * it steps past a chosen iteration, until the test moves or opens it. With it an e2e makes "in progress" happen
 * deterministically (a sweep with jobs still running, a run that is still training when Pause is pressed) instead
 * of hoping the machine is slow; a held run stays "running" and answers pause, stop and its views as usual.
 *
 * The page owns the gate's state (src/ui/testGate.ts, window.__testGate); workers hear it over a BroadcastChannel,
 * which reaches every worker of the page — live runs, spares and the pool's — without plumbing through the store.
 * A worker asks for the current gate at every start, so a gate set before a click applies to the run it starts.
 * The production build never imports this module (every use is behind the TEST_HOOKS constant).
 */
export const TEST_GATE_CHANNEL = 'playground-test-gate';

export type GateMessage =
  /** A worker asks for the gate; the page answers with a 'gate' message carrying the same id. */
  | { type: 'ask'; id: string }
  /** The gate: runs hold while their iteration is at least `holdAt`; null opens it. */
  | { type: 'gate'; holdAt: number | null; answers?: string };

/** How long a start waits for the page to answer before it goes on ungated (a page without the hook). */
const ASK_TIMEOUT_MS = 5000;
/** How often a held run looks again at the gate and its own loop state. */
export const HOLD_POLL_MS = 10;

export class WorkerGate {
  private holdAt: number | null = null;
  private readonly answers = new Map<string, () => void>();
  private readonly channel = new BroadcastChannel(TEST_GATE_CHANNEL);
  private asked = 0;

  constructor(private readonly name: string) {
    this.channel.onmessage = (ev: MessageEvent<GateMessage>) => {
      const msg = ev.data;
      if (msg.type !== 'gate') return;
      this.holdAt = msg.holdAt;
      if (msg.answers) this.answers.get(msg.answers)?.();
    };
  }

  /** Fetches the page's current gate. */
  refresh(): Promise<void> {
    const id = `${this.name}-${++this.asked}`;
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.answers.delete(id);
        resolve();
      };
      const timer = setTimeout(done, ASK_TIMEOUT_MS);
      this.answers.set(id, done);
      this.channel.postMessage({ type: 'ask', id } satisfies GateMessage);
    });
  }

  /** Whether a run at this iteration must wait before its next step. */
  holds(iteration: number): boolean {
    return this.holdAt !== null && iteration >= this.holdAt;
  }
}
