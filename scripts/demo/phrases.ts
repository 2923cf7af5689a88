/**
 * Phrase banks for the demo conversations, written for this generator (deliberately NOT the
 * taxonomy's `examples`, which the classifier learns from, and nothing from ../shared/datasets).
 *
 * Slots in braces are filled per conversation: {order} {ref} {product} {amount} {date} {days}
 * {card4} {app} {feature} {city} {country} {gameitem} {plan} {code} {team} {agent}.
 */

export interface LeafPhrases {
  /** first customer message: questions, complaints, terse, chatty, sloppy */
  open: string[];
  /** extra details the customer adds in a later turn */
  more: string[];
  /** what a helpful answer (AI or agent) says */
  ai: string[];
  /** which team a procedure hands this to */
  team: string;
}

export const LEAF_PHRASES: Record<string, LeafPhrases> = {
  'orders.where_is_my_order': {
    open: [
      "Hi, I ordered {product} on {date} and it still hasn't shown up. Can you tell me where it is?",
      "order {order} - any update? tracking hasn't moved in {days} days",
      "It's been over a week since I placed order {order} and I have zero clue where the package is",
      'hey wheres my stuff, order {order}',
      'Could you check on order {order}? The tracking link just says label created.',
      'my parcel was supposed to arrive {date}, nothing yet. whats going on',
      'Hello! Just wondering when {product} will get to me, I need it for a birthday this weekend.',
      'trackign number doesnt work for {order}',
      "Has my order shipped yet? Ordered {date}, haven't had a single email since the confirmation.",
      "My delivery is late and I'm starting to think it got lost. ETA?",
    ],
    more: [
      'The order number is {order}.',
      'It was going to my work address if that matters.',
      "I've asked my neighbours too, nobody has it.",
      'The courier website just says "in transit" and nothing else.',
    ],
    ai: [
      "I found order {order}: it left our warehouse on {date} and the courier expects to deliver it within {days} business days. Here's your tracking link.",
      'Your package is with the courier and currently at the regional depot. Estimated delivery is {date}.',
      'Order {order} was sent in two parcels. One was delivered yesterday and the second one is out for delivery today.',
    ],
    team: 'fulfilment',
  },
  'orders.change_order': {
    open: [
      'Can I still swap the size on order {order}? I picked a medium but I need a large.',
      'Can you squeeze one more {product} into my purchase from this morning?',
      'ordered the wrong colour by mistake, can you change it before it ships',
      'Please take one item off order {order}, I bought a duplicate.',
      'hi i want to change the qty on my order from 2 to 1',
      'Quick one: can you switch order {order} to express instead of standard?',
      'Only noticed after paying that my basket was wrong. Can the order still be amended?',
    ],
    more: [
      "It hasn't shipped yet as far as I can see.",
      'The order is {order}.',
      'Same price is fine, just a different size.',
    ],
    ai: [
      "Done! Order {order} now has the large instead of the medium. The total didn't change and it will ship as planned.",
      "I've updated the quantity on order {order}; a new confirmation email is on its way.",
      "The order hadn't been packed yet, so I made the change and refunded the difference of {amount}.",
    ],
    team: 'order desk',
  },
  'orders.cancel_order': {
    open: [
      "Please cancel order {order}, I don't need it anymore",
      'Found the same thing for less elsewhere, sorry! Please call off my purchase.',
      'cancel my order pls',
      'Ordered twice by accident. Can you cancel the second one ({order})?',
      "How do I cancel something I bought this morning? There's no button in my account.",
      'Changed my mind about {product}, can the order be stopped before it goes out?',
    ],
    more: ["It's order {order}.", "I haven't had a shipping email yet.", 'Yes, the whole thing please.'],
    ai: [
      "I've cancelled order {order}. The {amount} goes back to your original payment method within 3-5 business days.",
      'Your order was still being processed, so I was able to cancel it. A confirmation email will follow in a few minutes.',
    ],
    team: 'order desk',
  },
  'orders.missing_item': {
    open: [
      "My package arrived but {product} wasn't in it, even though the packing slip lists it.",
      "What arrived today is not {product} at all, it's something totally different from what I picked.",
      'paid for three things, two turned up',
      'Opened my parcel today and one item is missing from order {order}. Very disappointing.',
      'wrong size sent AGAIN. order {order}',
      "There's been a mix-up with my delivery, someone else's things were in my box.",
    ],
    more: [
      'I can send photos of what was in the box.',
      'The outer box was sealed, nothing looked tampered with.',
      'This is the second time this has happened to me.',
    ],
    ai: [
      "I'm sorry about that. I've logged the missing item on order {order} and the warehouse team will check the packing records.",
      'Thanks for telling us. Could you send a photo of what you received and of the packing slip so the team can look into it?',
    ],
    team: 'warehouse',
  },
  'orders.place_order_help': {
    open: [
      'The checkout keeps spinning when I try to pay, how do I finish buying?',
      'how do I buy as a guest without making an account',
      "Can I order over the phone? The website won't let me pick my country.",
      'Where do I put a gift message when I check out?',
      'im stuck at checkout it says address invalid',
      "Is there a minimum basket amount? I can't get past the cart page.",
    ],
    more: [
      "I'm on the mobile site.",
      'I tried two different browsers.',
      'It shows a red error under the postcode field.',
    ],
    ai: [
      "You can check out as a guest: on the cart page choose 'Continue without an account' and fill in your delivery details.",
      'Gift messages go on the last step of checkout, just above payment. If the page hangs, clearing the browser cache usually fixes it.',
      'The postcode has to match the format of the country you picked. Once it does, the address check passes and you can pay.',
    ],
    team: 'web shop',
  },
  'shipping.delivery_options': {
    open: [
      'Do you ship to {country}? And how long does it usually take?',
      'how much is express shipping',
      'Which shipping speeds can I choose from? It has to be here by {date}.',
      'Is shipping free above a certain amount?',
      'Can I collect from a store instead of having it delivered?',
      'do u deliver on saturdays',
    ],
    more: [
      'I live in a fairly remote area.',
      "It's a present so timing matters.",
      'The postcode is a rural one.',
    ],
    ai: [
      'We ship to over 40 countries, including {country}. Standard delivery takes 5-8 business days and express 2-3.',
      'Shipping is free on orders over {amount}; express costs a flat fee and arrives in 1-2 business days.',
      "Store pickup is available at checkout for most items. You'll get a text when it's ready to collect.",
    ],
    team: 'logistics',
  },
  'shipping.change_address': {
    open: [
      "I've moved house and the parcel still has my previous address on it. Can it be rerouted?",
      'need to fix the delivery address on {order}',
      'Typo in my address, the house number should be 14 not 41!',
      'Can you send my package to my office instead? Order {order}.',
      'wrong postcode on my order, help',
    ],
    more: ['The new address is in the same city.', "It hasn't been delivered yet.", 'Order {order}.'],
    ai: [
      "I've updated the delivery address on order {order}. The courier will use the new one for this shipment.",
      "The parcel hadn't been handed to the courier yet, so I could change the address. You'll see it in your order details.",
    ],
    team: 'logistics',
  },
  'shipping.damaged_parcel': {
    open: [
      'My {product} arrived broken. The box was crushed on one side.',
      'parcel was soaking wet and everything inside is ruined',
      'Received my delivery today and the glass is shattered. What do I do?',
      "the thing came damaged, there's a big crack across the front",
      'Hi, the box was torn open when it got here and {product} is scratched all over.',
    ],
    more: [
      'I kept all the packaging.',
      'I took pictures before unpacking.',
      'It was a gift, so I need this sorted quickly.',
    ],
    ai: [
      "I'm really sorry it arrived like that. Please upload a couple of photos of the item and the packaging and I'll open a claim.",
      "That shouldn't happen. I've started a damage claim for order {order}; the team will decide on a replacement or refund.",
    ],
    team: 'claims',
  },
  'refunds.return_policy': {
    open: [
      'How long do I have to send something back?',
      "Can I return {product} if I've worn it once?",
      "what's the policy on sending back sale items",
      'Do I have to pay the postage if I send it back?',
      'If I return a present, does the money go to me or to the person who bought it?',
      'are returns free? thinking of buying two sizes and sending one back',
    ],
    more: [
      'It was bought {date}.',
      'It still has the tags on.',
      'I bought it in the online shop, not in store.',
    ],
    ai: [
      'You can send most items back within 30 days of delivery, unused and in the original packaging. Return postage is free.',
      'Sale items can be sent back within 14 days. Items returned as gifts are refunded as store credit to the person returning them.',
    ],
    team: 'returns',
  },
  'refunds.start_return': {
    open: [
      'I want to send back {product}, can I get a label?',
      "What's the process to send back order {order}?",
      "return label please, item doesn't fit",
      "I'd like to send part of my order back, just the shoes, not the jacket.",
      "The returns portal says my order isn't eligible but it's only been 10 days??",
    ],
    more: [
      "It's order {order}.",
      "It's unworn, still in the bag.",
      'I want my money back rather than an exchange.',
    ],
    ai: [
      "I've created a return for order {order}. Your prepaid label is attached; drop the parcel at any post office within 14 days.",
      'Done. A label is in your inbox, and once the warehouse scans the parcel your money is sent back automatically.',
    ],
    team: 'returns',
  },
  'refunds.refund_status': {
    open: [
      "My parcel went back to you a fortnight ago, the money still isn't here",
      'When will my refund of {amount} arrive?',
      "refund still not in my account, it's been {days} days",
      'Can you confirm you got my return? The tracking says delivered.',
      "Where's the money for {ref}? You said it was refunded.",
    ],
    more: ['My bank says nothing is pending.', 'It was paid by card.', 'The reference is {ref}.'],
    ai: [
      'Your refund of {amount} was issued on {date}. Banks usually take 3-5 business days to show it on your statement.',
      "We received your parcel on {date} and the refund is being processed; you'll get an email the moment it's sent.",
    ],
    team: 'finance',
  },
  'refunds.request_refund': {
    open: [
      "I want my money back for {ref}, it's not what was described",
      'I was charged for something I never used and I want that money back.',
      'requesting a full refund',
      'You cancelled the service yourselves, so please reimburse me.',
      "I paid {amount} and it doesn't work. refund please",
    ],
    more: ['It was {ref}.', 'I have the receipt.', "I've already tried everything in the help centre."],
    ai: [
      "I've submitted a refund of {amount} to your original payment method. It usually shows up within 5 business days.",
      "That's within the refund window, so I've processed it. A confirmation email will arrive shortly.",
    ],
    team: 'finance',
  },
  'billing.invoice_copy': {
    open: [
      'Can you send me an invoice for last month? Our accounting team needs it.',
      'I need a VAT receipt for {ref}',
      'invoices - where do I find them to download?',
      'Please resend the receipt for my payment on {date}, I deleted the email.',
      'Our company name is wrong on the bill, can I get a corrected copy?',
    ],
    more: [
      'It needs our VAT number on it.',
      'It was the payment from {date}.',
      'Please send it to our finance inbox.',
    ],
    ai: [
      "I've emailed the invoice for {date} to the address on your account. You can also download every invoice under Settings > Billing.",
      "Here's a link to your receipt for {amount}. It includes the VAT breakdown.",
    ],
    team: 'billing',
  },
  'billing.payment_methods': {
    open: [
      'Do you take PayPal?',
      'Can I pay in instalments?',
      'which cards do you accept, does amex work',
      'Is it possible to pay by bank transfer instead of card?',
      'can I pay in euros or only dollars',
    ],
    more: [
      "It's for a fairly big purchase.",
      'Only have a debit card, is that ok?',
      "We're a company based in {country}.",
    ],
    ai: [
      'We accept Visa, Mastercard, American Express, PayPal and Apple Pay. Bank transfer is available for annual plans.',
      'You can split the payment over 3 or 4 months with our instalment partner, right at checkout.',
    ],
    team: 'billing',
  },
  'billing.failed_payment': {
    open: [
      "My card keeps getting declined but there's money on it",
      'payment bounced and now the account shows overdue',
      'Three attempts to pay {amount}, each one ends in error 402',
      "Why did my payment not go through? My bank says they didn't block anything.",
      "declined again... what's the issue",
    ],
    more: ["It's a {card4} card.", 'It worked fine last month.', 'I tried a different card as well.'],
    ai: [
      'I checked your last attempt: the bank asked for extra authentication. Please retry and approve the payment in your banking app.',
      "The card on file expired last month, which is why it failed. Once you add a new card we'll retry automatically.",
    ],
    team: 'billing',
  },
  'billing.unexpected_charge': {
    open: [
      'I was charged twice this month, {amount} each time!',
      'Mystery charge from your company on my bank statement, what is it?',
      'why was I billed {amount}?? I cancelled months ago',
      'Double charge on my card. Please fix this ASAP.',
      'You took money from my account without my permission.',
    ],
    more: ['Both on {date}.', 'I want this reversed today.', 'The card ends in {card4}.'],
    ai: [
      "I can see two transactions on {date}. I've flagged this for our billing team, who will reply by email within one business day.",
    ],
    team: 'billing',
  },
  'billing.update_payment_details': {
    open: [
      'Please bill a different card from now on',
      'Our billing address changed, where do I edit it?',
      'new card, old one expired. where do I put it in',
      'Please switch our payment method to the company card.',
    ],
    more: [
      'The new card ends in {card4}.',
      'The address changed when we moved offices.',
      "I'm the account owner.",
    ],
    ai: [
      "I've sent you a secure link to update your card. Once it's saved, your next payment will use it.",
      "You can change the card under Settings > Billing > Payment method. I've already updated the billing address you gave me.",
    ],
    team: 'billing',
  },
  'account.password_reset': {
    open: [
      'I forgot my password and the reset email never comes',
      "can't get in, need a new password",
      'Reset link says expired every time I click it',
      'locked out after too many tries, please reset my password',
      'I think someone knows my password, how do I set a new one?',
    ],
    more: [
      "I've checked spam.",
      'The email on the account is my old work one.',
      'I tried it on my phone and laptop.',
    ],
    ai: [
      "I've sent a fresh reset link to the email on your account. It's valid for one hour; check spam if it doesn't show up.",
      "Your password has been reset. You'll get an email with a link to choose a new one.",
    ],
    team: 'account support',
  },
  'account.login_problem': {
    open: [
      'My two-factor codes stopped working after I got a new phone',
      "SSO sign-in gives me an error 'user not provisioned'",
      "Account says it's locked and I don't know why",
      'i cant sign in, it just loops back to the start page',
      "I'm not getting the verification code by SMS",
    ],
    more: [
      'My username is my email.',
      'It worked yesterday.',
      'Our IT team says nothing changed on their side.',
    ],
    ai: [
      "I've checked your account: it was locked after several failed attempts. I've unlocked it, so you can sign in again now.",
      'Your account signs in through your company SSO. I reset your two-factor device so you can register the new phone.',
    ],
    team: 'account support',
  },
  'account.update_details': {
    open: [
      'My email on the account is outdated, please swap it for a new one',
      'got married, want to update my surname',
      'New phone number, where do I put it in my profile?',
      'update my address pls',
    ],
    more: [
      'The new one is on the same domain.',
      'I can verify it with my ID.',
      "I can't find it in the settings.",
    ],
    ai: [
      "I've updated the email on your account. Please confirm it with the link we just sent.",
      'Your name has been changed; the new one will show on future invoices and statements.',
    ],
    team: 'account support',
  },
  'account.delete_account': {
    open: [
      'Please delete my account and everything in it.',
      'how do I close my account permanently',
      'not using this anymore, wipe my profile',
      'Closing my account today. Is there any balance I should withdraw first?',
    ],
    more: [
      'Yes, I understand it is permanent.',
      'I already downloaded what I need.',
      'Please confirm by email.',
    ],
    ai: [
      "I've started closing your account. It will be fully removed within 30 days and you'll get a confirmation email.",
    ],
    team: 'account support',
  },
  'account.create_account': {
    open: [
      "The register button doesn't respond. Any other way to join?",
      'can I make an account with my work email',
      'I never got the confirmation email after registering',
      'Is there an age requirement to open an account?',
    ],
    more: ["I'm using Safari.", "I've tried twice now.", 'My email has a plus sign in it.'],
    ai: [
      "You can sign up from the homepage with any email address. If the confirmation email doesn't arrive in a few minutes, check spam or ask for it again from the sign-in page.",
    ],
    team: 'onboarding',
  },
  'subscription.cancel': {
    open: [
      'I want to cancel my subscription before it renews',
      'stop auto renewal please',
      "How do I unsubscribe? I don't want to be charged again next month.",
      'cancel my membership',
      "We're switching to another tool, so please don't renew us when this term runs out.",
    ],
    more: ['It renews on {date}.', "I'm the account owner.", 'Just cancel, no need for an offer.'],
    ai: [
      "I've turned off auto-renewal. You keep access until {date} and won't be charged again.",
      'Your subscription has been cancelled. A confirmation is on its way to your inbox.',
    ],
    team: 'subscriptions',
  },
  'subscription.change_plan': {
    open: [
      "I'd like to upgrade to the {plan} plan",
      'can we downgrade to fewer seats',
      'Switch me from monthly to yearly billing please',
      'How do I add 5 more users to our plan?',
    ],
    more: [
      'Starting from the next billing cycle is fine.',
      'We have 12 people now.',
      'Will we lose any data?',
    ],
    ai: [
      'Done, your workspace is now on the {plan} plan. The price difference is prorated on your next invoice.',
      "I've switched you to yearly billing, which saves two months. The change applies from {date}.",
    ],
    team: 'subscriptions',
  },
  'subscription.plan_info': {
    open: [
      "What's the difference between {plan} and the basic plan?",
      'Can I try it for free before paying?',
      'price per seat?',
      'Does the cheaper plan include phone support?',
    ],
    more: [
      "We're a team of about 15.",
      'Mostly need the reporting part.',
      'Is there a discount for nonprofits?',
    ],
    ai: [
      'The {plan} plan adds advanced reporting, SSO and priority support. Every plan comes with a 14-day free trial.',
      'Pricing is per active user per month, with a lower rate on annual billing. The full comparison is on our pricing page.',
    ],
    team: 'sales',
  },
  'subscription.renewal_status': {
    open: [
      "What's my renewal date?",
      "Am I still on the annual plan? I can't tell from the dashboard",
      'is my membership active',
      'Which day does the next payment come out?',
    ],
    more: [
      'I need it for our budget planning.',
      'I got an email that confused me.',
      'Account is under my work email.',
    ],
    ai: ['Your {plan} subscription is active and renews on {date} for {amount}.'],
    team: 'subscriptions',
  },
  'howto.feature_usage': {
    open: [
      'How do I export {feature} to a spreadsheet?',
      'Where is the setting for {feature}?',
      'is there a way to bulk edit things',
      "Can you explain how {feature} works? The docs weren't clear to me.",
      'can an outside contractor view one of my reports',
    ],
    more: ["I'm an admin on the workspace.", "I'm using the desktop app.", 'I looked in settings already.'],
    ai: [
      'To export, open the report, click the three dots in the top right and choose Export > CSV.',
      "You'll find it under Settings > Workspace > {feature}. Here's a short guide with screenshots.",
    ],
    team: 'product support',
  },
  'howto.setup_integration': {
    open: [
      'How do I connect {app}?',
      "webhook isn't firing, how do I set it up correctly",
      'Where do I generate an API key?',
      'Trying to sync with {app} but it asks for a token, which one?',
    ],
    more: [
      'We use the cloud version of {app}.',
      "I'm getting a 401 back.",
      'I have admin rights on both sides.',
    ],
    ai: [
      "Go to Settings > Integrations, choose {app} and click Connect. You'll be asked to sign in and approve access.",
      'API keys live under Settings > Developers. Create one, copy it once, and paste it into {app}.',
    ],
    team: 'technical support',
  },
  'howto.product_info': {
    open: [
      'Is {product} true to size?',
      'Does this come in other colours?',
      'what material is the {product} made of',
      'Will this charger work with my older model?',
      'When will {product} be back in stock?',
    ],
    more: ["I'm usually between two sizes.", 'I have quite sensitive skin.', "It's for outdoor use."],
    ai: [
      '{product} runs slightly small, so we recommend one size up. Full measurements are under Size guide on the product page.',
      'It comes in four colours and is made from recycled materials. Restocks usually land within two weeks.',
    ],
    team: 'product specialists',
  },
  'tech.bug_report': {
    open: [
      'Opening the settings page makes the app close itself instantly',
      "Getting 'Error 500' when I save anything",
      'the save button is dead, nothing happens on chrome or safari',
      'after your latest release my dashboard totals are plainly wrong',
    ],
    more: ['Screenshot attached.', 'App is fully updated.', 'Clearing the cache did not help.'],
    ai: [
      "Thanks for the details. I've passed this to our engineering team with your browser and account info; they'll update you by email.",
    ],
    team: 'engineering',
  },
  'tech.performance': {
    open: [
      'Is the site down? Nothing loads.',
      'everything is super slow today',
      'Pages take ages to load, is there an outage?',
      'the app keeps timing out',
    ],
    more: ['Started about an hour ago.', 'My colleagues see it too.', "It's fine on my phone though."],
    ai: [
      "We're seeing slower response times in one region right now and the team is on it. You can follow updates on our status page.",
      'There are no open incidents on our side. A hard refresh or trying another network usually helps; if not, the status page has details.',
    ],
    team: 'operations',
  },
  'tech.data_sync': {
    open: [
      'My data from {app} stopped syncing yesterday',
      '{app} says one thing, your dashboard says another',
      "Contacts I added this morning aren't showing up",
      "The last sync was 3 days ago, why isn't it updating?",
    ],
    more: ['Nothing changed on our side.', 'We reconnected it once already.', 'It affects the whole team.'],
    ai: [
      "I checked your workspace: the {app} connection expired on {date}. I've started a fresh sync and your data should be current within the hour.",
    ],
    team: 'technical support',
  },
  'feedback.complaint': {
    open: [
      "I'm really unhappy with how I've been treated by your support team",
      'Nobody replies to my emails. Appalling service.',
      'I wish to lodge an official complaint',
      'Third time contacting you about this and still nothing. Unacceptable.',
    ],
    more: [
      'I have been a customer for years.',
      'I expect a proper answer this time.',
      'The reference is {ref}.',
    ],
    ai: [
      "I'm sorry about your experience. I've recorded your complaint and a team lead will review it personally.",
    ],
    team: 'customer relations',
  },
  'feedback.talk_to_human': {
    open: [
      'Can I talk to a real person please',
      'agent',
      'human please',
      'Not interested in a bot, connect me with staff',
      'Is there anyone I can actually speak to?',
    ],
    more: [
      "It's about {ref}.",
      "It's complicated, I'd rather explain to a person.",
      'Please, just a person.',
    ],
    ai: [
      "I can find someone for you. Before I do: I've checked {ref} and it's already been sorted on our side, so there's nothing more you need to do.",
      "Sure. Most people asking for a person want an update on {ref}: it went through on {date} and you'll get an email confirmation shortly.",
    ],
    team: 'support',
  },
  'feedback.suggestion': {
    open: [
      'It would be great if you added a dark mode',
      'Suggestion: let us save more than one address',
      'Just wanted to say I love the new design!',
      "Any plans to support {app}? We'd really use it.",
    ],
    more: ['Lots of people on my team would like this.', 'Keep up the good work.', 'Happy to test a beta.'],
    ai: [
      "Thanks for the idea! I've shared it with our product team, and you can vote for it on our feedback board.",
    ],
    team: 'product',
  },
  'sales.pricing_quote': {
    open: [
      "We're a team of 200, can we get a quote for an enterprise plan?",
      "I'd like to book a demo",
      'What would it cost for 50 seats with SSO?',
      'Can someone from sales call me about volume pricing?',
    ],
    more: [
      "We're evaluating three vendors.",
      'Budget is approved for this quarter.',
      "We're based in {country}.",
    ],
    ai: [
      "I'd be happy to connect you with our sales team. Could you share your company size and what you're looking for?",
    ],
    team: 'sales',
  },
  'sales.discounts': {
    open: [
      "My promo code {code} isn't working",
      'Do you have a student discount?',
      'Any sales coming up for Black Friday?',
      "the discount wasn't applied when I paid",
    ],
    more: ['The code came in your newsletter.', "It says 'not valid'.", 'My basket is over the minimum.'],
    ai: [
      "Code {code} only applies to full-price items, which is why it didn't work on the sale items in your basket.",
      'Students get 15% off after verifying with their school email.',
    ],
    team: 'marketing',
  },
  'sales.gift_cards': {
    open: [
      "What's the remaining balance on my gift card?",
      'Gift card code says invalid',
      'Can I use two gift cards on one purchase?',
      'I got a voucher for my birthday, how do I redeem it',
    ],
    more: ['The card number ends in {card4}.', 'It was bought in a store.', 'It was a present from my aunt.'],
    ai: ['Your gift card ending in {card4} has a balance of {amount} and is valid until {date}.'],
    team: 'payments',
  },
  'privacy.data_request': {
    open: [
      "Under data protection law I'm asking for everything you store about me",
      'GDPR request: erase my data',
      'I want you to stop processing my data and delete everything',
      'how do I download my data',
    ],
    more: [
      'The account email is the one I am writing from.',
      'Please confirm in writing.',
      'Under GDPR article 15.',
    ],
    ai: [
      "I've logged your data request. You'll receive a secure download link within 30 days, usually much sooner.",
    ],
    team: 'privacy',
  },
  'privacy.suspicious_activity': {
    open: [
      "There's a sign-in on my account from abroad that wasn't me",
      "I got an email saying my password changed but I didn't do it",
      'payments on my statement that I never authorised!!',
      'Got a text asking for my login code, is that you?',
    ],
    more: ['It happened last night.', "I've already changed my password.", 'The amount was {amount}.'],
    ai: [
      "For your safety I've signed out all sessions. A specialist from our security team will contact you shortly.",
    ],
    team: 'security',
  },
  'booking.change_booking': {
    open: [
      'Can I move my flight to {date}?',
      'The passenger name on my booking is misspelled, please correct it',
      'change dates of my hotel stay in {city}',
      'Is it possible to add an extra night to reservation {ref}?',
    ],
    more: ['The reference is {ref}.', 'Happy to pay the difference.', "It's for two passengers."],
    ai: ["I've moved {ref} to {date}. No change fee applied, and your updated itinerary is in your inbox."],
    team: 'reservations',
  },
  'booking.booking_status': {
    open: [
      "Is my booking confirmed? I haven't received anything",
      'where is my e-ticket for {ref}',
      'Can you resend my itinerary?',
      'My reservation shows pending, is that normal?',
    ],
    more: ['I booked through the app.', 'Travelling on {date}.', 'The payment left my account already.'],
    ai: ["{ref} is confirmed. I've resent your e-ticket and itinerary to your email."],
    team: 'reservations',
  },
  'booking.baggage_policy': {
    open: [
      'What luggage is included in my fare?',
      "what's the carry-on size limit",
      'Which travel documents does {city} require?',
      'Can I bring my bike or ski gear?',
    ],
    more: ["I'm on the basic fare.", 'Flying on {date}.', "It's a long-haul trip."],
    ai: [
      'Economy tickets include one cabin bag up to 8 kg and one personal item. Checked bags can be added in Manage booking.',
      'Sports equipment can travel as checked baggage if you add it at least 48 hours before departure.',
    ],
    team: 'travel desk',
  },
  'payments.transfer_status': {
    open: [
      "I sent {amount} to my friend yesterday and they still haven't got it",
      'where is my withdrawal',
      'transfer stuck on processing since {date}',
      "My payout hasn't arrived in my bank",
    ],
    more: ['It was an international transfer.', 'The reference is {ref}.', 'I need it for rent today.'],
    ai: [
      'Your transfer of {amount} was sent on {date} and is now with the receiving bank. International transfers can take up to 2 business days.',
    ],
    team: 'payments operations',
  },
  'payments.card_block': {
    open: [
      'I lost my card, please block it',
      'my wallet was stolen, freeze my card NOW',
      'How do I order a replacement card?',
      'Might have forgotten my card at dinner last night, can I pause it for now?',
    ],
    more: [
      'Card ending {card4}.',
      'Please send the new one to my home address.',
      'No strange payments so far.',
    ],
    ai: [
      "Your card ending in {card4} is now frozen. I've ordered a replacement, which should arrive in 5-7 days.",
    ],
    team: 'cards',
  },
  'payments.limits_fees': {
    open: [
      "What's the fee for sending money abroad?",
      'is there a daily limit on cash machine withdrawals',
      'what exchange rate do you use',
      'How much can I send in one go?',
    ],
    more: ["I'm on the free plan.", 'Sending to {country}.', "It's for a house deposit."],
    ai: [
      'Domestic transfers are free. International ones cost 0.5% with a $1 minimum, and we use the mid-market rate.',
      'Your plan allows up to {amount} per day; you can raise it temporarily in the app under Limits.',
    ],
    team: 'payments operations',
  },
  'gaming.purchase_missing': {
    open: [
      "I bought the {gameitem} but it's not in my inventory",
      "paid for gems, didn't get them",
      'Purchase went through on my card but nothing showed up in game',
      'where is my battle pass i paid for it',
    ],
    more: ['Bought on {date}.', 'I play on console.', 'I have the receipt from the store.'],
    ai: [
      'I found your purchase from {date}. The {gameitem} has been added to your account; restart the game to see it.',
    ],
    team: 'player support',
  },
  'gaming.ban_appeal': {
    open: [
      'My account got banned for no reason',
      'I want to appeal my suspension, I never cheated',
      'why am i banned??? i didnt do anything',
      "Got a 7-day suspension, I think it's a mistake",
    ],
    more: [
      'My brother sometimes plays on my account.',
      'I have played for three years.',
      'My player name is the same as my email.',
    ],
    ai: [
      "I understand this is frustrating. I've submitted your appeal to our fair-play team; they review every case by hand.",
    ],
    team: 'fair play',
  },
  'other.greeting': {
    open: ['hiya', 'anybody about?', 'hey :)', 'morning!', 'testing 123', 'hellooo'],
    more: ['just checking this works', 'okey', 'never mind, sorted'],
    ai: ['Hi! How can I help you today?'],
    team: 'support',
  },
  'other.business_hours': {
    open: [
      'What time does your support team open?',
      'Can I ring someone instead of typing?',
      'Do you work weekends, Sunday in particular?',
      'where is your nearest store',
    ],
    more: ["I'm in {city}.", 'Calling from abroad.', 'I prefer to talk on the phone.'],
    ai: [
      'The team is around Monday to Friday 8am-8pm and Saturday 9am-5pm. You can also write to us here anytime.',
    ],
    team: 'support',
  },
};

