import type { Clock } from '../../src/core/clock.js';
import { createStudioService } from '../../src/modules/studio/studio.service.js';
import type { StudioLinks } from '../../src/modules/studio/studio.types.js';
import type { Database } from '../../src/storage/database.js';
import { accessServicesOn } from './access-services.js';

/** Presigned URLs of the service tests point here. */
export const TEST_STUDIO_LINKS: StudioLinks = {
  presignedDomainUrl: (domainId, token) => `https://studio.test/studio/${domainId}/presigned?token=${token}`,
};

/** The studio service with the access and identity-store services it uses, wired as app.ts wires them. */
export const studioServicesOn = (database: Database, clock: Clock) => {
  const services = accessServicesOn(database, clock);
  const { uow, instances, identityStore } = services;
  return {
    ...services,
    studio: createStudioService({ uow, instances, identityStore, links: TEST_STUDIO_LINKS, clock }),
  };
};

export type StudioServices = ReturnType<typeof studioServicesOn>;
