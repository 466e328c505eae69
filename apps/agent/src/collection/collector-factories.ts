import { consumerGroupsCollector } from '../collectors/consumer-groups/consumer-groups.collector';
import { jmxCollector } from '../collectors/jmx/jmx.collector';
import { kafkaClusterCollector } from '../collectors/kafka-cluster/kafka-cluster.collector';
import { logDirsCollector } from '../collectors/log-dirs/log-dirs.collector';
import { probeCollector } from '../collectors/probe/probe.collector';
import { zookeeperCollector } from '../collectors/zookeeper/zookeeper.collector';
import { CollectorFactory } from './collector';

/** Every kind of collector; each decides from the cluster's configuration whether it applies. */
export const COLLECTOR_FACTORIES: CollectorFactory[] = [kafkaClusterCollector, consumerGroupsCollector, jmxCollector, zookeeperCollector, probeCollector, logDirsCollector];
