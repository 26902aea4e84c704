export * from './errors.js';
export { buildImage } from './build-image.js';
export {
  type BuildImageResult,
  type BuiltImage,
  IMAGE_SCRATCH_DRIVES,
  configSnippet,
  readBuiltImage,
} from './built-image.js';
export { bzImageVersion } from './kernel.js';
export {
  IMAGE_PACKAGES,
  IMAGE_STEPS,
  type ImageBuildOptions,
  type ImageProgress,
  type ImageStep,
  defaultImageCacheDir,
} from './options.js';
