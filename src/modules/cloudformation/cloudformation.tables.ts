/**
 * The cloudformation module's tables (migration 0006). Timestamps are epoch milliseconds, JSON is
 * text, booleans are 0/1.
 */

export interface CfnStacksTable {
  /** The stack's ARN. */
  stack_id: string;
  account_id: string;
  region: string;
  name: string;
  /** The name while the stack exists; NULL once deleted, so a deleted stack's name can be reused. */
  live_name: string | null;
  status: string;
  status_reason: string | null;
  description: string | null;
  template_body: string | null;
  /** StackParameterValue[] as JSON. */
  parameters: string;
  /** Keys of NoEcho parameters, JSON. */
  no_echo: string;
  capabilities: string;
  tags: string;
  outputs: string;
  notification_arns: string;
  role_arn: string | null;
  timeout_minutes: number | null;
  disable_rollback: number;
  termination_protection: number;
  change_set_id: string | null;
  /** StackOperation as JSON while an operation runs; NULL when the stack is at rest. */
  operation: string | null;
  /** 1 while `operation` is set: what the workers look for. */
  busy: number;
  lease_owner: string | null;
  lease_until: number | null;
  created_at: number;
  created_by: string | null;
  last_updated_at: number | null;
  deleted_at: number | null;
}

export interface CfnStackResourcesTable {
  stack_id: string;
  logical_id: string;
  resource_type: string;
  physical_id: string | null;
  status: string;
  status_reason: string | null;
  properties: string;
  attributes: string;
  deletion_policy: string | null;
  update_replace_policy: string | null;
  metadata: string | null;
  action: string | null;
  /** ResourceSnapshot as JSON: the resource before the operation in progress changed it. */
  previous: string | null;
  delete_requested: number;
  updated_at: number;
}

export interface CfnStackEventsTable {
  event_id: string;
  stack_id: string;
  sort_key: string;
  timestamp: number;
  logical_id: string;
  physical_id: string | null;
  resource_type: string;
  status: string;
  reason: string | null;
  properties: string | null;
  client_request_token: string | null;
}

export interface CfnChangeSetsTable {
  change_set_id: string;
  stack_id: string;
  name: string;
  account_id: string;
  region: string;
  change_set_type: string;
  status: string;
  status_reason: string | null;
  execution_status: string;
  description: string | null;
  template_body: string;
  parameters: string;
  parameter_values: string;
  capabilities: string;
  tags: string;
  notification_arns: string;
  role_arn: string | null;
  on_stack_failure: string | null;
  changes: string;
  created_at: number;
  created_by: string | null;
}

export interface CfnExportsTable {
  account_id: string;
  region: string;
  name: string;
  value: string;
  stack_id: string;
}

export interface CfnImportsTable {
  stack_id: string;
  account_id: string;
  region: string;
  export_name: string;
}

export interface CloudFormationTables {
  cfn_stacks: CfnStacksTable;
  cfn_stack_resources: CfnStackResourcesTable;
  cfn_stack_events: CfnStackEventsTable;
  cfn_change_sets: CfnChangeSetsTable;
  cfn_exports: CfnExportsTable;
  cfn_imports: CfnImportsTable;
}
