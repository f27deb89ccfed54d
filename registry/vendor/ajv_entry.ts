/**
 * What `registry/vendor/ajv2020.js` is bundled from (scripts/vendor_ajv.ts): ajv's draft 2020-12
 * class, from the npm package deno.lock pins.
 *
 * @module
 */
export { Ajv2020 } from "ajv/dist/2020.js";
