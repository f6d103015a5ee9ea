import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { buildVocabulary, parsePhrases, phraseTerms, trainModel, termWeight, hashPhrases } from "../../src/model/train.js";
import { buildStemTrie } from "../../src/model/stem-trie.js";
import { serialiseModel } from "../../src/model/validate.js";
import { readLanguagePhrases, readPhrasesFile, readSettingsFile, DEFAULT_MODEL_PATH, DEFAULT_PHRASES_PATH, DEFAULT_SETTINGS_PATH } from "../../src/model/io.js";
import { TrainingDataError } from "../../src/errors.js";

const shipped = readSettingsFile(DEFAULT_SETTINGS_PATH);
// The shipped document-frequency cut would make every word of these tiny phrase sets generic.
const settings = { ...shipped, genericWords: { ...shipped.genericWords, maxShare: 1 } };
const small = [
  "label,phrase",
  "product-manager,Define the product strategy",
  "product-manager,Own the product strategy and vision",
  "product-manager,Set the vision for the market",
  "product-owner,Own and order the product backlog",
  "product-owner,Refine the backlog with the team",
  "product-owner,Write user stories for the backlog",
  "neutral,Work with the team",
].join("\n");

describe("parsePhrases", () => {
  it("reads labelled phrases", () => {
    const { phrases, warnings } = parsePhrases(small, "p.csv");
    expect(phrases).toHaveLength(7);
    expect(phrases[0]).toEqual({ label: "product-manager", phrase: "Define the product strategy" });
    expect(warnings).toEqual([]);
  });

  it("refuses a phrase labelled both ways, naming both lines", () => {
    const csv = `${small}\nproduct-owner,define the  product strategy`;
    expect(() => parsePhrases(csv, "p.csv")).toThrow(
      'p.csv: line 9: "define the  product strategy" is labelled product-owner here and product-manager on line 2',
    );
  });

  it("warns on duplicates and counts them once", () => {
    const { phrases, warnings } = parsePhrases(`${small}\nproduct-owner,Refine the backlog with the team`, "p.csv");
    expect(phrases).toHaveLength(7);
    expect(warnings).toEqual(['p.csv: line 9: duplicate of line 6 ("Refine the backlog with the team"); counted once']);
  });

  it("warns when one side far outnumbers the other", () => {
    const extra = ["a", "b", "c", "d"].map((x) => `product-manager,Pricing work ${x}`).join("\n");
    const { warnings } = parsePhrases(`${small}\n${extra}`, "p.csv");
    expect(warnings.join("\n")).toMatch(/imbalanced training data: 7 product-manager and 3 product-owner phrases/);
  });

  it.each([
    ["a wrong header", "text,label\nx,y", /line 1: expected the header "label,phrase"/],
    ["an unknown label", "label,phrase\nmanager,Set the vision", /line 2: label: /],
    ["an empty phrase", "label,phrase\nneutral,  ", /line 2: phrase: phrase is empty/],
    ["an extra field", "label,phrase\nneutral,a,b", /p\.csv: not valid CSV: Invalid Record Length: expect 2, got 3 on line 2/],
    ["one side missing", "label,phrase\nproduct-manager,Set the vision", /needs phrases for both sides/],
  ])("refuses %s", (_name, csv, message) => {
    expect(() => parsePhrases(csv, "p.csv")).toThrow(TrainingDataError);
    expect(() => parsePhrases(csv, "p.csv")).toThrow(message);
  });
});

describe("termWeight", () => {
  it("leans to the side that uses the term more, and neutral use weakens it", () => {
    const pure = termWeight([0, 20, 0], [100, 100], 1);
    const diluted = termWeight([0, 20, 20], [100, 100], 1);
    expect(pure?.leaning).toBe("product-owner");
    expect(diluted!.weight).toBeLessThan(pure!.weight);
    expect(termWeight([5, 5, 0], [100, 100], 1)).toBeNull();
    expect(termWeight([30, 0, 0], [100, 100], 1, 2)?.weight).toBe(2);
  });
});

