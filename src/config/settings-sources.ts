// STUB until the settings-explain part lands (its file replaces this one on merge): the row shape only.

/** One effective setting: its dotted key, value (secrets: 'set' | 'not set'), where it came from and what it means. */
export interface SettingRow {
  key: string;
  value: string | number | boolean | null | string[];
  source: 'default' | 'file' | 'environment';
  secret: boolean;
  description: string;
}
