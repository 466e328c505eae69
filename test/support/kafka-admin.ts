import { Admin, Kafka, logLevel } from 'kafkajs';

/** A quiet kafkajs admin for assertions; the caller disconnects it. */
export async function connectAdmin(brokers: string[]): Promise<Admin> {
  const admin = new Kafka({ clientId: 'doflamingo-tests', brokers, logLevel: logLevel.NOTHING, connectionTimeout: 3000, requestTimeout: 10000 }).admin();
  await admin.connect();
  return admin;
}
