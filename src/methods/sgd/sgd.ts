import { makeFirstOrder } from '../../engine/firstOrder';

/** SGD with heavy-ball momentum on the mini-batch gradient (the update rule is engine/optimizers.ts). */
export const sgdAlgorithm = makeFirstOrder('sgd', 'sgd');
