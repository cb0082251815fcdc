// The licenses a Dialpad user can hold and the plan line each one consumes, written from the API spec
// (UserProto.license, CreateUserMessage.license in the Dialpad OpenAPI document) — on purpose not imported from the
// product's client, so a wrong list there is caught by the simulation instead of confirmed by it.

/** Every value of UserProto.license in the Dialpad API spec. */
export const SANDBOX_DIALPAD_LICENSES = [
  'admins',
  'agents',
  'dpde_all',
  'dpde_one',
  'lite_lines',
  'lite_support_agents',
  'magenta_lines',
  'talk',
  'user',
] as const;

/** One license name, as the API spells it. */
export type DialpadLicense = (typeof SANDBOX_DIALPAD_LICENSES)[number];

/** The plan lines an office has (AvailableLicensesProto in the spec). */
export type LineType = 'talk_lines' | 'sell_lines' | 'contact_center_lines';

/** Which plan line a license consumes (AvailableLicensesProto in the spec; the mapping itself is a guess). */
export function lineTypeOf(license: DialpadLicense): LineType {
  switch (license) {
    case 'agents':
      return 'sell_lines';
    case 'lite_support_agents':
      return 'contact_center_lines';
    default:
      return 'talk_lines';
  }
}
