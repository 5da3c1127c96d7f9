import type { Experiment } from '../engine/experiment';
import type { Preset } from '../methods/preset';
import { PRESETS } from '../presets';
import { decodeHash, encodeExperiment } from './codec';
import { canonical } from './presetLinks';

/**
 * Which preset an experiment is (the preset's story on the working page, src/ui/PresetStory.tsx). It lives with the
 * links because it must also recognise a preset as its link decodes (the validator fills what a link leaves implicit).
 */

/** What identifies the experiment a preset's text describes: its set-up and its protocol (the seeds it quotes). */
function storyKey(e: Experiment): string {
  const { backend: _where, ...training } = e.training;
  return JSON.stringify(canonical([e.dataset, e.network, training, e.runs, e.pretrain ?? null, e.landscape ?? null, e.protocol ?? null]));
}

let storyIndex: Map<string, Preset> | null = null;
/**
 * Every preset by its story key, as built here and as its link decodes (the decoder fills what the link leaves
 * implicit, e.g. the lab's focus): a preset loaded from the gallery and one opened from its link are both found.
 * Made on first use (it encodes every preset once).
 */
function presetsByStory(): Map<string, Preset> {
  if (!storyIndex) {
    storyIndex = new Map();
    for (const p of PRESETS) {
      const keys = [storyKey(p.experiment)];
      const back = decodeHash(`#${encodeExperiment(p.experiment)}`);
      if (back.ok === true) keys.push(storyKey(back.value));
      for (const k of keys) if (!storyIndex.has(k)) storyIndex.set(k, p);
    }
  }
  return storyIndex;
}
const storyCache = new WeakMap<Experiment, Preset | null>();

/**
 * The preset this experiment is — its set-up and protocol unchanged (the view, title, pause-on choices and backend
 * may differ) — or undefined. Like lectureStepsFor, it matches the experiment itself, so a shared link of a preset
 * finds its story too.
 */
export function presetFor(e: Experiment): Preset | undefined {
  let p = storyCache.get(e);
  if (p === undefined) {
    p = presetsByStory().get(storyKey(e)) ?? null;
    storyCache.set(e, p);
  }
  return p ?? undefined;
}
