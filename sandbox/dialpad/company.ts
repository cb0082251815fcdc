// The state of the simulated Dialpad company: offices with their license lines, users, and phone numbers.
// Lists are append-only (deleted users keep their place), so a listing cursor is simply a position.
import { lineTypeOf, type DialpadLicense, type LineType } from './licenses.js';
import { DialpadSandboxError } from './errors.js';
import { NumberPool } from './number-pool.js';
import {
  areaCodeOf,
  callingCodeForCountry,
  callingCodeOf,
  isE164,
  NumberGenerator,
  subscriberLengthOf,
} from './phone-numbering.js';

export type DialpadUserStateValue = 'active' | 'cancelled' | 'deleted' | 'pending' | 'suspended';
export type UserStateFilter = DialpadUserStateValue | 'all';

export const USER_STATE_FILTERS: readonly UserStateFilter[] = ['active', 'all', 'cancelled', 'deleted', 'pending', 'suspended'];

export interface DialpadOfficeRecord {
  id: string;
  name: string;
  /** Lower-case ISO 3166 alpha-2, as Dialpad returns it. */
  country: string;
  timezone: string;
  state: 'active';
  isPrimary: boolean;
  mainLines: string[];
  /** License lines not yet used, per line type. */
  available: Record<LineType, number>;
}

export interface DialpadUserRecord {
  id: string;
  /** Position in the listing order. */
  position: number;
  officeId: string;
  emails: string[];
  firstName: string | null;
  lastName: string | null;
  jobTitle: string | null;
  license: DialpadLicense;
  state: DialpadUserStateValue;
  phoneNumbers: string[];
  forwardingNumbers: string[];
  country: string;
  timezone: string;
  language: string;
  extension: string | null;
  isSuperAdmin: boolean;
  adminOfficeIds: string[];
  internationalDialingEnabled: boolean;
  dateAdded: Date;
}

export interface DialpadNumberRecord {
  number: string;
  areaCode: string;
  officeId: string;
  status: 'available' | 'user' | 'office';
  targetId: string | null;
  targetType: 'user' | 'office' | null;
}

export interface AddOfficeInput {
  name: string;
  country: string;
  isPrimary?: boolean;
  /** E.164 main line; its area code is the office's area code for new numbers. */
  mainLine?: string;
  timezone?: string;
  /** Lines available per type; a type left out has UNCONFIGURED_LINES (in effect unlimited). */
  licenses?: { talk_lines?: number; sell_lines?: number; contact_center_lines?: number };
}

/** Tests that do not care about licenses should never run out of them. */
export const UNCONFIGURED_LINES = 1_000_000;

export interface AddUserInput {
  email: string;
  firstName?: string;
  lastName?: string;
  officeId: string;
  license?: DialpadLicense;
  state?: DialpadUserStateValue;
  phoneNumbers?: string[];
  jobTitle?: string;
  /** All the user's emails, primary first; `email` is put first when missing. */
  emails?: string[];
}

export interface CreateUserCommand {
  email: string;
  officeId: string;
  firstName?: string;
  lastName?: string;
  license: DialpadLicense;
  autoAssign: boolean;
}

export interface UpdateUserCommand {
  firstName?: string;
  lastName?: string;
  jobTitle?: string;
  emails?: string[];
  state?: 'active' | 'suspended';
  license?: DialpadLicense;
  keepPaidNumbers?: boolean;
  officeId?: string;
  adminOfficeIds?: string[];
  isSuperAdmin?: boolean;
  extension?: string;
  forwardingNumbers?: string[];
  internationalDialingEnabled?: boolean;
  phoneNumbers?: string[];
}

export interface AssignNumberCommand {
  number?: string;
  areaCode?: string;
  primary: boolean;
}

export interface UserQuery {
  state: UserStateFilter;
  email?: string;
  number?: string;
  companyAdmin?: boolean;
}

