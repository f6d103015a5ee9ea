/**
 * sha256 (hex) of `models/default.json` as the build validated it: the build step
 * (scripts/bundle.js) checks the shipped model against the schema and writes its hash into the
 * built copy of this file. Null in the sources, where the model is always validated on load.
 */
export const VALIDATED_DEFAULT_MODEL_SHA256: string | null = null;
