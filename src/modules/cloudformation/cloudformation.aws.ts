import { defineAwsService } from '../../aws/aws-service.js';
import type {
  ChangeSetSummary,
  CloudFormationOperations,
  DescribeChangeSetOutput,
  Parameter,
  ParameterDeclaration,
  StackResourceSummary,
  StackSummary,
  Stack as WireStack,
  StackEvent as WireStackEvent,
  Tag as WireTag,
} from '../../aws/models/cloudformation.types.js';
import { loadServiceModel } from '../../aws/models/load-model.js';
import type { CloudFormationService, TemplateInfo } from './cloudformation.service.js';
import type {
  ChangeSet,
  Stack,
  StackEvent,
  StackParameterValue,
  StackResource,
  StackStatus,
  Tag,
} from './cloudformation.types.js';
import type { GivenParameter } from './template-parameters.js';

/** The CloudFormation operations (awsQuery): wire ⇄ domain mapping only. */

const parametersFromWire = (parameters: Parameter[] | undefined): GivenParameter[] | undefined =>
  parameters?.map((p) => ({
    key: p.ParameterKey ?? '',
    ...(p.ParameterValue !== undefined ? { value: p.ParameterValue } : {}),
    ...(p.UsePreviousValue === true ? { usePreviousValue: true } : {}),
  }));

const parametersToWire = (parameters: readonly StackParameterValue[]): Parameter[] =>
  parameters.map((p) => ({
    ParameterKey: p.key,
    ParameterValue: p.value,
    ...(p.resolvedValue !== undefined ? { ResolvedValue: p.resolvedValue } : {}),
  }));

const tagsFromWire = (tags: WireTag[] | undefined): Tag[] | undefined =>
  tags?.map((t) => ({ key: t.Key, value: t.Value }));

const tagsToWire = (tags: readonly Tag[]): WireTag[] => tags.map((t) => ({ Key: t.key, Value: t.value }));

const nonEmpty = <T>(list: readonly T[]): T[] | undefined => (list.length === 0 ? undefined : [...list]);

const toWireStack = (stack: Stack): WireStack => ({
  StackId: stack.stackId,
  StackName: stack.name,
  ChangeSetId: stack.changeSetId,
  Description: stack.description,
  Parameters: nonEmpty(parametersToWire(stack.parameters)),
  CreationTime: stack.createdAt,
  DeletionTime: stack.deletedAt,
  LastUpdatedTime: stack.lastUpdatedAt,
  StackStatus: stack.status,
  StackStatusReason: stack.statusReason,
  DisableRollback: stack.disableRollback,
  NotificationARNs: stack.notificationArns,
  TimeoutInMinutes: stack.timeoutInMinutes,
  Capabilities: nonEmpty(stack.capabilities),
  Outputs: nonEmpty(
    stack.outputs.map((o) => ({
      OutputKey: o.key,
      OutputValue: o.value,
      Description: o.description,
      ExportName: o.exportName,
    })),
  ),
  RoleARN: stack.roleArn,
  Tags: tagsToWire(stack.tags),
  EnableTerminationProtection: stack.terminationProtection,
  DriftInformation: { StackDriftStatus: 'NOT_CHECKED' },
});

const toStackSummary = (stack: Stack): StackSummary => ({
  StackId: stack.stackId,
  StackName: stack.name,
  TemplateDescription: stack.description,
  CreationTime: stack.createdAt,
  LastUpdatedTime: stack.lastUpdatedAt,
  DeletionTime: stack.deletedAt,
  StackStatus: stack.status,
  StackStatusReason: stack.statusReason,
  DriftInformation: { StackDriftStatus: 'NOT_CHECKED' },
});

const toWireEvent = (event: StackEvent): WireStackEvent => ({
  StackId: event.stackId,
  EventId: event.eventId,
  StackName: event.stackName,
  LogicalResourceId: event.logicalId,
  PhysicalResourceId: event.physicalId ?? '',
  ResourceType: event.resourceType,
  Timestamp: event.timestamp,
  ResourceStatus: event.status as WireStackEvent['ResourceStatus'],
  ResourceStatusReason: event.reason,
  ResourceProperties: event.properties,
  ClientRequestToken: event.clientRequestToken,
});

const resourceFields = (resource: StackResource) => ({
  LogicalResourceId: resource.logicalId,
  PhysicalResourceId: resource.physicalId,
  ResourceType: resource.type,
  ResourceStatus: resource.status as StackResourceSummary['ResourceStatus'],
  ResourceStatusReason: resource.statusReason,
});

