// Classify on German, Dutch and French ads: the fixtures, mixed ads, a language pmpo has no model
// for, a model without a language, and the English words European ads borrow.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadDefaultModel } from "../../src/model/io.js";
import type { Model } from "../../src/model/schema.js";
import { validateModel } from "../../src/model/validate.js";
import { classify, placeStatements } from "../../src/score/classify.js";
import type { SectionKind } from "../../src/text/sections.js";
import { titleLeaning } from "../../src/score/title.js";
import { renderHtml } from "../../src/highlight/render-html.js";
import { fixture } from "../helpers/paths.js";

const model = loadDefaultModel();
const ad = (name: string) => readFileSync(fixture("ads", name), "utf8");

describe("classify in German, Dutch and French", () => {
  it.each([
    ["de-produktmanager.txt", "de", "product-manager-leaning"],
    ["de-po-english-blurb.txt", "de", "product-owner-leaning"],
    ["de-hybrid.txt", "de", "hybrid"],
    ["de-scrum-master.txt", "de", "insufficient-evidence"],
    ["fr-testeur-qa.txt", "fr", "insufficient-evidence"],
    ["de-produktmarketing.txt", "de", "insufficient-evidence"],
    ["nl-business-analist.txt", "nl", "insufficient-evidence"],
    ["nl-productmanager.txt", "nl", "product-manager-leaning"],
    ["nl-product-owner.txt", "nl", "product-owner-leaning"],
    ["fr-chef-de-produit.txt", "fr", "product-manager-leaning"],
    ["fr-hybride.txt", "fr", "hybrid"],
    ["nl-hybrid.txt", "nl", "hybrid"],
    ["fr-product-owner.txt", "fr", "product-owner-leaning"],
    ["en-pm-german-benefits.txt", "en", "product-manager-leaning"],
    ["es-unmodelled.txt", "es", "insufficient-evidence"],
  ])("%s is %s and %s", (name, language, label) => {
    const result = classify(ad(name), { model });
    expect(result.language).toBe(language);
    expect(result.label).toBe(label);
  });

  it("reads a German Scrum Master ad as that role, not as a product owner", () => {
    expect(classify(ad("de-scrum-master.txt"), { model }).otherRole?.role).toBe("scrum-master");
  });

  // Each of these ads uses product words (user stories, backlog, roadmap, Produktstrategie) in the
  // duties of a role that is not a product role; the role's own phrases in that language decide.
  it.each([
    ["fr-testeur-qa.txt", "qa-engineer"],
    ["de-produktmarketing.txt", "product-marketing"],
    ["nl-business-analist.txt", "business-analyst"],
    ["de-softwareentwickler.txt", "software-engineer"],
  ])("reads %s as %s", (name, role) => {
    const result = classify(ad(name), { model });
    expect(result.otherRole?.role).toBe(role);
    expect(result.otherRole?.evidence.length).toBeGreaterThan(0);
  });

  // The goal a duty serves is not the duty, in every language: a strategy word after the
  // language's own purpose cue counts for the discount factor.
  it.each([
    ["de", "Deine Aufgaben\n- Du verantwortest das Reporting {cue} die Produktstrategie weiterzuentwickeln.\n- Du arbeitest in einem agilen Umfeld.", "mit dem Ziel", "und", "Produktstrategie"],
    ["fr", "Vos missions\n- Vous pilotez le reporting {cue} la stratégie produit.\n- Vous travaillez au sein d'une équipe agile.", "pour atteindre", "et", "stratégie produit"],
    ["nl", "Wat ga je doen\n- Je verzorgt de rapportage {cue} de productstrategie te bepalen.\n- Je werkt in een agile team.", "teneinde", "en", "productstrategie"],
  ])("%s: evidence after the purpose cue counts for the discount factor", (language, text, cue, plain, term) => {
    const weightOf = (joined: string) => {
      const result = classify(text.replace("{cue}", joined), { model });
      expect(result.language).toBe(language);
      return result.highlights.find((h) => h.text === term)!.weight;
    };
    expect(model.settings.languages?.[language as "de"]?.purposeCues).toContain(cue.toLowerCase());
    expect(weightOf(cue)).toBeCloseTo(weightOf(plain) * model.settings.discountCues.factor, 3);
  });

  it("names a language it has no model for instead of reading it as English", () => {
    const result = classify(ad("es-unmodelled.txt"), { model });
    expect(result.summary).toBe("The ad is in Spanish (es); pmpo has no model for Spanish, so it does not judge it.");
    expect(result.highlights).toEqual([]);
    expect(result.confidence).toBe(0);
  });

  it("with a model that has no German vocabulary, a German ad is insufficient evidence and the summary says why", () => {
    const { languages: _dropped, ...englishOnly } = model;
    const english: Model = validateModel(JSON.parse(JSON.stringify(englishOnly)), "english-only.json");
    const result = classify(ad("de-produktmanager.txt"), { model: english });
    expect(result.language).toBe("de");
    expect(result.label).toBe("insufficient-evidence");
    expect(result.summary).toMatch(/^The ad is in German \(de\); the model default 1\.0\.0 has no German vocabulary/);
    expect(result.duties).toEqual([]);
  });

  it.each([
    ["de", "Deine Aufgaben\n- Du verantwortest die Roadmap\n- Du pflegst das Backlog und schreibst User Stories für das Sprint Planning\n"],
    ["nl", "Wat ga je doen\n- Je bent eigenaar van de roadmap\n- Je beheert de backlog en schrijft user stories voor de sprint\n"],
    ["fr", "Vos missions\n- Vous portez la roadmap\n- Vous gérez le backlog et rédigez les user stories pour le sprint\n"],
  ])("scores the English words ads borrow in %s: roadmap, backlog, user stories, sprint", (language, text) => {
    const result = classify(text, { model });
    expect(result.language).toBe(language);
    const found = result.highlights.map((h) => h.text.toLowerCase());
    expect(found.some((t) => t.includes("roadmap"))).toBe(true);
    expect(found.some((t) => t.includes("backlog"))).toBe(true);
    expect(found.some((t) => t.includes("user stor"))).toBe(true);
    expect(result.highlights.find((h) => h.text.toLowerCase().includes("roadmap"))?.leaning).toBe("product-manager");
    expect(result.highlights.find((h) => h.text.toLowerCase().includes("backlog"))?.leaning).toBe("product-owner");
  });

  it("reads a French duty written as a noun with its object as one phrase: 'Définition de la stratégie'", () => {
    const text = "Vos missions\n- Définition de la stratégie produit\n- Priorisation du backlog produit\n- Rédaction des critères d'acceptation avec l'équipe\n";
    const result = classify(text, { model });
    expect(result.language).toBe("fr");
    const found = result.highlights.map((h) => [h.text, h.leaning]);
    expect(found).toContainEqual(["Définition de la stratégie", "product-manager"]);
    expect(found).toContainEqual(["Priorisation du backlog produit", "product-owner"]);
  });

  it("masks role names in every language: they are never evidence", () => {
    const result = classify("Deine Aufgaben\n- Als Produktmanager:in und Product Owner (m/w/d) arbeitest du mit dem Team\n- Du bist Produktverantwortlicher für die App\n", { model });
    expect(result.language).toBe("de");
    expect(result.highlights).toEqual([]);
  });

  it.each(["de-produktmanager.txt", "de-po-english-blurb.txt", "nl-hybrid.txt", "fr-product-owner.txt"])("every highlight of %s slices the text exactly, accents included", (name) => {
    const text = ad(name);
    const result = classify(text, { model });
    expect(result.highlights.length).toBeGreaterThan(0);
    for (const h of result.highlights) expect(text.slice(h.start, h.end)).toBe(h.text);
  });

  it("keeps offsets exact when a combining mark follows a letter", () => {
    const text = "Vos missions\n- Vous ge\u0301rez le backlog produit et re\u0301digez les user stories avec l'e\u0301quipe\n";
    const result = classify(text, { model });
    expect(result.language).toBe("fr");
    expect(result.highlights.length).toBeGreaterThan(0);
    for (const h of result.highlights) expect(text.slice(h.start, h.end)).toBe(h.text);
  });
});