export const GREETING_PREFIX = [
  'Hi, ',
  'Hello, ',
  'Hey, ',
  'Hi there! ',
  'Good morning. ',
  'Hi team, ',
  "Hi, hope you're well. ",
  'Hello, quick question. ',
  'Sorry to bother you, ',
];

export const SIGNOFF_SUFFIX = [
  ' Thanks!',
  ' Thanks in advance.',
  ' Cheers',
  ' thx',
  ' Thank you.',
  ' Regards.',
];

export const CHATTY_PREFIX = [
  "I've been with you for years and never had a problem, but ",
  'So this is a bit of a long story, but basically ',
  'My partner told me to message you, so here goes: ',
  "I've tried to figure this out myself for an hour now and ",
];

/** customer after a resolution they confirmed */
export const THANKS_CONFIRMED = [
  'Perfect, thank you!',
  'that worked, thanks so much',
  'Great, appreciate the quick help',
  'awesome thx',
  "Brilliant, that's exactly what I needed.",
  'Amazing, sorted. Thanks!',
  'Thank you, have a lovely day!',
  'yes that fixed it, thank you',
];

/** customer's lukewarm last word (or nothing) after an assumed resolution */
export const OK_ASSUMED = ['okay', 'ok cheers', 'right', 'I see', 'ok will try that', 'fine'];

