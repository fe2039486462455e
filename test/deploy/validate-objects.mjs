// Validates Kubernetes objects against the schemas of kubernetes-models. A separate Node process:
// kubernetes-models is ESM only, which Jest (CommonJS here) cannot load. Reads a JSON array of
// objects on stdin; writes a JSON array of { index, error } for those that fail, and of
// { index, skipped: true } for kinds it has no model for (custom resources).
import { readFileSync } from 'node:fs';

const objects = JSON.parse(readFileSync(0, 'utf8'));
const results = [];
for (const [index, object] of objects.entries()) {
  let Model;
  try {
    Model = (await import(`kubernetes-models/${object.apiVersion}/${object.kind}`))[object.kind];
  } catch {
    Model = undefined;
  }
  if (typeof Model !== 'function') {
    results.push({ index, skipped: true });
    continue;
  }
  try {
    new Model(object).validate();
  } catch (error) {
    results.push({ index, error: error instanceof Error ? error.message : String(error) });
  }
}
process.stdout.write(JSON.stringify(results));
