import type {
  CreateGroupRequest,
  CreateUserRequest,
  Address as WireAddress,
  Email as WireEmail,
  Name as WireName,
  PhoneNumber as WirePhoneNumber,
  Photo as WirePhoto,
  Role as WireRole,
} from '../../aws/models/identitystore.types.js';
import { loadServiceModel } from '../../aws/models/load-model.js';
import {
  compileInputValidator,
  formatValidationMessage,
  type InputValidator,
} from '../../aws/validation/compile-validator.js';
import { invalidAttribute } from './identity-store.errors.js';
import type {
  Address,
  Email,
  GroupProfile,
  PersonName,
  PhoneNumber,
  Photo,
  Role,
  UserProfile,
} from './identity-store.types.js';

/**
 * A user's or group's attributes in the AWS wire shape (PascalCase, as CreateUser takes them).
 * The identitystore model is the one source of every attribute constraint (types, lengths,
 * patterns, list sizes), so UpdateUser/UpdateGroup results are checked by mapping them into this
 * shape and running CreateUser's/CreateGroup's model validator on it: an update can never store
 * what a create would refuse.
 */
export type WireUserProfile = Omit<CreateUserRequest, 'IdentityStoreId'>;
export type WireGroupProfile = Omit<CreateGroupRequest, 'IdentityStoreId'>;

/** Removes members that are undefined, so domain objects compare and serialize cleanly. */
const compact = <T extends object>(value: T): T => {
  for (const key of Object.keys(value) as (keyof T)[]) if (value[key] === undefined) delete value[key];
  return value;
};

const mapList = <A, B>(items: A[] | undefined, map: (item: A) => B): B[] | undefined => items?.map(map);

const nameToWire = (n: PersonName): WireName => ({
  Formatted: n.formatted,
  FamilyName: n.familyName,
  GivenName: n.givenName,
  MiddleName: n.middleName,
  HonorificPrefix: n.honorificPrefix,
  HonorificSuffix: n.honorificSuffix,
});

const nameFromWire = (n: WireName): PersonName =>
  compact({
    formatted: n.Formatted,
    familyName: n.FamilyName,
    givenName: n.GivenName,
    middleName: n.MiddleName,
    honorificPrefix: n.HonorificPrefix,
    honorificSuffix: n.HonorificSuffix,
  });

const emailToWire = (e: Email): WireEmail => ({ Value: e.value, Type: e.type, Primary: e.primary });
const emailFromWire = (e: WireEmail): Email => compact({ value: e.Value, type: e.Type, primary: e.Primary });

const addressToWire = (a: Address): WireAddress => ({
  StreetAddress: a.streetAddress,
  Locality: a.locality,
  Region: a.region,
  PostalCode: a.postalCode,
  Country: a.country,
  Formatted: a.formatted,
  Type: a.type,
  Primary: a.primary,
});
const addressFromWire = (a: WireAddress): Address =>
  compact({
    streetAddress: a.StreetAddress,
    locality: a.Locality,
    region: a.Region,
    postalCode: a.PostalCode,
    country: a.Country,
    formatted: a.Formatted,
    type: a.Type,
    primary: a.Primary,
  });

const phoneToWire = (p: PhoneNumber): WirePhoneNumber => ({
  Value: p.value,
  Type: p.type,
  Primary: p.primary,
});
const phoneFromWire = (p: WirePhoneNumber): PhoneNumber =>
  compact({ value: p.Value, type: p.Type, primary: p.Primary });

const photoToWire = (p: Photo): WirePhoto => ({
  Value: p.value,
  Type: p.type,
  Display: p.display,
  Primary: p.primary,
});
const photoFromWire = (p: WirePhoto): Photo =>
  compact({ value: p.Value, type: p.Type, display: p.Display, primary: p.Primary });

const roleToWire = (r: Role): WireRole => ({ Value: r.value, Type: r.type, Primary: r.primary });
const roleFromWire = (r: WireRole): Role => compact({ value: r.Value, type: r.Type, primary: r.Primary });

export const userProfileToWire = (p: Partial<UserProfile>): WireUserProfile => ({
  UserName: p.userName,
  DisplayName: p.displayName,
  Name: p.name === undefined ? undefined : nameToWire(p.name),
  NickName: p.nickName,
  ProfileUrl: p.profileUrl,
  Emails: mapList(p.emails, emailToWire),
  Addresses: mapList(p.addresses, addressToWire),
  PhoneNumbers: mapList(p.phoneNumbers, phoneToWire),
  Photos: mapList(p.photos, photoToWire),
  Roles: mapList(p.roles, roleToWire),
  UserType: p.userType,
  Title: p.title,
  PreferredLanguage: p.preferredLanguage,
  Locale: p.locale,
  Timezone: p.timezone,
  Website: p.website,
  Birthdate: p.birthdate,
  Extensions: p.extensions,
});

/** A draft profile: required attributes are the service's to check. */
export const userProfileFromWire = (w: WireUserProfile): Partial<UserProfile> =>
  compact({
    userName: w.UserName,
    displayName: w.DisplayName,
    name: w.Name === undefined ? undefined : nameFromWire(w.Name),
    nickName: w.NickName,
    profileUrl: w.ProfileUrl,
    emails: mapList(w.Emails, emailFromWire),
    addresses: mapList(w.Addresses, addressFromWire),
    phoneNumbers: mapList(w.PhoneNumbers, phoneFromWire),
    photos: mapList(w.Photos, photoFromWire),
    roles: mapList(w.Roles, roleFromWire),
    userType: w.UserType,
    title: w.Title,
    preferredLanguage: w.PreferredLanguage,
    locale: w.Locale,
    timezone: w.Timezone,
    website: w.Website,
    birthdate: w.Birthdate,
    extensions: w.Extensions,
  });

export const groupProfileToWire = (p: Partial<GroupProfile>): WireGroupProfile => ({
  DisplayName: p.displayName,
  Description: p.description,
});

export const groupProfileFromWire = (w: WireGroupProfile): Partial<GroupProfile> =>
  compact({ displayName: w.DisplayName, description: w.Description });

// The model and its validators load on first use, once per process.
let validators: { user: InputValidator; group: InputValidator } | undefined;
const modelValidators = () => {
  const model = loadServiceModel('identitystore');
  validators ??= {
    user: compileInputValidator(model, 'CreateUser'),
    group: compileInputValidator(model, 'CreateGroup'),
  };
  return validators;
};

const check = (validate: InputValidator, input: Record<string, unknown>): void => {
  const result = validate(input);
  if (result.ok) return;
  throw invalidAttribute(
    result.kind === 'serialization' ? result.message : formatValidationMessage(result.issues),
  );
};

/**
 * Checks a wire-shaped user profile against the model's CreateUser constraints; ValidationError in
 * AWS's wording (`1 validation error detected: Value '' at 'name.givenName' …`) otherwise.
 */
export const checkUserConstraints = (
  identityStoreId: string,
  profile: WireUserProfile | Record<string, unknown>,
): void => check(modelValidators().user, { ...profile, IdentityStoreId: identityStoreId });

export const checkGroupConstraints = (
  identityStoreId: string,
  profile: WireGroupProfile | Record<string, unknown>,
): void => check(modelValidators().group, { ...profile, IdentityStoreId: identityStoreId });
