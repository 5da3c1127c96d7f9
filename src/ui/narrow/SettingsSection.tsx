import type { ReactNode } from 'react';

/**
 * One group of settings. On a narrow screen it is a closed <details> that opens on demand, so a phone shows the
 * section titles on one screen instead of three screens of fields; on a wide screen it is the panel itself.
 */
export function SettingsSection({ title, folded, children }: { title: string; folded: boolean; children: ReactNode }) {
  if (!folded) return <>{children}</>;
  return (
    <details className="settings-section" data-testid={`settings-section-${title}`}>
      <summary>{title}</summary>
      {children}
    </details>
  );
}