export const FRUSTRATED = [
  "That doesn't answer my question.",
  "This isn't helpful. I need to speak to someone.",
  "you're not understanding me",
  'I already tried that!!',
  "Seriously? I've asked this three times now.",
  'Can I get a human please, this bot is useless',
  'No. That is not what I asked.',
  'this is so frustrating',
];

export const NEGATIVE = [
  'This is useless.',
  'Not helpful at all.',
  'Terrible answer, waste of my time.',
  'wow. thanks for nothing',
  'That is wrong and you know it.',
];

export const WAITING = [
  'Hello? Anyone there?',
  'Still waiting...',
  'Any update?',
  'helloooo??',
  "It's been an hour.",
];

export const REOPEN = [
  "It's still not sorted.",
  'Hi again, the problem is back.',
  "I'm writing again because nothing happened after our last chat.",
  'This did not actually work.',
  'Following up, still the same issue.',
];

export const AFTER_AGENT_GOOD = [
  'Thanks, that sorts it.',
  'Finally, thank you.',
  'Great, thanks for your help.',
  'ok thank you',
];
export const AFTER_AGENT_BAD = [
  'That took far too long.',
  'Ok. Not great that it took this long.',
  'fine, whatever',
  'I hope this does not happen again.',
];

export const AI_GLAD = [
  'Glad I could help!',
  'Happy to help. Anything else?',
  "You're welcome! Have a great day.",
];

