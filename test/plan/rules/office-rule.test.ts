import { describe, expect, it } from 'vitest';
import type { DialpadOffice } from '../../../src/dialpad/types.js';
import { OfficeDirectory, resolveOffice } from '../../../src/plan/rules/office-rule.js';
import { BERLIN, NY, OFFICES, SF, office } from '../fixtures.js';

type OfficeConfig = { countryOffices: Record<string, string>; defaultOffice: string | null };
const noConfig: OfficeConfig = { countryOffices: {}, defaultOffice: null };

// Offices for the country fallbacks: three in France, none primary; ids that sort differently as text.
const PARIS = office({ id: '900', name: 'Paris', country: 'fr' });
const LYON = office({ id: '1000', name: 'Lyon', country: 'fr' });
const NICE = office({ id: '10000', name: 'Nice', country: 'FR' });
const CLOSED = office({ id: '1', name: 'Closed', country: 'fr', state: 'deleted' });
const FRANCE = [NICE, LYON, PARIS, CLOSED];

describe('resolveOffice', () => {
  it.each<[string, { officeName: string | null; country: string | null }, DialpadOffice[], Partial<OfficeConfig> | undefined, string, string]>([
    ['exact name', { officeName: 'San Francisco', country: 'DE' }, OFFICES, undefined, SF.id, 'name'],
    ['exact name wins over country', { officeName: 'Berlin', country: 'US' }, OFFICES, undefined, BERLIN.id, 'name'],
    ['single office in the country (case-insensitive)', { officeName: null, country: 'DE' }, OFFICES, undefined, BERLIN.id, 'country'],
    ['unknown name falls back to country', { officeName: 'Sales', country: 'de' }, OFFICES, undefined, BERLIN.id, 'country'],
    ['several in country: configured one', { officeName: null, country: 'US' }, OFFICES, { countryOffices: { us: 'San Francisco' } }, SF.id, 'country-configured'],
    ['several in country: configured key in upper case', { officeName: null, country: 'us' }, OFFICES, { countryOffices: { US: 'San Francisco' } }, SF.id, 'country-configured'],
    ['several in country: primary office', { officeName: null, country: 'us' }, OFFICES, undefined, NY.id, 'country-primary'],
    ['several in country: lowest id, compared as a number', { officeName: null, country: 'fr' }, [...FRANCE, NY], undefined, PARIS.id, 'country-lowest-id'],
    ['no office in the country: default office', { officeName: null, country: 'jp' }, OFFICES, { defaultOffice: 'Berlin' }, BERLIN.id, 'default'],
    ['no country: default office', { officeName: null, country: null }, OFFICES, { defaultOffice: 'San Francisco' }, SF.id, 'default'],
    ['no default: primary office', { officeName: null, country: 'jp' }, OFFICES, undefined, NY.id, 'primary'],
    ['inactive offices are ignored by name', { officeName: 'Closed', country: null }, [CLOSED, NY], undefined, NY.id, 'primary'],
  ])('%s', (_label, input, offices, config, officeId, rule) => {
    const choice = resolveOffice(input, offices, { ...noConfig, ...config });
    expect(choice.office?.id).toBe(officeId);
    expect(choice.rule).toBe(rule);
  });

  it.each([
    ['new york', 'New York'],
    ['NEWYORK', 'New York'],
    ['  San  Francisco', 'San Francisco'],
  ])('near miss %j is not applied: warning names "%s" and the rule falls through', (name, matched) => {
    const choice = resolveOffice({ officeName: name, country: 'de' }, OFFICES, noConfig);
    expect(choice.office?.id).toBe(BERLIN.id);
    expect(choice.rule).toBe('country');
    expect(choice.warnings).toHaveLength(1);
    expect(choice.warnings[0]).toContain(`"${matched}"`);
    expect(choice.warnings[0]).toContain(name);
  });

  it('an unmatched name that is no near miss gives no warning', () => {
    expect(resolveOffice({ officeName: 'Engineering', country: 'us' }, OFFICES, noConfig).warnings).toEqual([]);
  });

  it('warns about a configured country office that does not exist, then uses the primary', () => {
    const choice = resolveOffice({ officeName: null, country: 'us' }, OFFICES, { ...noConfig, countryOffices: { us: 'Boston' } });
    expect(choice.rule).toBe('country-primary');
    expect(choice.warnings.join(' ')).toContain('Boston');
    // The warning names the setting as the admin writes it in the config file.
    expect(choice.warnings).toContain('offices.byCountry names "Boston" for country "us", but no active office in that country has that name');
  });

  it('warns about a default office that does not exist, then uses the primary', () => {
    const choice = resolveOffice({ officeName: null, country: null }, OFFICES, { ...noConfig, defaultOffice: 'Atlantis' });
    expect(choice.rule).toBe('primary');
    expect(choice.warnings).toContain('offices.default names "Atlantis", but it is not an active Dialpad office');
  });

  it('no office at all', () => {
    expect(resolveOffice({ officeName: 'X', country: 'us' }, [], noConfig)).toEqual({ office: null, rule: null, warnings: [] });
    expect(resolveOffice({ officeName: null, country: 'jp' }, [SF, BERLIN], noConfig).office).toBeNull();
  });

  it('is independent of the order of the offices', () => {
    const a = resolveOffice({ officeName: null, country: 'fr' }, FRANCE, noConfig);
    const b = resolveOffice({ officeName: null, country: 'fr' }, [...FRANCE].reverse(), noConfig);
    expect(a.office?.id).toBe(PARIS.id);
    expect(b.office?.id).toBe(PARIS.id);
  });
});

describe('OfficeDirectory', () => {
  const config: OfficeConfig = { countryOffices: { us: 'San Francisco' }, defaultOffice: 'Atlantis' };
  const inputs = [
    { officeName: 'Berlin', country: 'US' },
    { officeName: 'berlin ', country: 'US' },
    { officeName: null, country: 'us' },
    { officeName: null, country: 'US' },
    { officeName: null, country: 'fr' },
    { officeName: 'Sales', country: null },
    { officeName: null, country: null },
  ];

  it('chooses as resolveOffice does, for every office name and country', () => {
    const directory = new OfficeDirectory([...OFFICES, ...FRANCE], config);
    for (const input of inputs) expect(directory.resolve(input)).toEqual(resolveOffice(input, [...OFFICES, ...FRANCE], config));
  });

  it('works each office name and country out once, and hands the same choice to every user with them', () => {
    const directory = new OfficeDirectory(OFFICES, config);
    const first = directory.resolve({ officeName: 'Sales', country: 'jp' });
    expect(first.warnings.length).toBeGreaterThan(0);
    expect(directory.resolve({ officeName: 'Sales', country: 'jp' })).toBe(first);
    expect(directory.resolve({ officeName: 'Sales', country: 'JP' })).not.toBe(first);
  });
});
