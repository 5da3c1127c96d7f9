import { useStore } from '../state/store';
import { SHORTCUTS } from './shortcuts';

export function HelpOverlay() {
  const open = useStore((s) => s.helpOpen);
  const setHelp = useStore((s) => s.setHelp);
  if (!open) return null;
  return (
    <div className="overlay" role="dialog" aria-label="keyboard shortcuts" data-testid="help-overlay" onClick={() => setHelp(false)}>
      <div className="overlay-box" onClick={(e) => e.stopPropagation()}>
        <h2>Keyboard shortcuts</h2>
        <table>
          <tbody>
            {SHORTCUTS.map((s) => (
              <tr key={s.keys}>
                <td><kbd>{s.keys}</kbd></td>
                <td>{s.what}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p>Every run trains in its own Web Worker; all runs share the dataset split, the initial weights and the batch order unless you change them. The whole experiment is in the page address: copy it to share.</p>
        <button onClick={() => setHelp(false)}>close</button>
      </div>
    </div>
  );
}
