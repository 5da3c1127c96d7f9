import { create } from 'zustand';

/**
 * Form fields whose text is not the applied value (issue 31: a learning rate typed as -1 was refused beside its
 * field, yet Run trained with the previous value while the field still read -1). A field reports its draft here
 * while its text is refused, and clears it when the text is applied, restored (Escape) or the field goes away.
 * Run and Step refuse to start while any draft is held, and the control bar names each one.
 */
export interface Draft {
  /** Where the field is and what it sets, e.g. "run 1 · learning rate". */
  where: string;
  /** Why the text is not applied, e.g. "must be between 1e-6 and 100". */
  error: string;
}

interface DraftsState {
  /** By field key (one per mounted field). */
  drafts: Record<string, Draft>;
  report(key: string, draft: Draft): void;
  clear(key: string): void;
}

export const useDrafts = create<DraftsState>((set) => ({
  drafts: {},
  report(key, draft) {
    set((s) => {
      const old = s.drafts[key];
      return old && old.where === draft.where && old.error === draft.error ? s : { drafts: { ...s.drafts, [key]: draft } };
    });
  },
  clear(key) {
    set((s) => {
      if (!(key in s.drafts)) return s;
      const { [key]: _gone, ...rest } = s.drafts;
      return { drafts: rest };
    });
  },
}));

/** The held drafts in the order they were reported, each as "where: error". */
export function draftLines(drafts: Record<string, Draft>): string[] {
  return Object.values(drafts).map((d) => `${d.where}: ${d.error}`);
}
