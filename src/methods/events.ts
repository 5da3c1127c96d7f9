import type { HasExtra } from '../engine/diagnostics';
import type { Experiment } from '../engine/experiment';
import type { MethodEvent } from '../engine/hyper';
import type { StepOutcome } from '../engine/runner';
import { CATALOG, findSpec } from './registry';

/**
 * Pause on an event: an experiment may ask that all runs stop when one of them reaches a method event (the swap
 * of a two-phase method, a tolerance change or a rejected extrapolation in a lifted method, …) or diverges, so that a lecturer can
 * talk over the frozen picture. Methods declare their events once, in their spec (AlgorithmSpec.events, in the method's
 * folder); this module finds them in a step's outcome and derives the loss plot's markers from the same list. The worker uses it to stop its own run at exactly that step; the store uses it
 * to pause the other runs.
 */

export const DIVERGENCE_EVENT: MethodEvent = { id: 'divergence', label: 'divergence' };

/** Whether a step (its recorded point) reached a method event: the event's declared flag is set. */
export function reachedEvent(ev: MethodEvent, point: HasExtra): boolean {
  return ev.flag?.of(point) === 1;
}

/** Every event id an experiment's pauseOn may name, with its label (catalogue order, divergence last). */
export function pauseEventChoices(): MethodEvent[] {
  const seen = new Map<string, MethodEvent>();
  for (const spec of CATALOG) for (const ev of spec.events ?? []) if (!seen.has(ev.id)) seen.set(ev.id, ev);
  return [...seen.values(), DIVERGENCE_EVENT];
}

/** The events the experiment's runs can actually produce (for the UI's choice list). */
export function pauseEventsFor(e: Experiment): MethodEvent[] {
  const ids = new Set<string>();
  for (const r of e.runs) for (const ev of findSpec(r.algorithm)?.events ?? []) ids.add(ev.id);
  return [...pauseEventChoices().filter((ev) => ids.has(ev.id)), DIVERGENCE_EVENT];
}

/** The events the loss plot marks for a run of `algorithm` (those its spec declares with marksLossPlot). */
export function lossPlotMarkersOf(algorithm: string): MethodEvent[] {
  return (findSpec(algorithm)?.events ?? []).filter((ev) => ev.marksLossPlot);
}

/** The first event in `pauseOn` that this step of a run of `algorithm` reached, if any. */
export function pauseEventOf(
  pauseOn: readonly string[] | undefined,
  algorithm: string,
  point: HasExtra,
  stopStatus?: StepOutcome['stop'],
): MethodEvent | undefined {
  if (!pauseOn?.length) return undefined;
  if (stopStatus?.status === 'diverged' && pauseOn.includes(DIVERGENCE_EVENT.id)) return DIVERGENCE_EVENT;
  for (const ev of findSpec(algorithm)?.events ?? []) if (pauseOn.includes(ev.id) && reachedEvent(ev, point)) return ev;
  return undefined;
}
