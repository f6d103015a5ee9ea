import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { maskRoleNames, ROLE_PLACEHOLDER } from "../../src/eval/mask.js";

describe("maskRoleNames", () => {
  it.each([
    ["Product Owner", "[role]"],
    ["product owners", "[role]"],
    ["PRODUCT MANAGER", "[role]"],
    ["our Product Managers' goals", "our [role]' goals"],
    ["Product Management", "[role]"],
    ["product-owner", "[role]"],
    ["product\nowner", "[role]"],
    ["product  manager", "[role]"],
    ["PO", "[role]"],
    ["POs", "[role]"],
    ["pm", "[role]"],
    ["PMs and POs", "[role] and [role]"],
    ["Senior PM (m/w/d)", "Senior [role] (m/w/d)"],
    ["As a Product Owner, you work with the PM.", "As a [role], you work with the [role]."],
    ["Product Owner/Manager", "[role]/Manager"],
    ["the PO's backlog", "the [role]'s backlog"],
  ])("masks %j", (input, expected) => {
    expect(maskRoleNames(input)).toBe(expected);
  });

  it.each([
    "product ownership",
    "owner of the product",
    "product roadmap",
    "APM",
    "POP music",
    "SPOT",
    "upmarket",
    "5pm",
    "pmpo",
    "products managed",
  ])("leaves %j alone", (input) => {
    expect(maskRoleNames(input)).toBe(input);
  });

  it("masking twice changes nothing more, and leaves no role name behind", () => {
    const words = fc.constantFrom("product", "owner", "manager", "management", "PO", "pm", "POs", "backlog", "roadmap", "-", " ", "\n", ".", "s");
    fc.assert(
      fc.property(fc.array(words, { maxLength: 30 }), (parts) => {
        const once = maskRoleNames(parts.join(" "));
        expect(maskRoleNames(once)).toBe(once);
        expect(once.replaceAll(ROLE_PLACEHOLDER, "#")).not.toMatch(/\bproduct[\s_-]+(owner|manager)|\b(po|pm)s?\b/i);
      }),
    );
  });
});

describe("maskRoleNames in German, Dutch and French", () => {
  it.each([
    ["Produktmanager:in (m/w/d)", "[role] (m/w/d)"],
    ["Senior Produktmanagerin", "Senior [role]"],
    ["Leitung Produktmanagement", "Leitung [role]"],
    ["Wir suchen einen Produktverantwortlichen", "Wir suchen einen [role]"],
    ["Product Owner (m/w/d)", "[role] (m/w/d)"],
    ["Productmanager gezocht", "[role] gezocht"],
    ["Als producteigenaar", "Als [role]"],
    ["Chef·fe de produit", "[role]"],
    ["Cheffe de produit senior", "[role] senior"],
    ["Responsable produit", "[role]"],
    ["le propriétaire du produit", "le [role]"],
  ])("masks %j", (input, expected) => {
    expect(maskRoleNames(input)).toBe(expected);
  });

  it.each(["Produktion", "Produktvision", "productvisie", "chef d'équipe", "le produit"])("leaves %j alone", (text) => {
    expect(maskRoleNames(text)).toBe(text);
  });
});