export interface Page<T> {
  items: T[];
  /** Position to continue from, when more remain. */
  next: number | undefined;
}

export interface CompanyInfo {
  id: string;
  name: string;
  domain: string;
  adminEmail: string;
}

const TIMEZONE_BY_COUNTRY: Readonly<Record<string, string>> = {
  us: 'US/Pacific', ca: 'America/Toronto', gb: 'Europe/London', ie: 'Europe/Dublin', fr: 'Europe/Paris',
  de: 'Europe/Berlin', nl: 'Europe/Amsterdam', es: 'Europe/Madrid', au: 'Australia/Sydney', jp: 'Asia/Tokyo',
};

const USER_ID_BASE = 6_200_000_000_000_000_000n;
const OFFICE_ID_BASE = 5_100_000_000_000_000_000n;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** Dialpad leaves internal numbers (+803...) alone on an international move. */
const INTERNAL_PREFIX = '+803';

export class DialpadCompany {
  readonly info: CompanyInfo;
  /** Lines Dialpad billed because an office had none left (creates and reactivations never fail for lack of one). */
  extraLicensesBilled = 0;
  private readonly now: () => Date;
  private readonly offices = new Map<string, DialpadOfficeRecord>();
  private readonly officeOrder: string[] = [];
  private readonly users = new Map<string, DialpadUserRecord>();
  private readonly userOrder: string[] = [];
  /** Every user that ever had the (lower-cased) email; current ownership is checked on the user. */
  private readonly usersByEmail = new Map<string, Set<string>>();
  private readonly numbers = new Map<string, DialpadNumberRecord>();
  private readonly numberOrder: string[] = [];
  private readonly pool = new NumberPool();
  private readonly generator = new NumberGenerator((number) => this.numbers.has(number));
  private userCounter = 0n;
  private officeCounter = 0n;

  /** Added to every user and office id: each company's ids are its own, as in Dialpad, where ids are global. */
  private readonly idOffset: bigint;

  constructor(options: { now: () => Date; info: CompanyInfo; idOffset?: bigint }) {
    this.now = options.now;
    this.info = options.info;
    this.idOffset = options.idOffset ?? 0n;
  }

  // ---- offices and numbers ----

  addOffice(input: AddOfficeInput): string {
    this.officeCounter += 1n;
    const id = (OFFICE_ID_BASE + this.idOffset + this.officeCounter).toString();
    const country = input.country.toLowerCase();
    if (input.mainLine !== undefined && !isE164(input.mainLine)) throw new Error(`main line ${input.mainLine} is not E.164`);
    const isPrimary = input.isPrimary ?? this.offices.size === 0;
    if (isPrimary) for (const office of this.offices.values()) office.isPrimary = false;
    const office: DialpadOfficeRecord = {
      id,
      name: input.name,
      country,
      timezone: input.timezone ?? TIMEZONE_BY_COUNTRY[country] ?? 'UTC',
      state: 'active',
      isPrimary,
      mainLines: input.mainLine === undefined ? [] : [input.mainLine],
      available: {
        talk_lines: input.licenses?.talk_lines ?? UNCONFIGURED_LINES,
        sell_lines: input.licenses?.sell_lines ?? UNCONFIGURED_LINES,
        contact_center_lines: input.licenses?.contact_center_lines ?? UNCONFIGURED_LINES,
      },
    };
    this.offices.set(id, office);
    this.officeOrder.push(id);
    if (input.mainLine !== undefined) this.registerNumber(input.mainLine, id, { status: 'office', targetId: id, targetType: 'office' });
    return id;
  }

  /** Adds numbers to an office's reserved pool. */
  addNumbers(officeId: string, numbers: readonly string[]): void {
    this.requireOffice(officeId);
    for (const number of numbers) {
      if (!isE164(number)) throw new Error(`${number} is not E.164`);
      if (this.numbers.has(number)) throw new Error(`${number} already belongs to the company`);
    }
    for (const number of numbers) this.registerNumber(number, officeId, { status: 'available', targetId: null, targetType: null });
  }

