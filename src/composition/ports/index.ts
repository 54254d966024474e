/** Every port builder by topology port name: for the in-process runtime, which composes all of them at once. */
import type { PortBuilder, Ports } from '../types.js';
import { cache } from './cache.js';
import { catalogue } from './catalogue.js';
import { graph } from './graph.js';
import { images } from './images.js';
import { interactions } from './interactions.js';
import { objects } from './objects.js';
import { ocr } from './ocr.js';
import { recommender } from './recommender.js';
import { search } from './search.js';
import { status } from './status.js';
import { streams } from './streams.js';

export const PORT_BUILDERS: { [K in keyof Ports]: PortBuilder<K> } = {
  objects,
  streams,
  ocr,
  images,
  status,
  cache,
  search,
  graph,
  catalogue,
  interactions,
  recommender,
};
