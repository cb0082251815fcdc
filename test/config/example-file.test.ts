// config/dialsync.example.yaml is checked against the schema it documents (config/schema.ts), so the two cannot drift:
// every setting appears in the example (set, or as a commented-out `# key: value` line at its place), every value
// shown for a setting with a default is that default, and every setting carries its one-sentence description.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { configDefaults, configFileSchema } from '../../src/config/schema.js';
import { exampleConfigFile } from './config-fixture.js';

const exampleText = readFileSync(exampleConfigFile, 'utf8');

/** The example with its commented-out settings (`# key: value`, the key right after the `# `) switched on. */
function withCommentedSettings(text: string): string {
  return text.replace(/^(\s*)# ([A-Za-z]+:(?: |$))/gm, '$1$2');
}

interface Setting {
  path: string[];
  schema: z.ZodType;
}

/** The wrappers a setting's type sits in (default, prefault, optional, nullable), outermost first, with the type. */
function layers(schema: z.ZodType): z.ZodType[] {
  const all = [schema];
  let current = schema;
  while (current instanceof z.ZodDefault || current instanceof z.ZodPrefault || current instanceof z.ZodOptional || current instanceof z.ZodNullable) {
    current = current.unwrap() as z.ZodType;
    all.push(current);
  }
  return all;
}

/** Every setting of the schema: the leaves (a nested object is a group of settings; a record is one setting). */
function settingsOf(schema: z.ZodType, path: string[] = []): Setting[] {
  const inner = layers(schema).at(-1);
  if (!(inner instanceof z.ZodObject)) return [{ path, schema }];
  return Object.entries(inner.shape as Record<string, z.ZodType>).flatMap(([key, child]) => settingsOf(child, [...path, key]));
}

function at(value: unknown, path: string[]): { found: boolean; value: unknown } {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null || !(key in current)) return { found: false, value: undefined };
    current = (current as Record<string, unknown>)[key];
  }
  return { found: true, value: current };
}

const settings = settingsOf(configFileSchema);
const defaults = configDefaults();
const documented: unknown = parseYaml(withCommentedSettings(exampleText));

describe('config/dialsync.example.yaml', () => {
  it('finds the settings of the schema', () => {
    expect(settings.map((setting) => setting.path.join('.'))).toEqual(expect.arrayContaining(['okta.pageSize', 'safety.massSuspend.count', 'daemon.hooks.batchDelaySeconds', 'licenseCaps']));
  });

  it('parses with the schema, as is and with its commented-out settings switched on', () => {
    expect(configFileSchema.safeParse(parseYaml(exampleText)).error).toBeUndefined();
    expect(configFileSchema.safeParse(documented).error).toBeUndefined();
  });

  it('sets nothing but the defaults', () => {
    expect(configFileSchema.parse(parseYaml(exampleText))).toEqual(defaults);
  });

  it.each(settings.map((setting) => [setting.path.join('.'), setting] as const))('documents %s, showing its default', (_key, setting) => {
    const shown = at(documented, setting.path);
    expect(shown.found, 'the example names the setting (set, or as "# key: value" at its place)').toBe(true);
    const declared = at(defaults, setting.path);
    if (declared.found && declared.value !== undefined) expect(shown.value).toEqual(declared.value);
  });

  it.each(settings.map((setting) => [setting.path.join('.'), setting] as const))('describes %s in the schema', (_key, setting) => {
    const description = layers(setting.schema).find((layer) => layer.description !== undefined)?.description ?? '';
    expect(description).toMatch(/^\S.*[.)]$/);
  });

  it('marks as secret only the keys naming a file that holds one', () => {
    const secret = settings.filter((setting) => layers(setting.schema).some((layer) => layer.meta()?.['secret'] === true)).map((setting) => setting.path.join('.'));
    expect(secret).toEqual(['okta.apiTokenFile', 'okta.privateKeyFile', 'dialpad.apiKeyFile', 'postgres.passwordFile']);
  });
});
