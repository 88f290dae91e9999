// Every route family of the mock, tried in this order. Adding a family (e.g. ComfyUI-Manager's routes) is one line.
import type { RouteFamily } from '../context';
import { assetsRoutes } from './assets';
import { historyRoutes } from './history';
import { internalRoutes } from './internal';
import { jobsRoutes } from './jobs';
import { managerRoutes } from './manager';
import { promptRoutes } from './prompt';
import { queueRoutes } from './queue';
import { systemRoutes } from './system';
import { uploadRoutes } from './upload';
import { viewRoutes } from './view';

export const ROUTE_FAMILIES: readonly RouteFamily[] = [
  managerRoutes,
  assetsRoutes,
  jobsRoutes,
  internalRoutes,
  promptRoutes,
  queueRoutes,
  historyRoutes,
  viewRoutes,
  uploadRoutes,
  systemRoutes,
];
