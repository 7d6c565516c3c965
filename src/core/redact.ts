/**
 * Showing URLs without the secrets inside them: a password (userinfo or `password=`), query values
 * that are credentials (`?apiKey=`, `?token=`...), and path segments shaped like a provider key
 * (Alchemy and Infura put theirs in the path: `/v2/<key>`). Used wherever a URL is printed, logged
 * or served: `config show`, the database's display URL, the API's settings.
 */

const MASK = '***';
/** Query parameters whose values are credentials. */
const SENSITIVE_PARAM = /key|token|secret|pass|auth|sig|cred/i;
/** A path segment that looks like a provider key: 20+ characters mixing letters and digits. */
const KEY_SEGMENT = /^(?=.*[A-Za-z])(?=.*\d)[A-Za-z0-9_-]{20,}$/;

function parseUrl(text: string): URL | undefined {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) return undefined;
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The URL with its credentials replaced by `***`; text that is not a URL is returned as is. */
export function redactUrl(text: string): string {
  const url = parseUrl(text);
  if (url === undefined) {
    // Not a URL the WHATWG parser accepts: redact whatever sits between 'user:' and '@'.
    return text.replace(/(\/\/[^/:@]*:)[^@/]*@/, '$1***@').replace(/(password=)[^&]*/gi, '$1***');
  }
  if (url.password !== '') url.password = MASK;
  for (const name of [...url.searchParams.keys()]) {
    if (SENSITIVE_PARAM.test(name)) url.searchParams.set(name, MASK);
  }
  url.pathname = url.pathname
    .split('/')
    .map((s) => (KEY_SEGMENT.test(s) ? MASK : s))
    .join('/');
  return url.toString().replace(/%2A%2A%2A/g, MASK);
}

/** The parts of a URL that are credentials, as written and decoded: what must never be shown. */
export function urlSecretParts(text: string): string[] {
  const url = parseUrl(text);
  if (url === undefined) return [];
  const parts: string[] = [];
  if (url.password !== '') parts.push(url.password, safeDecode(url.password));
  for (const [name, value] of url.searchParams) {
    if (SENSITIVE_PARAM.test(name) && value !== '') parts.push(value);
  }
  for (const segment of url.pathname.split('/')) {
    if (KEY_SEGMENT.test(segment)) parts.push(segment);
  }
  return parts;
}
