import { type Html, html } from '../html.js';
import { type ConsoleViewer, consolePage, csrfInput, errorList } from './console-layout.js';
import { STUDIO_PATHS } from './console-studio-paths.js';

export interface ProfileDomain {
  domainId: string;
  name: string;
  authMode: 'SSO' | 'IAM';
  applicationName?: string;
}

export interface UserChoice {
  userName: string;
  displayName?: string;
  /** The user already has a profile in the domain (a user has at most one). */
  profileName?: string;
}

export interface AddProfileForm {
  search: string;
  userName: string;
  profileName: string;
}

const breadcrumb = (domain: ProfileDomain, last: string): Html =>
  html`<p class="breadcrumb"><a href="${STUDIO_PATHS.controlPanel}">Control Panel</a> › <a href="${STUDIO_PATHS.domain(domain.domainId)}">${domain.name}</a> › ${last}</p>`;

const PROFILE_NAME_HINT =
  'Letters, digits and hyphens, up to 63 characters, starting and ending with a letter or digit.';

const userChoices = (users: UserChoice[], selected: string, more: boolean, search: string): Html =>
  users.length === 0
    ? html`<p class="muted">${search === '' ? 'The identity store has no users yet: add them under Users first.' : `No user name starts with “${search}”.`}</p>`
    : html`<ul class="checks">
${users.map(
  (user) =>
    html`<li><label><input type="radio" name="userName" value="${user.userName}"${user.userName.toLowerCase() === selected.toLowerCase() ? html` checked` : ''}${user.profileName !== undefined ? html` disabled` : ''}> ${user.userName}${user.displayName !== undefined && html` <span class="muted">${user.displayName}</span>`}${user.profileName !== undefined && html` <span class="muted">(has the profile ${user.profileName})</span>`}</label></li>`,
)}
</ul>
${more && html`<p class="hint">Only the first ${users.length} users are shown: type more of the user name to narrow the search.</p>`}`;

export const addProfilePage = (options: {
  viewer: ConsoleViewer;
  domain: ProfileDomain;
  form: AddProfileForm;
  users: UserChoice[];
  moreUsers: boolean;
  errors?: string[];
}): Html => {
  const { domain, form } = options;
  const action = STUDIO_PATHS.addProfile(domain.domainId);
  const sso = domain.authMode === 'SSO';
  return consolePage({
    viewer: options.viewer,
    title: 'Add user profile',
    section: 'studio',
    body: html`<div class="panel">
${breadcrumb(domain, 'Add user profile')}
<h1>Add user profile</h1>
${errorList(options.errors)}
${
  sso
    ? html`<div class="alert info"><p>Pick an IAM Identity Center user. If the user may not open ${domain.applicationName ?? 'the domain’s Studio application'} yet (neither they nor a group they are a direct member of is assigned), adding the profile assigns them to it. Both happen together, or neither does.</p></div>
<div class="toolbar"><form method="get" action="${action}" role="search">
<div class="field"><label for="search">Find users by user name</label>
<input type="search" id="search" name="search" value="${form.search}"></div>
<button type="submit" class="button secondary small">Search</button>
</form></div>`
    : ''
}
<form method="post" action="${action}" novalidate>
${csrfInput(options.viewer.csrfToken)}
${
  sso &&
  html`<input type="hidden" name="search" value="${form.search}">
<fieldset><legend>IAM Identity Center user</legend>
${userChoices(options.users, form.userName, options.moreUsers, form.search)}
</fieldset>`
}
<div class="field"><label for="profileName">User profile name${sso ? ' (optional)' : ''}</label>
<input type="text" id="profileName" name="profileName" value="${form.profileName}" maxlength="63" aria-describedby="profileName-hint">
<p class="hint" id="profileName-hint">${PROFILE_NAME_HINT}${sso ? ' Leave it empty to use the user name, with each character other than a letter or digit turned into a hyphen (alice.smith@example.com becomes alice-smith-example-com).' : ''}</p></div>
<div class="actions"><button type="submit" class="button">Add user profile</button>
<a class="button secondary" href="${STUDIO_PATHS.domain(domain.domainId)}">Cancel</a></div>
</form>
</div>`,
  });
};

export const deleteProfilePage = (options: {
  viewer: ConsoleViewer;
  domain: ProfileDomain;
  profile: { name: string; ssoUserName?: string };
  errors?: string[];
}): Html => {
  const { domain, profile } = options;
  const owner = profile.ssoUserName;
  return consolePage({
    viewer: options.viewer,
    title: `Delete user profile ${profile.name}`,
    section: 'studio',
    body: html`<div class="panel">
${breadcrumb(domain, `Delete user profile ${profile.name}`)}
<h1>Delete user profile ${profile.name}?</h1>
${errorList(options.errors)}
<div class="alert warn">
<p>The user profile ${profile.name} of domain ${domain.name} (${domain.domainId}) is deleted for good: it shows as Deleting for a moment, then it is gone. A profile whose Studio apps are still running cannot be deleted; delete the apps first.</p>
${
  owner !== undefined &&
  html`<p>${owner} stays an IAM Identity Center user, and stays assigned to ${domain.applicationName ?? 'the Studio application'}; but without a profile Studio turns them away until they get a new one.</p>`
}
</div>
<form method="post" action="${STUDIO_PATHS.deleteProfile(domain.domainId, profile.name)}">
${csrfInput(options.viewer.csrfToken)}
<div class="actions"><button type="submit" class="danger">Delete user profile</button>
<a class="button secondary" href="${STUDIO_PATHS.domain(domain.domainId)}">Cancel</a></div>
</form>
</div>`,
  });
};