describe("trainModel", () => {
  it("learns the distinctive terms of each side and skips stopwords", () => {
    const model = trainModel(parsePhrases(small, "p.csv").phrases, { ...settings, minPhraseCount: 2, minWeight: 0 });
    expect(model.terms["backlog"]?.leaning).toBe("product-owner");
    expect(model.terms["strategi"]?.leaning).toBe("product-manager");
    expect(model.terms["product strategi"]?.leaning).toBe("product-manager");
    expect(model.terms["the"]).toBeUndefined();
  });

  it("generic words: a word of a role name, or one the other side or neutral phrases use as often, is no evidence alone", () => {
    const phrases = [
      "label,phrase",
      "product-manager,Define the product strategy",
      "product-manager,Own the product strategy and vision",
      "product-manager,Set the product vision with the team",
      "product-owner,Own and order the product backlog",
      "product-owner,Refine the backlog with the team",
      "product-owner,Write user stories for the backlog",
      "product-owner,Plan the sprint with the team",
      "neutral,Work with the team every day",
      "neutral,Join a friendly team",
    ].join("\n");
    const loose = { ...settings, minPhraseCount: 2, minWeight: 0, minUnigramShare: { ...settings.minUnigramShare, value: 0 } };
    const model = trainModel(parsePhrases(phrases, "p.csv").phrases, loose);
    // "product" is in the role names; "team" is used by both sides and the neutral phrases.
    expect(model.terms["product"]).toBeUndefined();
    expect(model.terms["team"]).toBeUndefined();
    expect(model.terms["strategi"]?.weight).toBeGreaterThan(0);
    expect(model.terms["product strategi"]?.weight).toBeGreaterThan(0);
    // With the rule relaxed, both come back as evidence.
    const relaxed = trainModel(parsePhrases(phrases, "p.csv").phrases, { ...loose, roleNames: ["chief"], genericWords: { ...loose.genericWords, ratio: 100 } });
    expect(relaxed.terms["product"]?.weight).toBeGreaterThan(0);
    expect(relaxed.terms["team"]?.weight).toBeGreaterThan(0);
    // The document-frequency cut: a word in at least maxShare of all phrases is generic too.
    const capped = trainModel(parsePhrases(phrases, "p.csv").phrases, { ...loose, genericWords: { ...loose.genericWords, ratio: 100, maxShare: 0.3 } });
    expect(capped.terms["backlog"]).toBeUndefined();
  });

  it("other roles: their phrases give terms role weights and leave the two sides' weights alone", () => {
    const phrases = [
      small,
      "scrum-master,Facilitate the retrospectives and remove impediments",
      "scrum-master,Run retrospectives for the team",
      "scrum-master,Coach the team to remove impediments",
    ].join("\n");
    const loose = { ...settings, minPhraseCount: 2, minWeight: 0 };
    const model = trainModel(parsePhrases(phrases, "p.csv").phrases, loose);
    expect(model.terms["retrospect"]?.roles?.["scrum-master"]).toBeGreaterThan(0);
    expect(model.terms["retrospect"]?.weight).toBe(0);
    expect(model.terms["backlog"]).toEqual(trainModel(parsePhrases(small, "p.csv").phrases, loose).terms["backlog"]);
  });

  it("other roles: a word of a role's name alone is no evidence for that role ('project', 'scrum')", () => {
    const phrases = [
      small,
      "project-manager,Report project status to the board",
      "project-manager,Keep the project plan and project milestones current",
      "project-manager,Chair the project meetings",
    ].join("\n");
    const loose = { ...settings, minPhraseCount: 2, minWeight: 0 };
    const model = trainModel(parsePhrases(phrases, "p.csv").phrases, loose);
    // Three project-manager phrases use "project", none of the product phrases: without the rule it is a strong role word.
    expect(model.terms["project"]).toBeUndefined();
  });

  it("other roles: a term several roles use is each one's evidence in full, not shared out between them", () => {
    const scrum = [
      "scrum-master,Facilitate the retrospectives and remove impediments",
      "scrum-master,Run retrospectives for the team",
      "scrum-master,Coach the team in retrospectives",
    ];
    const qa = ["qa-engineer,Bring test results to the retrospectives", "qa-engineer,Raise quality issues in retrospectives", "qa-engineer,Join retrospectives to improve testing"];
    const loose = { ...settings, minPhraseCount: 2, minWeight: 0 };
    const alone = trainModel(parsePhrases([small, ...scrum].join("\n"), "p.csv").phrases, loose);
    const both = trainModel(parsePhrases([small, ...scrum, ...qa].join("\n"), "p.csv").phrases, loose);
    // Whether a duty is a Scrum Master's or a product duty does not depend on what QA phrases say.
    expect(both.terms["retrospect"]?.roles?.["scrum-master"]).toBe(alone.terms["retrospect"]?.roles?.["scrum-master"]);
    expect(both.terms["retrospect"]?.roles?.["qa-engineer"]).toBeGreaterThan(0);
  });

  it("other roles: a word the role's phrases use only inside one two-word term ('Power BI') is that term's, not evidence alone", () => {
    const phrases = [
      small,
      "data-analyst,Build dashboards in Power BI",
      "data-analyst,Maintain the Power BI reports",
      "data-analyst,Support teams with self-service Power BI",
      "data-analyst,Write dashboards for the finance team",
    ].join("\n");
    const loose = { ...settings, minPhraseCount: 2, minWeight: 0 };
    const model = trainModel(parsePhrases(phrases, "p.csv").phrases, loose);
    expect(model.terms["power bi"]?.roles?.["data-analyst"]).toBeGreaterThan(0);
    // "power" and "bi" only ever stand together: alone, "the power of data" is no analyst's duty.
    expect(model.terms["power"]).toBeUndefined();
    expect(model.terms["bi"]).toBeUndefined();
    // "dashboard" stands in other terms too ("build dashboards", "write dashboards"): it stays the role's word.
    expect(model.terms["dashboard"]?.roles?.["data-analyst"]).toBeGreaterThan(0);
  });

  it("other roles in another language: a word of a role's name there ('projet') alone is no evidence, with otherRoleNames", () => {
    const french = parsePhrases(
      [
        "label,phrase",
        "product-manager,Définir la stratégie produit",
        "product-manager,Porter la stratégie et la vision",
        "product-manager,Fixer la vision du marché",
        "product-owner,Gérer le backlog produit",
        "product-owner,Affiner le backlog avec l'équipe",
        "product-owner,Rédiger les user stories du backlog",
        "project-manager,Présenter l'avancement du projet au comité",
        "project-manager,Tenir le planning et les jalons du projet",
        "project-manager,Animer les réunions projet",
      ].join("\n"),
      "p.fr.csv",
    ).phrases;
    const loose = { ...settings, minPhraseCount: 2, minWeight: 0 };
    const named = (otherRoleNames: string[]) => ({ ...loose, languages: { fr: { roleNames: [], discountCues: [], otherRoleNames } } });
    const english = parsePhrases(small, "p.csv").phrases;
    // The English label words stem to "project", not "projet": without the French name "projet" is a strong role word.
    expect(trainModel(english, named([]), { fr: french }).languages?.fr?.terms["projet"]?.roles?.["project-manager"]).toBeGreaterThan(0);
    expect(trainModel(english, named(["chef de projet"]), { fr: french }).languages?.fr?.terms["projet"]).toBeUndefined();
  });

  it("other roles: a lone word counts for otherRoleLoneWords of its weight, a phrase in full", () => {
    const phrases = [
      small,
      "scrum-master,Facilitate the retrospectives and remove impediments",
      "scrum-master,Run retrospectives for the team",
      "scrum-master,Coach the team to remove impediments",
    ].join("\n");
    const loose = { ...settings, minPhraseCount: 2, minWeight: 0 };
    const full = trainModel(parsePhrases(phrases, "p.csv").phrases, { ...loose, otherRoleLoneWords: { value: 1, reason: "counts in full" } });
    const half = trainModel(parsePhrases(phrases, "p.csv").phrases, { ...loose, otherRoleLoneWords: { value: 0.5, reason: "counts for half" } });
    const lone = full.terms["retrospect"]!.roles!["scrum-master"]!;
    expect(lone).toBeGreaterThan(0);
    expect(half.terms["retrospect"]!.roles!["scrum-master"]).toBeCloseTo(lone * 0.5, 3);
    expect(half.terms["remov impedi"]!.roles!["scrum-master"]).toBe(full.terms["remov impedi"]!.roles!["scrum-master"]);
  });

  it("refuses at training time phrases that yield no terms", () => {
    const lonely = "label,phrase\nproduct-manager,Vision\nproduct-owner,Backlog\n";
    expect(() => trainModel(parsePhrases(lonely, "p.csv").phrases, settings)).toThrow(/yield no terms/);
  });

  it("is deterministic: the same phrases in another order give a byte-identical model", () => {
    const { phrases } = parsePhrases(small, "p.csv");
    const a = serialiseModel(trainModel(phrases, settings));
    const b = serialiseModel(trainModel([...phrases].reverse(), settings));
    expect(a).toBe(b);
    expect(hashPhrases(phrases)).toBe(hashPhrases([...phrases].reverse()));
  });

  it("golden: training on models/ reproduces the committed default model byte for byte", () => {
    const model = trainModel(readPhrasesFile(DEFAULT_PHRASES_PATH).phrases, shipped, readLanguagePhrases(DEFAULT_PHRASES_PATH).phrases);
    expect(serialiseModel(model)).toBe(readFileSync(DEFAULT_MODEL_PATH, "utf8"));
  });

  it("the shipped phrases meet the minimum counts and name no role", () => {
    const { phrases, warnings } = readPhrasesFile(DEFAULT_PHRASES_PATH);
    const count = (label: string) => phrases.filter((p) => p.label === label).length;
    expect(count("product-manager")).toBeGreaterThanOrEqual(200);
    expect(count("product-owner")).toBeGreaterThanOrEqual(200);
    expect(count("neutral")).toBeGreaterThan(0);
    expect(warnings).toEqual([]);
    expect(phrases.filter((p) => /\b(product (manager|owner)s?|PMs?|POs?)\b/i.test(p.phrase))).toEqual([]);
  });
});

