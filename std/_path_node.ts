/** Re-exports of `node:path` under Deno std's names (internal to std/path.ts). @module */
import path from "node:path";

/** The last portion of a path. */
export const basename: typeof path.basename = path.basename;
/** The directory of a path. */
export const dirname: typeof path.dirname = path.dirname;
/** The extension of a path. */
export const extname: typeof path.extname = path.extname;
/** Whether a path is absolute. */
export const isAbsolute: typeof path.isAbsolute = path.isAbsolute;
/** Joins path segments. */
export const join: typeof path.join = path.join;
/** Normalizes a path. */
export const normalize: typeof path.normalize = path.normalize;
/** The relative path from one path to another. */
export const relative: typeof path.relative = path.relative;
/** Resolves segments to an absolute path. */
export const resolve: typeof path.resolve = path.resolve;
/** The platform's path separator. */
export const SEPARATOR: string = path.sep;