describe("models with languages", () => {
  it("refuses a language vocabulary whose terms hold its own stopwords, naming the path", () => {
    const broken = JSON.parse(JSON.stringify(model)) as Model;
    const de = broken.languages!.de!;
    de.terms[`${de.stopwords[0]} backlog`] = { leaning: "product-owner", weight: 1, counts: [0, 3, 0] };
    expect(() => validateModel(broken, "broken.json")).toThrow(/languages\.de\.terms\./);
  });

  it("refuses a language pmpo does not know", () => {
    const broken = JSON.parse(JSON.stringify(model)) as Record<string, unknown> & { languages: Record<string, unknown> };
    broken.languages.es = broken.languages.de;
    expect(() => validateModel(broken, "broken.json")).toThrow(/languages/);
  });
});

describe("titles in German, Dutch and French", () => {
  it.each([
    ["Produktmanager:in (m/w/d)", "product-manager"],
    ["Senior Produktmanagerin", "product-manager"],
    ["Productmanager Mobiliteit", "product-manager"],
    ["Chef·fe de produit", "product-manager"],
    ["Responsable produit", "product-manager"],
    ["Producteigenaar", "product-owner"],
    ["Propriétaire du produit", "product-owner"],
    ["Product Owner (m/w/d)", "product-owner"],
    ["Produktion und Logistik", "none"],
  ])("%j names %s", (title, leaning) => {
    expect(titleLeaning(title)).toBe(leaning);
  });

  it("flags a German title that names the other role than the duties", () => {
    const result = classify(ad("de-po-english-blurb.txt"), { model, title: "Produktmanager:in (m/w/d)" });
    expect(result.label).toBe("product-owner-leaning");
    expect(result.titleMismatch).toBe(true);
  });
});

