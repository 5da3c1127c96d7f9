import { deriveSeed, gaussian, makeRng } from '../random';

/**
 * Two-parameter problems whose whole landscape can be drawn (the landscape lab). Plain JS, float64: value,
 * gradient and Hessian in closed form. The GLM problem also carries the monotone field F of algorithms.md §1.
 */
export const LAB_PROBLEMS = ['quadratic', 'rosenbrock', 'beale', 'saddle', 'himmelblau', 'glm'] as const;
export type LabProblemId = (typeof LAB_PROBLEMS)[number];

export type Vec2 = [number, number];
/** Symmetric 2×2 Hessian as [h_xx, h_xy, h_yy]. */
export type Hess2 = [number, number, number];

export interface LabFunction {
  id: LabProblemId;
  label: string;
  f(x: number, y: number): number;
  grad(x: number, y: number): Vec2;
  hess(x: number, y: number): Hess2;
  /** The monotone field F (GLM only; algorithms.md §1). */
  field?(x: number, y: number): Vec2;
  /** Plot window. */
  xRange: Vec2;
  yRange: Vec2;
  /** Known minimisers (for markers) and the minimum value (for log contours of f − f*). */
  minima: Vec2[];
  fMin: number;
  defaultStart: Vec2;
  /** One sentence on what the landscape shows. */
  note: string;
}

export interface LabProblemOptions {
  /** Condition number κ of the quadratic (ratio of the Hessian's eigenvalues). */
  condition?: number;
}

/** Smallest eigenvalue of a symmetric 2×2 matrix. */
export function minEigen([a, b, c]: Hess2): number {
  return 0.5 * (a + c) - Math.sqrt(0.25 * (a - c) * (a - c) + b * b);
}

/** ½ θᵀAθ with A = R diag(1, 1/κ) Rᵀ, R a rotation by 30° (so the valley is not axis-aligned). */
function quadratic(kappa: number): LabFunction {
  const t = Math.PI / 6;
  const c = Math.cos(t), s = Math.sin(t);
  const l1 = 1, l2 = 1 / kappa;
  const a = l1 * c * c + l2 * s * s;
  const b = (l1 - l2) * c * s;
  const d = l1 * s * s + l2 * c * c;
  return {
    id: 'quadratic',
    label: `Convex quadratic (κ = ${kappa})`,
    f: (x, y) => 0.5 * (a * x * x + 2 * b * x * y + d * y * y),
    grad: (x, y) => [a * x + b * y, b * x + d * y],
    hess: () => [a, b, d],
    xRange: [-3, 3],
    yRange: [-3, 3],
    minima: [[0, 0]],
    fMin: 0,
    defaultStart: [-2.5, 1.5],
    note: `Eigenvalues 1 and 1/κ: gradient descent zig-zags across the valley, CG with exact line searches needs exactly two.`,
  };
}

const rosenbrock: LabFunction = {
  id: 'rosenbrock',
  label: 'Rosenbrock',
  f: (x, y) => (1 - x) ** 2 + 100 * (y - x * x) ** 2,
  grad: (x, y) => [-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)],
  hess: (x, y) => [2 - 400 * (y - x * x) + 800 * x * x, -400 * x, 200],
  xRange: [-2, 2],
  yRange: [-1, 3],
  minima: [[1, 1]],
  fMin: 0,
  defaultStart: [-1.5, 2],
  note: 'A curved, flat-bottomed valley; non-convex where y > x² + 1/200.',
};

const beale: LabFunction = (() => {
  const c = [1.5, 2.25, 2.625];
  const f = (x: number, y: number) => {
    let s = 0;
    for (let i = 0; i < 3; i++) s += (c[i] - x + x * y ** (i + 1)) ** 2;
    return s;
  };
  const grad = (x: number, y: number): Vec2 => {
    let gx = 0, gy = 0;
    for (let i = 0; i < 3; i++) {
      const k = i + 1;
      const r = c[i] - x + x * y ** k;
      gx += 2 * r * (y ** k - 1);
      gy += 2 * r * k * x * y ** (k - 1);
    }
    return [gx, gy];
  };
  const hess = (x: number, y: number): Hess2 => {
    let hxx = 0, hxy = 0, hyy = 0;
    for (let i = 0; i < 3; i++) {
      const k = i + 1;
      const r = c[i] - x + x * y ** k;
      const rx = y ** k - 1;
      const ry = k * x * y ** (k - 1);
      const rxy = k * y ** (k - 1);
      const ryy = k > 1 ? k * (k - 1) * x * y ** (k - 2) : 0;
      hxx += 2 * rx * rx;
      hxy += 2 * (rx * ry + r * rxy);
      hyy += 2 * (ry * ry + r * ryy);
    }
    return [hxx, hxy, hyy];
  };
  return {
    id: 'beale',
    label: 'Beale',
    f,
    grad,
    hess,
    xRange: [-4.5, 4.5],
    yRange: [-4.5, 4.5],
    minima: [[3, 0.5]],
    fMin: 0,
    defaultStart: [-2, -2],
    note: 'Flat plateaus and steep walls over several decades of loss: adaptive steps help, fixed steps crawl or overshoot.',
  };
})();

