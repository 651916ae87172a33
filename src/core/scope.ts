/**
 * Who is calling and where: every service call carries one, so nothing reads globals and one
 * account never reaches another's data.
 */
export interface Scope {
  accountId: string;
  region: string;
  /** The caller's ARN, recorded as CreatedBy/UpdatedBy. */
  principalArn: string;
}