describe("a duty addressed to the reader in the future, in every language", () => {
  it.each([
    ["de", "Du wirst die Roadmap verantworten und die Produktvision entwickeln."],
    ["nl", "Je gaat de roadmap bepalen en de productvisie ontwikkelen."],
    ["fr", "Vous serez en charge de la feuille de route et de la vision produit."],
  ])("%s: in the opening text it weighs as a duty, like \"You will\"", (language, sentence) => {
    const statements = [{ start: 0, end: sentence.length }];
    const sections = [{ kind: "intro" as const, start: 0, end: sentence.length, heading: null }];
    const weights = Object.fromEntries(Object.entries(model.settings.sectionWeights).map(([k, v]) => [k, v.value])) as Record<SectionKind, number>;
    expect(placeStatements(sentence, statements, sections, weights, language as "de" | "nl" | "fr")[0]!.weight).toBe(weights.responsibilities);
    expect(placeStatements(sentence, statements, sections, weights, "en")[0]!.weight).toBe(weights.intro);
  });
});

describe("clauses joined by a comma and \"and\", in every language", () => {
  it.each([
    ["en", "Build the roadmap with partners, and set the vision.", "set the vision."],
    ["de", "Du verantwortest die Roadmap, und du entwickelst die Produktvision.", "du entwickelst die Produktvision."],
    ["nl", "Je bepaalt de roadmap, en je ontwikkelt de productvisie.", "je ontwikkelt de productvisie."],
    ["fr", "Vous pilotez la feuille de route, et vous portez la vision produit.", "vous portez la vision produit."],
  ])("%s: the statement notes where its second clause starts", (language, sentence, second) => {
    const statements = [{ start: 0, end: sentence.length }];
    const sections = [{ kind: "responsibilities" as const, start: 0, end: sentence.length, heading: null }];
    const weights = Object.fromEntries(Object.entries(model.settings.sectionWeights).map(([k, v]) => [k, v.value])) as Record<SectionKind, number>;
    const [placed] = placeStatements(sentence, statements, sections, weights, language as "en" | "de" | "nl" | "fr");
    expect(placed!.clauseStarts!.map((at) => sentence.slice(at))).toEqual([second]);
    // Without the comma it is one clause.
    expect(placeStatements(sentence.replace(",", ""), [{ start: 0, end: sentence.length - 1 }], sections, weights, language as "en")[0]!.clauseStarts).toEqual([]);
  });
});

describe("renderers on German, Dutch and French ads", () => {
  it.each(["de-produktmanager.txt", "nl-hybrid.txt", "fr-product-owner.txt"])("the HTML report of %s marks every highlight as written, accents included", (name) => {
    const text = ad(name);
    const result = classify(text, { model });
    const html = renderHtml(text, result);
    const marked = [...html.matchAll(/<mark class="(?:pm|po)"[^>]*>([^<]*)<\/mark>/g)].map((m) => m[1]);
    const escape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
    expect(marked).toEqual(result.highlights.map((h) => escape(h.text)));
  });
});

describe("ads whose accents are HTML entities", () => {
  // What an older careers page sends: every accented letter as an entity ("&eacute;", "&#252;").
  const NAMED: Record<string, string> = { é: "&eacute;", è: "&egrave;", ê: "&ecirc;", à: "&agrave;", ç: "&ccedil;", ü: "&uuml;", ö: "&ouml;", ä: "&auml;", Ü: "&Uuml;", ß: "&szlig;" };
  const encode = (text: string) => text.replace(/[^\x00-\x7f]/g, (c) => NAMED[c] ?? `&#${c.codePointAt(0)};`);

  it.each(["fr-chef-de-produit.txt", "fr-hybride.txt", "fr-product-owner.txt", "de-produktmanager.txt", "de-hybrid.txt"])("%s reads as it does with its letters written out", (name) => {
    const text = ad(name);
    const encoded = encode(text);
    expect(encoded).not.toBe(text);
    const plain = classify(text, { model });
    const entities = classify(encoded, { model });
    expect(entities.language).toBe(plain.language);
    expect(entities.label).toBe(plain.label);
    expect(entities.evidence).toEqual(plain.evidence);
    // Each highlight lies on the same words, at offsets into the encoded text.
    expect(entities.highlights.map((h) => encoded.slice(h.start, h.end))).toEqual(plain.highlights.map((h) => encode(text.slice(h.start, h.end))));
  });

  it("a soft hyphen or zero-width space inside a word does not split it", () => {
    const text = "Responsibilities\nOwn the road&shy;map and the product vi\u00adsion with the back\u200blog.";
    const result = classify(text, { model });
    expect(result.highlights.map((h) => text.slice(h.start, h.end))).toEqual(["road&shy;map", "product vi\u00adsion", "back\u200blog"]);
  });
});
