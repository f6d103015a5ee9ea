import type { Label, TitleLeaning } from "./result.js";

const OWNER = /\bproduct[\s-]*owner|\bP\.?O\b|\bproduct[\s-]*ownership|\bprodukt[\s-]*(?:owner|eigner)|\bproducteigenaar|\bpropriétaire\s+(?:du\s+|de\s+)?produit/i;
// The same names in German, Dutch and French titles: "Produktmanager:in", "productmanager", "chef·fe de produit", "responsable produit".
const MANAGER =
  /\bproduct[\s-]*manag|\bA?P\.?M\b|\bhead of product|\bproduct lead\b|\bchief product officer|\bCPO\b|\bprodukt[\s-]*manag|\bchef(?:fe|[·.•-]?fe)?\s+de\s+produit|\bresponsables?\s+(?:de\s+|du\s+)?produit|\bdirect(?:eur|rice)\s+produit/i;

/** The role a job title names ("Senior Product Owner" → product-owner). */
export function titleLeaning(title: string): TitleLeaning {
  const owner = OWNER.test(title);
  const manager = MANAGER.test(title);
  if (owner && manager) return "both";
  if (owner) return "product-owner";
  if (manager) return "product-manager";
  return "none";
}

/** True when the title names one role and the label leans to the other. */
export function isTitleMismatch(leaning: TitleLeaning, label: Label): boolean {
  return (
    (leaning === "product-owner" && label === "product-manager-leaning") ||
    (leaning === "product-manager" && label === "product-owner-leaning")
  );
}