export const AI_CLARIFY = [
  'Could you share a few more details so I can look into this?',
  'Happy to help. Which {noun} is this about?',
  'Can you tell me a bit more about what happened?',
];

export const AI_WEAK: Record<string, string[]> = {
  informational: [
    "I found a couple of articles that might help: 'Getting started' and 'Frequently asked questions'.",
    "I'm not completely sure about that one. Here is our general help page, which may cover it.",
  ],
  personalized: [
    "I can't see your account details from here, but you can usually find this in your account area.",
    "I don't have access to that information, I'm afraid. It is usually shown in your account.",
  ],
  action: [
    "I'm not able to make that change myself, but here is a guide explaining how it normally works.",
    "I can't do that from this chat. The steps are described in our help centre.",
  ],
  human: [
    "I'm sorry to hear that. This needs someone from the team to look at it.",
    'Thanks for letting us know. Let me get someone who can look into this properly.',
  ],
};

export const AI_ESCALATE = [
  "I'll pass you to a member of our team who can look into this.",
  'Let me connect you with a colleague.',
  "I've created a ticket for our support team; someone will get back to you here.",
  'One moment, I am transferring you to a person.',
];

export const AI_PROCEDURE_HANDOFF = [
  "I've collected the details and passed your case to the {team} team, who handle this directly. You'll hear back within {days} business days.",
  "Thanks, that's everything I need. The {team} team takes it from here and will reply by email.",
  'Your request is logged with the {team} team under reference {ref}.',
];

