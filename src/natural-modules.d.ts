// natural's deep modules have no declarations of their own; these borrow the types from the
// index.d.ts files beside them. Importing the deep files skips natural's root module, which
// loads every storage backend and prints banners on stdout.
declare module "natural/lib/natural/stemmers/porter_stemmer.js" {
  import type { Stemmer } from "natural/lib/natural/stemmers/index.js";
  const PorterStemmer: Stemmer;
  export default PorterStemmer;
}
declare module "natural/lib/natural/util/stopwords.js" {
  export const words: string[];
}
declare module "natural/lib/natural/classifiers/bayes_classifier.js" {
  import { BayesClassifier } from "natural/lib/natural/classifiers/index.js";
  export default BayesClassifier;
}
declare module "natural/lib/natural/util/stopwords_fr.js" {
  export const words: string[];
}
declare module "natural/lib/natural/util/stopwords_nl.js" {
  export const words: string[];
}
declare module "natural/lib/natural/stemmers/porter_stemmer_de.js" {
  import type { Stemmer } from "natural/lib/natural/stemmers/index.js";
  const Stemmer: Stemmer;
  export default Stemmer;
}
declare module "natural/lib/natural/stemmers/porter_stemmer_nl.js" {
  import type { Stemmer } from "natural/lib/natural/stemmers/index.js";
  const Stemmer: Stemmer;
  export default Stemmer;
}
declare module "natural/lib/natural/stemmers/porter_stemmer_fr.js" {
  import type { Stemmer } from "natural/lib/natural/stemmers/index.js";
  const Stemmer: Stemmer;
  export default Stemmer;
}
