import { describe, expect, it } from 'vitest';
import {
  conversationText,
  MAX_CLASSIFY_CHARS,
  normalise,
  STOP_WORDS,
  stem,
  tokenize,
  words,
} from '../server/domain/text.ts';
import type { Message } from '../server/domain/types.ts';

describe('words / normalise', () => {
  it('lower-cases and strips punctuation', () => {
    expect(normalise('Where is my ORDER?!')).toBe('where is my order');
    expect(words('refund??')).toEqual(['refund']);
  });

  it('drops numbers, ids, amounts, urls and e-mail addresses whole', () => {
    expect(normalise('order #A12-99 cost $49.99 on 3/4, see https://x.io/a or mail me@x.com now')).toBe(
      'order cost on see or mail now',
    );
  });

  it('removes apostrophes inside words and splits on other separators', () => {
    expect(words("I don't know, it’s check-in")).toEqual(['i', 'dont', 'know', 'its', 'check', 'in']);
  });

  it('keeps accented letters', () => {
    expect(words('Café Crème')).toEqual(['café', 'crème']);
  });

  it('drops anonymised placeholders like the ids they stand for, and keeps ordinary brackets', () => {
    expect(normalise('cancel order {{order_id}} now')).toBe('cancel order now');
    expect(normalise('my name is [NAME], card <CARD_NUMBER>, address [redacted]')).toBe(
      'my name is card address',
    );
    expect(normalise('switch to the {{plan_name}} plan [see below] <b>')).toBe(
      'switch to the plan see below b',
    );
  });

  it('handles empty and whitespace-only input', () => {
    expect(words('')).toEqual([]);
    expect(normalise(' \n\t ')).toBe('');
  });
});

describe('stem', () => {
  it('conflates common inflections', () => {
    expect(stem('cancelled')).toBe(stem('cancel'));
    expect(stem('cancelling')).toBe('cancel');
    expect(stem('cancellation')).toBe('cancel');
    expect(stem('charged')).toBe(stem('charges'));
    expect(stem('charging')).toBe(stem('charge'));
    expect(stem('deliveries')).toBe('delivery');
    expect(stem('shipping')).toBe('ship');
    expect(stem('forgotten')).toBe(stem('forgot'));
  });

  it('leaves short words and double-l stems alone', () => {
    expect(stem('bill')).toBe('bill');
    expect(stem('billing')).toBe('bill');
    expect(stem('is')).toBe('is');
    expect(stem('bus')).toBe('bus');
  });
});

describe('tokenize', () => {
  it('removes stop words but keeps intent-bearing question words and "my"', () => {
    expect(tokenize('Hi, where is my refund? thanks')).toEqual([stem('where'), 'my', 'refund']);
    expect(tokenize('how do returns work')).toEqual(['how', 'return', 'work']);
  });

  it('reduces greetings to nothing', () => {
    expect(tokenize('Hello there, thank you!')).toEqual([]);
    expect(STOP_WORDS.has('the')).toBe(true);
    expect(STOP_WORDS.has('where')).toBe(false);
  });

  it('reads code-mixed Hindi-English as the English it means, and drops its particles', () => {
    // "when will my order come, brother?" / "why hasn't the money come back yet"
    expect(tokenize('mera order kab aayega bhai')).toEqual(tokenize('my order when arrive'));
    expect(tokenize('paise wapas abhi tak nahi aaye kyu')).toEqual(
      tokenize('money back still not arrive why'),
    );
    expect(tokenize('ji namaste, kya hai ye')).toEqual([]);
    // English words that look like Hindi ones are left alone
    expect(tokenize('main account band')).toEqual(['main', 'account', 'band']);
  });
});

describe('conversationText', () => {
  const m = (role: Message['role'], text: string): Message => ({ role, text });

  it('uses the first customer message', () => {
    const text = conversationText([
      m('ai', 'Hi! How can I help?'),
      m('customer', 'My package has not arrived yet and it has been ten days.'),
      m('customer', 'Also can I change my email?'),
    ]);
    expect(text).toBe('My package has not arrived yet and it has been ten days.');
  });

  it('joins a short first message with the second one', () => {
    const text = conversationText([
      m('customer', 'hello'),
      m('ai', 'Hi!'),
      m('customer', 'where is my order'),
    ]);
    expect(text).toBe('hello where is my order');
  });

  it('caps the length', () => {
    const long = 'word '.repeat(500);
    expect(conversationText([m('customer', long)]).length).toBe(MAX_CLASSIFY_CHARS);
    expect(conversationText([m('customer', long)], 50).length).toBe(50);
  });

  it("reads only the customer's words: none written, no text (the AI agent's or an agent's words are not a request)", () => {
    expect(conversationText([m('agent', 'Outbound: your order shipped')])).toBe('');
    expect(conversationText([m('customer', ''), m('ai', 'Could you give me your order number?')])).toBe('');
    expect(conversationText([])).toBe('');
    expect(conversationText([m('customer', '   ')])).toBe('');
  });

  it('joins short opening messages until they can carry a request, three at most', () => {
    expect(
      conversationText([
        m('customer', 'hi'),
        m('ai', 'Hello! How can I help?'),
        m('customer', 'good morning'),
        m('customer', 'where is my order 5512, it is late'),
      ]),
    ).toBe('hi good morning where is my order 5512, it is late');
    expect(
      conversationText([m('customer', 'a'), m('customer', 'b'), m('customer', 'c'), m('customer', 'd')]),
    ).toBe('a b c');
  });
});
