import { afterEach, describe, expect, it, vi } from 'vitest';
import { whenIdle } from './idle.ts';

afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

describe('whenIdle', () => {
  it('without requestIdleCallback (Safari), runs every step once, in order, after a short delay', () => {
    vi.useFakeTimers();
    vi.stubGlobal('requestIdleCallback', undefined);
    const ran: number[] = [];
    whenIdle([0, 1, 2].map((i) => () => ran.push(i)));
    expect(ran).toEqual([]);
    vi.advanceTimersByTime(200);
    expect(ran).toEqual([0, 1, 2]);
  });

  it('without requestIdleCallback, a cancel before the delay runs nothing', () => {
    vi.useFakeTimers();
    vi.stubGlobal('requestIdleCallback', undefined);
    const step = vi.fn();
    const cancel = whenIdle([step]);
    cancel();
    vi.advanceTimersByTime(1000);
    expect(step).not.toHaveBeenCalled();
  });

  it('with requestIdleCallback, runs as many steps as fit in each idle period, then asks again', () => {
    const queue: IdleRequestCallback[] = [];
    const cancelled: number[] = [];
    // its id: the request's position in the queue
    vi.stubGlobal('requestIdleCallback', (cb: IdleRequestCallback) => queue.push(cb));
    vi.stubGlobal('cancelIdleCallback', (id: number) => cancelled.push(id));
    // 10 ms are left after the first and second steps, none after the third: three fit in the first period
    const left = [10, 10, 0];
    const deadline = { didTimeout: false, timeRemaining: () => left.shift() ?? 0 };
    const ran: number[] = [];
    const cancel = whenIdle([0, 1, 2, 3].map((i) => () => ran.push(i)));
    expect(queue).toHaveLength(1);
    queue[0]?.(deadline);
    expect(ran).toEqual([0, 1, 2]);
    expect(queue).toHaveLength(2);
    queue[1]?.(deadline);
    expect(ran).toEqual([0, 1, 2, 3]);
    expect(queue).toHaveLength(2);
    cancel();
    expect(cancelled).toEqual([2]);
  });
});
