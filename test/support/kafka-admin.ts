import { Admin, Kafka, logLevel } from 'kafkajs';

/** A quiet kafkajs admin for assertions; the caller disconnects it. */
export async function connectAdmin(brokers: string[]): Promise<Admin> {
  const admin = new Kafka({ clientId: 'doflamingo-tests', brokers, logLevel: logLevel.NOTHING, connectionTimeout: 3000, requestTimeout: 10000 }).admin();
  await admin.connect();
  return admin;
}

/** Deletes a test's consumer group (best effort: it may already be gone, or Kafka may be mid-fault). */
export async function deleteGroup(brokers: string[], groupId: string): Promise<void> {
  const admin = await connectAdmin(brokers).catch(() => undefined);
  if (!admin) return;
  try {
    await admin.deleteGroups([groupId]).catch(() => undefined);
  } finally {
    await admin.disconnect();
  }
}
