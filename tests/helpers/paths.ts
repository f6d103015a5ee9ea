import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** Repository root. */
export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
/** A fixture path from the repository root. */
export const fixture = (...parts: string[]) => `${ROOT}fixtures/${parts.join("/")}`;
/** The shared folder beside the repository, present in CI and on developers' machines. */
export const SHARED = fileURLToPath(new URL("../../../shared/", import.meta.url));
/** True when ../shared is present; tests that need it skip with a message otherwise. */
export const HAS_SHARED = existsSync(`${SHARED}jobads/jobads.csv`);
