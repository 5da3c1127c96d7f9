import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { watchBackendLoss } from './backend';
import { useCpu } from '../testing/cpu';

/**
 * GPU loss signals without a GPU: a stand-in registered under the GPU backend's name that exposes what
 * watchBackendLoss reads (tfjs-backend-webgpu's `device.lost`, tfjs-backend-webgl's `gpgpu.gl.canvas`).
 */
function registerStandIn(name: 'webgpu' | 'webgl'): { loseDevice: (info: { reason: string; message: string }) => void; canvas: EventTarget } {
  let loseDevice: (info: { reason: string; message: string }) => void = () => undefined;
  const lost = new Promise<{ reason: string; message: string }>((resolve) => (loseDevice = resolve));
  const canvas = new EventTarget();
  const Cpu = tf.findBackend('cpu')!.constructor as new () => tf.KernelBackend;
  class StandIn extends Cpu {
    device = { lost };
    gpgpu = { gl: { canvas } };
  }
  tf.registerBackend(name, () => new StandIn(), 0);
  return { loseDevice, canvas };
}

beforeAll(useCpu);

afterEach(() => {
  for (const name of ['webgpu', 'webgl']) if (tf.engine().registryFactory[name]) tf.removeBackend(name);
});

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('watchBackendLoss', () => {
  it('reports a lost WebGPU device once, with the reason the device gives', async () => {
    const { loseDevice } = registerStandIn('webgpu');
    const reasons: string[] = [];
    watchBackendLoss('webgpu', (r) => reasons.push(r));
    await settle();
    expect(reasons).toEqual([]);
    loseDevice({ reason: 'destroyed', message: 'Device was destroyed.' });
    await settle();
    expect(reasons).toEqual(['the webgpu device was lost (destroyed: Device was destroyed.)']);
  });

  it('reports a lost WebGL context, and nothing once it stopped watching', async () => {
    const { canvas } = registerStandIn('webgl');
    const reasons: string[] = [];
    const stop = watchBackendLoss('webgl', (r) => reasons.push(r));
    canvas.dispatchEvent(new Event('webglcontextlost'));
    canvas.dispatchEvent(new Event('webglcontextlost'));
    expect(reasons).toEqual(['the webgl context was lost']);
    stop();
    // A watch stopped before the loss (the run left the backend) reports nothing.
    const afterStop: string[] = [];
    watchBackendLoss('webgl', (r) => afterStop.push(r))();
    canvas.dispatchEvent(new Event('webglcontextlost'));
    expect(afterStop).toEqual([]);
  });
});
