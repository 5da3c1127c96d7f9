import { deviceBudget, megabytes, type MemoryEstimate } from './deviceBudget';

/** Asked before a fresh start when the experiment would not fit the device's memory budget. */
export function BudgetDialog({ estimate, onRun, onCancel }: { estimate: MemoryEstimate; onRun: () => void; onCancel: () => void }) {
  const budget = deviceBudget();
  return (
    <div className="overlay" role="dialog" aria-label="Large experiment" data-testid="budget-dialog" onClick={onCancel}>
      <div className="overlay-box" onClick={(e) => e.stopPropagation()}>
        <h2>This experiment may be too large for this device</h2>
        <p>
          Its {estimate.runs} run{estimate.runs === 1 ? '' : 's'} need about <strong>{megabytes(estimate.bytes)}</strong> ({megabytes(estimate.perRun)} each),
          and {budget.reason}. The browser may close the page while it trains.
        </p>
        <p>Fewer runs, a smaller training set or narrower layers make it fit.</p>
        <div className="dialog-actions">
          <button onClick={onCancel} data-testid="budget-cancel">Cancel</button>
          <button onClick={onRun} data-testid="budget-run-anyway">Run anyway</button>
        </div>
      </div>
    </div>
  );
}
