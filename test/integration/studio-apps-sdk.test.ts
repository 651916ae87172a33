import {
  CreateAppCommand,
  CreateDomainCommand,
  CreateUserProfileCommand,
  DeleteAppCommand,
  DeleteUserProfileCommand,
  DescribeAppCommand,
  ListAppsCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { postgresUnavailableReason, testDialects } from '../support/test-databases.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const ROLE = 'arn:aws:iam::111122223333:role/service-role/AmazonSageMaker-ExecutionRole';

const pgUnavailable = await postgresUnavailableReason();

for (const dialect of testDialects()) {
  const skipReason = dialect === 'postgres' ? pgUnavailable : undefined;
  const suite = skipReason === undefined ? describe : describe.skip;

  suite(`SageMaker Studio apps through the SDK on ${dialect}${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
    const clock = new ManualClock();
    let server: TestServer;
    let sagemaker: SageMakerClient;

    beforeAll(async () => {
      server = await startTestServer({ database: dialect, clock });
      sagemaker = new SageMakerClient(server.sdkConfig());
    });

    afterAll(async () => {
      sagemaker?.destroy();
      await server?.close();
    });

    it('creates, lists and deletes apps, and keeps a profile with live apps from being deleted', async () => {
      const { DomainId } = await sagemaker.send(
        new CreateDomainCommand({
          DomainName: 'apps',
          AuthMode: 'IAM',
          DefaultUserSettings: { ExecutionRole: ROLE },
        }),
      );
      const domainId = DomainId ?? '';
      await sagemaker.send(new CreateUserProfileCommand({ DomainId: domainId, UserProfileName: 'Ada' }));
      const jupyter = {
        DomainId: domainId,
        UserProfileName: 'ada',
        AppType: 'JupyterServer' as const,
        AppName: 'default',
      };
      const { AppArn } = await sagemaker.send(new CreateAppCommand(jupyter));
      expect(AppArn).toBe(
        `arn:aws:sagemaker:us-east-1:${server.accountId}:app/${domainId}/Ada/jupyterserver/default`,
      );
      const named = await sagemaker
        .send(new CreateAppCommand({ ...jupyter, AppName: 'other' }))
        .catch((e: Error) => e);
      expect(named).toMatchObject({
        name: 'ValidationException',
        message: 'A JupyterServer app must be named default.',
      });
      const again = await sagemaker.send(new CreateAppCommand(jupyter)).catch((e: Error) => e.name);
      expect(again).toBe('ResourceInUse');
      await sagemaker.send(
        new CreateAppCommand({
          DomainId: domainId,
          UserProfileName: 'Ada',
          AppType: 'KernelGateway',
          AppName: 'datascience',
          ResourceSpec: { InstanceType: 'ml.t3.medium' },
        }),
      );
      expect((await sagemaker.send(new DescribeAppCommand(jupyter))).Status).toBe('Pending');
      clock.advance(1000);
      expect((await sagemaker.send(new DescribeAppCommand(jupyter))).Status).toBe('InService');
      const listed = await sagemaker.send(new ListAppsCommand({ DomainIdEquals: domainId }));
      expect(listed.Apps?.map((a) => `${a.AppType}/${a.AppName}/${a.Status}`)).toEqual([
        'JupyterServer/default/InService',
        'KernelGateway/datascience/InService',
      ]);

      const refused = await sagemaker
        .send(new DeleteUserProfileCommand({ DomainId: domainId, UserProfileName: 'Ada' }))
        .catch((e: Error) => e);
      expect(refused).toMatchObject({ name: 'ResourceInUse' });
      expect((refused as Error).message).toContain(
        'has apps that are not deleted (JupyterServer/default, KernelGateway/datascience)',
      );

      await sagemaker.send(new DeleteAppCommand(jupyter));
      await sagemaker.send(
        new DeleteAppCommand({ ...jupyter, AppType: 'KernelGateway', AppName: 'datascience' }),
      );
      expect((await sagemaker.send(new DescribeAppCommand(jupyter))).Status).toBe('Deleting');
      clock.advance(1000);
      expect((await sagemaker.send(new DescribeAppCommand(jupyter))).Status).toBe('Deleted');
      await sagemaker.send(new DeleteUserProfileCommand({ DomainId: domainId, UserProfileName: 'Ada' }));
      const missing = await sagemaker
        .send(new DescribeAppCommand({ ...jupyter, UserProfileName: 'nobody' }))
        .catch((e: Error) => e.name);
      expect(missing).toBe('ResourceNotFound');
    });
  });
}
