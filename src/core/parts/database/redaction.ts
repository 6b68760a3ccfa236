/**
 * The one redaction every message goes through before it is printed or written: URL
 * credentials in any shape, well-formed or not, and every secret a URL given to this process
 * held. URLs register their secrets when they are read (see registerUrlSecrets), so a password
 * a driver or a mistyped URL quotes on its own is masked too.
 */

/** What a redacted secret becomes. */
const MASK = '***';

/** Shorter secrets would mask ordinary words; such passwords are masked inside URLs only. */
const MIN_SECRET_LENGTH = 3;

const secrets = new Set<string>();
/** The registered secrets, longest first, so one containing another is masked whole. */
let ordered: string[] = [];

/**
 * Registers the secrets of a database URL as given: its password, raw and percent-decoded (a
 * driver may quote either) and JSON-escaped (as --json prints it). A malformed URL's password
 * cannot be known for sure, so every reading of it is registered: the user part ends at any of
 * its `@`s, the password starts at the first `:` in it.
 */
export function registerUrlSecrets(raw: string): void {
  for (const password of passwordCandidates(raw.trim())) {
    for (const plain of [password, decodedLeniently(password)]) {
      for (const form of [plain, JSON.stringify(plain).slice(1, -1)]) {
        if (form.length >= MIN_SECRET_LENGTH) secrets.add(form);
      }
    }
  }
  ordered = [...secrets].sort((a, b) => b.length - a.length);
}

/** The passwords `raw` may hold, for {@link registerUrlSecrets} and the action's masking. */
export function passwordCandidates(raw: string): string[] {
  // Whatever comes before the credentials: `postgres://`, `postgres:/`, `postgres//`, nothing.
  const rest = raw.replace(/^(?:[a-z][a-z0-9+.-]*:)?\/*/i, '');
  const candidates: string[] = [];
  for (let at = rest.indexOf('@'); at !== -1; at = rest.indexOf('@', at + 1)) {
    const userinfo = rest.slice(0, at);
    const colon = userinfo.indexOf(':');
    if (colon !== -1 && colon < userinfo.length - 1) candidates.push(userinfo.slice(colon + 1));
  }
  return candidates;
}

/**
 * `text` with every URL's user and password replaced by `***` (up to the last `@` of the URL,
 * so an unencoded `@` or `/` in a password is covered) and every registered secret masked.
 */
export function redactSecrets(text: string): string {
  // file: URLs (stack traces through node_modules/@scope) hold no credentials, nor does a user
  // name alone (`mysql://root@host` in a hint): user info with a `:` or a second `@` does.
  let clean = text.replace(
    /\b(?!file:)([a-z][a-z0-9+.-]*:\/{0,2})([^\s'"`<>]*)@/gi,
    // Without `//`, the part before the `:` may be the user (`app:pw@host`): masked too.
    (whole, scheme: string, userinfo: string) =>
      /[:@]/.test(userinfo) || !scheme.endsWith('//') ? `${scheme}${MASK}@` : whole,
  );
  for (const secret of ordered) clean = clean.replaceAll(secret, MASK);
  return clean;
}

function decodedLeniently(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    // A raw `%` that starts no escape: decode the escapes there are, keep the rest.
    return text.replace(/(?:%[0-9a-f]{2})+/gi, (escapes) => {
      try {
        return decodeURIComponent(escapes);
      } catch {
        return escapes;
      }
    });
  }
}
