import { NodeKind } from '../topology';
import { clickhouseDriver } from './clickhouse';
import { NodeDriver } from './driver';
import { kafkaDriver } from './kafka';
import { kraftDriver } from './kraft';
import { zookeeperDriver } from './zookeeper';

export type { NodeDriver } from './driver';

const drivers: Record<NodeKind, NodeDriver> = {
  zookeeper: zookeeperDriver,
  kafka: kafkaDriver,
  kraft: kraftDriver,
  clickhouse: clickhouseDriver,
};

export function driverFor(kind: NodeKind): NodeDriver {
  return drivers[kind];
}
