import { IMAGE_KINDS, type DatasetConfig } from './experiment';

/**
 * The image datasets' class names, without TF.js: the UI reads them on the main thread (engine/imageViews.ts, which
 * computes the views in the worker, imports them from here).
 */
export const MNIST_CLASS_NAMES = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
export const FASHION_CLASS_NAMES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];

export function isImageDataset(dataset: DatasetConfig): boolean {
  return (IMAGE_KINDS as readonly string[]).includes(dataset.kind);
}

/** The names of the classes the network predicts, in its label order (dataset.classes picks and relabels 0..k−1). */
export function classNamesOf(dataset: DatasetConfig): string[] {
  const all = dataset.kind === 'fashion' ? FASHION_CLASS_NAMES : MNIST_CLASS_NAMES;
  return dataset.classes.length ? dataset.classes.map((c) => all[c]) : all.slice();
}
