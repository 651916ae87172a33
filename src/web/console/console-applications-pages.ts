import { type Html, html } from '../html.js';
import {
  actionButton,
  type ConsoleViewer,
  consolePage,
  csrfInput,
  errorList,
  noticeBox,
  pager,
  utcTime,
} from './console-layout.js';
import { CONSOLE_PATHS, type ConsoleSection } from './console-paths.js';

const base = CONSOLE_PATHS.applications;
const app = (applicationId: string): string => `${base}/${encodeURIComponent(applicationId)}`;

/** Where the Applications pages live; the Studio pages link to an application's pages too. */
export const APPLICATION_PATHS = {
  list: base,
  add: `${base}/add`,
  detail: app,
  assign: (applicationId: string): string => `${app(applicationId)}/assign`,
  assignmentRequired: (applicationId: string): string => `${app(applicationId)}/assignment-required`,
  removeAssignment: (applicationId: string): string => `${app(applicationId)}/assignments/remove`,
  status: (applicationId: string): string => `${app(applicationId)}/status`,
  delete: (applicationId: string): string => `${app(applicationId)}/delete`,
} as const;

/** The application's SageMaker domain, when it is a Studio application. */
export interface ManagingDomain {
  domainId: string;
  name: string;
  href: string;
}

export interface ApplicationRow {
  applicationId: string;
  name: string;
  type: string;
  managed: boolean;
  domain?: ManagingDomain;
  enabled: boolean;
  assignmentRequired: boolean;
}

const statusBadge = (enabled: boolean): Html =>
  enabled ? html`<span class="badge ok">Enabled</span>` : html`<span class="badge none">Disabled</span>`;

const requiredText = (required: boolean): string => (required ? 'Required' : 'Not required');

/** A page whose subject does not exist (any more): what happened and the way back. */
export const missingPage = (options: {
  viewer: ConsoleViewer;
  section: ConsoleSection;
  title: string;
  problem: string;
  back: { href: string; label: string };
}): Html =>
  consolePage({
    viewer: options.viewer,
    title: options.title,
    section: options.section,
    body: html`<div class="panel"><h1>${options.title}</h1>
${errorList([options.problem])}
<p><a class="button secondary" href="${options.back.href}">${options.back.label}</a></p>
</div>`,
  });

const managedNote = (domain: ManagingDomain | undefined): Html =>
  html`AWS managed: Amazon SageMaker created it for ${
    domain === undefined
      ? 'a domain that uses IAM Identity Center'
      : html`the domain <a href="${domain.href}">${domain.name} (${domain.domainId})</a>`
  }`;

export const applicationsPage = (options: {
  viewer: ConsoleViewer;
  rows: ApplicationRow[];
  nextToken?: string;
  notice?: string;
  problem?: string;
}): Html =>
  consolePage({
    viewer: options.viewer,
    title: 'Applications',
    section: 'applications',
    body: html`<div class="panel"><h1>Applications</h1>
${noticeBox(options.notice)}
${errorList(options.problem === undefined ? undefined : [options.problem])}
<div class="toolbar">
<p class="muted">Users open these applications from the access portal. Each SageMaker domain that uses IAM Identity Center brings its own Amazon SageMaker Studio application; you add custom applications here.</p>
${options.problem === undefined && html`<a class="button" href="${APPLICATION_PATHS.add}">Add application</a>`}
</div>
${
  options.rows.length === 0
    ? options.problem === undefined &&
      html`<p class="empty"><strong>No applications yet.</strong> <a href="${CONSOLE_PATHS.studio}">Create a SageMaker domain</a> with IAM Identity Center authentication (it brings its Studio application), or add a custom application.</p>`
    : html`<table class="list">
<thead><tr><th>Application</th><th>Type</th><th>Status</th><th>Assignment</th></tr></thead>
<tbody>
${options.rows.map(
  (row) => html`<tr>
<td><a href="${APPLICATION_PATHS.detail(row.applicationId)}">${row.name}</a></td>
<td>${row.type}${row.managed && html`<br><span class="muted">${managedNote(row.domain)}</span>`}</td>
<td>${statusBadge(row.enabled)}</td>
<td>${requiredText(row.assignmentRequired)}</td>
</tr>`,
)}
</tbody>
</table>`
}
${pager(APPLICATION_PATHS.list, {}, options.nextToken)}
</div>`,
  });

