import { createRequire } from "node:module";
import type * as Zod from "zod";

/** zod's `z` namespace, as the schema modules build with it. */
export type ZodNamespace = typeof Zod.z;

// Loading zod takes longer than loading all of pmpo's scoring code, and classifying an ad with
// the shipped model needs none of it: the schemas are built on first use, from a zod loaded
// then. By require, not import(): schemas serve synchronous functions such as validateModel.
const requireHere = createRequire(import.meta.url);
let zod: ZodNamespace | undefined;

/** zod's `z`, loaded on the first call. */
export function loadZod(): ZodNamespace {
  zod ??= (requireHere("zod") as typeof Zod).z;
  return zod;
}

/** A function that builds a module's schemas on its first call and returns the same ones after. */
export function lazySchemas<T>(define: (z: ZodNamespace) => T): () => T {
  let schemas: T | undefined;
  return () => {
    schemas ??= define(loadZod());
    return schemas;
  };
}
