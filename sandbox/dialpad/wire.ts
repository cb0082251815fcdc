// The JSON Dialpad sends: UserProto, OfficeProto, NumberProto, CompanyProto, AvailableLicensesProto (2025 spec).
// Ids are int64 and leave here as bigint, so stringifyJson writes them as bare numbers, as Dialpad does.
// Like Dialpad's protorpc-style responses, unset (null) fields and empty lists are left out.
import type { CompanyInfo, DialpadNumberRecord, DialpadOfficeRecord, DialpadUserRecord } from './company.js';

type Json = Record<string, unknown>;

export function userProto(companyId: string, user: DialpadUserRecord): Json {
  const displayName = [user.firstName, user.lastName].filter((part) => part !== null && part !== '').join(' ');
  return withoutEmpty({
    id: BigInt(user.id),
    company_id: BigInt(companyId),
    office_id: BigInt(user.officeId),
    emails: user.emails,
    first_name: user.firstName,
    last_name: user.lastName,
    display_name: displayName === '' ? null : displayName,
    job_title: user.jobTitle,
    country: user.country,
    language: user.language,
    timezone: user.timezone,
    extension: user.extension,
    phone_numbers: user.phoneNumbers,
    forwarding_numbers: user.forwardingNumbers,
    license: user.license,
    state: user.state,
    admin_office_ids: user.adminOfficeIds.map((id) => BigInt(id)),
    is_admin: user.isSuperAdmin || user.adminOfficeIds.length > 0,
    is_super_admin: user.isSuperAdmin,
    international_dialing_enabled: user.internationalDialingEnabled,
    do_not_disturb: false,
    is_available: user.state === 'active',
    is_online: false,
    is_on_duty: false,
    muted: false,
    date_added: user.dateAdded.toISOString(),
  });
}

export function officeProto(office: DialpadOfficeRecord): Json {
  return withoutEmpty({
    id: BigInt(office.id),
    office_id: BigInt(office.id),
    name: office.name,
    country: office.country,
    state: office.state,
    timezone: office.timezone,
    phone_numbers: office.mainLines,
    is_primary_office: office.isPrimary,
    availability_status: 'open',
    first_action: 'operators',
    no_operators_action: 'voicemail',
    ring_seconds: 30,
  });
}

export function numberProto(companyId: string, record: DialpadNumberRecord): Json {
  return withoutEmpty({
    number: record.number,
    area_code: record.areaCode,
    company_id: BigInt(companyId),
    office_id: BigInt(record.officeId),
    status: record.status,
    target_id: record.targetId === null ? null : BigInt(record.targetId),
    target_type: record.targetType,
    type: 'local',
    deleted: false,
  });
}

export function companyProto(info: CompanyInfo, country: string | null, officeCount: number): Json {
  return withoutEmpty({
    id: BigInt(info.id),
    name: info.name,
    domain: info.domain,
    admin_email: info.adminEmail,
    country,
    account_type: 'enterprise',
    office_count: officeCount,
    state: 'active',
  });
}

export function availableLicensesProto(office: DialpadOfficeRecord): Json {
  return {
    talk_lines: office.available.talk_lines,
    sell_lines: office.available.sell_lines,
    contact_center_lines: office.available.contact_center_lines,
    room_lines: 0,
    fax_lines: 0,
    additional_number_lines: 0,
    tollfree_additional_number_lines: 0,
    tollfree_room_lines: 0,
    uberconference_lines: 0,
    tollfree_uberconference_lines: 0,
  };
}

function withoutEmpty(fields: Json): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(fields)) {
    if (value === null || value === undefined) continue;
    if (Array.isArray(value) && value.length === 0) continue;
    out[key] = value;
  }
  return out;
}