  office(id: string): DialpadOfficeRecord | undefined {
    return this.offices.get(id);
  }

  officeList(): DialpadOfficeRecord[] {
    return this.officeOrder.map((id) => this.offices.get(id) as DialpadOfficeRecord);
  }

  requireOffice(id: string): DialpadOfficeRecord {
    const office = this.offices.get(id);
    if (office === undefined) throw DialpadSandboxError.notFound(`Office ${id} not found`);
    return office;
  }

  number(number: string): DialpadNumberRecord | undefined {
    return this.numbers.get(number);
  }

  listOffices(start: number, limit: number, activeOnly: boolean): Page<DialpadOfficeRecord> {
    return pageOf(this.officeOrder, start, limit, (id) => {
      const office = this.offices.get(id) as DialpadOfficeRecord;
      return !activeOnly || office.state === 'active' ? office : undefined;
    });
  }

  listNumbers(start: number, limit: number, status: string | undefined): Page<DialpadNumberRecord> {
    return pageOf(this.numberOrder, start, limit, (number) => {
      const record = this.numbers.get(number) as DialpadNumberRecord;
      return status === undefined || record.status === status ? record : undefined;
    });
  }

  // ---- users ----

  /** Admin: a user that already exists in Dialpad (made in the portal or by Dialpad's own SCIM). */
  addUser(input: AddUserInput): string {
    const office = this.requireOffice(input.officeId);
    const emails = [...(input.emails ?? [])];
    if (!emails.some((e) => e.toLowerCase() === input.email.toLowerCase())) emails.unshift(input.email);
    this.assertEmailsFree(emails, undefined);
    const license = input.license ?? 'talk';
    const user = this.newUser(office, emails, input.firstName ?? null, input.lastName ?? null, license);
    user.state = input.state ?? 'active';
    user.jobTitle = input.jobTitle ?? null;
    if (consumesLine(user.state)) this.consumeLine(office, license);
    for (const number of input.phoneNumbers ?? []) {
      const existing = this.numbers.get(number);
      if (existing === undefined) this.registerNumber(number, office.id, { status: 'available', targetId: null, targetType: null });
      else if (existing.status !== 'available') throw new Error(`${number} is already assigned`);
      this.giveNumber(user, number, false);
    }
    return user.id;
  }

  user(id: string): DialpadUserRecord | undefined {
    return this.users.get(id);
  }

  userList(): DialpadUserRecord[] {
    return this.userOrder.map((id) => this.users.get(id) as DialpadUserRecord);
  }

  /** A user that is not deleted, else 404 (how Dialpad answers for a deleted id is a guess). */
  liveUser(id: string): DialpadUserRecord {
    const user = this.users.get(id);
    if (user === undefined || user.state === 'deleted') throw DialpadSandboxError.notFound(`User ${id} not found`);
    return user;
  }

  listUsers(query: UserQuery, start: number, limit: number): Page<DialpadUserRecord> {
    const email = query.email?.toLowerCase();
    let candidates: readonly string[] = this.userOrder;
    if (email !== undefined) {
      candidates = [...(this.usersByEmail.get(email) ?? [])].sort(
        (a, b) => (this.users.get(a)?.position ?? 0) - (this.users.get(b)?.position ?? 0),
      );
    } else if (query.number !== undefined) {
      const record = this.numbers.get(query.number);
      candidates = record?.targetType === 'user' && record.targetId !== null ? [record.targetId] : [];
    }
    return pageOf(candidates, start, limit, (id) => {
      const user = this.users.get(id) as DialpadUserRecord;
      const stateMatches = query.state === 'all' ? user.state !== 'deleted' : user.state === query.state;
      if (!stateMatches) return undefined;
      if (email !== undefined && !user.emails.some((e) => e.toLowerCase() === email)) return undefined;
      if (query.companyAdmin !== undefined && user.isSuperAdmin !== query.companyAdmin) return undefined;
      return user;
    });
  }

