import { makeFirstOrder } from '../../engine/firstOrder';

/** Adam on the mini-batch gradient (the update rule is engine/optimizers.ts). */
export const adamAlgorithm = makeFirstOrder('adam', 'adam');
