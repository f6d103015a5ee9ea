/** What `maskRoleNames` puts where a role name was. */
export const ROLE_PLACEHOLDER = "[role]";

// "product owner(s)", "product manager(s)", "product management" (words split by spaces, line
// breaks, a hyphen or an underscore), and the abbreviations PO, PM, POs, PMs as whole words.
// Case-insensitive as asked, which also masks "POS" (point of sale) and "5 pm": those carry no
// duty either, so masking them costs nothing. "Product ownership" is a duty and is left alone.
const ROLE_NAME = /\bproduct[\s_-]+(?:owners?|managers?|management)\b|\b(?:po|pm)s?\b/gi;

/**
 * Replaces every role name in `text` with `[role]`, so that a score measures the duties an ad
 * describes rather than the title it repeats.
 */
export function maskRoleNames(text: string): string {
  return text.replace(ROLE_NAME, ROLE_PLACEHOLDER);
}
