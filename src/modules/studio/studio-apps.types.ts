import type { Lifecycle, SettingsDocument, Tag } from './studio.types.js';

/**
 * SageMaker Studio apps of user profiles (JupyterServer, KernelGateway, …). Nothing runs: an app is
 * the record of one, with AWS's lifecycle (Pending → InService; Deleting → Deleted), so that
 * templates and scripts that create apps work and a profile with live apps cannot be deleted.
 */

export type AppStatus = 'Pending' | 'InService' | 'Deleting' | 'Deleted' | 'Failed';

export const APP_TYPES = [
  'JupyterServer',
  'KernelGateway',
  'DetailedProfiler',
  'TensorBoard',
  'CodeEditor',
  'JupyterLab',
  'RStudioServerPro',
  'RSessionGateway',
  'Canvas',
] as const;

export type AppType = (typeof APP_TYPES)[number];

export interface StudioApp extends Lifecycle {
  domainId: string;
  /** The owning profile's name as created. */
  profileName: string;
  appType: AppType;
  appName: string;
  /** ResourceSpec as given. */
  resourceSpec?: SettingsDocument;
  tags?: Tag[];
  createdAt: Date;
  createdBy?: string;
}