const parameterDeclarations = (info: TemplateInfo): ParameterDeclaration[] =>
  info.template.parameters.map((p) => ({
    ParameterKey: p.key,
    DefaultValue: p.default,
    ParameterType: p.type,
    NoEcho: p.noEcho,
    Description: p.description,
    ParameterConstraints: p.allowedValues !== undefined ? { AllowedValues: p.allowedValues } : {},
  }));

const toDescribeChangeSet = (changeSet: ChangeSet): DescribeChangeSetOutput => ({
  ChangeSetName: changeSet.name,
  ChangeSetId: changeSet.changeSetId,
  StackId: changeSet.stackId,
  StackName: changeSet.stackName,
  Description: changeSet.description,
  Parameters: nonEmpty(parametersToWire(changeSet.parameters)),
  CreationTime: changeSet.createdAt,
  ExecutionStatus: changeSet.executionStatus,
  Status: changeSet.status,
  StatusReason: changeSet.statusReason,
  NotificationARNs: changeSet.notificationArns,
  Capabilities: nonEmpty(changeSet.capabilities),
  Tags: nonEmpty(tagsToWire(changeSet.tags)),
  OnStackFailure: changeSet.onStackFailure,
  IncludeNestedStacks: false,
  Changes: changeSet.changes.map((c) => ({
    Type: 'Resource',
    ResourceChange: {
      Action: c.action,
      LogicalResourceId: c.logicalId,
      PhysicalResourceId: c.physicalId,
      ResourceType: c.resourceType,
      Replacement: c.replacement,
      Scope: c.scope as NonNullable<
        NonNullable<DescribeChangeSetOutput['Changes']>[number]['ResourceChange']
      >['Scope'],
      Details: c.details.map((d) => ({
        Target: { Attribute: d.attribute, Name: d.name, RequiresRecreation: d.requiresRecreation },
        Evaluation: d.evaluation,
        ChangeSource: d.changeSource,
      })),
    },
  })),
});

const toChangeSetSummary = (changeSet: ChangeSet): ChangeSetSummary => ({
  StackId: changeSet.stackId,
  StackName: changeSet.stackName,
  ChangeSetId: changeSet.changeSetId,
  ChangeSetName: changeSet.name,
  ExecutionStatus: changeSet.executionStatus,
  Status: changeSet.status,
  StatusReason: changeSet.statusReason,
  CreationTime: changeSet.createdAt,
  Description: changeSet.description,
  IncludeNestedStacks: false,
});

