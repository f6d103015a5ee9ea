// Stands in for the stopwords-iso package in pmpo's bundles (scripts/bundle.js): natural's German
// stemmer requires the whole list of 50 languages (228 KB) and reads only its German words. A
// named import of a JSON file lets esbuild keep that one key, so the stemmer sees the same list.
export { de } from "stopwords-iso/stopwords-iso.json";