  createUser(command: CreateUserCommand): DialpadUserRecord {
    if (!EMAIL.test(command.email)) throw DialpadSandboxError.badRequest(`Invalid email: ${command.email}`);
    const office = this.offices.get(command.officeId);
    if (office === undefined) throw DialpadSandboxError.badRequest(`Invalid office_id: office ${command.officeId} not found`);
    this.assertEmailsFree([command.email], undefined);
    const user = this.newUser(office, [command.email], command.firstName ?? null, command.lastName ?? null, command.license);
    this.consumeLine(office, command.license);
    // Contact Center lines include no number. When neither the pool nor the area code can supply one,
    // the user is still created, without a number (a guess: Dialpad does not document this case).
    if (command.autoAssign && command.license !== 'lite_support_agents') {
      const number = this.findNumberFor(user, {});
      if (!(number instanceof DialpadSandboxError)) this.giveNumber(user, number, true);
    }
    return user;
  }

  updateUser(id: string, command: UpdateUserCommand): DialpadUserRecord {
    const user = this.liveUser(id);
    // Validate everything first, so a refused PATCH changes nothing.
    if (command.emails !== undefined) {
      if (command.emails.length === 0) throw DialpadSandboxError.badRequest('emails: at least one email is required');
      const bad = command.emails.find((e) => !EMAIL.test(e));
      if (bad !== undefined) throw DialpadSandboxError.badRequest(`Invalid email: ${bad}`);
      const lowered = command.emails.map((e) => e.toLowerCase());
      if (new Set(lowered).size !== lowered.length) throw DialpadSandboxError.badRequest('emails: duplicate email');
      this.assertEmailsFree(command.emails, user.id);
    }
    const destination = command.officeId === undefined ? undefined : this.offices.get(command.officeId);
    if (command.officeId !== undefined && destination === undefined) {
      throw DialpadSandboxError.badRequest(`Invalid office_id: office ${command.officeId} not found`);
    }
    const moving = destination !== undefined && destination.id !== user.officeId;
    if (moving && this.isInternational(user, destination) && externalNumbers(user).length > 0) {
      throw DialpadSandboxError.badRequest(
        'For international offices, the user must not have phone numbers assigned. Use move_office instead.',
      );
    }
    for (const officeId of command.adminOfficeIds ?? []) {
      if (!this.offices.has(officeId)) throw DialpadSandboxError.badRequest(`Invalid admin_office_ids: office ${officeId} not found`);
    }
    if (command.phoneNumbers !== undefined) {
      const unknown = command.phoneNumbers.find((n) => !user.phoneNumbers.includes(n));
      if (unknown !== undefined) {
        throw DialpadSandboxError.badRequest(
          `phone_numbers can only re-order or remove numbers; ${unknown} is not assigned to the user. To assign a new number, use the assign number API instead.`,
        );
      }
      if (new Set(command.phoneNumbers).size !== command.phoneNumbers.length) {
        throw DialpadSandboxError.badRequest('phone_numbers: duplicate number');
      }
    }
    const badForward = command.forwardingNumbers?.find((n) => !isE164(n));
    if (badForward !== undefined) throw DialpadSandboxError.badRequest(`Invalid forwarding number: ${badForward}`);
    if (command.extension !== undefined && !/^\d{1,10}$/.test(command.extension)) {
      throw DialpadSandboxError.badRequest(`Invalid extension: ${command.extension}`);
    }
    const nextState = command.state ?? user.state;
    const nextLicense = command.license ?? user.license;
    if (moving && consumesLine(nextState)) this.assertLineFree(destination, nextLicense);

    if (command.firstName !== undefined) user.firstName = command.firstName;
    if (command.lastName !== undefined) user.lastName = command.lastName;
    if (command.jobTitle !== undefined) user.jobTitle = command.jobTitle;
    if (command.emails !== undefined) this.setEmails(user, command.emails);
    if (command.isSuperAdmin !== undefined) user.isSuperAdmin = command.isSuperAdmin;
    if (command.adminOfficeIds !== undefined) user.adminOfficeIds = [...command.adminOfficeIds];
    if (command.extension !== undefined) user.extension = command.extension;
    if (command.forwardingNumbers !== undefined) user.forwardingNumbers = [...command.forwardingNumbers];
    if (command.internationalDialingEnabled !== undefined) user.internationalDialingEnabled = command.internationalDialingEnabled;
    if (command.phoneNumbers !== undefined) {
      const kept = new Set(command.phoneNumbers);
      for (const number of user.phoneNumbers) if (!kept.has(number)) this.releaseNumber(number);
      user.phoneNumbers = [...command.phoneNumbers];
    }
    this.changeLine(user, destination ?? this.requireOffice(user.officeId), nextLicense, nextState);
    if (moving) this.relocate(user, destination);
    if (command.license === 'lite_support_agents' && command.keepPaidNumbers === false) {
      for (const number of [...user.phoneNumbers]) this.releaseNumber(number);
      user.phoneNumbers = [];
    }
    return user;
  }

