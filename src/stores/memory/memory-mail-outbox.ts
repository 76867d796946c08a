import type { MailOutbox, OutgoingMail } from '../mail-outbox.js';

/** The outbox in process memory: for tests, which read `messages` to follow the links sent. */
export class MemoryMailOutbox implements MailOutbox {
  readonly messages: OutgoingMail[] = [];

  async enqueue(mail: OutgoingMail): Promise<void> {
    this.messages.push({ ...mail, data: { ...mail.data } });
  }
}
