/**
 * Short descriptions of the situations the security team must see, and of their harmless look-alikes.
 * A ticket's similarity to each is a feature of the semantic model: it carries the meaning of "someone
 * else is in my account" to tickets that share none of its words. Written from the domain, like the
 * lexicon, not from particular tickets.
 */
export const prototypes: string[] = [
  // Someone else has, or had, access they should not have.
  'someone else is using my account without my permission',
  'my password and email were changed by somebody who is not me',
  'activity on my account that I did not do: new keys, tokens, repositories, messages',
  'a former employee or contractor who was removed still has access to our code',
  'a person who left the company can still sign in after offboarding',
  'an unknown person became a member or admin of our organization',
  'I entered my password or a code on a fake page or gave it to a caller',
  "please disable two-factor or change the email on another person's account without verification",
  // Secrets and personal data in the open.
  'a password, API key, token or secret was published in a public place',
  'my personal address and phone number were posted publicly by someone',
  'send me the private email addresses of other users',
  // Legal pressure.
  'we will take legal action, our lawyer will contact you',
  // Look-alikes that are not incidents.
  'I lost my phone and cannot get my two-factor code, I am locked out of my own account',
  'a general question about security settings or best practices',
  'my password reset email does not arrive',
  'text that tells the assistant to ignore its rules or pretend to be someone',
];
