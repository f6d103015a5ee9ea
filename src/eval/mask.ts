/** What `maskRoleNames` puts where a role name was. */
export const ROLE_PLACEHOLDER = "[role]";

// "product owner(s)", "product manager(s)", "product management" (words split by spaces, line
// breaks, a hyphen or an underscore), and the abbreviations PO, PM, POs, PMs as whole words.
// Case-insensitive as asked, which also masks "POS" (point of sale) and "5 pm": those carry no
// duty either, so masking them costs nothing. "Product ownership" is a duty and is left alone.
const ROLE_NAME = /\bproduct[\s_-]+(?:owners?|managers?|management)\b|\b(?:po|pm)s?\b/gi;
// The same in German, Dutch and French ads: "Produktmanager:in", "Produktmanagement",
// "productmanager", "producteigenaar", "chef·fe de produit", "responsable produit",
// "propriétaire du produit". A gender ending (":in", "*innen", "·fe") goes with the name.
const EUROPEAN_ROLE_NAME =
  /\b(?:produkt[\s_-]*(?:manager(?:in(?:nen)?)?|management|owner|verantwortliche[rn]?)(?:[:*_/](?:in(?:nen)?))?|product(?:manager|management|eigenaar|owner)s?|chef(?:fe|[·.•-]?fe)?s?\s+(?:de\s+)?produits?|responsables?\s+(?:de\s+|du\s+)?produits?|propriétaires?\s+(?:de\s+|du\s+)?produits?)(?![\p{L}])/giu;

/**
 * Replaces every role name in `text` (English, German, Dutch or French) with `[role]`, so that a score measures the duties an ad
 * describes rather than the title it repeats.
 */
export function maskRoleNames(text: string): string {
  return text.replace(EUROPEAN_ROLE_NAME, ROLE_PLACEHOLDER).replace(ROLE_NAME, ROLE_PLACEHOLDER);
}
