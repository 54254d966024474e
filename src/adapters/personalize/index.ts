export { createPersonalizeRecommender, type PersonalizeRecommenderOptions } from './recommender.js';