export interface AddApplicationForm {
  providerArn: string;
  name: string;
  description: string;
  applicationUrl: string;
  showInPortal: boolean;
}

export const addApplicationPage = (options: {
  viewer: ConsoleViewer;
  providers: { arn: string; displayName: string; description: string }[];
  form: AddApplicationForm;
  errors?: string[];
}): Html => {
  const { form } = options;
  return consolePage({
    viewer: options.viewer,
    title: 'Add application',
    section: 'applications',
    body: html`<div class="panel">
<p class="breadcrumb"><a href="${APPLICATION_PATHS.list}">Applications</a> › Add application</p>
<h1>Add application</h1>
${errorList(options.errors)}
<form method="post" action="${APPLICATION_PATHS.add}" novalidate>
${csrfInput(options.viewer.csrfToken)}
<fieldset><legend>Application type</legend>
${options.providers.map(
  (provider) =>
    html`<label><input type="radio" name="providerArn" value="${provider.arn}"${provider.arn === form.providerArn ? html` checked` : ''}> ${provider.displayName}</label>
<p class="hint">${provider.description}</p>`,
)}
<p class="hint">Amazon SageMaker Studio applications are not added here: each domain that uses IAM Identity Center registers its own (SageMaker Studio → Control Panel → Create domain).</p>
</fieldset>
<div class="field"><label for="name">Name</label>
<input type="text" id="name" name="name" value="${form.name}" maxlength="100" required>
<p class="hint">What users see on the tile in the access portal, up to 100 characters.</p></div>
<div class="field"><label for="description">Description (optional)</label>
<input type="text" id="description" name="description" value="${form.description}" maxlength="128"></div>
<div class="field"><label for="applicationUrl">Application URL (optional)</label>
<input type="text" id="applicationUrl" name="applicationUrl" value="${form.applicationUrl}" maxlength="512" placeholder="https://notebooks.example.com/">
<p class="hint">Where the access portal sends users who open the application. Leave it empty when sign-in starts at IAM Identity Center.</p></div>
<ul class="checks"><li><label><input type="checkbox" name="showInPortal" value="yes"${form.showInPortal ? html` checked` : ''}> Show the application in the access portal</label></li></ul>
<div class="actions"><button type="submit" class="button">Add application</button>
<a class="button secondary" href="${APPLICATION_PATHS.list}">Cancel</a></div>
</form>
</div>`,
  });
};

export interface ApplicationDetails {
  applicationId: string;
  applicationArn: string;
  name: string;
  description?: string;
  type: string;
  managed: boolean;
  domain?: ManagingDomain;
  enabled: boolean;
  assignmentRequired: boolean;
  applicationUrl?: string;
  shownInPortal: boolean;
  createdAt: Date;
}

export interface AssignmentRow {
  type: 'USER' | 'GROUP';
  principalId: string;
  /** The user name, or the group's display name; undefined when the principal is gone. */
  name?: string;
  /** The user's display name. */
  detail?: string;
}

const assignmentRequiredPanel = (
  viewer: ConsoleViewer,
  application: ApplicationDetails,
): Html => html`<div class="panel">
<h2 id="assignment-required">Assignment required</h2>
<p>${
  application.assignmentRequired
    ? html`<strong>On.</strong> Only the users and groups assigned to it can open ${application.name}; for a group, only its direct members (not the members of groups nested inside it).`
    : html`<strong>Off.</strong> Every user of the identity store can open ${application.name}, assigned or not.`
}</p>
<form method="post" action="${APPLICATION_PATHS.assignmentRequired(application.applicationId)}">
${csrfInput(viewer.csrfToken)}
<fieldset><legend>Who can open it</legend>
<label><input type="radio" name="assignmentRequired" value="yes"${application.assignmentRequired ? html` checked` : ''}> Require assignment: only assigned users and groups</label>
<label><input type="radio" name="assignmentRequired" value="no"${application.assignmentRequired ? '' : html` checked`}> Do not require assignment: when off, every user of the identity store can open it</label>
</fieldset>
<button type="submit" class="button secondary small">Save assignment setting</button>
</form>
</div>`;

