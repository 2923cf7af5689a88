import { describe, expect, it } from 'vitest';
import { ownWords } from '../server/domain/email.ts';
import { htmlToText } from '../server/domain/html.ts';
import { customerText, sentenceParts } from '../server/domain/text.ts';

// Replies written for these tests in the shapes Gmail, Outlook and help desks export.
describe('ownWords', () => {
  it('returns a one-line chat message as it is', () => {
    const chat = 'where is my order?? its been 2 weeks';
    expect(ownWords(chat)).toBe(chat);
  });

  it('cuts a Gmail reply at the quoted answer, wrapped header included', () => {
    const reply = [
      'Thanks, that worked! How do I add two more seats for the new hires?',
      '',
      'On Wed, 4 Mar 2026 at 16:02, Flowdesk Support <',
      'help@flowdesk.example> wrote:',
      '> To reset your password, click Forgot password on the sign-in page.',
    ].join('\n');
    expect(ownWords(reply)).toBe('Thanks, that worked! How do I add two more seats for the new hires?');
  });

  it('cuts an Outlook reply at its From / Sent block and its rule line', () => {
    const reply = [
      'I lost my card in town today, please freeze it.',
      '________________________________',
      'From: Northbank Care <care@northbank.example>',
      'Sent: 05 March 2026 11:20',
      'Subject: RE: Card payment query',
      'The fee of 2.99 on your statement is our standard charge.',
    ].join('\n');
    expect(ownWords(reply)).toBe('I lost my card in town today, please freeze it.');
    expect(ownWords(reply.replace('________________________________\n', ''))).toBe(
      'I lost my card in town today, please freeze it.',
    );
  });

  it('keeps the text of a reply written below the quote, and of a bare forward', () => {
    const below =
      'On Tue, 3 Mar 2026, Shop <help@shop.example> wrote:\n> Your order has shipped.\n\nIt has not arrived, where is it?';
    expect(ownWords(below)).toBe('It has not arrived, where is it?');
    const forward = [
      '---------- Forwarded message ---------',
      'From: Ana <ana@mail.example>',
      'Date: Mon, 2 Mar 2026',
      'Subject: order 4411',
      'To: <help@shop.example>',
      '',
      'Please cancel order 4411, I ordered the wrong size.',
    ].join('\n');
    expect(ownWords(forward)).toBe('Please cancel order 4411, I ordered the wrong size.');
  });

  it('drops signatures and legal footers, but not a thank-you in the middle of a message', () => {
    const signed = [
      'What are your bank details for a transfer?',
      '',
      'Kind regards,',
      'Priya Shah',
      'Accounts Payable, Lumen Ltd',
      'FRAUD WARNING: we will never change our bank details by e-mail.',
    ].join('\n');
    expect(ownWords(signed)).toBe('What are your bank details for a transfer?');
    expect(ownWords('Do you ship to Norway?\n--\nSent from my iPhone')).toBe('Do you ship to Norway?');
    const footer =
      'Can I change my delivery date?\nThis email and any attachments are confidential. Refunds and cancellations are subject to our terms.';
    expect(ownWords(footer)).toBe('Can I change my delivery date?');
    const chat =
      'Hi\nThanks!\nMy parcel never came and the tracking says delivered, can someone check what happened with it please';
    expect(ownWords(chat)).toBe(chat);
  });

  it('reads an HTML body as text: no head or style, tags as breaks, entities decoded', () => {
    const html =
      '<html><head><style>.export-only{display:none}</style></head><body><div>Where&nbsp;is&nbsp;my&nbsp;refund?</div><div><br></div><div>Thanks &amp; regards</div><blockquote>Your refund was approved</blockquote></body></html>';
    expect(ownWords(html)).toBe('Where is my refund?\nThanks & regards');
    expect(htmlToText('Please&nbsp;cancel&nbsp;order&nbsp;#4411')).toBe('Please cancel order #4411');
    expect(ownWords('I can&#39;t log in')).toBe("I can't log in");
  });

  it("keeps ordinary messages whole: thanks lines, lists, rules, 'From:' addresses, arrows, urgent notes", () => {
    for (const text of [
      'Hi\nThanks\nMy order is missing, can you help',
      'Hello,\nOn Monday my colleague wrote:\nplease cancel our plan. Any update?',
      'My order:\n----------\n2x shirt\n1x hat\n----------\nThe hat never arrived, please send it',
      'Please change my address\nFrom: 12 Oak Street\nTo: 4 Elm Road',
      'Where do I find it?\n> Settings\nI cannot see that menu',
      'Hi again\nThis email is my third complaint, you are useless\nCaution: the box had broken glass',
      'Sent the form yesterday\nSent from my office in Berlin, the upload failed twice',
      'Write to <help@shop.example> they said, but nobody answers',
    ])
      expect(ownWords(text), text).toBe(text.trim());
  });

  it('reads German, Dutch and French mail clients’ quote headers', () => {
    const german =
      'Meine Karte ist nie angekommen.\n\nAm Do., 23. Juni 2026 um 17:08 Uhr schrieb Bank Support <help@bank.example>:\n> Ihre Karte wurde versandt.';
    expect(ownWords(german)).toBe('Meine Karte ist nie angekommen.');
    const outlookFr =
      'My card never arrived.\nDe : Support <help@bank.example>\nEnvoyé : jeudi 23 juin 2026 17:08\nÀ : Anna\nObjet : Votre carte\nVotre carte a été envoyée.';
    expect(ownWords(outlookFr)).toBe('My card never arrived.');
  });

  it('takes a sign-off with a name after it as the end, "With best wishes" included', () => {
    expect(ownWords('Please cancel my booking for June.\nWith best wishes,\nFrances and Michael Doyle')).toBe(
      'Please cancel my booking for June.',
    );
  });

  it('is linear in the number of lines', () => {
    // 10,000 lines without a word: each line once, not every kept line again per line
    expect(ownWords('1\n'.repeat(10_000)).split('\n').length).toBe(10_000);
  });

  it("reads an imported HTML reply's quote as quoted: a list in it, and a one-paragraph quote at the end", () => {
    const list =
      '<p>My card never arrived.</p><blockquote><p>To reset your password:</p><ol><li>Open the app</li><li>Tap Forgot password</li></ol></blockquote>';
    expect(ownWords(list)).toBe('My card never arrived.');
    expect(ownWords(htmlToText(list))).toBe('My card never arrived.');
    const one =
      '<p>Thanks, but my card never arrived.</p><blockquote><p>We have reset your password.</p></blockquote>';
    expect(ownWords(htmlToText(one))).toBe('Thanks, but my card never arrived.');
    // a literal arrow with the customer's words after it is not a quote, in HTML as in text
    const arrow =
      '<div>I cannot find my invoices under</div><div>&gt; Settings &gt; Billing</div><div>where are they?</div>';
    expect(ownWords(arrow)).toBe('I cannot find my invoices under\n> Settings > Billing\nwhere are they?');
  });

  it('keeps a message that is all quote rather than returning nothing', () => {
    expect(ownWords('> only a quote\n> nothing else')).toBe('> only a quote\n> nothing else');
  });

  it('reads at most 20,000 characters of a huge message', () => {
    const huge = `Please refund my order.\n${'On '.repeat(100_000)}`;
    expect(ownWords(huge).startsWith('Please refund my order.')).toBe(true);
  });
});

describe('customerText with e-mail replies', () => {
  it("joins each message's own words and keeps the uncapped opening for reading on", () => {
    const long = `${'I have been a loyal customer for many years and I always recommend you to friends. '.repeat(5)}Please cancel my subscription.`;
    const t = customerText([{ role: 'customer', text: long }], 0);
    expect(t.text.length).toBe(320);
    expect(t.full).toBe(long);
    expect(t.next).toBe(1);
  });
});

describe('sentenceParts', () => {
  it('cuts at sentence ends and lines, joining short pieces with the next', () => {
    expect(
      sentenceParts('Hi team, I hope you are well. My name is Ana.\nPlease cancel my order. Thanks!'),
    ).toEqual(['Hi team, I hope you are well. My name is Ana.', 'Please cancel my order. Thanks!']);
    expect(sentenceParts('where is my order')).toEqual(['where is my order']);
  });
});
