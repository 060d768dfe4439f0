// Validates a Teams manifest.json against Microsoft's official schema of its manifestVersion, as
// shipped in the npm package @microsoft/app-manifest, with ajv (draft-04): the check the Teams
// admin centre makes. Usage: node validate_manifest.mjs path/to/manifest.json
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import Ajv from "ajv-draft-04";
import addFormats from "ajv-formats";

const require = createRequire(import.meta.url);
const manifest = JSON.parse(readFileSync(process.argv[2], "utf8"));
const schemaPath = require.resolve(
  `@microsoft/app-manifest/build/json-schemas/teams/v${manifest.manifestVersion}/MicrosoftTeams.schema.json`,
);
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const validate = ajv.compile(JSON.parse(readFileSync(schemaPath, "utf8")));
if (!validate(manifest)) {
  console.error(`manifest.json fails the official Teams schema v${manifest.manifestVersion}:`);
  for (const error of validate.errors) console.error(`  ${error.instancePath || "/"} ${error.message}`);
  process.exit(1);
}
console.log(`manifest.json (version ${manifest.version}) passes the official Teams schema v${manifest.manifestVersion}`);