export const AI_CONNECTING = [
  "Of course, I'm connecting you with a member of the team now.",
  'No problem, passing you to a colleague.',
];

export const AI_SORRY = [
  "I'm sorry that didn't help.",
  'Sorry about that. Is there anything else I can try?',
];

export const AGENT_HELLO = [
  'Hi, {agent} here. ',
  'Hello, this is {agent} from the support team. ',
  'Hi! {agent} here, sorry for the wait. ',
  '{agent} here, thanks for your patience. ',
];

export const AGENT_HUMAN_FIX = [
  "I've looked into this personally and arranged a replacement at no cost to you.",
  "I've reviewed the details and issued a refund of {amount}; you'll see it in a few days.",
  'I checked your case with the team and we have corrected it on our side.',
  "I've escalated this to the right team with all the details; you'll have an answer within 24 hours.",
  'Thanks for your patience. I went through the history and everything is now fixed.',
];

export const AGENT_CLOSE = [
  'Is there anything else I can help with?',
  'Have a good day!',
  'Let me know if anything else comes up.',
];

export const AGENT_NAMES = [
  'Maya',
  'Jonas',
  'Aisha',
  'Tom',
  'Lucia',
  'Kenji',
  'Priscilla',
  'Owen',
  'Fatima',
  'Ravi',
  'Elena',
  'Sam',
  'Grace',
  'Mateo',
];