  /**
   * PATCH move_office. Moving to an office in another country unassigns the user's numbers (back to the pool)
   * and assigns a new one in the destination, unless the user only has internal +803 numbers (or none).
   */
  moveOffice(id: string, officeId: string): DialpadUserRecord {
    const user = this.liveUser(id);
    const destination = this.offices.get(officeId);
    if (destination === undefined) throw DialpadSandboxError.badRequest(`Invalid office_id: office ${officeId} not found`);
    if (destination.id === user.officeId) return user;
    if (consumesLine(user.state)) this.assertLineFree(destination, user.license);
    const international = this.isInternational(user, destination);
    this.changeLine(user, destination, user.license, user.state);
    this.relocate(user, destination);
    const external = externalNumbers(user);
    if (international && external.length > 0) {
      for (const number of external) this.releaseNumber(number);
      user.phoneNumbers = user.phoneNumbers.filter((n) => n.startsWith(INTERNAL_PREFIX));
      const number = this.findNumberFor(user, {});
      if (!(number instanceof DialpadSandboxError)) this.giveNumber(user, number, true);
    }
    return user;
  }

  assignNumber(id: string, command: AssignNumberCommand): DialpadNumberRecord {
    const user = this.liveUser(id);
    const number = this.findNumberFor(user, command);
    if (number instanceof DialpadSandboxError) throw number;
    this.giveNumber(user, number, command.primary);
    return this.numbers.get(number) as DialpadNumberRecord;
  }

  unassignNumber(id: string, number: string): DialpadNumberRecord {
    const user = this.liveUser(id);
    if (!user.phoneNumbers.includes(number)) throw DialpadSandboxError.badRequest(`${number} is not assigned to user ${id}`);
    user.phoneNumbers = user.phoneNumbers.filter((n) => n !== number);
    this.releaseNumber(number);
    return this.numbers.get(number) as DialpadNumberRecord;
  }

  deleteUser(id: string): DialpadUserRecord {
    const user = this.liveUser(id);
    if (consumesLine(user.state)) this.freeLine(this.requireOffice(user.officeId), user.license);
    for (const number of user.phoneNumbers) this.releaseNumber(number);
    user.phoneNumbers = [];
    user.state = 'deleted';
    return user;
  }

  // ---- internals ----

