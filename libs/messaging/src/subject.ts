/**
 * NATS subject grammar, so the in-process bus accepts and routes exactly what a nats-server would:
 * dot-separated non-empty tokens without whitespace; in a subscription `*` stands for one token and a final `>`
 * for one or more tokens; a published (requested) subject is literal.
 */

const TOKEN = /^[^\s.*>]+$/;

export function assertLiteralSubject(subject: string): void {
  if (!subject.split('.').every((token) => TOKEN.test(token))) {
    throw new TypeError(`invalid subject "${subject}": expected dot-separated tokens without whitespace or wildcards`);
  }
}

export function assertSubscriptionSubject(subject: string): void {
  const tokens = subject.split('.');
  const valid = tokens.every(
    (token, index) => TOKEN.test(token) || token === '*' || (token === '>' && index === tokens.length - 1),
  );
  if (!valid) {
    throw new TypeError(`invalid subscription subject "${subject}": expected tokens, "*", or a final ">"`);
  }
}

/** Whether a literal subject matches a subscription subject. Both are assumed valid. */
export function subjectMatches(subscription: string, subject: string): boolean {
  const pattern = subscription.split('.');
  const tokens = subject.split('.');
  for (let i = 0; i < pattern.length; i++) {
    if (pattern[i] === '>') return tokens.length > i;
    if (i >= tokens.length || (pattern[i] !== '*' && pattern[i] !== tokens[i])) return false;
  }
  return pattern.length === tokens.length;
}
