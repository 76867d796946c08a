/** One message of the development outbox, as GET /dev/mail returns it (no SMTP configured). */
export interface DevMailView {
  id: string;
  to: string;
  from: string;
  subject: string;
  /** The plain-text body: links appear as written, for the console to make clickable. */
  text: string;
  html: string;
  /** ISO 8601: when the message was enqueued. */
  created_at: string;
}

export interface DevMailResponse {
  messages: DevMailView[];
}