  private newUser(
    office: DialpadOfficeRecord,
    emails: string[],
    firstName: string | null,
    lastName: string | null,
    license: DialpadLicense,
  ): DialpadUserRecord {
    this.userCounter += 1n;
    const id = (USER_ID_BASE + this.idOffset + this.userCounter).toString();
    const user: DialpadUserRecord = {
      id,
      position: this.userOrder.length,
      officeId: office.id,
      emails: [],
      firstName,
      lastName,
      jobTitle: null,
      license,
      state: 'active',
      phoneNumbers: [],
      forwardingNumbers: [],
      country: office.country,
      timezone: office.timezone,
      language: 'en',
      extension: null,
      isSuperAdmin: false,
      adminOfficeIds: [],
      internationalDialingEnabled: false,
      dateAdded: this.now(),
    };
    this.users.set(id, user);
    this.userOrder.push(id);
    this.setEmails(user, emails);
    return user;
  }

  private setEmails(user: DialpadUserRecord, emails: readonly string[]): void {
    user.emails = [...emails];
    for (const email of emails) {
      const key = email.toLowerCase();
      let owners = this.usersByEmail.get(key);
      if (owners === undefined) {
        owners = new Set();
        this.usersByEmail.set(key, owners);
      }
      owners.add(user.id);
    }
  }

  private assertEmailsFree(emails: readonly string[], ownerId: string | undefined): void {
    for (const email of emails) {
      const key = email.toLowerCase();
      for (const otherId of this.usersByEmail.get(key) ?? []) {
        if (otherId === ownerId) continue;
        const other = this.users.get(otherId) as DialpadUserRecord;
        if (other.state !== 'deleted' && other.emails.some((e) => e.toLowerCase() === key)) {
          throw DialpadSandboxError.conflict(`A user with email ${email} already exists`);
        }
      }
    }
  }

  private isInternational(user: DialpadUserRecord, destination: DialpadOfficeRecord): boolean {
    return this.requireOffice(user.officeId).country !== destination.country;
  }

  private relocate(user: DialpadUserRecord, destination: DialpadOfficeRecord): void {
    user.officeId = destination.id;
    user.country = destination.country;
    user.timezone = destination.timezone;
  }

  /** Moves the user's license line from (current office, license, state) to the given ones. */
  private changeLine(user: DialpadUserRecord, office: DialpadOfficeRecord, license: DialpadLicense, state: DialpadUserStateValue): void {
    const before = consumesLine(user.state) ? { officeId: user.officeId, line: lineTypeOf(user.license) } : undefined;
    const after = consumesLine(state) ? { officeId: office.id, line: lineTypeOf(license) } : undefined;
    if (before?.officeId !== after?.officeId || before?.line !== after?.line) {
      if (before !== undefined) this.freeLine(this.requireOffice(before.officeId), user.license);
      if (after !== undefined) this.consumeLine(office, license);
    }
    user.license = license;
    user.state = state;
  }

  private consumeLine(office: DialpadOfficeRecord, license: DialpadLicense): void {
    const line = lineTypeOf(license);
    if (office.available[line] > 0) office.available[line] -= 1;
    else this.extraLicensesBilled += 1; // Dialpad bills a prorated extra line rather than refusing.
  }

  private freeLine(office: DialpadOfficeRecord, license: DialpadLicense): void {
    office.available[lineTypeOf(license)] += 1;
  }

  private assertLineFree(office: DialpadOfficeRecord, license: DialpadLicense): void {
    if (office.available[lineTypeOf(license)] <= 0) {
      throw DialpadSandboxError.badRequest(
        `Not enough licenses to transfer the user to office ${office.id}: no ${lineTypeOf(license)} available`,
      );
    }
  }

