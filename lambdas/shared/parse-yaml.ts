import { parseDocument } from 'yaml';

/**
 * Parse a YAML file's text (duplicate keys rejected). A syntax error throws `fail(message)` with one
 * line naming the file and the position: `base.yml: invalid YAML (line 3, column 5): …`. The caller
 * picks the error class (a config error, a drill usage error) so each entry point reports it its way.
 */
export function parseYaml(text: string, file: string, fail: (message: string) => Error): unknown {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  const first = doc.errors[0];
  if (first !== undefined) {
    const at = first.linePos?.[0];
    const where = at === undefined ? '' : ` (line ${at.line}, column ${at.col})`;
    throw fail(`${file}: invalid YAML${where}: ${first.message.split('\n')[0] ?? 'unknown error'}`);
  }
  return doc.toJS();
}