export const SLOT_VALUES: Record<string, Record<string, string[]>> = {
  product: {
    ecommerce: [
      'the running shoes',
      'the linen duvet cover',
      'a ceramic vase',
      'the blue hoodie',
      'the wireless earbuds',
      'a desk lamp',
      "the kids' raincoat",
      'the espresso machine',
      'the wool blanket',
      'the leather backpack',
    ],
    travel: ['the city break package', 'the family room', 'the rail pass', 'the airport transfer'],
    gaming: ['the controller', 'the collector edition', 'the headset'],
    saas: ['the reporting add-on', 'the mobile app', 'the desktop app'],
    fintech: ['the metal card', 'the premium plan', 'the travel card'],
    other: ['the router', 'the starter kit', 'the course pack'],
  },
  ref: {
    ecommerce: ['order {order}', 'my last order', 'order {order}'],
    travel: ['booking {pnr}', 'reservation {pnr}', 'my booking {pnr}'],
    saas: ['invoice INV-{n4}', 'our last invoice', 'workspace {word}-{n3}'],
    fintech: ['transaction TX-{n6}', 'payment {n6}', 'my transfer on {date}'],
    gaming: ['the purchase on {date}', 'receipt {n6}', 'my order {n6}'],
    other: ['account {n6}', 'case {n5}', 'bill {n5}'],
  },
  feature: {
    any: [
      'reports',
      'user roles',
      'dashboards',
      'the audit log',
      'saved views',
      'automations',
      'custom fields',
      'tags',
    ],
  },
  app: {
    any: [
      'Slack',
      'Salesforce',
      'HubSpot',
      'Zapier',
      'Shopify',
      'Google Sheets',
      'Jira',
      'Xero',
      'QuickBooks',
    ],
  },
  city: {
    any: ['Lisbon', 'Denver', 'Osaka', 'Cape Town', 'Reykjavik', 'Seville', 'Montreal', 'Krakow', 'Bali'],
  },
  country: {
    any: ['Canada', 'Ireland', 'Australia', 'Norway', 'Mexico', 'Japan', 'Portugal', 'Poland', 'Singapore'],
  },
  gameitem: {
    any: ['gem pack', 'season pass', 'legendary skin', 'coin bundle', 'starter pack', 'battle pass'],
  },
  plan: { any: ['Pro', 'Business', 'Team', 'Premium', 'Plus'] },
  code: { any: ['SPRING20', 'WELCOME10', 'FREESHIP', 'VIP15', 'SAVE25', 'HELLO5'] },
  date: {
    any: [
      'Monday',
      'last Tuesday',
      'the 3rd',
      'the 12th',
      'Friday',
      'last week',
      'the 21st',
      'yesterday',
      'the 28th',
    ],
  },
  word: { any: ['acme', 'north', 'blue', 'orbit', 'delta', 'pine'] },
};

