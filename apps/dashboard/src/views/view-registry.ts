import type { View } from '../ui/view-context';
import { alertsView } from './alerts.view';
import { brokersView } from './brokers.view';
import { consumerGroupsView } from './consumer-groups.view';
import { overviewView } from './overview.view';
import { topicsView } from './topics.view';
import { zookeeperView } from './zookeeper.view';

export const VIEWS: Record<string, { title: string; render: View }> = {
  overview: { title: 'Overview', render: overviewView },
  brokers: { title: 'Brokers', render: brokersView },
  topics: { title: 'Topics', render: topicsView },
  groups: { title: 'Consumer groups', render: consumerGroupsView },
  zookeeper: { title: 'ZooKeeper', render: zookeeperView },
  alerts: { title: 'Alerts', render: alertsView },
};