describe("French stopwords", () => {
  const { stopwords } = buildVocabulary(settings, "fr");
  const vocabulary = { stopwords: new Set(stopwords), roleNames: buildStemTrie<true>([]) };
  // natural's French list lacks these prepositions and adverbs; a phrase's terms skip them as they skip "le" or "de".
  it.each([
    ["Préparer le sprint planning avant chaque sprint", ["prépar sprint planning", "sprint planning"], ["avant", "chaqu"]],
    ["Travailler notamment auprès de la direction", ["travaill direct"], ["notamment", "aupres"]],
    ["Échanger entre les équipes selon les besoins", ["échang équip besoin"], ["entre", "selon"]],
    // Support verbs and their nouns: "mise en place" says no more of a duty than "place" does.
    ["Assurer la mise en production des évolutions", ["assur product évolu"], ["mis"]],
    ["Mettre en œuvre la feuille de route", ["œuvr feuill rout"], ["mettr"]],
    ["Prendre en charge la recette", ["charg recet"], ["prendr"]],
  ])("%s", (phrase, present, absent) => {
    const terms = phraseTerms(phrase, vocabulary, 3, "fr");
    for (const term of present) expect(terms).toContain(term);
    for (const word of absent) expect([...terms].some((term) => term.split(" ").includes(word))).toBe(false);
  });
});