const assignmentsPanel = (options: {
  viewer: ConsoleViewer;
  application: ApplicationDetails;
  assignments: AssignmentRow[];
  nextToken?: string;
}): Html => {
  const { application } = options;
  return html`<div class="panel">
<h2 id="assigned">Assigned users and groups</h2>
<div class="toolbar"><p class="muted">Who can open ${application.name} while assignment is required. For a group, that is its direct members.</p>
<a class="button" href="${APPLICATION_PATHS.assign(application.applicationId)}">Assign users and groups</a></div>
${
  options.assignments.length === 0
    ? html`<p class="empty">Nobody is assigned to ${application.name} yet.</p>`
    : html`<table class="list">
<thead><tr><th>Type</th><th>Name</th><th>ID</th><th><span class="muted">Action</span></th></tr></thead>
<tbody>
${options.assignments.map(
  (row) => html`<tr>
<td>${row.type === 'USER' ? 'User' : 'Group'}</td>
<td>${row.name ?? html`<span class="muted">(deleted)</span>`}${row.detail !== undefined && row.detail !== '' && html` <span class="muted">${row.detail}</span>`}</td>
<td><code>${row.principalId}</code></td>
<td>${actionButton({
    action: APPLICATION_PATHS.removeAssignment(application.applicationId),
    label: `Remove ${row.name ?? row.principalId}`,
    csrfToken: options.viewer.csrfToken,
    style: 'secondary',
    fields: { principalType: row.type, principalId: row.principalId },
  })}</td>
</tr>`,
)}
</tbody>
</table>`
}
${pager(APPLICATION_PATHS.detail(application.applicationId), {}, options.nextToken, { label: 'Next page of assignments' })}
</div>`;
};

const customApplicationPanel = (
  viewer: ConsoleViewer,
  application: ApplicationDetails,
): Html => html`<div class="panel">
<h2>Manage</h2>
<div class="inline-actions">
${actionButton({
  action: APPLICATION_PATHS.status(application.applicationId),
  label: application.enabled ? 'Disable application' : 'Enable application',
  csrfToken: viewer.csrfToken,
  style: 'secondary',
  fields: { status: application.enabled ? 'DISABLED' : 'ENABLED' },
})}
<a class="button secondary small" href="${APPLICATION_PATHS.delete(application.applicationId)}">Delete application</a>
</div>
<p class="hint">A disabled application stays with its assignments, but nobody can open it until it is enabled again.</p>
</div>`;

export const applicationPage = (options: {
  viewer: ConsoleViewer;
  application: ApplicationDetails;
  assignments: AssignmentRow[];
  nextToken?: string;
  notice?: string;
  problem?: string;
}): Html => {
  const { application, viewer } = options;
  return consolePage({
    viewer,
    title: application.name,
    section: 'applications',
    body: html`<div class="panel">
<p class="breadcrumb"><a href="${APPLICATION_PATHS.list}">Applications</a> › ${application.name}</p>
<h1>${application.name} ${statusBadge(application.enabled)}</h1>
${noticeBox(options.notice)}
${errorList(options.problem === undefined ? undefined : [options.problem])}
${
  application.managed &&
  html`<div class="alert info"><p>${managedNote(application.domain)}. It comes and goes with its domain, so it cannot be renamed or deleted here; you assign users and groups to it, and choose whether assignment is required.</p></div>`
}
<dl class="details">
<dt>Type</dt><dd>${application.type}</dd>
${application.description !== undefined && html`<dt>Description</dt><dd>${application.description}</dd>`}
<dt>Application ARN</dt><dd><code>${application.applicationArn}</code></dd>
${application.applicationUrl !== undefined && html`<dt>Application URL</dt><dd><code>${application.applicationUrl}</code></dd>`}
<dt>In the access portal</dt><dd>${application.shownInPortal ? 'Shown' : 'Hidden'}</dd>
<dt>Assignment</dt><dd>${requiredText(application.assignmentRequired)} (<a href="#assignment-required">change</a>)</dd>
<dt>Created</dt><dd>${utcTime(application.createdAt)}</dd>
</dl>
</div>
${assignmentsPanel(options)}
${assignmentRequiredPanel(viewer, application)}
${!application.managed && customApplicationPanel(viewer, application)}`,
  });
};

export interface PrincipalChoice {
  id: string;
  name: string;
  detail?: string;
  /** Assigned to the application already: shown, not offered. */
  assigned?: boolean;
}

export interface AssignSearch {
  users: string;
  groups: string;
}