export const cloudFormationAwsService = (service: CloudFormationService) =>
  defineAwsService<CloudFormationOperations>('cloudformation', loadServiceModel('cloudformation'), {
    CreateStack: async (input, { scope }) => {
      const stack = await service.createStack(scope, {
        stackName: input.StackName,
        ...(input.TemplateBody !== undefined ? { templateBody: input.TemplateBody } : {}),
        ...(input.TemplateURL !== undefined ? { templateUrl: input.TemplateURL } : {}),
        parameters: parametersFromWire(input.Parameters) ?? [],
        capabilities: input.Capabilities ?? [],
        ...(input.DisableRollback !== undefined ? { disableRollback: input.DisableRollback } : {}),
        ...(input.OnFailure !== undefined ? { onFailure: input.OnFailure } : {}),
        tags: tagsFromWire(input.Tags) ?? [],
        notificationArns: input.NotificationARNs ?? [],
        ...(input.RoleARN !== undefined ? { roleArn: input.RoleARN } : {}),
        ...(input.TimeoutInMinutes !== undefined ? { timeoutInMinutes: input.TimeoutInMinutes } : {}),
        ...(input.EnableTerminationProtection !== undefined
          ? { enableTerminationProtection: input.EnableTerminationProtection }
          : {}),
        ...(input.RetainExceptOnCreate !== undefined
          ? { retainExceptOnCreate: input.RetainExceptOnCreate }
          : {}),
        ...(input.ClientRequestToken !== undefined ? { clientRequestToken: input.ClientRequestToken } : {}),
      });
      return { StackId: stack.stackId };
    },
    UpdateStack: async (input, { scope }) => {
      const stack = await service.updateStack(scope, {
        stackName: input.StackName,
        ...(input.TemplateBody !== undefined ? { templateBody: input.TemplateBody } : {}),
        ...(input.TemplateURL !== undefined ? { templateUrl: input.TemplateURL } : {}),
        ...(input.UsePreviousTemplate !== undefined
          ? { usePreviousTemplate: input.UsePreviousTemplate }
          : {}),
        parameters: parametersFromWire(input.Parameters) ?? [],
        capabilities: input.Capabilities ?? [],
        ...(input.Tags !== undefined ? { tags: tagsFromWire(input.Tags) ?? [] } : {}),
        ...(input.NotificationARNs !== undefined ? { notificationArns: input.NotificationARNs } : {}),
        ...(input.RoleARN !== undefined ? { roleArn: input.RoleARN } : {}),
        ...(input.DisableRollback !== undefined ? { disableRollback: input.DisableRollback } : {}),
        ...(input.RetainExceptOnCreate !== undefined
          ? { retainExceptOnCreate: input.RetainExceptOnCreate }
          : {}),
        ...(input.ClientRequestToken !== undefined ? { clientRequestToken: input.ClientRequestToken } : {}),
      });
      return { StackId: stack.stackId };
    },
    DeleteStack: async (input, { scope }) => {
      await service.deleteStack(scope, {
        stackName: input.StackName,
        ...(input.RetainResources !== undefined ? { retainResources: input.RetainResources } : {}),
        ...(input.ClientRequestToken !== undefined ? { clientRequestToken: input.ClientRequestToken } : {}),
      });
      return {};
    },
    DescribeStacks: async (input, { scope }) => {
      if (input.StackName !== undefined) {
        return { Stacks: [toWireStack(await service.describeStack(scope, input.StackName))] };
      }
      const page = await service.describeStacks(scope, input.NextToken);
      return { Stacks: page.items.map(toWireStack), NextToken: page.nextToken };
    },
    ListStacks: async (input, { scope }) => {
      // Statuses we never use (IMPORT_*) simply match no stack.
      const statuses = input.StackStatusFilter as StackStatus[] | undefined;
      const page = await service.listStacks(scope, statuses, input.NextToken);
      return { StackSummaries: page.items.map(toStackSummary), NextToken: page.nextToken };
    },
    DescribeStackEvents: async (input, { scope }) => {
      const page = await service.describeStackEvents(scope, input.StackName, input.NextToken);
      return { StackEvents: page.items.map(toWireEvent), NextToken: page.nextToken };
    },
    DescribeStackResource: async (input, { scope }) => {
      const { stack, resource } = await service.describeStackResource(
        scope,
        input.StackName,
        input.LogicalResourceId,
      );
      return {
        StackResourceDetail: {
          StackName: stack.name,
          StackId: stack.stackId,
          ...resourceFields(resource),
          LastUpdatedTimestamp: resource.updatedAt,
          Metadata: resource.metadata === undefined ? undefined : JSON.stringify(resource.metadata),
          DriftInformation: { StackResourceDriftStatus: 'NOT_CHECKED' },
        },
      };
    },
    DescribeStackResources: async (input, { scope }) => {
      const views = await service.describeStackResources(scope, {
        ...(input.StackName !== undefined ? { stackName: input.StackName } : {}),
        ...(input.LogicalResourceId !== undefined ? { logicalId: input.LogicalResourceId } : {}),
        ...(input.PhysicalResourceId !== undefined ? { physicalId: input.PhysicalResourceId } : {}),
      });
      return {
        StackResources: views.map(({ stack, resource }) => ({
          StackName: stack.name,
          StackId: stack.stackId,
          ...resourceFields(resource),
          Timestamp: resource.updatedAt,
          DriftInformation: { StackResourceDriftStatus: 'NOT_CHECKED' },
        })),
      };
    },
    ListStackResources: async (input, { scope }) => {
      const page = await service.listStackResources(scope, input.StackName, input.NextToken);
      return {
        StackResourceSummaries: page.items.map((resource) => ({
          ...resourceFields(resource),
          LastUpdatedTimestamp: resource.updatedAt,
          DriftInformation: { StackResourceDriftStatus: 'NOT_CHECKED' },
        })),
        NextToken: page.nextToken,
      };
    },
    GetTemplate: async (input, { scope }) => ({
      TemplateBody: await service.getTemplate(scope, {
        ...(input.StackName !== undefined ? { stackName: input.StackName } : {}),
        ...(input.ChangeSetName !== undefined ? { changeSetName: input.ChangeSetName } : {}),
      }),
      StagesAvailable: ['Original', 'Processed'],
    }),
    GetTemplateSummary: async (input, { scope }) => {
      const info = await service.templateSummary(scope, {
        ...(input.TemplateBody !== undefined ? { templateBody: input.TemplateBody } : {}),
        ...(input.TemplateURL !== undefined ? { templateUrl: input.TemplateURL } : {}),
        ...(input.StackName !== undefined ? { stackName: input.StackName } : {}),
      });
      const byType = new Map<string, string[]>();
      for (const r of info.template.resources)
        byType.set(r.type, [...(byType.get(r.type) ?? []), r.logicalId]);
      return {
        Parameters: parameterDeclarations(info),
        Description: info.template.description,
        Capabilities: nonEmpty(info.summary.capabilities),
        CapabilitiesReason: info.summary.capabilitiesReason,
        ResourceTypes: info.summary.resourceTypes,
        Version: '2010-09-09',
        Metadata: info.template.metadata === undefined ? undefined : JSON.stringify(info.template.metadata),
        DeclaredTransforms: nonEmpty(info.summary.declaredTransforms),
        ResourceIdentifierSummaries: [...byType].map(([type, ids]) => ({
          ResourceType: type,
          LogicalResourceIds: ids,
        })),
      };
    },
    ValidateTemplate: async (input) => {
      const info = await service.validateTemplate({
        ...(input.TemplateBody !== undefined ? { templateBody: input.TemplateBody } : {}),
        ...(input.TemplateURL !== undefined ? { templateUrl: input.TemplateURL } : {}),
      });
      return {
        Parameters: info.template.parameters.map((p) => ({
          ParameterKey: p.key,
          DefaultValue: p.default,
          NoEcho: p.noEcho,
          Description: p.description,
        })),
        Description: info.template.description,
        Capabilities: nonEmpty(info.summary.capabilities),
        CapabilitiesReason: info.summary.capabilitiesReason,
        DeclaredTransforms: nonEmpty(info.summary.declaredTransforms),
      };
    },
    ListExports: async (input, { scope }) => {
      const page = await service.listExports(scope, input.NextToken);
      return {
        Exports: page.items.map((e) => ({ ExportingStackId: e.stackId, Name: e.name, Value: e.value })),
        NextToken: page.nextToken,
      };
    },
    CreateChangeSet: async (input, { scope }) => {
      const changeSet = await service.createChangeSet(scope, {
        stackName: input.StackName,
        changeSetName: input.ChangeSetName,
        ...(input.ChangeSetType !== undefined ? { changeSetType: input.ChangeSetType } : {}),
        ...(input.TemplateBody !== undefined ? { templateBody: input.TemplateBody } : {}),
        ...(input.TemplateURL !== undefined ? { templateUrl: input.TemplateURL } : {}),
        ...(input.UsePreviousTemplate !== undefined
          ? { usePreviousTemplate: input.UsePreviousTemplate }
          : {}),
        parameters: parametersFromWire(input.Parameters) ?? [],
        capabilities: input.Capabilities ?? [],
        ...(input.Tags !== undefined ? { tags: tagsFromWire(input.Tags) ?? [] } : {}),
        ...(input.NotificationARNs !== undefined ? { notificationArns: input.NotificationARNs } : {}),
        ...(input.RoleARN !== undefined ? { roleArn: input.RoleARN } : {}),
        ...(input.Description !== undefined ? { description: input.Description } : {}),
        ...(input.OnStackFailure !== undefined ? { onStackFailure: input.OnStackFailure } : {}),
      });
      return { Id: changeSet.changeSetId, StackId: changeSet.stackId };
    },
    DescribeChangeSet: async (input, { scope }) =>
      toDescribeChangeSet(
        await service.describeChangeSet(scope, {
          changeSetName: input.ChangeSetName,
          ...(input.StackName !== undefined ? { stackName: input.StackName } : {}),
        }),
      ),
    ExecuteChangeSet: async (input, { scope }) => {
      await service.executeChangeSet(scope, {
        changeSetName: input.ChangeSetName,
        ...(input.StackName !== undefined ? { stackName: input.StackName } : {}),
        ...(input.DisableRollback !== undefined ? { disableRollback: input.DisableRollback } : {}),
        ...(input.RetainExceptOnCreate !== undefined
          ? { retainExceptOnCreate: input.RetainExceptOnCreate }
          : {}),
        ...(input.ClientRequestToken !== undefined ? { clientRequestToken: input.ClientRequestToken } : {}),
      });
      return {};
    },
    DeleteChangeSet: async (input, { scope }) => {
      await service.deleteChangeSet(scope, {
        changeSetName: input.ChangeSetName,
        ...(input.StackName !== undefined ? { stackName: input.StackName } : {}),
      });
      return {};
    },
    ListChangeSets: async (input, { scope }) => ({
      Summaries: (await service.listChangeSets(scope, input.StackName)).map(toChangeSetSummary),
    }),
  });
