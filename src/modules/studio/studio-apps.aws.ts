import { defineAwsService } from '../../aws/aws-service.js';
import { loadServiceModel } from '../../aws/models/load-model.js';
import type { AppDetails, SageMakerOperations } from '../../aws/models/sagemaker.types.js';
import type { SettingsDocument } from './studio.types.js';
import type { StudioAppsService, StudioAppView } from './studio-apps.service.js';

/** SageMaker's app operations (CreateApp, DescribeApp, ListApps, DeleteApp): wire ⇄ domain mapping only. */

const PAGE = 100;

const toDetails = (app: StudioAppView): AppDetails => ({
  DomainId: app.domainId,
  UserProfileName: app.profileName,
  AppType: app.appType,
  AppName: app.appName,
  Status: app.status,
  CreationTime: app.createdAt,
  ResourceSpec: app.resourceSpec as AppDetails['ResourceSpec'],
});

export const sageMakerAppsAwsService = (apps: StudioAppsService) =>
  defineAwsService<SageMakerOperations>('sagemaker', loadServiceModel('sagemaker'), {
    CreateApp: async (input, { scope }) => {
      const app = await apps.createApp(scope, {
        domainId: input.DomainId,
        ...(input.UserProfileName !== undefined ? { userProfileName: input.UserProfileName } : {}),
        ...(input.SpaceName !== undefined ? { spaceName: input.SpaceName } : {}),
        appType: input.AppType,
        appName: input.AppName,
        ...(input.ResourceSpec !== undefined ? { resourceSpec: input.ResourceSpec as SettingsDocument } : {}),
        ...(input.Tags !== undefined
          ? { tags: input.Tags.map((t) => ({ key: t.Key, value: t.Value })) }
          : {}),
      });
      return { AppArn: app.appArn };
    },
    DescribeApp: async (input, { scope }) => {
      const app = await apps.describeApp(scope, {
        domainId: input.DomainId,
        ...(input.UserProfileName !== undefined ? { userProfileName: input.UserProfileName } : {}),
        ...(input.SpaceName !== undefined ? { spaceName: input.SpaceName } : {}),
        appType: input.AppType,
        appName: input.AppName,
      });
      return { ...toDetails(app), AppArn: app.appArn };
    },
    ListApps: async (input, { scope }) => {
      const page = await apps.listApps(scope, {
        limit: Math.min(input.MaxResults ?? PAGE, PAGE),
        ...(input.NextToken !== undefined ? { nextToken: input.NextToken } : {}),
        ...(input.DomainIdEquals !== undefined ? { domainId: input.DomainIdEquals } : {}),
        ...(input.UserProfileNameEquals !== undefined
          ? { userProfileName: input.UserProfileNameEquals }
          : {}),
        ...(input.SortOrder !== undefined ? { sortOrder: input.SortOrder } : {}),
      });
      return { Apps: page.items.map(toDetails), NextToken: page.nextToken };
    },
    DeleteApp: async (input, { scope }) => {
      await apps.deleteApp(scope, {
        domainId: input.DomainId,
        ...(input.UserProfileName !== undefined ? { userProfileName: input.UserProfileName } : {}),
        ...(input.SpaceName !== undefined ? { spaceName: input.SpaceName } : {}),
        appType: input.AppType,
        appName: input.AppName,
      });
      return {};
    },
  });
