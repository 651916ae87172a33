import { arns } from '../../core/arns.js';
import type { ApplicationProvider } from './applications.types.js';

/** The provider of customer-managed OAuth 2.0 applications: the only one CreateApplication accepts. */
export const CUSTOM_PROVIDER_ARN = arns.applicationProvider('custom');
/** Custom SAML 2.0 applications: AWS makes them in the console only, never through CreateApplication. */
export const CUSTOM_SAML_PROVIDER_ARN = arns.applicationProvider('custom-saml');
/** The provider of the "Amazon SageMaker Studio (d-…)" application that an SSO domain registers. */
export const SAGEMAKER_PROVIDER_ARN = arns.applicationProvider('sagemaker');

/**
 * The application providers this Identity Center knows, in ListApplicationProviders' order (by
 * ARN). A static catalog: AWS's is too, and no API adds to it.
 */
const catalog: ApplicationProvider[] = [
  {
    arn: CUSTOM_PROVIDER_ARN,
    federationProtocol: 'OAUTH',
    displayName: 'Custom OAuth 2.0 application',
    description:
      'A customer managed application that signs users in with OAuth 2.0 through IAM Identity Center.',
    creatableThroughApi: true,
  },
  {
    arn: CUSTOM_SAML_PROVIDER_ARN,
    federationProtocol: 'SAML',
    displayName: 'Custom SAML 2.0 application',
    description:
      'A customer managed application that signs users in with SAML 2.0 through IAM Identity Center.',
    creatableThroughApi: false,
  },
  {
    arn: SAGEMAKER_PROVIDER_ARN,
    federationProtocol: 'OAUTH',
    displayName: 'Amazon SageMaker Studio',
    description: 'A web-based integrated development environment for machine learning.',
    managedBy: 'sagemaker',
    creatableThroughApi: false,
  },
];

export const APPLICATION_PROVIDERS: readonly ApplicationProvider[] = catalog.sort((a, b) =>
  a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0,
);

export const findApplicationProvider = (arn: string): ApplicationProvider | undefined =>
  APPLICATION_PROVIDERS.find((provider) => provider.arn === arn);
