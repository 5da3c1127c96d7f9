export function ProfilePlot() {
  return null;
}
