/** Okabe–Ito palette: distinguishable with the common colour-vision deficiencies. Run i always gets colour i. */
export const RUN_COLORS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9'];
export const runColor = (i: number) => RUN_COLORS[i % RUN_COLORS.length];
/** Two-class (and three-class) region colours for decision-boundary heatmaps. */
export const CLASS_COLORS: [number, number, number][] = [
  [0, 114, 178],
  [230, 159, 0],
  [0, 158, 115],
];
