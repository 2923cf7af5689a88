import { describe, expect, it } from 'vitest';
import { placeBubble } from './tipPlacement.ts';

const at = (left: number, top: number) => ({ left, right: left + 14, top, bottom: top + 14, width: 14 });
const screen = { width: 1280, height: 800 };

describe('tooltip placement', () => {
  it('sits under its button, aligned as asked', () => {
    expect(placeBubble(at(600, 100), 200, 80, screen, 'center')).toEqual({ left: 507, top: 120 });
    expect(placeBubble(at(600, 100), 200, 80, screen, 'start')).toEqual({ left: 592, top: 120 });
    expect(placeBubble(at(600, 100), 200, 80, screen, 'end')).toEqual({ left: 422, top: 120 });
  });
  it('stays inside the window at its edges', () => {
    // a header's (i) at the right edge: the bubble ends 8 px before the window's edge
    expect(placeBubble(at(1260, 100), 300, 80, screen, 'center').left).toBe(972);
    expect(placeBubble(at(2, 100), 300, 80, screen, 'end').left).toBe(8);
    // no room below: above the button
    expect(placeBubble(at(600, 760), 200, 80, screen, 'center').top).toBe(674);
    // no room either way: below, where the page can scroll to it
    expect(placeBubble(at(600, 50), 200, 900, screen, 'center').top).toBe(70);
  });
});
