import type { Language } from "./language.js";
import { withoutInvisible } from "./normalise.js";

/** The part of an ad a span sits in; the model gives each kind a weight. */
export const SECTION_KINDS = [
  "intro",
  "responsibilities",
  "requirements",
  "company",
  "benefits",
  "boilerplate",
  "other",
] as const;

/** One of the section kinds, e.g. `responsibilities` or `benefits`. */
export type SectionKind = (typeof SECTION_KINDS)[number];

/** A contiguous stretch of the ad, `[start, end)` in string offsets, with its kind. */
export interface Section {
  kind: SectionKind;
  start: number;
  end: number;
  /** The heading text that opened the section, or null for the intro and boilerplate sentences. */
  heading: string | null;
}

// Checked in order: the first pattern that matches a heading decides its kind.
const HEADING_KINDS: ReadonlyArray<readonly [SectionKind, RegExp]> = [
  ["boilerplate", /equal (employment )?opportunit|\beeo\b|diversity|inclusion|how to apply|application process|hiring process|apply now|accommodation|legal|privacy|disclaimer|background check|clearance|visa (sponsor|requirement|status)|work (permit|authori[sz]ation)|note to (agencies|recruiters)|recruitment process/],
  ["benefits", /benefit|perks|we (can )?offer|to offer|reasons to love|compensation|salary|\bpay\b|why you.?ll love|in it for you|what.?s in it|rewards/],
  ["company", /about (us|the company|the team|our|company)|^about [\w&.-]+$|who we are|our (company|story|mission|team|culture|values)|the company|company (overview|description)|why (join|us|work)|^why [\w&.'’-]+\??$/],
  ["requirements", /requirement|qualification|what (are )?(you|we).{0,6}(need|bring|look)|about you|who you are|skills|experience|looking for|you have|must.have|nice.to.have|ideal candidate|profile|preferred|bonus points|competenc|what it takes|you bring|should bring|great if you|you should have/],
  ["responsibilities", /responsibilit|what you.{0,6} do|what you.{0,8} doing|your role|the role|duties|your (mission|tasks|impact|day)|accountabilit|in this role|day.to.day|the job|tasks|about the (position|job|opportunity)|role (summary|overview|description)|job (summary|description|overview)|position (summary|overview)|the opportunity|overview|what you.ll own|your challenge|how (will )?you.{0,4} (make an )?impact/],
];

type HeadingTable = ReadonlyArray<readonly [SectionKind, RegExp]>;

// The headings of German, Dutch and French ads, by kind, checked in the same order as the English ones.
const LANGUAGE_HEADINGS: Readonly<Record<Exclude<Language, "en">, Partial<Record<SectionKind, RegExp>>>> = {
  de: {
    boilerplate: /\bagg\b|chancengleichheit|vielfalt|diversität|gleichbehandlung|bewerbungsprozess|so bewirbst du dich|deine bewerbung|ihre bewerbung|bewerbung|datenschutz|ansprechpartner|kontakt/,
    benefits: /wir bieten|was wir (dir|ihnen) bieten|das bieten wir|unser angebot|deine vorteile|ihre vorteile|vorteile|darauf kannst du dich freuen|darauf können sie sich freuen|gehalt|vergütung|warum wir|warum zu uns/,
    company: /über uns|wer wir sind|das sind wir|über das unternehmen|unser unternehmen|das unternehmen|unternehmensprofil|wir über uns/,
    requirements: /profil|deine stärken|ihre stärken|was du mitbringst|was sie mitbringen|das bringst du mit|das bringen sie mit|du bringst|sie bringen|qualifikation|anforderungen|voraussetzungen|kenntnisse|was wir erwarten|was wir uns wünschen|das zeichnet (dich|sie) aus/,
    responsibilities: /aufgaben|das erwartet (dich|sie)|was (dich|sie) erwartet|deine rolle|ihre rolle|die rolle|verantwortung|tätigkeit|was du (bewegst|tust|machst)|dein job|die stelle|stellenbeschreibung|dein beitrag|deine mission/,
  },
  nl: {
    boilerplate: /gelijke kansen|diversiteit|inclusie|sollicitatie|solliciteren|procedure|acquisitie|privacy|contactpersoon/,
    benefits: /wat (wij|we) bieden|wat bieden (wij|we)|ons aanbod|arbeidsvoorwaarden|(wij|we) bieden|voordelen|salaris|wat krijg je/,
    company: /over ons|wie (zijn wij|zijn we|wij zijn|we zijn)|over het bedrijf|het bedrijf|onze organisatie|de organisatie/,
    requirements: /wat vragen (wij|we)|wat (wij|we) vragen|profiel|wie ben (jij|je)|wie zoeken (wij|we)|wat breng je mee|wat neem je mee|eisen|vereisten|kwalificaties|jij hebt/,
    responsibilities: /wat ga je doen|wat je gaat doen|jouw rol|je rol|de rol|jouw taken|taken|verantwoordelijkheden|functieomschrijving|de functie|over de functie|over de rol|werkzaamheden|jouw uitdaging/,
  },
  fr: {
    boilerplate: /diversité|égalité|handicap|processus de recrutement|process de recrutement|déroulement|candidature|postuler|rgpd|données personnelles|nous sommes engagés/,
    // "Ce que nous vous proposons" heads the benefits in some ads and the role itself in others: it is left to "other".
    other: /ce que nous (vous )?proposons|ce qu.on (te |vous )?propose/,
    benefits: /avantages|ce que nous (vous )?offrons|nous (vous )?offrons|ce qu.on (t|vous) offre|pourquoi nous rejoindre|rémunération|salaire|les plus/,
    company: /qui sommes.nous|à propos|l.entreprise|notre (entreprise|société|histoire|équipe)|la société|présentation|nous sommes/,
    requirements: /profil|compétences|qualifications|expérience|ce que nous recherchons|ce que vous apportez|vous (êtes|avez)|savoir.être|pré.?requis|requis|formation/,
    responsibilities: /missions?\b|responsabilités|tâches|descriptif du poste|description du poste|le poste|votre rôle|ton rôle|rôle|ce que (vous ferez|tu feras)|au quotidien|activités|vos défis/,
  },
};

function headingTable(language: Language | "all"): HeadingTable {
  if (language === "en") return HEADING_KINDS;
  const languages = language === "all" ? (["de", "nl", "fr"] as const) : ([language] as const);
  // Each kind tries the ad's language first, then English: European ads mix English headings in.
  // Headings a language names only to leave open ("other") come first of all.
  const open = languages.map((l) => LANGUAGE_HEADINGS[l].other?.source).filter((p) => p !== undefined);
  const table: Array<readonly [SectionKind, RegExp]> = open.length > 0 ? [["other", new RegExp(open.join("|"))]] : [];
  for (const [kind, english] of HEADING_KINDS) {
    const own = languages.map((l) => LANGUAGE_HEADINGS[l][kind]?.source).filter((p) => p !== undefined);
    table.push([kind, new RegExp([...own, english.source].join("|"))]);
  }
  return table;
}

const HEADING_TABLES = new Map<Language | "all", HeadingTable>((["en", "de", "nl", "fr", "all"] as const).map((l) => [l, headingTable(l)]));

// Flattened ads run headings into the text; these capitalised cues open a section mid-line.
const INLINE_HEADING =
  /\b(?:Key Responsibilities|Responsibilities|What [Yy]ou(?:'|’)?ll [Dd]o|What [Yy]ou [Ww]ill [Dd]o|Your [Rr]ole|Your [Tt]asks|Requirements|Qualifications|About [Yy]ou|Who [Yy]ou [Aa]re|What [Ww]e [Oo]ffer|Benefits|Perks|About [Uu]s|About the [Rr]ole|How to [Aa]pply|Your [Pp]rofile|What [Yy]ou [Bb]ring|Job [Dd]escription|Role [Dd]escription|Job [Ss]ummary|Company [Dd]escription|About the [Cc]ompany|About the [Tt]eam)\b/g;

// Sentences that are hiring boilerplate wherever they stand.
const BOILERPLATE_SENTENCE =
  /equal (employment )?opportunit|regardless of (race|age|gender|sex|religion|sexual)|without regard to|reasonable accommodation|protected veteran|affirmative action|e-verify|background check|national origin/i;
// The same in German (AGG), Dutch and French ads.
const LANGUAGE_BOILERPLATE: Readonly<Record<Exclude<Language, "en">, RegExp>> = {
  de: /\bAGG\b|Gleichbehandlungsgesetz|unabhängig von (Geschlecht|Alter|Herkunft|Religion|Nationalität|ethnischer)|Schwerbehinderte|Schwerbehinderung|Chancengleichheit/i,
  nl: /gelijke kansen|ongeacht (geslacht|leeftijd|afkomst|religie|geaardheid)|acquisitie naar aanleiding/i,
  fr: /en faveur de la diversité|sans distinction|situation de handicap|égalité des chances|égalité professionnelle|nous sommes engagés/i,
};

function boilerplateCue(language: Language | "all"): RegExp {
  if (language === "en") return BOILERPLATE_SENTENCE;
  const own = language === "all" ? Object.values(LANGUAGE_BOILERPLATE) : [LANGUAGE_BOILERPLATE[language]];
  return new RegExp([BOILERPLATE_SENTENCE.source, ...own.map((r) => r.source)].join("|"), "i");
}

const BOILERPLATE_CUES = new Map<Language | "all", RegExp>((["en", "de", "nl", "fr", "all"] as const).map((l) => [l, boilerplateCue(l)]));

const MAX_HEADING_LENGTH = 70;
const MAX_HEADING_WORDS = 8;
const FLATTENED_LINE_LENGTH = 400;

// Punctuation and spaces a heading may end with ("Requirements:", "About us —").
const HEADING_TAIL = /[\s:.\-–—*]/;

// What a heading may start with besides its words: spaces, bullets, quote marks, numbering ("2.", "3)").
const HEADING_LEAD = /[\s\-*•·▪●>#\d.)]/;

/**
 * Where a line's heading text lies once its lead (`HEADING_LEAD`) and tail (`HEADING_TAIL`) are
 * cut off: `line.slice(start, end)`, empty when nothing is left. Neither end is a space.
 */
function headingBounds(line: string): { start: number; end: number } {
  let start = 0;
  while (start < line.length && HEADING_LEAD.test(line[start] as string)) start++;
  let end = line.length;
  while (end > start && HEADING_TAIL.test(line[end - 1] as string)) end--;
  return { start, end };
}

// A bullet and a space open a list item ("- 5+ years of experience").
const LIST_ITEM = /^\s*[-*•·▪●+]\s/;

/**
 * The section kind a heading names, or null when the line is not a heading pmpo knows; in a
 * language other than English its own headings are tried before the English ones ("all": every language's).
 */
export function headingKind(line: string, language: Language | "all" = "en"): SectionKind | null {
  // A bullet is an item of a list, never a heading ("- 5+ years of experience").
  if (LIST_ITEM.test(line)) return null;
  // Most lines of an ad are sentences far longer than a heading: they are measured by index,
  // with no copy made and no pattern tried.
  const { start, end } = headingBounds(line);
  if (end - start < 3 || end - start > MAX_HEADING_LENGTH) return null;
  const cleaned = line.slice(start, end);
  if (cleaned.split(/\s+/).length > MAX_HEADING_WORDS) return null;
  // An entity decoded inside a heading ("&Uuml;ber uns") leaves fillers the heading patterns do not expect.
  const lower = withoutInvisible(cleaned).toLowerCase();
  for (const [kind, pattern] of HEADING_TABLES.get(language) ?? HEADING_KINDS) {
    if (pattern.test(lower)) return kind;
  }
  return null;
}

// The same as replacing /[\s:]+$/ with "": that regex is tried at every position of a run of
// spaces and scans the run each time, quadratic in its length ("ab" + 100,000 spaces + "x:" took 17 s).
function withoutColonTail(text: string): string {
  let end = text.length;
  while (end > 0 && /[\s:]/.test(text[end - 1] as string)) end--;
  return text.slice(0, end);
}

/** A short line of its own that ends with a colon and is not a list item: a heading, named or not. */
function isUnknownHeading(line: string): boolean {
  const trimmed = line.trim();
  if (!trimmed.endsWith(":") || /^[-*•·▪●+]\s/.test(trimmed)) return false;
  const cleaned = withoutColonTail(trimmed.replace(/^[\s\-*•·▪●>#\d.)]+/, ""));
  return cleaned.length >= 3 && cleaned.length <= MAX_HEADING_LENGTH && cleaned.split(/\s+/).length <= MAX_HEADING_WORDS;
}

// In a flattened ad a heading often survives as the words between a sentence end and a colon.
// Found by scanning back from each colon, which keeps the cost linear in the line's length.
const HEADING_BOUNDARY = new Set([".", "!", "?", ":", ";", "\n"]);
const MAX_INLINE_HEADING = 70;

function colonHeadings(line: string): Array<{ at: number; text: string }> {
  const found: Array<{ at: number; text: string }> = [];
  for (let colon = line.indexOf(":"); colon >= 0; colon = line.indexOf(":", colon + 1)) {
    let start = colon;
    while (start > 0 && colon - start < MAX_INLINE_HEADING && !HEADING_BOUNDARY.has(line[start - 1] as string)) start--;
    if (colon - start >= 3) found.push({ at: start, text: line.slice(start, colon) });
  }
  return found;
}

function inlineHeadingMarkers(line: string, lineStart: number, language: Language | "all"): Marker[] {
  const found = new Map<number, Marker>();
  for (const match of line.matchAll(INLINE_HEADING)) {
    // In other languages an English cue inside a compound ("Arbeitgeber-Benefits") is no heading.
    if (language !== "en" && /[-\p{L}]/u.test(line[match.index - 1] ?? " ")) continue;
    const kind = headingKind(match[0], language);
    if (kind !== null) found.set(match.index, { at: lineStart + match.index, kind, heading: match[0] });
  }
  for (const { at, text } of colonHeadings(line)) {
    const lead = text.length - text.trimStart().length;
    const kind = headingKind(text, language);
    if (kind !== null) found.set(at + lead, { at: lineStart + at + lead, kind, heading: text.trim() });
  }
  return [...found.values()].sort((a, b) => a.at - b.at);
}

interface Marker {
  at: number;
  kind: SectionKind;
  heading: string | null;
}

function headingMarkers(text: string, language: Language | "all"): Marker[] {
  const markers: Marker[] = [];
  let lineStart = 0;
  while (lineStart <= text.length) {
    let lineEnd = text.indexOf("\n", lineStart);
    if (lineEnd < 0) lineEnd = text.length;
    const line = text.slice(lineStart, lineEnd);
    // A list item is neither a named nor an unnamed heading; only a flattened one can hold headings inside.
    if (line.length <= FLATTENED_LINE_LENGTH && LIST_ITEM.test(line)) {
      lineStart = lineEnd + 1;
      continue;
    }
    const colon = line.indexOf(":");
    // A heading stands alone on its line, or opens it ("Requirements: 5 years of ...").
    const candidate = colon > 0 && colon <= MAX_HEADING_LENGTH ? line.slice(0, colon) : line;
    const kind = headingKind(candidate, language);
    if (kind !== null && (candidate !== line || !/[.!]\s*$/.test(line.trim()))) {
      markers.push({ at: lineStart, kind, heading: candidate.trim() });
    } else if (kind === null && isUnknownHeading(line)) {
      // A heading pmpo cannot name still ends the section before it ("What success looks like:").
      markers.push({ at: lineStart, kind: "other", heading: withoutColonTail(line.trim()) });
    } else if (line.length > FLATTENED_LINE_LENGTH) {
      // One by one: a flattened line can hold more headings than a spread may pass as arguments.
      for (const marker of inlineHeadingMarkers(line, lineStart, language)) markers.push(marker);
    }
    lineStart = lineEnd + 1;
  }
  return markers;
}

// The last marker at or before `offset` (markers are in order). A binary search: called once per
// boilerplate sentence, a scan from the start was quadratic in an ad of many short sections.
function kindAt(markers: readonly Marker[], offset: number): Marker | undefined {
  let lo = 0;
  let hi = markers.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((markers[mid] as Marker).at <= offset) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 ? markers[lo - 1] : undefined;
}

// Expands a boilerplate cue to its sentence and fences the sentence off as boilerplate.
function boilerplateMarkers(text: string, headings: readonly Marker[], language: Language | "all"): Marker[] {
  const markers: Marker[] = [];
  const cue = new RegExp((BOILERPLATE_CUES.get(language) ?? BOILERPLATE_SENTENCE).source, "gi");
  let coveredUntil = -1;
  for (const match of text.matchAll(cue)) {
    const at = match.index ?? 0;
    if (at < coveredUntil) continue;
    const start = sentenceStart(text, at);
    const end = sentenceEnd(text, at);
    const resume = kindAt(headings, end);
    markers.push({ at: start, kind: "boilerplate", heading: null });
    markers.push({ at: end, kind: resume?.kind ?? "intro", heading: resume?.heading ?? null });
    coveredUntil = end;
  }
  return markers;
}

function sentenceStart(text: string, at: number): number {
  for (let i = at - 1; i >= 0 && at - i < 1000; i--) {
    const c = text[i];
    if (c === "\n" || ((c === "." || c === "!" || c === "?") && /\s/.test(text[i + 1] ?? ""))) return i + 1;
  }
  return Math.max(0, at - 1000);
}

function sentenceEnd(text: string, at: number): number {
  for (let i = at; i < text.length && i - at < 1000; i++) {
    const c = text[i];
    if (c === "\n") return i;
    if ((c === "." || c === "!" || c === "?") && (i + 1 === text.length || /\s/.test(text[i + 1] ?? ""))) return i + 1;
  }
  return Math.min(text.length, at + 1000);
}

/**
 * Splits an ad (markup already blanked) into sections by its headings, on their own lines or,
 * in flattened ads, inline; equal-opportunity and similar sentences become boilerplate wherever
 * they stand. The sections cover the text without gaps or overlaps. Headings of `language` are
 * known besides the English ones ("all": those of every language pmpo reads).
 */
export function detectSections(text: string, language: Language | "all" = "en"): Section[] {
  const headings = headingMarkers(text, language);
  const markers = [...headings, ...boilerplateMarkers(text, headings, language)].sort((a, b) => a.at - b.at);
  const sections: Section[] = [];
  let current: Marker = { at: 0, kind: "intro", heading: null };
  for (const marker of markers) {
    if (marker.at > current.at) sections.push({ kind: current.kind, start: current.at, end: marker.at, heading: shownHeading(current.heading) });
    current = marker.at >= current.at ? marker : current;
  }
  if (text.length > current.at || sections.length === 0) {
    sections.push({ kind: current.kind, start: current.at, end: text.length, heading: shownHeading(current.heading) });
  }
  return mergeAdjacent(sections);
}

// A heading as a reader sees it: without the fillers of an entity decoded inside it ("&Uuml;ber uns" is "Über uns").
const shownHeading = (heading: string | null) => (heading === null ? null : withoutInvisible(heading));

function mergeAdjacent(sections: Section[]): Section[] {
  const merged: Section[] = [];
  for (const section of sections) {
    const last = merged.at(-1);
    if (last && last.kind === section.kind && last.heading === section.heading) last.end = section.end;
    else merged.push({ kind: section.kind, start: section.start, end: section.end, heading: section.heading });
  }
  return merged;
}
