export * from './errors.js';
export { buildImage } from './build-image.js';
export { type BuildImageResult, type BuiltImage, configSnippet } from './built-image.js';
export {
  IMAGE_STEPS,
  type ImageBuildOptions,
  type ImageProgress,
  type ImageStep,
} from './options.js';
