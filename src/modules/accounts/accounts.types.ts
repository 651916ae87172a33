export interface Account {
  accountId: string;
  name: string;
  email: string;
  emailVerifiedAt?: Date;
  organizationId?: string;
  joinedMethod?: 'INVITED' | 'CREATED';
  joinedAt?: Date;
  createdAt: Date;
}

export interface AccessKey {
  accessKeyId: string;
  secretAccessKey: string;
  accountId: string;
  principalArn: string;
  status: 'Active' | 'Inactive';
  createdAt: Date;
}
