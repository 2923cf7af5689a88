import { describe, expect, it } from 'vitest';
import { withOwnText } from '../server/domain/email.ts';

describe('withOwnText', () => {
  it("gives a customer's e-mail its own words beside the whole message, and leaves everything else as it is", () => {
    const reply =
      'Still no card.\n\nOn Tue, 3 Mar 2026, Bank <help@bank.example> wrote:\n> It was sent on Friday.\n> Regards';
    const messages = [
      { role: 'customer', text: reply },
      {
        role: 'ai',
        text: 'On Tue, 3 Mar 2026, Bank <help@bank.example> wrote:\n> a quote in the agent’s reply',
      },
      { role: 'customer', text: 'Hello,\n\nwhere is my card?' },
    ];
    expect(withOwnText(messages)).toEqual([
      { role: 'customer', text: reply, ownText: 'Still no card.' },
      messages[1],
      messages[2],
    ]);
  });
});
