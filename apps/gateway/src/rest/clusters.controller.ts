import { Controller, Get, NotFoundException, Param, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { ApiKeyGuard } from '../auth/api-key.guard';
import { LatestValues, RecentAlerts } from '../live/latest-values.store';
import { brokers, ClusterView, clusterSummaries, consumerGroup, consumerGroups, topic, topics, zookeeper } from './cluster-state';
import {
  BrokerDto,
  ClusterSummaryDto,
  ConsumerGroupDetailDto,
  ConsumerGroupDto,
  TopicDetailDto,
  TopicDto,
  ZooKeeperDto,
} from './cluster-state.dto';
import { ErrorDto } from './series.dto';
import { API_KEY_SCHEME } from './open-api';

/** Cluster state now, from the latest value of every live series (no ClickHouse involved). */
@ApiTags('state')
@ApiBearerAuth(API_KEY_SCHEME)
@ApiUnauthorizedResponse({ type: ErrorDto, description: 'No API key, or a wrong one.' })
@UseGuards(ApiKeyGuard)
@Controller('api/v1/clusters')
export class ClustersController {
  constructor(
    private readonly latest: LatestValues,
    private readonly alerts: RecentAlerts,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Every cluster the gateway has live values for, with its health at a glance.' })
  @ApiOkResponse({ type: [ClusterSummaryDto] })
  list(): ClusterSummaryDto[] {
    return clusterSummaries(this.latest, this.alerts);
  }

  @Get(':cluster/brokers')
  @ApiOperation({ summary: 'Brokers: up, partitions led, throughput, request latency and thread idleness.' })
  @ApiParam({ name: 'cluster', example: 'prod-eu' })
  @ApiOkResponse({ type: [BrokerDto] })
  @ApiNotFoundResponse({ type: ErrorDto, description: 'Unknown cluster.' })
  brokers(@Param('cluster') cluster: string): BrokerDto[] {
    return brokers(this.view(cluster));
  }

  @Get(':cluster/topics')
  @ApiOperation({ summary: 'Topics: partitions, replication health, message rate.' })
  @ApiParam({ name: 'cluster', example: 'prod-eu' })
  @ApiOkResponse({ type: [TopicDto] })
  @ApiNotFoundResponse({ type: ErrorDto, description: 'Unknown cluster.' })
  topics(@Param('cluster') cluster: string): TopicDto[] {
    return topics(this.view(cluster));
  }

  @Get(':cluster/topics/:topic')
  @ApiOperation({ summary: 'One topic: its partitions (leader, in-sync replica count, offsets) and per-broker traffic.' })
  @ApiParam({ name: 'cluster', example: 'prod-eu' })
  @ApiParam({ name: 'topic', example: 'orders' })
  @ApiOkResponse({ type: TopicDetailDto })
  @ApiNotFoundResponse({ type: ErrorDto, description: 'Unknown cluster or topic.' })
  topic(@Param('cluster') cluster: string, @Param('topic') name: string): TopicDetailDto {
    const found = topic(this.view(cluster), name);
    if (!found) throw new NotFoundException(`cluster ${JSON.stringify(cluster)} has no live metrics for topic ${JSON.stringify(name)}`);
    return found;
  }

  @Get(':cluster/consumer-groups')
  @ApiOperation({ summary: 'Consumer groups: health status (OK, WARN, ERR), lag in messages and seconds, members, state.' })
  @ApiParam({ name: 'cluster', example: 'prod-eu' })
  @ApiOkResponse({ type: [ConsumerGroupDto] })
  @ApiNotFoundResponse({ type: ErrorDto, description: 'Unknown cluster.' })
  consumerGroups(@Param('cluster') cluster: string): ConsumerGroupDto[] {
    return consumerGroups(this.view(cluster));
  }

  @Get(':cluster/consumer-groups/:group')
  @ApiOperation({ summary: 'One consumer group with each partition: status (OK, WARN, STOP, STALL, REWIND), committed offset, lag.' })
  @ApiParam({ name: 'cluster', example: 'prod-eu' })
  @ApiParam({ name: 'group', example: 'billing' })
  @ApiOkResponse({ type: ConsumerGroupDetailDto })
  @ApiNotFoundResponse({ type: ErrorDto, description: 'Unknown cluster or group.' })
  consumerGroup(@Param('cluster') cluster: string, @Param('group') group: string): ConsumerGroupDetailDto {
    const found = consumerGroup(this.view(cluster), group);
    if (!found) throw new NotFoundException(`cluster ${JSON.stringify(cluster)} has no live metrics for consumer group ${JSON.stringify(group)}`);
    return found;
  }

  @Get(':cluster/zookeeper')
  @ApiOperation({ summary: 'The ZooKeeper ensemble: quorum, leader, and each server (mode, latency, outstanding requests, connections, znodes, watches).' })
  @ApiParam({ name: 'cluster', example: 'prod-eu' })
  @ApiOkResponse({ type: ZooKeeperDto })
  @ApiNotFoundResponse({ type: ErrorDto, description: 'Unknown cluster, or a cluster without ZooKeeper metrics (KRaft, or ZooKeeper not monitored).' })
  zookeeper(@Param('cluster') cluster: string): ZooKeeperDto {
    const found = zookeeper(this.view(cluster));
    if (!found) throw new NotFoundException(`cluster ${JSON.stringify(cluster)} has no ZooKeeper metrics (a KRaft cluster, or its ZooKeeper is not monitored)`);
    return found;
  }

  private view(cluster: string): ClusterView {
    const view = ClusterView.of(this.latest, cluster);
    if (!view) {
      const known = this.latest.clusters();
      throw new NotFoundException(`unknown cluster ${JSON.stringify(cluster)}: no live metrics for it (known: ${known.length ? known.join(', ') : 'none yet'})`);
    }
    return view;
  }
}
