/**
 * What the stories capability offers the others: the only file another capability may import
 * (the lint rule chorus/capability-boundaries holds this). Everything else in the folder is its own.
 */
export { storyCountsByConstituency, storytellersReadyNear, type ConstituencyStoryCounts, type StorytellerNearby, type StorytellersNear } from './counts-by-constituency.ts';