const choiceList = (
  kind: 'userId' | 'groupId',
  choices: PrincipalChoice[],
  selected: ReadonlySet<string>,
  more: boolean,
  empty: string,
): Html =>
  choices.length === 0
    ? html`<p class="muted">${empty}</p>`
    : html`<ul class="checks">
${choices.map(
  (choice) =>
    html`<li><label><input type="checkbox" name="${kind}" value="${choice.id}"${choice.assigned === true ? html` disabled` : selected.has(choice.id) ? html` checked` : ''}> ${choice.name}${choice.assigned === true && html` <span class="badge ok">Already assigned</span>`}${choice.detail !== undefined && choice.detail !== '' && html` <span class="muted">${choice.detail}</span>`}</label></li>`,
)}
</ul>
${more && html`<p class="hint">Only the first ${choices.length} are shown: type more of the name to narrow the search.</p>`}`;

export const assignPage = (options: {
  viewer: ConsoleViewer;
  application: { applicationId: string; name: string };
  search: AssignSearch;
  users: PrincipalChoice[];
  moreUsers: boolean;
  groups: PrincipalChoice[];
  moreGroups: boolean;
  selected: ReadonlySet<string>;
  errors?: string[];
}): Html => {
  const { application, search } = options;
  const action = APPLICATION_PATHS.assign(application.applicationId);
  return consolePage({
    viewer: options.viewer,
    title: `Assign users and groups to ${application.name}`,
    section: 'applications',
    body: html`<div class="panel">
<p class="breadcrumb"><a href="${APPLICATION_PATHS.list}">Applications</a> › <a href="${APPLICATION_PATHS.detail(application.applicationId)}">${application.name}</a> › Assign users and groups</p>
<h1>Assign users and groups</h1>
<p>Choose who can open <strong>${application.name}</strong>. Assigning groups is easier to keep up to date than assigning users one by one. Only <em>direct</em> members of an assigned group get access: users of a group nested inside it do not.</p>
${errorList(options.errors)}
<div class="toolbar">
<form method="get" action="${action}" role="search">
<div class="field"><label for="users">Find users by user name</label>
<input type="search" id="users" name="users" value="${search.users}"></div>
<div class="field"><label for="groups">Find groups by name</label>
<input type="search" id="groups" name="groups" value="${search.groups}"></div>
<button type="submit" class="button secondary small">Search</button>
</form>
</div>
<form method="post" action="${action}">
${csrfInput(options.viewer.csrfToken)}
<input type="hidden" name="users" value="${search.users}">
<input type="hidden" name="groups" value="${search.groups}">
<div class="columns">
<fieldset><legend>Users</legend>
${choiceList('userId', options.users, options.selected, options.moreUsers, search.users === '' ? 'The identity store has no users.' : `No user name starts with “${search.users}”.`)}
</fieldset>
<fieldset><legend>Groups</legend>
${choiceList('groupId', options.groups, options.selected, options.moreGroups, search.groups === '' ? 'The identity store has no groups.' : `No group name starts with “${search.groups}”.`)}
</fieldset>
</div>
<div class="actions"><button type="submit" class="button">Assign</button>
<a class="button secondary" href="${APPLICATION_PATHS.detail(application.applicationId)}">Cancel</a></div>
</form>
</div>`,
  });
};

export const deleteApplicationPage = (options: {
  viewer: ConsoleViewer;
  application: { applicationId: string; name: string };
  /** How many users and groups are assigned, in words: `3 users and groups`, `none`. */
  assignments: string;
  errors?: string[];
}): Html => {
  const { application } = options;
  return consolePage({
    viewer: options.viewer,
    title: `Delete ${application.name}`,
    section: 'applications',
    body: html`<div class="panel">
<p class="breadcrumb"><a href="${APPLICATION_PATHS.list}">Applications</a> › <a href="${APPLICATION_PATHS.detail(application.applicationId)}">${application.name}</a> › Delete</p>
<h1>Delete ${application.name}?</h1>
${errorList(options.errors)}
<div class="alert warn"><p>Deleting it also removes every assignment to it (${options.assignments}): its tile disappears from the access portal, and nobody can open it any more. This cannot be undone. The users and groups themselves stay in the identity store.</p></div>
<form method="post" action="${APPLICATION_PATHS.delete(application.applicationId)}">
${csrfInput(options.viewer.csrfToken)}
<div class="actions"><button type="submit" class="danger">Delete application</button>
<a class="button secondary" href="${APPLICATION_PATHS.detail(application.applicationId)}">Cancel</a></div>
</form>
</div>`,
  });
};