// Banks the satisfaction latent chooses between (world v2): the same outcome reads differently
// from a pleased customer and from an unhappy one.

/** confirmed resolution, said flatly */
export const CONFIRMED_PLAIN = [
  'ok that works',
  'yes that did it',
  'got it, done now',
  'ok, sorted',
  'right, that was it',
];

/** an assumed resolution that left the customer unsure */
export const ASSUMED_DOUBT = [
  'hm, not sure that answers it but ok',
  'I guess. still a bit confusing',
  'that is not really clear to me',
  'ok... I will figure it out myself then',
];

/** a warm last word after an assumed resolution */
export const ASSUMED_WARM = [
  'great, thanks',
  'perfect, thank you',
  'nice one, thanks!',
  'that helps, thanks',
];

/** asking for a person without any heat */
export const ESCALATE_CALM = [
  'I think someone from the team needs to look at this.',
  'Could a person check this for me?',
  'ok, can I speak to the team about it?',
];

/** an unhappy customer saying the same thing again */
export const REPEAT_PREFIX = ['Again: ', 'As I said, ', 'I repeat: ', 'Like I wrote before, '];

/** what a very unhappy customer adds before leaving */
export const PARTING_ANGRY = [
  'Forget it. Awful service.',
  'This is ridiculous, I give up.',
  'Unacceptable. I will go elsewhere.',
  'So disappointed with this.',
];

/**
 * A last remark on how it went, by how the customer feels (the satisfaction latent, worst to
 * best): not every customer says it, and when they do the words follow the feeling.
 */
export const MOOD_REMARK: readonly (readonly string[])[] = [
  [
    'Honestly the worst support I have had. Furious.',
    'This was horrible from start to finish.',
    'Disgusted with how this was handled.',
    'Terrible experience, really angry about it.',
  ],
  [
    'Pretty disappointed with this, to be honest.',
    'Not happy with how long this took.',
    'Quite annoyed, this should have been simpler.',
    'That was frustrating.',
  ],
  ['ok then, bye', 'alright, bye', 'noted, bye', 'fine I guess, not great'],
  ['Good, thanks.', 'Nice, that helps.', 'Thanks, happy with that.', 'Good enough, thank you.'],
  [
    'Brilliant service, thank you so much!',
    'Excellent, really impressed. Thanks!',
    'Wonderful, that was so easy. Love it.',
    'Fantastic help, very grateful.',
  ],
];
