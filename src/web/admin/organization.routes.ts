import type { Services } from '../../app.js';
import type { EmailVerificationView } from '../../modules/organizations/email-verification.service.js';
import { type AdminRoute, adminRoute } from './admin-api.js';
import { type DeliveryResponse, toDeliveryResponse } from './users.routes.js';

export interface EmailVerificationResponse {
  accountId: string;
  organizationId: string;
  email: string;
  verified: boolean;
  verifiedAt?: string;
  latestLink?: { state: string; sentAt: string; expiresAt: string; delivery?: DeliveryResponse };
}

const toResponse = (view: EmailVerificationView): EmailVerificationResponse => ({
  accountId: view.accountId,
  organizationId: view.organizationId,
  email: view.email,
  verified: view.verified,
  verifiedAt: view.verifiedAt?.toISOString(),
  latestLink:
    view.latestLink === undefined
      ? undefined
      : {
          state: view.latestLink.state,
          sentAt: view.latestLink.sentAt.toISOString(),
          expiresAt: view.latestLink.expiresAt.toISOString(),
          delivery:
            view.latestLink.delivery === undefined ? undefined : toDeliveryResponse(view.latestLink.delivery),
        },
});

/** Whether the management account's e-mail address is verified, and a new link when it is not. */
export const organizationRoutes = (services: Services): AdminRoute[] => [
  adminRoute({
    method: 'GET',
    path: '/organization/email-verification',
    handler: async (_request, { scope }): Promise<EmailVerificationResponse> =>
      toResponse(await services.emailVerification.describeVerification(scope)),
  }),
  adminRoute({
    method: 'POST',
    path: '/organization/email-verification',
    status: 201,
    handler: async (_request, { scope }): Promise<EmailVerificationResponse> =>
      toResponse(await services.emailVerification.resendVerification(scope)),
  }),
];