  /**
   * The number a user would get: a given `number` (must be available); else, with an area code, a reserved one in
   * that area code, then a new one; else the office's reserved pool, then a new one in the office's area code.
   */
  private findNumberFor(user: DialpadUserRecord, request: { number?: string; areaCode?: string }): string | DialpadSandboxError {
    const isAvailable = (n: string): boolean => this.numbers.get(n)?.status === 'available';
    if (request.number !== undefined) {
      const record = this.numbers.get(request.number);
      if (record === undefined) return DialpadSandboxError.badRequest(`${request.number} is not a number of this company`);
      if (record.status !== 'available') return DialpadSandboxError.conflict(`${request.number} is already assigned`);
      return record.number;
    }
    const office = this.requireOffice(user.officeId);
    const mainLine = office.mainLines[0];
    if (request.areaCode !== undefined) {
      if (!/^\d{1,5}$/.test(request.areaCode)) return DialpadSandboxError.badRequest(`Invalid area_code: ${request.areaCode}`);
      const reserved = this.pool.take(areaKey(office.id, request.areaCode), isAvailable);
      if (reserved !== undefined) return reserved;
      const callingCode = mainLine === undefined ? callingCodeForCountry(office.country) : callingCodeOf(mainLine);
      const fresh =
        callingCode === undefined
          ? undefined
          : this.generator.next(callingCode, request.areaCode, mainLine === undefined ? 7 : subscriberLengthOf(mainLine));
      return fresh ?? DialpadSandboxError.badRequest(`No numbers available in area code ${request.areaCode}`);
    }
    const reserved = this.pool.take(officeKey(office.id), isAvailable);
    if (reserved !== undefined) return reserved;
    const fresh =
      mainLine === undefined
        ? undefined
        : this.generator.next(callingCodeOf(mainLine), areaCodeOf(mainLine), subscriberLengthOf(mainLine));
    return fresh ?? DialpadSandboxError.badRequest(`No numbers available for office ${office.id}`);
  }

  private giveNumber(user: DialpadUserRecord, number: string, primary: boolean): void {
    let record = this.numbers.get(number);
    if (record === undefined) {
      record = this.registerNumber(number, user.officeId, { status: 'available', targetId: null, targetType: null }, false);
    }
    record.status = 'user';
    record.targetId = user.id;
    record.targetType = 'user';
    user.phoneNumbers = primary ? [number, ...user.phoneNumbers] : [...user.phoneNumbers, number];
  }

  /** Back to the reserved pool of the office it belongs to. */
  private releaseNumber(number: string): void {
    const record = this.numbers.get(number);
    if (record === undefined) return;
    record.status = 'available';
    record.targetId = null;
    record.targetType = null;
    this.pool.add(officeKey(record.officeId), number);
    this.pool.add(areaKey(record.officeId, record.areaCode), number);
  }

  private registerNumber(
    number: string,
    officeId: string,
    target: Pick<DialpadNumberRecord, 'status' | 'targetId' | 'targetType'>,
    pooled = true,
  ): DialpadNumberRecord {
    const record: DialpadNumberRecord = { number, areaCode: areaCodeOf(number), officeId, ...target };
    this.numbers.set(number, record);
    this.numberOrder.push(number);
    if (pooled && record.status === 'available') {
      this.pool.add(officeKey(officeId), number);
      this.pool.add(areaKey(officeId, record.areaCode), number);
    }
    return record;
  }
}

function consumesLine(state: DialpadUserStateValue): boolean {
  return state === 'active' || state === 'pending';
}

function externalNumbers(user: DialpadUserRecord): string[] {
  return user.phoneNumbers.filter((n) => !n.startsWith(INTERNAL_PREFIX));
}

function officeKey(officeId: string): string {
  return `o:${officeId}`;
}

function areaKey(officeId: string, areaCode: string): string {
  return `a:${officeId}:${areaCode}`;
}

/** Up to `limit` items from `start`, with the position to continue from when another match remains. */
function pageOf<K, T>(keys: readonly K[], start: number, limit: number, select: (key: K) => T | undefined): Page<T> {
  const items: T[] = [];
  let index = start;
  for (; index < keys.length && items.length < limit; index += 1) {
    const item = select(keys[index] as K);
    if (item !== undefined) items.push(item);
  }
  for (let ahead = index; ahead < keys.length; ahead += 1) {
    if (select(keys[ahead] as K) !== undefined) return { items, next: index };
  }
  return { items, next: undefined };
}
