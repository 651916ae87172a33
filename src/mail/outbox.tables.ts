export interface MailMessagesTable {
  message_id: string;
  kind: string;
  recipient: string;
  subject: string;
  body_text: string | null;
  body_html: string | null;
  link: string | null;
  reference: string | null;
  state: string;
  attempts: number;
  /** NULL once no further attempt will be made (sent, kept, or given up). */
  next_attempt_at: number | null;
  last_error: string | null;
  claimed_by: string | null;
  claimed_until: number | null;
  created_at: number;
  updated_at: number;
  sent_at: number | null;
}

export interface MailTables {
  mail_messages: MailMessagesTable;
}
