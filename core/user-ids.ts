/**
 * The id a caller is known by inside ticketflow, made from their identity provider's subject (the JWT `sub`)
 * at the authentication edge. Many providers issue an e-mail address or a phone number as the subject, and the
 * id is a ticket's owner: the workflow input, its memo, the TicketCustomer search attribute, the agents' views.
 * So a subject the PII detectors find personal data in becomes a pseudonym, `u-` and 26 base32 letters of
 * HMAC-SHA256(secret, organisation + subject): the same for the same person in the same organisation, another
 * in another. An opaque subject (`auth0|abc123`, a UUID, `cust-42`) stays as it is, so existing ids and their
 * tickets keep their owners. Nothing maps an id back: the HMAC is one-way, and the secret keeps anyone without
 * it from hashing an address list to find whose id is whose.
 *
 * A subject shaped like a pseudonym is hashed too: an identity provider that lets people choose their subject
 * must not let one choose another customer's id. The tokens the gateway signs for a caller it already knows
 * (a refresh, a ws-ticket, a ticket's own token) say so in a claim instead (gateway/auth/jwt.ts).
 */
import { createHmac } from 'node:crypto';
import { USER_ID_SECRET_MIN_BYTES } from './config';
import { detect, type PiiKind } from './pii';

/**
 * Personal data a subject may be: the validated detectors. Not person names (fuzzy, and an operator's switch
 * that would change ids), nor secrets or IPs (the entropy rules would take some UUIDs and provider ids).
 */
const PERSONAL_KINDS: readonly PiiKind[] = ['email', 'phone', 'credit_card', 'iban', 'ssn'];

const PREFIX = 'u-';
/** 130 bits: no two people in any number of organisations share an id. */
const LETTERS = 26;
const PSEUDONYM_SHAPE = new RegExp(`^${PREFIX}[a-z2-7]{${LETTERS}}$`);
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

export interface UserIds {
  /**
   * The id a token's subject has in `orgId` (the token's organisation, `none` when it names none): personal
   * data and anything shaped like a pseudonym become a pseudonym, any other subject is the id as it is.
   */
  ofSubject(orgId: string, subject: string): string;
  /**
   * The id of a user someone who may name any user gives (an agent assigning a colleague, an operator's
   * `ticketctl --user`): an address or a number becomes its pseudonym, an id (a pseudonym too) is taken as is.
   */
  ofGiven(orgId: string, given: string): string;
}

export function createUserIds(secret: string): UserIds {
  if (Buffer.byteLength(secret) < USER_ID_SECRET_MIN_BYTES)
    throw new Error(`the user id secret needs at least ${USER_ID_SECRET_MIN_BYTES} bytes`);

  function pseudonym(orgId: string, subject: string): string {
    // A NUL between the parts: ("ab", "c") and ("a", "bc") never hash alike.
    const mac = createHmac('sha256', secret).update(`ticketflow-user-id\0${orgId}\0${subject}`).digest();
    return PREFIX + base32(mac).slice(0, LETTERS);
  }

  const isPersonal = (value: string) => detect(value, {}, PERSONAL_KINDS).length > 0;

  return {
    ofSubject: (orgId, subject) =>
      isPersonal(subject) || PSEUDONYM_SHAPE.test(subject) ? pseudonym(orgId, subject) : subject,
    ofGiven: (orgId, given) => (isPersonal(given) ? pseudonym(orgId, given) : given),
  };
}

/** RFC 4648 base32 in lower case, no padding: letters and digits that read aloud and survive any query. */
function base32(bytes: Buffer): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  return bits > 0 ? out + BASE32[(value << (5 - bits)) & 31] : out;
}