/** ½x² − ½y² + ¼y⁴: a saddle at the origin between two minima at (0, ±1). */
const saddle: LabFunction = {
  id: 'saddle',
  label: 'Saddle',
  f: (x, y) => 0.5 * x * x - 0.5 * y * y + 0.25 * y ** 4,
  grad: (x, y) => [x, -y + y ** 3],
  hess: (_x, y) => [1, 0, -1 + 3 * y * y],
  xRange: [-2, 2],
  yRange: [-2, 2],
  minima: [[0, 1], [0, -1]],
  fMin: -0.25,
  defaultStart: [-1.8, 0.02],
  note: 'A saddle at the origin between two minima: starting near y = 0, plain gradient descent lingers at the saddle.',
};

/** Himmelblau: four minima of equal value 0. */
const himmelblau: LabFunction = {
  id: 'himmelblau',
  label: 'Himmelblau (four minima)',
  f: (x, y) => (x * x + y - 11) ** 2 + (x + y * y - 7) ** 2,
  grad: (x, y) => [4 * x * (x * x + y - 11) + 2 * (x + y * y - 7), 2 * (x * x + y - 11) + 4 * y * (x + y * y - 7)],
  hess: (x, y) => [12 * x * x + 4 * y - 42, 4 * x + 4 * y, 4 * x + 12 * y * y - 26],
  xRange: [-5, 5],
  yRange: [-5, 5],
  minima: [[3, 2], [-2.805118, 3.131312], [-3.77931, -3.283186], [3.584428, -1.848126]],
  fMin: 0,
  defaultStart: [-0.3, -0.9],
  note: 'Four minima of equal depth: which one a method reaches depends on the start and on its step.',
};

/** Planted parameter and design of the 2-parameter GLM (fixed: it is part of the problem's definition). */
export const GLM_THETA_STAR: Vec2 = [1.5, -1];
export const GLM_SAMPLES = 200;

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/**
 * Two-parameter GLM, algorithms.md §1 scope 1: x_i ~ N(0, I₂) (seeded), y_i = φ(θ*ᵀx_i) with the logistic link
 * (noise-free, chosen: so the minimum value is exactly 0 and θ* is the zero of F), squared loss
 * L(θ) = (1/2N) Σ (φ(θᵀx_i) − y_i)² — non-convex — and the monotone field F(θ) = (1/N) Σ x_i (φ(θᵀx_i) − y_i).
 */
function glm(): LabFunction {
  const rng = makeRng(deriveSeed(7, 'lab-glm'));
  const n = GLM_SAMPLES;
  const x1 = new Float64Array(n), x2 = new Float64Array(n), y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    x1[i] = gaussian(rng);
    x2[i] = gaussian(rng);
    y[i] = sigmoid(GLM_THETA_STAR[0] * x1[i] + GLM_THETA_STAR[1] * x2[i]);
  }
  return {
    id: 'glm',
    label: 'GLM: logistic link, squared loss',
    f: (a, b) => {
      let s = 0;
      for (let i = 0; i < n; i++) s += (sigmoid(a * x1[i] + b * x2[i]) - y[i]) ** 2;
      return s / (2 * n);
    },
    grad: (a, b) => {
      let ga = 0, gb = 0;
      for (let i = 0; i < n; i++) {
        const p = sigmoid(a * x1[i] + b * x2[i]);
        const w = (p - y[i]) * p * (1 - p);
        ga += w * x1[i];
        gb += w * x2[i];
      }
      return [ga / n, gb / n];
    },
    hess: (a, b) => {
      let hxx = 0, hxy = 0, hyy = 0;
      for (let i = 0; i < n; i++) {
        const p = sigmoid(a * x1[i] + b * x2[i]);
        const d1 = p * (1 - p);
        const d2 = d1 * (1 - 2 * p);
        const w = d1 * d1 + (p - y[i]) * d2;
        hxx += w * x1[i] * x1[i];
        hxy += w * x1[i] * x2[i];
        hyy += w * x2[i] * x2[i];
      }
      return [hxx / n, hxy / n, hyy / n];
    },
    field: (a, b) => {
      let fa = 0, fb = 0;
      for (let i = 0; i < n; i++) {
        const r = sigmoid(a * x1[i] + b * x2[i]) - y[i];
        fa += r * x1[i];
        fb += r * x2[i];
      }
      return [fa / n, fb / n];
    },
    xRange: [-8, 8],
    yRange: [-8, 8],
    minima: [GLM_THETA_STAR],
    fMin: 0,
    defaultStart: [-6, 6],
    note: 'The squared loss is flat where the sigmoid saturates and non-convex; the field F is monotone and points to θ* from everywhere.',
  };
}

let glmCache: LabFunction | undefined;

export function labFunction(id: LabProblemId, opts: LabProblemOptions = {}): LabFunction {
  switch (id) {
    case 'quadratic':
      return quadratic(opts.condition ?? 10);
    case 'rosenbrock':
      return rosenbrock;
    case 'beale':
      return beale;
    case 'saddle':
      return saddle;
    case 'himmelblau':
      return himmelblau;
    case 'glm':
      return (glmCache ??= glm());
  }
}
